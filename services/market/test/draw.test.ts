/**
 * Annual joint plans and the verifiable 双随机 draw (issue 10 items 3–5; seed 000 §二(二), 001 §三,
 * 004 (四)–(六); docs/draw.md), over HTTP as the gateway calls the market subgraph: the lead
 * department drafts and files, the office publishes and freezes the pool, the 纪检 officer enters the
 * public value, the office draws once; counts follow the ratios, cool-down leaves businesses out,
 * tampering refuses the draw, and anyone re-derives it from what the API shows.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, desc, eq } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import type { EventType, RiskClass } from '@onecheck/contracts';
import { actorOf, createLogger } from '@onecheck/kit';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { marketService } from '../src/index';
import { marketConsumers } from '../src/events';
import * as schema from '../src/db/schema';
import { registerEnterprise } from '../src/domain/enterprise';
import { deliverDraw, drawPlan } from '../src/domain/draw';
import { commitmentOf, drawSeed, drawTargets, placeOf } from '../src/domain/draw-algorithm';

const clock = testClock('2026-03-02T09:00:00+08:00');
const office: Identity = { sub: 'office-1', role: 'office' };
const auditor: Identity = { sub: 'jijian-1', role: 'auditor' };
const health: Identity = { sub: 'staff-h', role: 'staff', department: 'HEALTH' };
const education: Identity = { sub: 'staff-e', role: 'staff', department: 'EDUCATION' };
const anyone: Identity = { sub: 'anonymous', role: 'public' };
const rng = seededRandom(1010);
let market: TestSubgraph<typeof schema>;

/** Delivers an event to the office's consumers the way the bus would (one transaction). */
async function deliver(type: EventType, data: unknown, time = clock.now()) {
  const deps = { db: market.service.database.db, clock, logger: createLogger('test', 'warn') };
  const consumer = marketConsumers(deps as never).find((c) => type in c.handlers)!;
  const handler = (consumer.handlers as Record<string, (e: unknown, tx: unknown) => Promise<void>>)[type]!;
  const event = { id: randomUUID(), type, source: 'test', time: time.toISOString(), data };
  await market.service.database.db.transaction((tx) => handler(event, tx));
}

const item = (department: string, code: string, emphasis: 'KEY' | 'GENERAL', industries: string[]) => ({
  department,
  code,
  name: `${code} 检查`,
  content: '检查内容',
  legalBasis: '《中华人民共和国食品安全法》',
  level: 'COUNTY',
  industries,
  checkMethod: 'ON_SITE',
  emphasis,
  checkPoints: [{ point: '证照齐全', answers: ['符合', '不符合'] }],
  status: 'PUBLISHED',
  revision: 1,
  recordedAt: clock.now().toISOString(),
});

/** 60 restaurants (division 62): 10 A, 15 C, 5 D by the credit platform's events, the rest unclassified (B). */
const classes: RiskClass[] = [...Array(10).fill('A'), ...Array(15).fill('C'), ...Array(5).fill('D')];
const businesses: string[] = [];
let coolingDown: string;

const PLAN = `id status commitment listVersion ratios { A B C D } items { department { code } code emphasis }
  adjustments { kind reason }`;
const PROOF = `algorithm commitment poolHash poolSize ratios { A B C D } publicValue secret seed drawnAt deliveredAt
  strata { riskClass poolSize drawn cutoff } drawn { uscc name }`;

const planInput = (overrides: Record<string, unknown> = {}) => ({
  name: '2026年度餐饮业联合抽查',
  year: 2026,
  industry: '62',
  leadDepartment: 'HEALTH',
  cooperatingDepartments: ['MARKET', 'FIRE'],
  items: [
    { department: 'HEALTH', code: 'WJ-CY-001' },
    { department: 'MARKET', code: 'SC-SP-001' },
    { department: 'FIRE', code: 'XF-01' },
  ],
  ratios: { A: 0.1, B: 0.2, C: 0.5, D: 1 },
  windowFrom: '2026-04-01',
  windowTo: '2026-11-30',
  coolDownMonths: 12,
  ...overrides,
});
const DRAFT = `mutation ($input: JointPlanInput!) { draftPlan(input: $input) { ${PLAN} } }`;
const plansCount = async () => (await market.service.database.db.select({ n: count() }).from(schema.jointPlans))[0]!.n;
const outbox = async (type: string) =>
  (await market.service.database.db.select({ event: schema.outbox.event }).from(schema.outbox))
    .map((r) => r.event as { type: string; data: any })
    .filter((e) => e.type === type);

beforeAll(async () => {
  // Timers only when a test runs them (runDue): a draw's delivery happens where the test says.
  market = await startTestSubgraph(marketService, { clock, timerPollMs: 3_600_000 });
  const { db } = market.service.database;
  for (const i of [
    item('HEALTH', 'WJ-CY-001', 'KEY', ['62']),
    item('MARKET', 'SC-SP-001', 'GENERAL', ['62', '52']),
    item('FIRE', 'XF-01', 'GENERAL', ['H']),
  ])
    await deliver('onecheck.item.published.v1', i);
  for (let n = 0; n < 61; n++) {
    const uscc = generateUscc(rng, { region: '420626' });
    await registerEnterprise(
      db,
      {
        uscc,
        name: `保康县第${n}餐馆`,
        legalRepresentative: '张三',
        industry: '62',
        region: '420626',
        address: '城关镇',
      },
      clock,
      actorOf(office),
    );
    businesses.push(uscc);
  }
  // A hotel (section H, division 61) is not a restaurant: never in a plan for 62.
  await registerEnterprise(
    db,
    {
      uscc: generateUscc(rng, { region: '420626' }),
      name: '保康县宾馆',
      legalRepresentative: '李四',
      industry: '61',
      region: '420626',
      address: '城关镇',
    },
    clock,
    actorOf(office),
  );
  for (const [n, riskClass] of classes.entries())
    await deliver('onecheck.credit.class-changed.v2', {
      uscc: businesses[n],
      riskClass,
      previousClass: 'B',
      rule: 'SOME_FINDINGS',
      findings: 1,
      serious: 0,
      penalties: 0,
      general: 1,
      lookbackMonths: 36,
    });
  // Checked clean by HEALTH last autumn: in cool-down (12 months), left out of the pool.
  coolingDown = businesses[60]!;
  await deliver('onecheck.supervision.checked.v1', {
    taskId: randomUUID(),
    department: 'HEALTH',
    licenceId: randomUUID(),
    licenceNumber: 'WS-1',
    uscc: coolingDown,
    outcome: 'NO_PROBLEM',
    summary: '未发现问题',
    findings: 0,
    checkedOn: '2025-10-15',
    recordedAt: '2025-10-15T10:00:00+08:00',
  });
});
afterAll(() => market?.stop());

describe('drafting a plan: bad input changes nothing', () => {
  it.each([
    ['a ratio above 1', { ratios: { A: 1.5, B: 0.2, C: 0.5, D: 1 } }, 'ratios.A'],
    ['a ratio below 0', { ratios: { A: 0.1, B: -0.1, C: 0.5, D: 1 } }, 'ratios.B'],
    // Held to 4 decimal places: 1e-9 would be stored as asked yet draw no one from a class it names.
    ['a ratio finer than one in ten thousand', { ratios: { A: 0.1, B: 0.2, C: 1e-9, D: 1 } }, 'ratios.C'],
    // Higher risk, no lower ratio (seed 003 第十二条): high-risk businesses may not slip out of the draw.
    ['a higher risk class sampled less', { ratios: { A: 0.2, B: 0.05, C: 0, D: 0 } }, 'ratios.B'],
    ['an unknown item code', { items: [{ department: 'HEALTH', code: 'NO-SUCH' }] }, 'items.0.code'],
    // Once passed as an industry and refused as a missing joint list.
    ['an industry the standard does not have', { industry: '98' }, 'industry'],
    ['a window ending before it starts', { windowTo: '2026-03-01' }, 'windowTo'],
    // Today is 2026-03-02: its codes would be expired from the start, its task overdue at once.
    ['a window already over', { windowFrom: '2026-01-05', windowTo: '2026-03-01' }, 'windowTo'],
    [
      'an item of a department outside the plan',
      { items: [{ department: 'EDUCATION', code: 'WJ-CY-001' }] },
      'items.0.department',
    ],
    // A repeat would be stored and counted again: 10,000 of one department once were.
    [
      'a cooperating department twice',
      { cooperatingDepartments: ['MARKET', 'FIRE', 'MARKET'] },
      'cooperatingDepartments.2',
    ],
    [
      'an item twice',
      {
        items: [
          { department: 'HEALTH', code: 'WJ-CY-001' },
          { department: 'HEALTH', code: ' WJ-CY-001 ' },
        ],
      },
      'items.1',
    ],
    ['a risk class twice', { targetFilter: { riskClasses: ['C', 'D', 'C'] } }, 'targetFilter.riskClasses.2'],
    ['a tag twice', { targetFilter: { tags: ['人员密集场所', ' 人员密集场所'] } }, 'targetFilter.tags.1'],
    ['a blank tag', { targetFilter: { tags: ['  '] } }, 'targetFilter.tags.0'],
  ])('%s', async (_, overrides, field) => {
    const before = await plansCount();
    const r = await market.call(health, DRAFT, { input: planInput(overrides) });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await plansCount()).toBe(before);
  });

  it('caps a plan of only 一般 items at the county maximum; a 重点 item lifts the cap', async () => {
    const general = await market.call(health, DRAFT, {
      input: planInput({
        items: [{ department: 'MARKET', code: 'SC-SP-001' }],
        ratios: { A: 0.1, B: 0.2, C: 0.5, D: 1 },
      }),
    });
    expect(general.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ratios.C' });
  });

  it('asks who is calling before reading the input or looking the plan up', async () => {
    const inspector: Identity = { sub: 'i-2', role: 'inspector', department: 'HEALTH' };
    const before = await plansCount();
    // Bad input from a caller without a token is told it is not signed in, not how to mend the input.
    const anonymous = await market.call(anyone, DRAFT, { input: planInput({ ratios: { A: 2, B: 0, C: 0, D: 0 } }) });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // No id, real or not, is answered NOT_FOUND to a caller who may not file or adjust plans.
    for (const caller of [anyone, inspector]) {
      const code = caller === anyone ? 'UNAUTHENTICATED' : 'FORBIDDEN';
      const file = await market.call(caller, 'mutation ($id: ID!) { filePlan(id: $id) { id } }', { id: randomUUID() });
      expect(file.errors?.[0]?.extensions?.code).toBe(code);
      const adjust = await market.call(
        caller,
        'mutation ($id: ID!, $i: PlanAdjustmentInput!) { adjustPlan(id: $id, input: $i) { id } }',
        { id: randomUUID(), i: { kind: 'DELAY', reason: '天气原因', windowTo: '2026-12-31' } },
      );
      expect(adjust.errors?.[0]?.extensions?.code).toBe(code);
    }
    expect(await plansCount()).toBe(before);
  });

  it('only the lead department (谁主管谁牵头) or the office drafts it', async () => {
    const r = await market.call(education, DRAFT, { input: planInput() });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'leadDepartment' });
  });
});

describe('a plan filed, published, frozen, drawn — once — and verified', () => {
  let planId: string;

  it('is drafted by the lead department with the pinned list version, and cannot be drawn unfiled', async () => {
    const r = await market.call(health, DRAFT, { input: planInput() });
    expect(r.errors).toBeUndefined();
    planId = r.data!.draftPlan.id;
    expect(r.data!.draftPlan).toMatchObject({ status: 'DRAFT', listVersion: 3, commitment: null });
    expect(r.data!.draftPlan.items).toContainEqual({
      department: { code: 'HEALTH' },
      code: 'WJ-CY-001',
      emphasis: 'KEY',
    });
    const d = await market.call(office, `mutation ($id: ID!) { drawPlan(planId: $id) { seed } }`, { id: planId });
    expect(d.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'planId' });
    // Not published: the public does not see it.
    expect(
      (await market.call(anyone, 'query ($id: ID!) { jointPlan(id: $id) { id } }', { id: planId })).data!.jointPlan,
    ).toBeNull();
  });

  it('filed, it carries the commitment; published, it goes out as an event and is public', async () => {
    const f = await market.call(health, `mutation ($id: ID!) { filePlan(id: $id) { ${PLAN} } }`, { id: planId });
    expect(f.data!.filePlan.status).toBe('FILED');
    expect(f.data!.filePlan.commitment).toMatch(/^[0-9a-f]{64}$/);
    const notLead = await market.call(
      education,
      `mutation ($id: ID!) { adjustPlan(id: $id, input: { kind: CANCEL, reason: "x" }) { id } }`,
      {
        id: planId,
      },
    );
    expect(notLead.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await market.call(health, `mutation ($id: ID!) { publishPlan(id: $id) { id } }`, { id: planId });
    expect(bad.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const p = await market.call(office, `mutation ($id: ID!) { publishPlan(id: $id) { ${PLAN} } }`, { id: planId });
    expect(p.data!.publishPlan.status).toBe('PUBLISHED');
    const [event] = (await outbox('onecheck.plan.published.v1')).filter((e) => e.data.planId === planId);
    expect(event!.data).toMatchObject({ commitment: f.data!.filePlan.commitment, leadDepartment: 'HEALTH' });
    expect(JSON.stringify(event)).not.toContain('secret');
    const pub = await market.call(anyone, 'query ($id: ID!) { jointPlan(id: $id) { name status } }', { id: planId });
    expect(pub.data!.jointPlan).toEqual({ name: '2026年度餐饮业联合抽查', status: 'PUBLISHED' });
  });

  it('freezes the pool: the restaurants of 62, less the one in cool-down; no public value, no draw', async () => {
    const r = await market.call(office, `mutation ($id: ID!) { freezeDrawPool(planId: $id) { ${PROOF} } }`, {
      id: planId,
    });
    expect(r.errors).toBeUndefined();
    expect(r.data!.freezeDrawPool).toMatchObject({ poolSize: 60, secret: null, seed: null, publicValue: null });
    const pool = await market.service.database.db.select().from(schema.drawPool);
    expect(pool.map((p) => p.uscc)).not.toContain(coolingDown);
    const d = await market.call(office, `mutation ($id: ID!) { drawPlan(planId: $id) { seed } }`, { id: planId });
    expect(d.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'draw.noPublicValue' });
    const blank = await market.call(
      auditor,
      `mutation ($id: ID!) { enterDrawPublicValue(planId: $id, value: "   ") { publicValue } }`,
      { id: planId },
    );
    expect(blank.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'value' });
    const pv = await market.call(
      auditor,
      `mutation ($id: ID!) { enterDrawPublicValue(planId: $id, value: "福彩3D 2026058期 418") { publicValue } }`,
      { id: planId },
    );
    expect(pv.data!.enterDrawPublicValue.publicValue).toBe('福彩3D 2026058期 418');
    const again = await market.call(
      auditor,
      `mutation ($id: ID!) { enterDrawPublicValue(planId: $id, value: "other") { publicValue } }`,
      { id: planId },
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('refuses the draw when the pool or the ratios changed after the public value was entered', async () => {
    const { db } = market.service.database;
    const [victim] = await db.select().from(schema.drawPool).limit(1);
    await db
      .update(schema.drawPool)
      .set({ riskClass: victim!.riskClass === 'D' ? 'A' : 'D' })
      .where(eq(schema.drawPool.uscc, victim!.uscc));
    const d1 = await market.call(office, `mutation ($id: ID!) { drawPlan(planId: $id) { seed } }`, { id: planId });
    expect(d1.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'draw.poolChanged' });
    await db
      .update(schema.drawPool)
      .set({ riskClass: victim!.riskClass })
      .where(eq(schema.drawPool.uscc, victim!.uscc));
    const [plan] = await db.select().from(schema.jointPlans).where(eq(schema.jointPlans.id, planId));
    await db
      .update(schema.jointPlans)
      .set({ ratios: { ...plan!.ratios, A: 1 } })
      .where(eq(schema.jointPlans.id, planId));
    const d2 = await market.call(office, `mutation ($id: ID!) { drawPlan(planId: $id) { seed } }`, { id: planId });
    expect(d2.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'draw.ratiosChanged' });
    await db.update(schema.jointPlans).set({ ratios: plan!.ratios }).where(eq(schema.jointPlans.id, planId));
    expect((await outbox('onecheck.draw.made.v2')).length).toBe(0);
    // The same pool stored in another physical order (as maintenance may leave it) is still the
    // frozen pool: the draw below reads it sorted once the stored order fails the hash.
    const ofDraw = eq(schema.drawPool.drawId, victim!.drawId);
    const rows = await db.select().from(schema.drawPool).where(ofDraw).orderBy(desc(schema.drawPool.uscc));
    await db.transaction(async (tx) => {
      await tx.delete(schema.drawPool).where(ofDraw);
      for (const row of rows) await tx.insert(schema.drawPool).values(row);
    });
  });

  it('draws each class at its ratio (D at 100 %), once, and sends every department its part', async () => {
    const r = await market.call(office, `mutation ($id: ID!) { drawPlan(planId: $id) { ${PROOF} } }`, { id: planId });
    expect(r.errors).toBeUndefined();
    const proof = r.data!.drawPlan;
    // 10 A at 10 % → 1; 30 B at 20 % → 6; 15 C at 50 % → 8 (rounded up); 5 D at 100 % → 5.
    expect(proof.strata.map((s: { poolSize: number; drawn: number }) => [s.poolSize, s.drawn])).toEqual([
      [10, 1],
      [30, 6],
      [15, 8],
      [5, 5],
    ]);
    expect(proof.drawn).toHaveLength(20);
    const dClass = businesses.slice(25, 30);
    for (const uscc of dClass) expect(proof.drawn.map((d: { uscc: string }) => d.uscc)).toContain(uscc);
    // The draw commits first; its delivery (events, visits) is the durable job that follows it.
    expect(proof.deliveredAt).toBeNull();
    expect(await outbox('onecheck.draw.made.v2')).toEqual([]);
    expect(await market.service.timers!.runDue()).toBeGreaterThanOrEqual(1);
    const delivered = await market.call(anyone, `query ($id: ID!) { drawProof(planId: $id) { deliveredAt } }`, {
      id: planId,
    });
    expect(delivered.data!.drawProof.deliveredAt).toBe(clock.now().toISOString());
    const visits = await market.service.database.db.select().from(schema.visits);
    expect(visits.map((v) => v.uscc).sort()).toEqual(proof.drawn.map((d: { uscc: string }) => d.uscc).sort());
    // The drawn list goes out in parts (v2); this small draw is one.
    const [event, more] = await outbox('onecheck.draw.made.v2');
    expect(more).toBeUndefined();
    expect(event!.data).toMatchObject({ part: 1, parts: 1 });
    expect(event!.data.targets.map((t: { uscc: string }) => t.uscc)).toEqual(
      proof.drawn.map((d: { uscc: string }) => d.uscc).sort(),
    );
    expect(event!.data.departments.map((d: { department: string }) => d.department).sort()).toEqual([
      'FIRE',
      'HEALTH',
      'MARKET',
    ]);
    expect(JSON.stringify(event!.data)).not.toMatch(/riskClass/);
    const twice = await market.call(office, `mutation ($id: ID!) { drawPlan(planId: $id) { seed } }`, { id: planId });
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'draw.drawnAlready' });
  });

  it('anyone with the audit re-derives the draw; a business checks its own place without a token', async () => {
    const a = await market.call(
      auditor,
      `query ($id: ID!) { drawAudit(planId: $id) { proof { ${PROOF} } pool { uscc riskClass drawn } } }`,
      { id: planId },
    );
    const { proof, pool } = a.data!.drawAudit;
    expect(proof.commitment).toMatch(/^[0-9a-f]{64}$/);
    const seed = drawSeed(proof.secret, proof.publicValue, proof.poolHash);
    expect(seed).toBe(proof.seed);
    const again = drawTargets(pool, proof.ratios, seed);
    expect(again.drawn.map((d) => d.uscc).sort()).toEqual(proof.drawn.map((d: { uscc: string }) => d.uscc));
    const drawnOne = proof.drawn[0].uscc;
    const place = await market.call(
      anyone,
      'query ($id: ID!, $u: String!) { drawPlace(planId: $id, uscc: $u) { inPool drawn place stratum { drawn cutoff } } }',
      { id: planId, u: drawnOne },
    );
    const p = place.data!.drawPlace;
    expect(p.inPool && p.drawn).toBe(true);
    expect(p.place).toBe(placeOf(seed, drawnOne));
    expect(p.place <= p.stratum.cutoff).toBe(true);
    const bad = await market.call(anyone, 'query ($id: ID!) { drawPlace(planId: $id, uscc: "abc") { place } }', {
      id: planId,
    });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'uscc' });
    const out = await market.call(
      anyone,
      'query ($id: ID!, $u: String!) { drawPlace(planId: $id, uscc: $u) { inPool drawn stratum { drawn } } }',
      { id: planId, u: coolingDown },
    );
    expect(out.data!.drawPlace).toEqual({ inPool: false, drawn: false, stratum: null });
  });

  it('keeps the pool and classes from the public and from departments outside the plan', async () => {
    for (const who of [anyone, education]) {
      const r = await market.call(who, 'query ($id: ID!) { drawAudit(planId: $id) { pool { uscc riskClass } } }', {
        id: planId,
      });
      expect(['FORBIDDEN', 'UNAUTHENTICATED']).toContain(r.errors?.[0]?.extensions?.code);
    }
    const pub = await market.call(anyone, `query ($id: ID!) { drawProof(planId: $id) { ${PROOF} } }`, { id: planId });
    expect(pub.errors).toBeUndefined();
    // The public proof has classes only as strata (counts and cut-offs): a drawn business has none.
    const asked = await market.call(
      anyone,
      'query ($id: ID!) { drawProof(planId: $id) { drawn { uscc riskClass } } }',
      { id: planId },
    );
    expect(asked.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('an adjustment is filed with its reason and published; ratios are fixed once drawn', async () => {
    const delay = await market.call(
      health,
      `mutation ($id: ID!) { adjustPlan(id: $id, input: { kind: DELAY, reason: "汛期顺延", windowTo: "2026-12-20" }) { ${PLAN} } }`,
      { id: planId },
    );
    expect(delay.errors).toBeUndefined();
    expect(delay.data!.adjustPlan.adjustments).toEqual([{ kind: 'DELAY', reason: '汛期顺延' }]);
    expect((await outbox('onecheck.plan.adjusted.v1')).length).toBe(1);
    const trail = await market.call(
      auditor,
      'query ($id: ID!) { jointPlan(id: $id) { auditTrail { action actor { sub } } } }',
      { id: planId },
    );
    expect(trail.data!.jointPlan.auditTrail.map((e: { action: string }) => e.action)).toEqual([
      'draftPlans',
      'filePlans',
      'publishPlans',
      'drawPlans',
      'drawPlans',
      'drawPlans',
      'adjustPlans',
    ]);
    const ratio = await market.call(
      health,
      `mutation ($id: ID!) { adjustPlan(id: $id, input: { kind: RATIO, reason: "提高", ratios: { A: 0.2, B: 0.2, C: 0.5, D: 1 } }) { id } }`,
      { id: planId },
    );
    expect(ratio.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'kind' });
  });
});

/** A call through the subgraph that must succeed: its data. */
async function step(query: string, who: Identity, variables: Record<string, unknown>) {
  const r = await market.call(who, query, variables);
  expect(r.errors).toBeUndefined();
  return r.data!;
}

describe("a draw's delivery", () => {
  it('is not made for a plan cancelled between its draw and its delivery; a delayed one takes its new window', async () => {
    const drawn = async (name: string) => {
      const id = (await step(DRAFT, health, { input: planInput({ name }) })).draftPlan.id as string;
      await step(`mutation ($id: ID!) { filePlan(id: $id) { id } }`, health, { id });
      await step(`mutation ($id: ID!) { publishPlan(id: $id) { id } }`, office, { id });
      await step(`mutation ($id: ID!) { freezeDrawPool(planId: $id) { poolSize } }`, office, { id });
      await step(`mutation ($id: ID!) { enterDrawPublicValue(planId: $id, value: "9") { publicValue } }`, auditor, {
        id,
      });
      await step(`mutation ($id: ID!) { drawPlan(planId: $id) { seed } }`, office, { id });
      return id;
    };
    const cancelled = await drawn('取消于下发前');
    const delayed = await drawn('延期于下发前');
    await step(`mutation ($id: ID!) { adjustPlan(id: $id, input: { kind: CANCEL, reason: "撤销" }) { id } }`, health, {
      id: cancelled,
    });
    await step(
      `mutation ($id: ID!) { adjustPlan(id: $id, input: { kind: DELAY, reason: "顺延", windowTo: "2026-12-25" }) { id } }`,
      health,
      { id: delayed },
    );
    expect(await market.service.timers!.runDue()).toBeGreaterThanOrEqual(2);
    const { db } = market.service.database;
    const visitsOf = async (planId: string) =>
      (await db.select().from(schema.visits)).filter((v) => v.planIds.includes(planId));
    expect(await visitsOf(cancelled)).toEqual([]);
    expect((await outbox('onecheck.draw.made.v2')).filter((e) => e.data.planId === cancelled)).toEqual([]);
    const proof = await step('query ($id: ID!) { drawProof(planId: $id) { deliveredAt } }', anyone, { id: cancelled });
    expect(proof.drawProof.deliveredAt).toBeNull();
    const late = await visitsOf(delayed);
    expect(late.length).toBeGreaterThan(0);
    for (const v of late) expect(v.validUntil).toBe('2026-12-25');
    const [event] = (await outbox('onecheck.draw.made.v2')).filter((e) => e.data.planId === delayed);
    expect(event!.data.windowTo).toBe('2026-12-25');
  });
});

describe('a plan whose window closed before its draw', () => {
  it('is not drawn until its window is moved to one still open', async () => {
    const id = (await step(DRAFT, health, { input: planInput({ name: '逾期未抽' }) })).draftPlan.id as string;
    await step(`mutation ($id: ID!) { filePlan(id: $id) { id } }`, health, { id });
    await step(`mutation ($id: ID!) { publishPlan(id: $id) { id } }`, office, { id });
    const then = clock.now().toISOString();
    clock.set('2026-12-01T09:00:00+08:00');
    try {
      const FREEZE = `mutation ($id: ID!) { freezeDrawPool(planId: $id) { poolSize } }`;
      const closed = await market.call(office, FREEZE, { id });
      expect(closed.errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        field: 'planId',
        messageKey: 'plan.windowClosed',
        params: { windowTo: '2026-11-30' },
      });
      const DELAY = `mutation ($id: ID!, $to: Date!) { adjustPlan(id: $id, input: { kind: DELAY, reason: "顺延", windowTo: $to }) { windowTo } }`;
      const stillOver = await market.call(health, DELAY, { id, to: '2026-11-30' });
      expect(stillOver.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'windowTo' });
      expect((await step(DELAY, health, { id, to: '2026-12-31' })).adjustPlan.windowTo).toBe('2026-12-31');
      expect((await step(FREEZE, office, { id })).freezeDrawPool.poolSize).toBeGreaterThan(0);
      await step(`mutation ($id: ID!) { enterDrawPublicValue(planId: $id, value: "5") { publicValue } }`, auditor, {
        id,
      });
      // Frozen in time, but the public value came after the new window: not drawn either.
      clock.set('2027-01-04T09:00:00+08:00');
      const late = await market.call(office, `mutation ($id: ID!) { drawPlan(planId: $id) { seed } }`, { id });
      expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'plan.windowClosed' });
    } finally {
      clock.set(then);
    }
  });
});

describe('a plan cancelled before its draw', () => {
  it('reveals its secret, so the draw the cancellation prevented can be worked out by anyone', async () => {
    const id = (await step(DRAFT, health, { input: planInput({ name: '取消于抽取前' }) })).draftPlan.id as string;
    await step(`mutation ($id: ID!) { filePlan(id: $id) { id } }`, health, { id });
    await step(`mutation ($id: ID!) { publishPlan(id: $id) { id } }`, office, { id });
    await step(`mutation ($id: ID!) { freezeDrawPool(planId: $id) { poolSize } }`, office, { id });
    await step(`mutation ($id: ID!) { enterDrawPublicValue(planId: $id, value: "7") { publicValue } }`, auditor, {
      id,
    });
    const PROOF_OF = 'query ($id: ID!) { drawProof(planId: $id) { commitment publicValue secret drawnAt } }';
    expect((await step(PROOF_OF, anyone, { id })).drawProof.secret).toBeNull();
    await step(`mutation ($id: ID!) { adjustPlan(id: $id, input: { kind: CANCEL, reason: "撤销" }) { id } }`, health, {
      id,
    });
    const proof = (await step(PROOF_OF, anyone, { id })).drawProof;
    expect(proof).toMatchObject({ publicValue: '7', drawnAt: null });
    expect(proof.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(commitmentOf(proof.secret)).toBe(proof.commitment);
  });
});

describe('a large drawn list', () => {
  it('goes out in parts, each with the proof and the departments, together the whole list in uscc order', async () => {
    const id = (await step(DRAFT, health, { input: planInput({ name: '分批下发' }) })).draftPlan.id;
    await step(`mutation ($id: ID!) { filePlan(id: $id) { id } }`, health, { id });
    await step(`mutation ($id: ID!) { publishPlan(id: $id) { id } }`, office, { id });
    await step(`mutation ($id: ID!) { freezeDrawPool(planId: $id) { poolSize } }`, office, { id });
    await step(`mutation ($id: ID!) { enterDrawPublicValue(planId: $id, value: "7") { publicValue } }`, auditor, {
      id,
    });
    // Seven targets a part, so that this draw of 20 is cut like a draw of thousands; delivered
    // here, its pending job then finds it delivered and does nothing.
    const { id: drawId } = await drawPlan(market.service.database.db, id, clock, office);
    const { db } = market.service.database;
    await db.transaction((tx) => deliverDraw(tx, drawId, clock, undefined, 7));
    await market.service.timers!.runDue();
    const parts = (await outbox('onecheck.draw.made.v2')).filter((e) => e.data.planId === id);
    expect(parts.map((e) => [e.data.part, e.data.parts, e.data.targets.length])).toEqual([
      [1, 3, 7],
      [2, 3, 7],
      [3, 3, 6],
    ]);
    const drawn = (await step('query ($id: ID!) { drawProof(planId: $id) { seed drawn { uscc } } }', anyone, { id }))
      .drawProof;
    expect(parts.flatMap((e) => e.data.targets.map((t: { uscc: string }) => t.uscc))).toEqual(
      drawn.drawn.map((d: { uscc: string }) => d.uscc),
    );
    for (const e of parts) {
      expect(e.data.seed).toBe(drawn.seed);
      expect(e.data.departments).toEqual(parts[0]!.data.departments);
    }
    // The proof is found by the draw's own id too; one of the two ids, not both and not none.
    const byDraw = await step('query ($d: ID) { drawProof(drawId: $d) { planId seed } }', anyone, {
      d: parts[0]!.data.drawId,
    });
    expect(byDraw.drawProof).toEqual({ planId: id, seed: drawn.seed });
    for (const variables of [{ p: id, d: parts[0]!.data.drawId }, {}]) {
      const r = await market.call(
        anyone,
        'query ($p: ID, $d: ID) { drawProof(planId: $p, drawId: $d) { seed } }',
        variables,
      );
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'draw.planOrDraw' });
    }
    expect((await step('{ drawProof(drawId: "not-a-draw") { seed } }', anyone, {})).drawProof).toBeNull();
  });
});

describe("the office's own records", () => {
  it("lists plans with their draws and adjustments, and keeps a received check on the business's trail", async () => {
    const list = await market.call(
      office,
      '{ jointPlans(year: 2026) { status draw { poolSize drawnAt } adjustments { kind } } }',
    );
    expect(list.errors).toBeUndefined();
    expect(list.data!.jointPlans).toContainEqual({
      status: 'DRAWN',
      draw: { poolSize: 60, drawnAt: expect.any(String) },
      adjustments: [{ kind: 'DELAY' }],
    });
    const trail = await market.service.database.db.select().from(schema.auditLog);
    expect(trail.filter((e) => e.action === 'receiveCheckResults' && e.entityId === coolingDown)).toHaveLength(1);
  });
});

describe('检查对象名录库, the target directory', () => {
  it('shows each business with its class and tags, and filters by them', async () => {
    const tagged = businesses[26]!;
    const t = await market.call(
      health,
      'mutation ($u: String!) { tagTarget(uscc: $u, tag: "人员密集场所") { tag department { code } } }',
      {
        u: tagged,
      },
    );
    expect(t.data!.tagTarget).toEqual([{ tag: '人员密集场所', department: { code: 'HEALTH' } }]);
    const bad = await market.call(health, 'mutation { tagTarget(uscc: "91420626MA00000000", tag: "x") { tag } }');
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'uscc' });
    // A tag is trimmed words of at most 50 characters: a blank or 100 KB one was stored.
    const TAG = 'mutation ($u: String!, $t: String!) { tagTarget(uscc: $u, tag: $t) { tag } }';
    for (const [t, messageKey] of [
      ['  ', 'input.empty'],
      ['重'.repeat(51), 'input.tooLong'],
    ] as const) {
      const refused = await market.call(health, TAG, { u: tagged, t });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'tag', messageKey });
    }
    // A tag that only looks like another (a joiner inside) would be a second tag: refused.
    const lookalike = await market.call(health, TAG, { u: tagged, t: '人员\u200d密集场所' });
    expect(lookalike.errors?.[0]?.extensions).toMatchObject({ field: 'tag', messageKey: 'input.badCharacter' });
    const again = await market.call(health, TAG, { u: tagged, t: ' 人员密集场所 ' });
    expect(again.data!.tagTarget).toEqual([{ tag: '人员密集场所' }]);
    const LIST = `query ($f: EnterpriseFilter) { enterprises(filter: $f, first: 100) { totalCount edges { node { uscc riskClass targetTags { tag } } } } }`;
    const d = await market.call(office, LIST, { f: { riskClass: 'D' } });
    expect(d.data!.enterprises.totalCount).toBe(5);
    expect(d.data!.enterprises.edges.every((e: { node: { riskClass: string } }) => e.node.riskClass === 'D')).toBe(
      true,
    );
    const b = await market.call(office, LIST, { f: { riskClass: 'B', industry: '62' } });
    expect(b.data!.enterprises.totalCount).toBe(31);
    const tag = await market.call(office, LIST, { f: { tag: '人员密集场所' } });
    expect(tag.data!.enterprises.edges).toEqual([
      { node: { uscc: tagged, riskClass: 'D', targetTags: [{ tag: '人员密集场所' }] } },
    ]);
    // Classes stay inside supervision: an inspector in the field does not read them, nor select by them.
    const inspector: Identity = { sub: 'i-1', role: 'inspector', department: 'HEALTH' };
    const denied = await market.call(inspector, 'query ($u: String!) { enterprise(uscc: $u) { riskClass } }', {
      u: tagged,
    });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const approver: Identity = { sub: 'a-1', role: 'approver' };
    for (const who of [inspector, approver])
      for (const f of [{ riskClass: 'D' }, { tag: '人员密集场所' }, { tag: '' }]) {
        const selected = await market.call(
          who,
          `query ($f: EnterpriseFilter) { enterprises(filter: $f) { totalCount } }`,
          {
            f,
          },
        );
        expect(selected.data).toBeNull();
        expect(selected.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
    // A tag is read as tagTarget takes it: a blank one selected every business, a spaced one none.
    for (const [t, messageKey] of [
      ['', 'input.empty'],
      ['   ', 'input.empty'],
      ['重'.repeat(51), 'input.tooLong'],
    ] as const) {
      const refused = await market.call(office, LIST, { f: { tag: t } });
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'filter.tag',
        messageKey,
      });
    }
    expect((await market.call(office, LIST, { f: { tag: ' 人员密集场所 ' } })).data!.enterprises.totalCount).toBe(1);
    // The register's own filters stay theirs.
    const plain = await market.call(inspector, LIST.replace(' riskClass targetTags { tag }', ''), {
      f: { industry: '62' },
    });
    expect(plain.errors).toBeUndefined();
  });
});

describe('纳入重点监管范围 (联合惩戒, seed 000 ¶10)', () => {
  const imposed = (uscc: string, measures: string[]) => ({
    punishmentId: randomUUID(),
    uscc,
    measures,
    documentNumber: `保信惩〔2026〕${measures.length}${uscc.slice(-3)}号`,
    legalBasis: '《全国失信惩戒措施基础清单》(2024年版)',
    decidedOn: '2026-02-01',
    until: '2027-01-31',
    recordedAt: clock.now().toISOString(),
  });

  it('draws a business under key supervision in stratum D, at the highest ratio, while the measure is in force', async () => {
    // Unclassified restaurants (B, drawn at 0 here): one under key supervision, one whose key
    // supervision was lifted yesterday, one under other measures only.
    const [keyed, lifted, other] = businesses.slice(40, 43) as [string, string, string];
    const keyedDecision = imposed(keyed, ['KEY_SUPERVISION', 'PREFERENTIAL_POLICIES']);
    await deliver('onecheck.credit.punishment-imposed.v1', keyedDecision);
    await deliver('onecheck.credit.punishment-imposed.v1', keyedDecision); // redelivered: kept once
    const liftedDecision = imposed(lifted, ['KEY_SUPERVISION']);
    await deliver('onecheck.credit.punishment-imposed.v1', liftedDecision);
    await deliver('onecheck.credit.punishment-lifted.v1', {
      punishmentId: liftedDecision.punishmentId,
      uscc: lifted,
      documentNumber: '保信复〔2026〕1号',
      liftedOn: '2026-03-01',
      recordedAt: clock.now().toISOString(),
    });
    await deliver('onecheck.credit.punishment-imposed.v1', imposed(other, ['FISCAL_FUNDS']));

    const KEYED = `query ($u: String!) { enterprise(uscc: $u) { riskClass keySupervision { documentNumber decidedOn until } } }`;
    expect((await step(KEYED, office, { u: keyed })).enterprise).toEqual({
      riskClass: 'B',
      keySupervision: [{ documentNumber: keyedDecision.documentNumber, decidedOn: '2026-02-01', until: '2027-01-31' }],
    });
    for (const u of [lifted, other]) expect((await step(KEYED, office, { u })).enterprise.keySupervision).toEqual([]);
    const inspector: Identity = { sub: 'i-2', role: 'inspector', department: 'HEALTH' };
    const denied = await market.call(inspector, KEYED, { u: keyed });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // 重点监管对象: the directory lists them, for its readers only.
    const LIST = `query ($f: EnterpriseFilter) { enterprises(filter: $f, first: 100) { edges { node { uscc } } } }`;
    const under = await step(LIST, office, { f: { industry: '62', underKeySupervision: true } });
    expect(under.enterprises.edges).toEqual([{ node: { uscc: keyed } }]);
    const notUnder = await step(LIST, office, { f: { industry: '62', underKeySupervision: false } });
    expect(notUnder.enterprises.edges.map((e: { node: { uscc: string } }) => e.node.uscc)).toEqual(
      expect.arrayContaining([lifted, other]),
    );
    expect(notUnder.enterprises.edges).toHaveLength(businesses.length - 1);
    const unlisted = await market.call(inspector, LIST, { f: { underKeySupervision: true } });
    expect(unlisted.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const input = planInput({ name: '重点监管对象抽查', ratios: { A: 0, B: 0, C: 0, D: 1 } });
    const id = (await step(DRAFT, health, { input })).draftPlan.id as string;
    await step(`mutation ($id: ID!) { filePlan(id: $id) { id } }`, health, { id });
    await step(`mutation ($id: ID!) { publishPlan(id: $id) { id } }`, office, { id });
    await step(`mutation ($id: ID!) { freezeDrawPool(planId: $id) { poolSize } }`, office, { id });
    await step(`mutation ($id: ID!) { enterDrawPublicValue(planId: $id, value: "17") { publicValue } }`, auditor, {
      id,
    });
    await step(`mutation ($id: ID!) { drawPlan(planId: $id) { seed } }`, office, { id });
    const audit = (
      await step(`query ($id: ID!) { drawAudit(planId: $id) { pool { uscc riskClass drawn } } }`, auditor, { id })
    ).drawAudit.pool as { uscc: string; riskClass: RiskClass; drawn: boolean }[];
    const entry = (u: string) => audit.find((e) => e.uscc === u);
    expect(entry(keyed)).toEqual({ uscc: keyed, riskClass: 'D', drawn: true });
    expect(entry(lifted)).toEqual({ uscc: lifted, riskClass: 'B', drawn: false });
    expect(entry(other)).toEqual({ uscc: other, riskClass: 'B', drawn: false });
    // The five of class D and the one under key supervision: every one drawn, no other.
    const drawn = audit.filter((e) => e.drawn).map((e) => e.uscc);
    expect(drawn.sort()).toEqual([...businesses.slice(25, 30), keyed].sort());
  });
});
