/**
 * 一业一单 and 一业一册 through the gateway, as a new user would try them (issue 10 Done-when): a
 * department publishes an item for division 62 and the office's joint lists for 62 and for section
 * H show it with a new version; withdrawing it makes another. A business's applicableItems are
 * answered by the office alone: the query sends no request to any department instance (its trace
 * has no department span, where a question for a department has one). The guide is public: GraphQL and
 * a printable Chinese page at /guide?industry=62 that escapes what the departments wrote.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { InMemorySpanExporter, SpanKind, addSpanExporter } from '@onecheck/telemetry';
import type { RunningSystem } from '../scripts/system';
import { gql, roles, startTestSystem, until } from './helpers';

const exporter = new InMemorySpanExporter();
const detach = addSpanExporter(exporter);
let sys: RunningSystem;
let office: string;
let health: string;
let fire: string;

const PUBLISH = `mutation ($input: SupervisionItemInput!) { publishSupervisionItem(input: $input) { code } }`;
const LIST = `query ($i: String!) { jointList(industry: $i) { version items { department { code } code name } } }`;

const item = (code: string, name: string, industries: string[]) => ({
  code,
  name,
  content: '检查从业人员健康证明和餐具消毒',
  legalBasis: '《食品安全法》第四十五条',
  level: 'COUNTY',
  industries,
  emphasis: 'KEY',
  checkPoints: [{ point: '从业人员持有效健康证明', answers: ['符合', '不符合'] }],
});

async function list(industry: string) {
  const r = await gql(sys.gatewayUrl, LIST, { i: industry }, office);
  expect(r.errors).toBeUndefined();
  return r.data!.jointList as { version: number; items: { code: string; name: string }[] };
}

beforeAll(async () => {
  sys = await startTestSystem({ departments: ['HEALTH', 'FIRE'] });
  [office, health, fire] = await Promise.all([
    sys.token(roles.office),
    sys.token(roles.staff('HEALTH')),
    sys.token(roles.staff('FIRE')),
  ]);
});
afterAll(async () => {
  await sys?.stop();
  detach();
});

it('an item published for 62 is on the joint lists of 62 and of section H with a new version; withdrawing makes another', async () => {
  const [v62, vH] = [(await list('62')).version, (await list('H')).version];
  const r = await gql(sys.gatewayUrl, PUBLISH, { input: item('WS-GW-62', '餐饮服务卫生', ['62']) }, health);
  expect(r.errors).toBeUndefined();
  const shown = await until('the item on the list of 62', async () => {
    const l = await list('62');
    return l.items.some((i) => i.code === 'WS-GW-62') && l;
  });
  expect(shown.version).toBe(v62 + 1);
  const h = await list('H');
  expect(h.version).toBe(vH + 1);
  expect(h.items.map((i) => i.code)).toContain('WS-GW-62');

  const w = await gql(
    sys.gatewayUrl,
    'mutation { withdrawSupervisionItem(code: "WS-GW-62") { code status } }',
    {},
    health,
  );
  expect(w.errors).toBeUndefined();
  const gone = await until('the item off the list', async () => {
    const l = await list('62');
    return l.version > shown.version && l;
  });
  expect(gone.version).toBe(shown.version + 1);
  expect(gone.items.map((i) => i.code)).not.toContain('WS-GW-62');
}, 60_000);

it("a business's applicableItems send no request to any department instance", async () => {
  await gql(sys.gatewayUrl, PUBLISH, { input: item('WS-GW-H', '住宿餐饮卫生', ['H']) }, health);
  await gql(sys.gatewayUrl, PUBLISH, { input: item('XF-GW-621', '正餐消防安全', ['621']) }, fire);
  const uscc = generateUscc(seededRandom(1010), { region: '620422' });
  const reg = await gql(
    sys.gatewayUrl,
    'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
    {
      input: {
        uscc,
        name: '会宁县一业一单饭店',
        legalRepresentative: '王五',
        industry: '621',
        region: '620422',
        address: '会宁县',
      },
    },
    office,
  );
  expect(reg.errors).toBeUndefined();
  await until('both items on the list of 621', async () => {
    const l = await list('621');
    return ['WS-GW-H', 'XF-GW-621'].every((c) => l.items.some((i) => i.code === c));
  });

  // The services each request reached: the server spans in the trace the gateway started for it.
  const servicesReached = async (query: string, variables: Record<string, unknown>, token: string) => {
    exporter.reset();
    const r = await gql(sys.gatewayUrl, query, variables, token);
    expect(r.errors).toBeUndefined();
    const root = await until('the operation span', async () =>
      exporter.getFinishedSpans().find((s) => s.attributes['onecheck.service'] === 'gateway' && !s.parentSpanContext),
    );
    const trace = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === root.spanContext().traceId);
    const servers = trace
      .filter((s) => s.kind === SpanKind.SERVER)
      .map((s) => String(s.attributes['onecheck.service']));
    return { r, servers };
  };
  // The count can see a department: a question for one does reach it.
  const control = await servicesReached('query { supervisionItems(department: "HEALTH") { totalCount } }', {}, health);
  expect(control.servers.filter((s) => s.startsWith('department'))).toHaveLength(1);

  const { r, servers } = await servicesReached(
    `query OneBusiness($u: String!) { enterprise(uscc: $u) { name applicableItems { department { code name } code name } } }`,
    { u: uscc },
    office,
  );
  expect(r.data!.enterprise.applicableItems.map((i: { code: string }) => i.code).sort()).toEqual([
    'WS-GW-H',
    'XF-GW-621',
  ]);
  expect(servers).toContain('market');
  expect(servers.filter((s) => s.startsWith('department'))).toEqual([]);
}, 60_000);

it('the guide is public: over GraphQL and as a printable Chinese page that escapes what it shows', async () => {
  await gql(sys.gatewayUrl, PUBLISH, { input: item('WS-GW-XSS', '<script>alert("x")</script>检查', ['62']) }, health);
  await until('the item on the list', async () => (await list('62')).items.some((i) => i.code === 'WS-GW-XSS'));

  const g = await gql(
    sys.gatewayUrl,
    'query { complianceGuide(industry: "62") { industry { name } departments { department { code } items { code name legalBasis } } } }',
  );
  expect(g.errors).toBeUndefined();
  expect(g.data!.complianceGuide.industry.name).toBe('餐饮业');
  const codes = g.data!.complianceGuide.departments.flatMap((d: { items: { code: string }[] }) =>
    d.items.map((i) => i.code),
  );
  expect(codes).toEqual(expect.arrayContaining(['WS-GW-H', 'WS-GW-XSS']));

  const res = await fetch(`${sys.gatewayUrl.replace(/\/graphql$/, '')}/guide?industry=62`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
  const html = await res.text();
  expect(html).toContain('<html lang="zh-CN">');
  expect(html).toContain('@media print');
  expect(html).toContain('餐饮业（62）一业一册');
  expect(html).toContain('《食品安全法》第四十五条');
  expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;检查');
  expect(html).not.toContain('<script>');

  const bad = await fetch(`${sys.gatewayUrl.replace(/\/graphql$/, '')}/guide?industry=%3Cb%3E`);
  expect(bad.status).toBe(400);
  expect(await bad.text()).not.toContain('<b>');
}, 60_000);
