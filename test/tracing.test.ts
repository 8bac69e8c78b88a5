/**
 * One trace follows a licence grant (issue 6): the gateway's operation span, the approval
 * bureau's request span (the gateway's traceparent header), the licence event (its traceparent
 * extension) and the department's consumer span that creates the supervision task.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { InMemorySpanExporter, SpanKind, addSpanExporter, type ReadableSpan } from '@onecheck/telemetry';
import type { RunningSystem } from '../scripts/system';
import { gql, roles, startTestSystem, until } from './helpers';

const exporter = new InMemorySpanExporter();
const detach = addSpanExporter(exporter);
let sys: RunningSystem;

beforeAll(async () => {
  sys = await startTestSystem({ departments: ['HEALTH', 'FIRE'] });
});
afterAll(async () => {
  await sys?.stop();
  detach();
});

const spans = () => exporter.getFinishedSpans();
const service = (s: ReadableSpan) => s.attributes['onecheck.service'];

it("carries one trace id from the gateway to the department's task creation", async () => {
  const [office, approver, health] = await Promise.all([
    sys.token(roles.office),
    sys.token(roles.approver),
    sys.token(roles.staff('HEALTH')),
  ]);
  const uscc = generateUscc(seededRandom(61), { region: '620422' });
  const registered = await gql(
    sys.gatewayUrl,
    'mutation Register($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
    {
      input: {
        uscc,
        name: '会宁县追踪测试宾馆',
        legalRepresentative: '赵六',
        industry: '61',
        region: '620422',
        address: '会宁县',
      },
    },
    office,
  );
  expect(registered.errors).toBeUndefined();
  const input = {
    uscc,
    licenceNumber: `WS-TRACE-${uscc.slice(-6)}`,
    approvalItem: '公共场所卫生许可',
    supervisingDepartment: 'HEALTH',
    scope: '住宿',
    // The day the business registers (the pinned today): a grant may not predate it (issue 9).
    validFrom: sys.clock.today(),
    validUntil: '2030-12-31',
    grantedOn: sys.clock.today(),
  };
  // The bureau learns of the business from market regulation's event first.
  await until('the licence granted', async () => {
    const r = await gql(
      sys.gatewayUrl,
      'mutation Grant($input: GrantLicenceInput!) { grantLicence(input: $input) { id } }',
      { input },
      approver,
    );
    return r.errors?.[0]?.extensions?.field === 'uscc' ? undefined : r;
  });
  await until('the task at HEALTH', async () => {
    const r = await gql(
      sys.gatewayUrl,
      'query ($filter: TaskFilter) { supervisionTasks(department: "HEALTH", filter: $filter) { totalCount } }',
      { filter: { uscc } },
      health,
    );
    return r.data?.supervisionTasks.totalCount === 1;
  });

  // The HEALTH instance's span around the handler that created the task …
  const created = await until('the task creation span', async () =>
    spans().find(
      (s) =>
        s.name === 'process onecheck.licence.granted.v2' &&
        String(s.attributes['messaging.consumer.group.name']).toLowerCase().includes('department-health') &&
        s.attributes['cloudevents.event_subject'] === uscc,
    ),
  );
  expect(created.kind).toBe(SpanKind.CONSUMER);
  const trace = spans().filter((s) => s.spanContext().traceId === created.spanContext().traceId);

  // … is in the trace the gateway started for the grant, …
  const root = trace.find((s) => !s.parentSpanContext);
  expect(root).toBeDefined();
  expect(service(root!)).toBe('gateway');
  expect(root!.name).toBe('mutation Grant');
  // … through the approval bureau's request, whose span recorded the event.
  const approval = trace.find((s) => service(s) === 'approval' && s.kind === SpanKind.SERVER);
  expect(approval).toBeDefined();
  expect(created.parentSpanContext?.spanId).toBe(approval!.spanContext().spanId);
}, 60_000);
