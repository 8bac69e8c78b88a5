/**
 * 全程留痕 for a supervision task (issue 9 item 2), over HTTP as the gateway calls it: the push (by
 * the department's own principal, on the grant event), the claim and the result (by the people who
 * made them, with before and after) are on the department's audit trail; the trail is shown to the
 * office and the department's own staff, refused to others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { departmentService } from '../src/index';
import { departmentConsumers } from '../src/events';
import * as schema from '../src/db/schema';

const clock = testClock('2026-11-25T09:00:00+08:00');
const office: Identity = { sub: 'office-1', role: 'office' };
const staff: Identity = { sub: 'clerk-1', role: 'staff', department: 'HEALTH' };
const inspector: Identity = { sub: 'insp-1', role: 'inspector', department: 'HEALTH' };
const otherStaff: Identity = { sub: 'clerk-9', role: 'staff', department: 'EMERGENCY' };
const approver: Identity = { sub: 'approver-1', role: 'approver' };
const LICENCE_ID = '00000000-0000-4000-8000-000000000901';
const EVENT_ID = 'grant-event-901';
let health: TestSubgraph<typeof schema>;
let taskId: string;

const TRAIL = `query ($id: ID!) { supervisionTask(id: $id, department: "HEALTH") { auditTrail {
  seq action actionName entityKind entityId before after actor { kind sub role department principal event } } } }`;

beforeAll(async () => {
  health = await startTestSubgraph(departmentService('HEALTH'), { clock });
  const { db } = health.service.database;
  // The grant arrives as the consumer delivers it: the department's own handler, in a transaction.
  const [licences] = departmentConsumers('HEALTH', { db, clock, logger: undefined as never });
  // The grants' batch handler, given one event.
  const granted = (event: never, tx: never) => licences!.batchHandlers!['onecheck.licence.granted.v2']!([event], tx);
  await db.transaction((tx) =>
    granted(
      {
        id: EVENT_ID,
        type: 'onecheck.licence.granted.v2',
        time: clock.now().toISOString(),
        data: {
          licenceId: LICENCE_ID,
          licenceNumber: 'WS-901',
          uscc: '91620422MA7XXXX901',
          businessName: '会宁县留痕宾馆',
          approvalItem: '公共场所卫生许可',
          supervisingDepartment: 'HEALTH',
          scope: '住宿',
          validFrom: '2026-11-25',
          validUntil: '2031-11-24',
          grantedOn: '2026-11-25',
          recordedAt: clock.now().toISOString(),
          status: 'VALID',
        },
      } as never,
      tx as never,
    ),
  );
  const [task] = await db.select().from(schema.supervisionTasks);
  taskId = task!.id;
  clock.advance(60_000);
  const claim = await health.call(staff, 'mutation ($id: ID!) { claimSupervisionTask(id: $id) { status } }', {
    id: taskId,
  });
  expect(claim.errors).toBeUndefined();
  clock.advance(60_000);
  const result = await health.call(
    inspector,
    `mutation ($id: ID!) { recordTaskResult(id: $id, input: { outcome: PROBLEMS_FOUND, summary: "后厨卫生不合格",
      findings: [{ description: "地面积水", severity: GENERAL, handling: RECTIFICATION, dueOn: "2026-12-10" }] }) { status } }`,
    { id: taskId },
  );
  expect(result.errors).toBeUndefined();
});
afterAll(() => health?.stop());

describe("a supervision task's audit trail", () => {
  it('shows the push by the department on the grant event, then the claim and the result by their people', async () => {
    const r = await health.call(office, TRAIL, { id: taskId });
    expect(r.errors).toBeUndefined();
    const trail = r.data!.supervisionTask.auditTrail;
    expect(trail.map((e: { action: string }) => e.action)).toEqual(['receiveLicences', 'claimTasks', 'recordResults']);
    expect(trail[0]).toMatchObject({
      entityKind: 'supervisionTask',
      entityId: taskId,
      actor: { kind: 'SERVICE', principal: 'department-health', event: EVENT_ID },
      before: null,
      after: { licenceId: LICENCE_ID, status: 'PENDING_CLAIM' },
    });
    expect(trail[1]).toMatchObject({
      actionName: '认领任务',
      actor: { kind: 'USER', sub: 'clerk-1', role: 'staff', department: 'HEALTH' },
      before: { status: 'PENDING_CLAIM' },
      after: { status: 'CLAIMED', claimedBy: 'clerk-1' },
    });
    expect(trail[2]).toMatchObject({
      actor: { kind: 'USER', sub: 'insp-1', role: 'inspector' },
      before: { status: 'CLAIMED' },
      after: { status: 'CHECKED', outcome: 'PROBLEMS_FOUND', findings: [{ description: '地面积水' }] },
    });
    expect(trail.map((e: { seq: number }) => e.seq)).toEqual(
      [...trail.map((e: { seq: number }) => e.seq)].sort((a, b) => a - b),
    );
  });

  it("is shown to the department's own staff, and refused to its inspectors, the bureau and other departments", async () => {
    const own = await health.call(staff, TRAIL, { id: taskId });
    expect(own.errors).toBeUndefined();
    expect(own.data!.supervisionTask.auditTrail).toHaveLength(3);
    for (const who of [inspector, approver, otherStaff]) {
      const r = await health.call(who, TRAIL, { id: taskId });
      expect(r.errors?.[0]?.extensions?.code, who.sub).toBe('FORBIDDEN');
    }
  });
});
