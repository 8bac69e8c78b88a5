/**
 * 一业一查 part 2 through the gateway only, as a new user would try it (issue 11 Done-when): after a
 * draw each business has one coded visit with every department's items and two officers per
 * department; a second plan on 20 of them overlaps and is merged; results are refused without a
 * valid code, by someone off the team, with one officer or a future date; a rectification goes
 * overdue and a re-check closes it; one conduct is fined once, also when two departments decide at
 * the same moment; a completed task is published (public query and public topic) and listed overdue
 * the day after its 20th working day; the burden measure counts a merged visit once.
 */
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { TOPICS } from '@onecheck/events';
import type { RunningSystem } from '../scripts/system';
import { gatewayClient, roles, startTestSystem, until } from './helpers';

const rng = seededRandom(1111);
let sys: RunningSystem;
let clock: TestClock;
const tokens: Record<string, string> = {};
/** Inspector id by certificate number, per department (a demo inspector logs in with their id). */
const inspectorIds = new Map<string, string>();
const restaurants: string[] = [];

const { ask, must } = gatewayClient(() => sys.gatewayUrl);
/** Moves the system's clock; tokens are short-lived against it, so each is issued again. */
async function at(instant: string) {
  clock.set(instant);
  tokens.office = await sys.token(roles.office);
  tokens.auditor = await sys.token({ sub: 'jijian-1', role: 'auditor' });
  for (const d of Object.keys(ITEMS) as Dept[]) tokens[d] = await sys.token(roles.staff(d));
}

const ITEMS = {
  HEALTH: [{ code: 'WJ-CY-001', name: '餐饮服务卫生检查', industries: ['H'] }],
  MARKET: [
    { code: 'SC-CY-001', name: '餐饮服务食品安全检查', industries: ['H'] },
    { code: 'SC-CY-002', name: '餐饮价格行为检查', industries: ['62'] },
  ],
  FIRE: [{ code: 'XF-RM-001', name: '人员密集场所消防检查', industries: ['H'] }],
} as const;
type Dept = keyof typeof ITEMS;

interface Officer {
  inspectorId: string;
  certificateNumber: string;
  kind: string;
}
interface VisitPart {
  department: { code: string };
  items: string[];
  team: Officer[];
}
interface Visit {
  id: string;
  code: string | null;
  version: number;
  uscc: string;
  status: string;
  plans: { id: string }[];
  departments: VisitPart[];
}
const VISIT = `id code version uscc status plans { id } departments { department { code } items team { inspectorId certificateNumber kind } }`;

async function visitsOf(filter: { planId?: string; uscc?: string }): Promise<Visit[]> {
  const d = await must(
    tokens.office,
    `query ($p: ID, $u: String) { visits(planId: $p, uscc: $u, first: 50) { edges { node { ${VISIT} } } } }`,
    { p: filter.planId, u: filter.uscc },
  );
  return d.visits.edges.map((e: { node: Visit }) => e.node).filter((v: Visit) => v.status !== 'MERGED');
}

/**
 * Waits until every department of a coded visit holds its code at the visit's version: the office's
 * visit.coded event travels by Kafka, and a department records only against the copy it holds.
 */
async function codeHeld(v: Visit) {
  for (const { department } of v.departments)
    await until(`${department.code} to hold ${v.code} at version ${v.version}`, async () => {
      const r = await must(
        tokens[department.code]!,
        'query ($d: String) { visitCodes(department: $d, first: 100) { edges { node { code version } } } }',
        { d: department.code },
      );
      return r.visitCodes.edges.some(
        (e: { node: { code: string; version: number } }) => e.node.code === v.code && e.node.version >= v.version,
      );
    });
}

async function register(name: string, industry: string) {
  const uscc = generateUscc(rng, { region: '420626' });
  await must(
    tokens.office,
    'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
    {
      input: { uscc, name, legalRepresentative: '王五', industry, region: '420626', address: '城关镇' },
    },
  );
  return uscc;
}

async function tag(department: Dept, uscc: string, label: string) {
  await must(tokens[department], 'mutation ($u: String!, $t: String!) { tagTarget(uscc: $u, tag: $t) { tag } }', {
    u: uscc,
    t: label,
  });
}

/** A plan from draft to draw: drafted by its lead, filed, published, frozen, observed, drawn. */
async function runPlan(p: {
  name: string;
  industry: string;
  lead: Dept;
  cooperating?: Dept[];
  items: { department: Dept; code: string }[];
  tags?: string[];
  window: [string, string];
  expected: number;
}) {
  const d = await must(tokens[p.lead], 'mutation ($input: JointPlanInput!) { draftPlan(input: $input) { id } }', {
    input: {
      name: p.name,
      year: 2026,
      industry: p.industry,
      leadDepartment: p.lead,
      cooperatingDepartments: p.cooperating ?? [],
      items: p.items,
      ratios: { A: 1, B: 1, C: 1, D: 1 },
      ...(p.tags ? { targetFilter: { tags: p.tags } } : {}),
      windowFrom: p.window[0],
      windowTo: p.window[1],
      coolDownMonths: 0,
    },
  });
  const id = d.draftPlan.id as string;
  await must(tokens[p.lead], 'mutation ($id: ID!) { filePlan(id: $id) { status } }', { id });
  await must(tokens.office, 'mutation ($id: ID!) { publishPlan(id: $id) { status } }', { id });
  await must(tokens.office, 'mutation ($id: ID!) { freezeDrawPool(planId: $id) { poolSize } }', { id });
  await must(tokens.auditor, 'mutation ($id: ID!) { enterDrawPublicValue(planId: $id, value: "体彩 907") { seed } }', {
    id,
  });
  const drawn = await must(tokens.office, 'mutation ($id: ID!) { drawPlan(planId: $id) { drawn { uscc } } }', { id });
  expect(drawn.drawPlan.drawn).toHaveLength(p.expected);
  // Each department draws its teams; the office codes a visit once every team is in.
  await until(
    `the visits of ${p.name} to be coded`,
    async () => {
      const vs = await visitsOf({ planId: id });
      return vs.length >= p.expected && vs.every((v) => v.status === 'CODED' && v.code);
    },
    30_000,
  );
  return id;
}

/** An inspector of the department's part of a visit, and a token naming them. */
async function officerOf(v: Visit, department: Dept, n = 0) {
  const part = v.departments.find((d) => d.department.code === department)!;
  const officer = part.team.filter((t) => t.kind === 'INSPECTOR')[n]!;
  const token = await sys.token({ sub: officer.inspectorId, role: 'inspector', department });
  return { officer, part, token };
}

async function notOnTeam(v: Visit, department: Dept) {
  const team = new Set(v.departments.find((d) => d.department.code === department)!.team.map((t) => t.inspectorId));
  const id = [...inspectorIds.entries()].find(([cert, id]) => cert.startsWith(department) && !team.has(id))![1];
  return sys.token({ sub: id, role: 'inspector', department });
}

const RECORD = `mutation ($d: String!, $input: InspectionResultInput!) { recordInspectionResult(department: $d, input: $input) { __typename } }`;

function resultInput(v: Visit, department: Dept, extra: Record<string, unknown> = {}) {
  const part = v.departments.find((d) => d.department.code === department)!;
  const officers = part.team.filter((t) => t.kind === 'INSPECTOR').map((t) => t.inspectorId);
  return {
    code: v.code,
    inspectedOn: clock.today(),
    officers,
    items: part.items.map((itemCode) => ({
      itemCode,
      categories: ['NO_PROBLEM'],
      answers: [{ point: '证照齐全', answer: '符合' }],
      evidence: ['现场照片-001'],
    })),
    ...extra,
  };
}

async function findingsOf(department: Dept, uscc: string) {
  const d = await must(
    tokens[department],
    `query ($d: String, $u: String) { findings(department: $d, filter: { uscc: $u }, first: 50) { edges { node { id handling status dueOn rectificationOverdue } } } }`,
    { d: department, u: uscc },
  );
  return d.findings.edges.map((e: { node: Record<string, unknown> }) => e.node) as {
    id: string;
    handling: string;
    status: string;
    dueOn: string | null;
    rectificationOverdue: boolean;
  }[];
}

let plan1: string;
let plan2: string;
let plan3: string;
let merged: Visit;

beforeAll(async () => {
  sys = await startTestSystem({ departments: ['HEALTH', 'MARKET', 'FIRE'] });
  clock = sys.clock as TestClock;
  await at('2026-03-02T09:00:00+08:00');
  for (const [department, items] of Object.entries(ITEMS) as [Dept, (typeof ITEMS)[Dept]][]) {
    for (const item of items)
      await must(
        tokens[department],
        'mutation ($input: SupervisionItemInput!) { publishSupervisionItem(input: $input) { code } }',
        {
          input: {
            ...item,
            emphasis: 'KEY',
            content: '检查内容',
            legalBasis: '《中华人民共和国食品安全法》',
            level: 'COUNTY',
            checkPoints: [{ point: '证照齐全', answers: ['符合', '不符合'] }],
          },
        },
      );
    // Three officers qualified for every item of the department: a team is two, the third is off it.
    for (let n = 0; n < 3; n++) {
      const certificate = `${department}-${n}`;
      const added = await must(
        tokens[department],
        'mutation ($input: InspectorInput!) { addInspector(input: $input) { id } }',
        {
          input: {
            name: `${department}执法${n}`,
            badgeNumber: certificate,
            qualifications: items.map((i) => i.code),
            certificateValidUntil: '2028-12-31',
          },
        },
      );
      inspectorIds.set(certificate, added.addInspector.id);
    }
  }
  for (let n = 0; n < 24; n++) restaurants.push(await register(`保康县联查${n}号餐馆`, '621'));
  for (const uscc of restaurants.slice(0, 20)) await tag('MARKET', uscc, '价格重点');
  for (const uscc of restaurants.slice(20, 22)) await tag('FIRE', uscc, '九月复查');
  await until('the office to list the four items for 62', async () => {
    const r = await ask(tokens.office, '{ jointList(industry: "62") { items { code } } }');
    return r.data?.jointList.items.length === 4;
  });
  plan1 = await runPlan({
    name: '2026年4月餐饮业联合抽查',
    industry: '62',
    lead: 'HEALTH',
    cooperating: ['MARKET', 'FIRE'],
    items: [
      { department: 'HEALTH', code: 'WJ-CY-001' },
      { department: 'MARKET', code: 'SC-CY-001' },
      { department: 'FIRE', code: 'XF-RM-001' },
    ],
    window: ['2026-04-01', '2026-04-30'],
    expected: 24,
  });
  plan2 = await runPlan({
    name: '2026年4月餐饮价格检查',
    industry: '62',
    lead: 'MARKET',
    items: [{ department: 'MARKET', code: 'SC-CY-002' }],
    tags: ['价格重点'],
    window: ['2026-04-01', '2026-04-30'],
    expected: 20,
  });
  plan3 = await runPlan({
    name: '2026年9月消防复查',
    industry: '62',
    lead: 'FIRE',
    items: [{ department: 'FIRE', code: 'XF-RM-001' }],
    tags: ['九月复查'],
    window: ['2026-09-01', '2026-09-30'],
    expected: 2,
  });
}, 240_000);
afterAll(() => sys?.stop());

describe('进一次门: one coded visit per business, merged across plans', () => {
  it("gives each drawn business one visit with every department's items, a code and two officers per department", async () => {
    const vs = await visitsOf({ planId: plan1 });
    expect(vs).toHaveLength(24);
    expect(new Set(vs.map((v) => v.uscc))).toEqual(new Set(restaurants));
    expect(new Set(vs.map((v) => v.code)).size).toBe(24);
    for (const v of vs) {
      expect(v.departments.map((d) => d.department.code).sort()).toEqual(['FIRE', 'HEALTH', 'MARKET']);
      for (const part of v.departments)
        expect(part.team.filter((t) => t.kind === 'INSPECTOR').length).toBeGreaterThanOrEqual(2);
    }
  });

  it('shows the second plan on 20 of the same businesses as overlapping; merged, each of the 20 has one visit', async () => {
    const overlaps = await must(tokens.office, 'query ($p: ID!) { visitOverlaps(planId: $p) { uscc } }', { p: plan2 });
    expect(new Set(overlaps.visitOverlaps.map((o: { uscc: string }) => o.uscc))).toEqual(
      new Set(restaurants.slice(0, 20)),
    );
    await must(tokens.office, 'mutation ($p: ID!) { mergePlanOverlaps(planId: $p) { id } }', { p: plan2 });
    for (const uscc of restaurants.slice(0, 20)) {
      const vs = await visitsOf({ uscc });
      expect(vs, uscc).toHaveLength(1);
      expect(vs[0]!.plans.map((p) => p.id).sort()).toEqual([plan1, plan2].sort());
      const market = vs[0]!.departments.find((d) => d.department.code === 'MARKET')!;
      expect(market.items.sort()).toEqual(['SC-CY-001', 'SC-CY-002']);
    }
    const after = await must(tokens.office, 'query ($p: ID!) { visitOverlaps(planId: $p) { uscc } }', { p: plan2 });
    expect(after.visitOverlaps).toEqual([]);
    merged = (await visitsOf({ uscc: restaurants[0]! })).find((v) => v.plans.some((p) => p.id === plan1))!;
    await codeHeld(merged);
  });

  it('lets anyone check a code without a token: departments and certificate numbers, nothing personal; a made-up code is refused', async () => {
    const early = await ask(undefined, 'query ($c: String!) { checkInspectionCode(code: $c) { status } }', {
      c: merged.code,
    });
    expect(early.data?.checkInspectionCode.status).toBe('NOT_YET_VALID');
    await at('2026-04-10T10:00:00+08:00');
    const r = await ask(
      undefined,
      'query ($c: String!) { checkInspectionCode(code: $c) { status uscc businessName departments { department { code } certificateNumbers } } }',
      { c: merged.code },
    );
    expect(r.errors).toBeUndefined();
    const check = r.data!.checkInspectionCode;
    expect(check.status).toBe('VALID');
    expect(check.uscc).toBe(merged.uscc);
    expect(check.departments.map((d: { department: { code: string } }) => d.department.code).sort()).toEqual([
      'FIRE',
      'HEALTH',
      'MARKET',
    ]);
    expect(JSON.stringify(r.data)).not.toMatch(/执法\d|王五/);
    const fake = await ask(undefined, 'query { checkInspectionCode(code: "JC2026-AAAA-BBBB-CCCC") { status } }');
    expect(fake.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(fake.data ?? {})).not.toMatch(/执法|王五/);
  });
});

describe('结果: recorded against a valid code by two officers of the team', () => {
  it('refuses a result without a valid code, off the team, with one officer or a future date, and writes nothing', async () => {
    await at('2026-04-10T10:00:00+08:00');
    const { token } = await officerOf(merged, 'HEALTH');
    const input = resultInput(merged, 'HEALTH');
    const unknown = await ask(token, RECORD, { d: 'HEALTH', input: { ...input, code: 'JC2026-ZZZZ-ZZZZ-ZZZZ' } });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'RETRY_LATER', field: 'code', retryable: true });
    const stranger = await ask(await notOnTeam(merged, 'HEALTH'), RECORD, { d: 'HEALTH', input });
    expect(stranger.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const alone = await ask(token, RECORD, { d: 'HEALTH', input: { ...input, officers: input.officers.slice(0, 1) } });
    expect(alone.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'officers' });
    const future = await ask(token, RECORD, { d: 'HEALTH', input: { ...input, inspectedOn: '2026-04-11' } });
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'inspectedOn' });
    const results = await must(
      tokens.HEALTH,
      'query ($c: String!) { inspectionResults(department: "HEALTH", code: $c) { itemCode } }',
      { c: merged.code },
    );
    expect(results.inspectionResults).toEqual([]);
  });

  it('records each department’s items on the merged visit; a rectification order goes overdue and a re-check closes it', async () => {
    const health = await officerOf(merged, 'HEALTH');
    await must(health.token, RECORD, { d: 'HEALTH', input: resultInput(merged, 'HEALTH') });
    const market = await officerOf(merged, 'MARKET');
    const input = resultInput(merged, 'MARKET');
    input.items = input.items.map((i) => ({ ...i, categories: ['PROBLEM_CORRECTED'] }));
    await must(market.token, RECORD, {
      d: 'MARKET',
      input: {
        ...input,
        findings: [
          {
            itemCode: 'SC-CY-001',
            description: '后厨未做生熟分开',
            severity: 'GENERAL',
            handling: 'RECTIFICATION',
            dueOn: '2026-04-20',
          },
        ],
      },
    });
    const [rect] = await findingsOf('MARKET', merged.uscc);
    expect(rect).toMatchObject({ handling: 'RECTIFICATION', dueOn: '2026-04-20', rectificationOverdue: false });
    await at('2026-04-21T09:00:00+08:00');
    const overdue = await must(
      tokens.MARKET,
      '{ findings(department: "MARKET", filter: { overdue: true }, first: 50) { edges { node { id } } } }',
    );
    expect(overdue.findings.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(rect!.id);
    const rechecker = await officerOf(merged, 'MARKET');
    await must(
      rechecker.token,
      'mutation ($id: ID!) { recheckFinding(department: "MARKET", id: $id, input: { rectified: true, recheckedOn: "2026-04-21", note: "已整改" }) { status } }',
      { id: rect!.id },
    );
    const [closed] = await findingsOf('MARKET', merged.uscc);
    expect(closed).toMatchObject({ status: 'CLOSED', rectificationOverdue: false });
  });

  it('fines one conduct once, also when two departments decide at the same moment; a revocation after a fine passes', async () => {
    const fire = await officerOf(merged, 'FIRE');
    const input = resultInput(merged, 'FIRE');
    input.items = input.items.map((i) => ({ ...i, categories: ['PROBLEM_PENDING'] }));
    await must(fire.token, RECORD, {
      d: 'FIRE',
      input: {
        ...input,
        inspectedOn: '2026-04-20',
        findings: [
          { itemCode: 'XF-RM-001', description: '安全出口堵塞', severity: 'SERIOUS', handling: 'PENALTY' },
          // 抄告: the kitchen's gas hose is HEALTH's too; it must accept it.
          {
            itemCode: 'XF-RM-001',
            description: '后厨燃气软管老化',
            severity: 'GENERAL',
            handling: 'TRANSFER',
            transferTo: 'HEALTH',
          },
        ],
      },
    });
    const found = await findingsOf('FIRE', merged.uscc);
    const fined = found.find((f) => f.handling === 'PENALTY')!;
    const shared = found.find((f) => f.handling === 'TRANSFER')!;
    const decide = (token: string | undefined, findingId: string, kind: string, doc: string) =>
      ask(
        token,
        `mutation ($f: ID!, $input: PenaltyDecisionInput!) { decidePenalty(department: "FIRE", findingId: $f, input: $input) { __typename } }`,
        {
          f: findingId,
          input: {
            kind,
            ...(kind === 'FINE' ? { amountYuan: 5000 } : {}),
            documentNumber: doc,
            legalBasis: '《中华人民共和国消防法》第六十条',
            decidedOn: '2026-04-21',
          },
        },
      );
    expect((await decide(tokens.FIRE, fined.id, 'FINE', '保消罚〔2026〕1号')).errors).toBeUndefined();
    const again = await decide(tokens.FIRE, fined.id, 'FINE', '保消罚〔2026〕9号');
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(again.errors?.[0]?.message).toContain('保消罚〔2026〕1号');

    // HEALTH receives the transfer with the same id and accepts it: now both may decide on it.
    await until('HEALTH to receive the transfer', async () => {
      const r = await ask(tokens.HEALTH, '{ incomingTransfers(department: "HEALTH") { findingId } }');
      return r.data?.incomingTransfers?.some((t: { findingId: string }) => t.findingId === shared.id);
    });
    await must(
      tokens.HEALTH,
      'mutation ($f: ID!) { answerTransfer(department: "HEALTH", findingId: $f, accept: true) { status } }',
      { f: shared.id },
    );
    await until('FIRE to see the transfer accepted', async () => {
      const r = await ask(tokens.FIRE, 'query ($id: ID!) { finding(department: "FIRE", id: $id) { transferStatus } }', {
        id: shared.id,
      });
      return r.data?.finding?.transferStatus === 'ACCEPTED';
    });
    // Two departments fine the same conduct at the same moment: exactly one passes, the other is refused naming it.
    const both = await Promise.all([
      decide(tokens.FIRE, shared.id, 'FINE', '保消罚〔2026〕2号'),
      decide(tokens.HEALTH, shared.id, 'FINE', '保卫罚〔2026〕2号'),
    ]);
    const passed = both.filter((r) => !r.errors);
    expect(passed).toHaveLength(1);
    const refused = both.find((r) => r.errors)!;
    expect(refused.errors![0]!.extensions?.code).toBe('CONFLICT');
    const firstDoc = both[0]!.errors ? '保卫罚〔2026〕2号' : '保消罚〔2026〕2号';
    expect(refused.errors![0]!.message).toContain(firstDoc);
    // Another kind of penalty by the department competent for it stays possible after the fine.
    expect((await decide(tokens.HEALTH, fined.id, 'LICENCE_REVOCATION', '保卫罚〔2026〕3号')).errors).toBeUndefined();
  });

  it('refuses a result once the code has expired with its window', async () => {
    await at('2026-05-06T09:00:00+08:00');
    const other = (await visitsOf({ planId: plan1 })).find((v) => v.uscc === restaurants[23])!;
    const { token } = await officerOf(other, 'HEALTH');
    const late = await ask(token, RECORD, { d: 'HEALTH', input: resultInput(other, 'HEALTH') });
    expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
  });
});

describe('一公开 and the measures', () => {
  it('lists a task completed on 2026-09-30 overdue from 2026-11-04, publishes it on the public query and topic', async () => {
    await at('2026-09-30T10:00:00+08:00');
    for (const v of await visitsOf({ planId: plan3 })) {
      const { token } = await officerOf(v, 'FIRE');
      await must(token, RECORD, { d: 'FIRE', input: resultInput(v, 'FIRE') });
    }
    const task = async () => {
      const d = await must(
        tokens.office,
        'query ($p: ID!) { jointPlan(id: $p) { inspectionTasks { department { code } completedOn publishBy publicationOverdue } } }',
        { p: plan3 },
      );
      return d.jointPlan.inspectionTasks[0];
    };
    await until('the office to see FIRE complete', async () => (await task())?.completedOn === '2026-09-30');
    expect(await task()).toMatchObject({
      department: { code: 'FIRE' },
      publishBy: '2026-11-03',
      publicationOverdue: false,
    });
    const overdue = async () =>
      (await must(tokens.office, '{ overduePublications { plan { id } department { code } } }'))
        .overduePublications as {
        plan: { id: string };
        department: { code: string };
      }[];
    await at('2026-11-03T20:00:00+08:00');
    expect((await overdue()).some((t) => t.plan.id === plan3)).toBe(false);
    await at('2026-11-04T09:00:00+08:00');
    expect(await task()).toMatchObject({ publicationOverdue: true });
    expect((await overdue()).some((t) => t.plan.id === plan3 && t.department.code === 'FIRE')).toBe(true);

    await must(
      tokens.FIRE,
      'mutation ($p: ID!) { publishInspectionResults(planId: $p, department: "FIRE") { __typename } }',
      {
        p: plan3,
      },
    );
    const published = await ask(
      undefined,
      'query ($p: ID!) { publishedResults(planId: $p, first: 10) { edges { node { uscc businessName department { code } items { itemCode categories } } } } }',
      { p: plan3 },
    );
    expect(published.errors).toBeUndefined();
    const nodes = published.data!.publishedResults.edges.map((e: { node: { uscc: string } }) => e.node);
    expect(nodes.map((n: { uscc: string }) => n.uscc).sort()).toEqual(restaurants.slice(20, 22).sort());
    expect(JSON.stringify(nodes)).not.toMatch(/执法\d|王五/);
    expect((await overdue()).some((t) => t.plan.id === plan3)).toBe(false);

    // The public topic, read by an outside consumer with its own credentials.
    const consumer = new kafkajs.Kafka({
      clientId: 'public-reader',
      brokers: sys.kafkaBrokers,
      sasl: sys.kafka.credentials('outside-consumer'),
      logLevel: kafkajs.logLevel.NOTHING,
    }).consumer({
      groupId: 'outside-consumer.results',
      sessionTimeout: 6000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 200,
    });
    const seen: string[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [TOPICS.publicResult], fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value?.toString() ?? '') });
      await until(
        'the published results on the public topic',
        async () => restaurants.slice(20, 22).every((u) => seen.some((s) => s.includes(u))),
        20_000,
      );
      expect(seen.join('')).not.toMatch(/执法\d|王五/);
    } finally {
      await consumer.disconnect();
    }
  });

  it('counts a merged visit once in the burden, in both plans’ coverage; three unmerged visits count 3, a complaint check adds 1', async () => {
    await at('2026-05-20T09:00:00+08:00');
    const burden = async (uscc: string) =>
      (
        await must(tokens.office, 'query ($u: String!) { enterprise(uscc: $u) { inspectionBurden(year: 2026) } }', {
          u: uscc,
        })
      ).enterprise.inspectionBurden as number;
    // The merged restaurant checked in April: one visit for two plans and three departments (plan 3
    // is September's). Another merged one whose code ran out in April with no result had no inspection.
    expect(await burden(restaurants[0]!)).toBe(1);
    expect(await burden(restaurants[5]!)).toBe(0);
    for (const planId of [plan1, plan2]) {
      const m = await must(
        tokens.office,
        'query ($p: ID) { inspectionMeasures(year: 2026, planId: $p) { coverage { drawn visited } } }',
        { p: planId },
      );
      expect(m.inspectionMeasures.coverage.visited).toBeGreaterThanOrEqual(1);
    }
    // One hotel drawn by three one-department plans in June: three visits, then merged into one.
    const hotel = await register('保康县温泉宾馆', '611');
    await tag('HEALTH', hotel, '六月回访');
    await until('the joint list for 61', async () => {
      const r = await ask(tokens.office, '{ jointList(industry: "61") { items { code } } }');
      return (r.data?.jointList.items.length ?? 0) >= 3;
    });
    const june: [string, string] = ['2026-06-01', '2026-06-30'];
    const hotelPlans = [
      await runPlan({
        name: '六月卫生',
        industry: '61',
        lead: 'HEALTH',
        items: [{ department: 'HEALTH', code: 'WJ-CY-001' }],
        tags: ['六月回访'],
        window: june,
        expected: 1,
      }),
      await runPlan({
        name: '六月市场',
        industry: '61',
        lead: 'MARKET',
        items: [{ department: 'MARKET', code: 'SC-CY-001' }],
        tags: ['六月回访'],
        window: june,
        expected: 1,
      }),
      await runPlan({
        name: '六月消防',
        industry: '61',
        lead: 'FIRE',
        items: [{ department: 'FIRE', code: 'XF-RM-001' }],
        tags: ['六月回访'],
        window: june,
        expected: 1,
      }),
    ];
    const separate = await visitsOf({ uscc: hotel });
    expect(separate).toHaveLength(3);
    expect(await burden(hotel)).toBe(3);
    const [into, ...from] = separate;
    await must(tokens.office, 'mutation ($i: ID!, $f: [ID!]!) { mergeVisits(into: $i, from: $f) { id } }', {
      i: into!.id,
      f: from.map((v) => v.id),
    });
    const [one] = await visitsOf({ uscc: hotel });
    expect(one!.plans.map((p) => p.id).sort()).toEqual([...hotelPlans].sort());
    expect(one!.departments.map((d) => d.department.code).sort()).toEqual(['FIRE', 'HEALTH', 'MARKET']);
    expect(await burden(hotel)).toBe(1);

    // A complaint check, coded outside any plan: one more.
    const officers = ['HEALTH-0', 'HEALTH-1'].map((c) => inspectorIds.get(c)!);
    await must(
      tokens.HEALTH,
      'mutation ($input: InspectionCodeRequestInput!) { requestInspectionCode(department: "HEALTH", input: $input) { __typename } }',
      {
        input: {
          uscc: hotel,
          reason: 'COMPLAINT',
          reasonDetail: '12345热线反映卫生问题',
          items: ['WJ-CY-001'],
          officers,
          validFrom: '2026-05-20',
          validUntil: '2026-06-19',
        },
      },
    );
    await until('the complaint check to be coded', async () => (await visitsOf({ uscc: hotel })).length === 2, 20_000);
    expect(await burden(hotel)).toBe(2);
  }, 120_000);
});
