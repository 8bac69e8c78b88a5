/**
 * 进一次门、查多项事 and 赋码检查 (issue 11 items 1–2; seed 000 §二(二)6, 002 三(二), 004 (六), (十二);
 * docs/visits.md), over HTTP as the gateway calls the market subgraph, the departments' events
 * delivered the way the bus would: a draw makes one visit per business, the teams code it, a second
 * plan's visits overlap and merge into one code per business, 互帮代查 and new dates are new code
 * versions, a check outside plans is coded at once, each role sees its own visits, and anyone
 * holding a code can check it without a token — and learns nothing personal.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { actorOf, readAuditTrail, verifyAuditLog } from '@onecheck/kit';
import * as schema from '../src/db/schema';
import { registerEnterprise, updateEnterprise } from '../src/domain/enterprise';
import { visitOverlaps } from '../src/domain/visit-merge';
import { anyone, listItem, marketFixture, office, staffOf, teamOfTwo, type Team } from './fixtures';

const clock = testClock('2026-03-02T09:00:00+08:00');
const health = staffOf('HEALTH');
const market_ = staffOf('MARKET');
const fire = staffOf('FIRE');
const education = staffOf('EDUCATION');
const rng = seededRandom(1111);
const fx = marketFixture(clock);
const { db, deliver, outbox, runPlan } = fx;

/** A department's drawn team of two for a business (inspector ids are their login subjects). */
const teamOf = (department: string, n: number) =>
  teamOfTwo([1, 2].map((k) => `${department}-${String(n).padStart(3, '0')}-${k}`));

const businesses: string[] = [];
const teams = new Map<string, Team>(); // `${department} ${uscc}` → team

/** A department's teams for a plan's draw; a business keeps its team when sent again. */
const sendTeams = (planId: string, department: string, usccs: string[]) =>
  fx.sendTeams(
    planId,
    department,
    usccs.map((uscc, n) => {
      const key = `${department} ${uscc}`;
      if (!teams.has(key)) teams.set(key, teamOf(department, n));
      return { uscc, team: teams.get(key)! };
    }),
  );

const VISIT = `id code version uscc businessName reason status plannedOn validFrom validUntil mergedFrom mergedInto
  plans { id } departments { department { code } items listItems { name } team { inspectorId certificateNumber }
  shortfall delegatedTo { code } recorded }`;
const visitsOf = async (who: Identity, args: string) => {
  const r = await fx.market.call(who, `{ visits(${args}, first: 100) { totalCount edges { node { ${VISIT} } } } }`);
  expect(r.errors).toBeUndefined();
  return r.data!.visits as { totalCount: number; edges: { node: any }[] };
};
const CHECK = `query ($code: String!) { checkInspectionCode(code: $code) { code status uscc businessName reason validFrom
  validUntil plannedOn departments { department { code } items certificateNumbers delegatedTo { code } } } }`;

let plan1: string;
let plan2: string;
let tagged: string[];

beforeAll(async () => {
  await fx.start();
  for (const i of [
    listItem(clock, 'HEALTH', 'WJ-CY-001', { name: '餐饮服务食品安全', emphasis: 'KEY' }),
    listItem(clock, 'MARKET', 'SC-SP-001', { name: '食品经营许可', emphasis: 'GENERAL' }),
    listItem(clock, 'FIRE', 'XF-01', { name: '消防安全', emphasis: 'GENERAL' }),
    listItem(clock, 'MARKET', 'SC-JL-002', { name: '计量器具', emphasis: 'KEY' }),
  ])
    await deliver('onecheck.item.published.v1', i);
  for (let n = 0; n < 30; n++) {
    const uscc = generateUscc(rng, { region: '420626' });
    await registerEnterprise(
      db(),
      {
        uscc,
        name: `保康县第${n}饭店`,
        legalRepresentative: '王五',
        industry: '62',
        region: '420626',
        address: '城关镇',
      },
      clock,
      actorOf(office),
    );
    businesses.push(uscc);
  }
  tagged = businesses.slice(0, 20);
  for (const uscc of tagged) {
    const r = await fx.market.call(
      market_,
      'mutation ($u: String!) { tagTarget(uscc: $u, tag: "人员密集场所") { tag } }',
      {
        u: uscc,
      },
    );
    expect(r.errors).toBeUndefined();
  }
});
afterAll(() => fx.stop());

describe('a draw makes one visit per business, coded once every team is in', () => {
  it('draws every restaurant: each has one visit, AWAITING_TEAMS, with all departments and items', async () => {
    plan1 = await runPlan(health, {
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
      ratios: { A: 1, B: 1, C: 1, D: 1 },
      windowFrom: '2026-04-01',
      windowTo: '2026-11-30',
      coolDownMonths: 0,
    });
    const list = await visitsOf(office, `planId: "${plan1}"`);
    expect(list.totalCount).toBe(30);
    expect(new Set(list.edges.map((e) => e.node.uscc)).size).toBe(30);
    const v = list.edges[0]!.node;
    expect(v).toMatchObject({
      code: null,
      status: 'AWAITING_TEAMS',
      reason: 'PLAN',
      validFrom: '2026-04-01',
      validUntil: '2026-11-30',
      plans: [{ id: plan1 }],
    });
    expect(v.plannedOn >= '2026-04-01' && v.plannedOn <= '2026-11-30').toBe(true);
    expect(v.departments).toEqual([
      expect.objectContaining({ department: { code: 'FIRE' }, items: ['XF-01'], listItems: [{ name: '消防安全' }] }),
      expect.objectContaining({ department: { code: 'HEALTH' }, team: null }),
      expect.objectContaining({
        department: { code: 'MARKET' },
        items: ['SC-SP-001'],
        listItems: [{ name: '食品经营许可' }],
      }),
    ]);
    // Planned dates are spread over the window's working days, not all on one day.
    expect(new Set(list.edges.map((e) => e.node.plannedOn)).size).toBeGreaterThan(10);
  });

  it('codes a visit when the last department’s teams arrive; the code goes out with the full state', async () => {
    await sendTeams(plan1, 'HEALTH', businesses);
    await sendTeams(plan1, 'MARKET', businesses);
    expect((await visitsOf(office, `planId: "${plan1}", status: AWAITING_TEAMS`)).totalCount).toBe(30);
    expect(await outbox('onecheck.visit.coded.v1')).toHaveLength(0);
    await sendTeams(plan1, 'FIRE', businesses);
    const list = await visitsOf(office, `planId: "${plan1}"`);
    expect(list.edges.every((e) => e.node.status === 'CODED')).toBe(true);
    const v = list.edges.find((e) => e.node.uscc === businesses[0])!.node;
    expect(v.code).toMatch(/^JC2026-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(v.version).toBe(1);
    expect(new Set(list.edges.map((e) => e.node.code)).size).toBe(30);
    const coded = await outbox('onecheck.visit.coded.v1');
    expect(coded).toHaveLength(30);
    const event = coded.find((e) => e.data.visitId === v.id)!;
    expect(event.data).toMatchObject({ code: v.code, version: 1, uscc: v.uscc, planIds: [plan1], reason: 'PLAN' });
    expect(event.data.departments.map((d: any) => [d.department, d.team.length])).toEqual([
      ['FIRE', 2],
      ['HEALTH', 2],
      ['MARKET', 2],
    ]);
  });

  it('a redelivered teams event changes nothing', async () => {
    await sendTeams(plan1, 'FIRE', businesses);
    expect(await outbox('onecheck.visit.coded.v1')).toHaveLength(30);
    expect((await visitsOf(office, `planId: "${plan1}"`)).edges.every((e) => e.node.version === 1)).toBe(true);
  });

  it('every visit’s coding is on its own trail, and the service’s chain still verifies', async () => {
    const v = (await visitsOf(office, `uscc: "${businesses[5]}"`)).edges[0]!.node;
    const t = await fx.market.call(office, 'query ($id: ID!) { visit(id: $id) { auditTrail { action after } } }', {
      id: v.id,
    });
    expect(t.data!.visit.auditTrail.map((e: { action: string }) => e.action)).toEqual([
      'receiveTeams',
      'receiveTeams',
      'codeVisits',
    ]);
    expect(t.data!.visit.auditTrail[2].after).toMatchObject({ code: v.code, version: 1, status: 'CODED' });
    expect((await verifyAuditLog(db(), [])).ok).toBe(true);
  });
});

describe('合并检查: a second plan on 20 of the same businesses in the same months', () => {
  it('is shown as overlapping, and merged leaves one visit and one code per business', async () => {
    clock.set('2026-03-10T09:00:00+08:00');
    plan2 = await runPlan(market_, {
      name: '2026年度计量专项抽查',
      year: 2026,
      industry: '62',
      leadDepartment: 'MARKET',
      cooperatingDepartments: [],
      items: [{ department: 'MARKET', code: 'SC-JL-002' }],
      ratios: { A: 1, B: 1, C: 1, D: 1 },
      targetFilter: { tags: ['人员密集场所'] },
      windowFrom: '2026-05-01',
      windowTo: '2026-05-31',
      coolDownMonths: 0,
    });
    await sendTeams(plan2, 'MARKET', tagged);
    expect((await visitsOf(office, `planId: "${plan2}", status: CODED`)).totalCount).toBe(20);
    const o = await fx.market.call(
      office,
      `query ($p: ID!) { visitOverlaps(planId: $p) { visit { id uscc } overlapping { id plans { id } } } }`,
      {
        p: plan2,
      },
    );
    expect(o.errors).toBeUndefined();
    expect(o.data!.visitOverlaps).toHaveLength(20);
    expect(o.data!.visitOverlaps[0].overlapping).toEqual([expect.objectContaining({ plans: [{ id: plan1 }] })]);
    // A county's mergeWindowDays (config/visits.json) also asks for planned dates that close.
    expect(await visitOverlaps(db(), plan2, 366)).toHaveLength(20);
    expect((await visitOverlaps(db(), plan2, 0)).length).toBeLessThan(20);
    const denied = await fx.market.call(health, `mutation ($p: ID!) { mergePlanOverlaps(planId: $p) { id } }`, {
      p: plan2,
    });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // A plan that does not exist is said to be so, not answered with nothing to merge.
    for (const p of ['nope', '00000000-0000-4000-8000-000000000000']) {
      for (const query of [
        'query ($p: ID!) { visitOverlaps(planId: $p) { visit { id } } }',
        'mutation ($p: ID!) { mergePlanOverlaps(planId: $p) { id } }',
      ]) {
        const r = await fx.market.call(office, query, { p });
        expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'planId' });
      }
    }

    const before = await visitsOf(office, `planId: "${plan2}"`);
    const m = await fx.market.call(office, `mutation ($p: ID!) { mergePlanOverlaps(planId: $p) { ${VISIT} } }`, {
      p: plan2,
    });
    expect(m.errors).toBeUndefined();
    const kept = m.data!.mergePlanOverlaps as any[];
    expect(kept).toHaveLength(20);
    for (const uscc of tagged) {
      const active = (await visitsOf(office, `uscc: "${uscc}"`)).edges.filter((e) => e.node.status === 'CODED');
      expect(active).toHaveLength(1);
    }
    const v = kept.find((k) => k.uscc === tagged[0])!;
    expect(v.plans.map((p: { id: string }) => p.id).sort()).toEqual([plan1, plan2].sort());
    expect(v).toMatchObject({ version: 2, validFrom: '2026-05-01', validUntil: '2026-05-31' });
    expect(v.plannedOn >= '2026-05-01' && v.plannedOn <= '2026-05-31').toBe(true);
    expect(v.departments.find((d: any) => d.department.code === 'MARKET').items).toEqual(['SC-SP-001', 'SC-JL-002']);
    // The plan-1 visit was created first: it keeps its code; the plan-2 visit's code is revoked.
    const absorbed = before.edges.find((e) => e.node.uscc === tagged[0])!.node;
    expect(v.mergedFrom).toEqual([absorbed.id]);
    const revoked = (await outbox('onecheck.visit.code-revoked.v1')).find((e) => e.data.visitId === absorbed.id)!;
    expect(revoked.data).toMatchObject({ code: absorbed.code, reason: 'MERGED', mergedInto: v.id });
    const after = await fx.market.call(office, `query ($id: ID!) { visit(id: $id) { status mergedInto } }`, {
      id: absorbed.id,
    });
    expect(after.data!.visit).toEqual({ status: 'MERGED', mergedInto: v.id });
    const last = (await outbox('onecheck.visit.coded.v1')).filter((e) => e.data.visitId === v.id).at(-1)!;
    expect(last.data).toMatchObject({ version: 2, code: v.code, mergedFrom: [absorbed.id] });
    expect(last.data.planIds.sort()).toEqual([plan1, plan2].sort());
    // Nothing is left to merge; the merge is on the visit's trail.
    const again = await fx.market.call(office, `query ($p: ID!) { visitOverlaps(planId: $p) { visit { id } } }`, {
      p: plan2,
    });
    expect(again.data!.visitOverlaps).toEqual([]);
    const trail = await fx.market.call(office, `query ($id: ID!) { visit(id: $id) { auditTrail { action } } }`, {
      id: v.id,
    });
    expect(trail.data!.visit.auditTrail.map((e: { action: string }) => e.action)).toEqual([
      'receiveTeams',
      'receiveTeams',
      'codeVisits',
      'mergeVisits',
    ]);
  });

  it('a visit with results cannot be merged, nor visits of two businesses', async () => {
    const a = (await visitsOf(office, `uscc: "${businesses[25]}"`)).edges[0]!.node;
    const b = (await visitsOf(office, `uscc: "${businesses[26]}"`)).edges[0]!.node;
    const other = await fx.market.call(
      office,
      `mutation ($i: ID!, $f: [ID!]!) { mergeVisits(into: $i, from: $f) { id } }`,
      {
        i: a.id,
        f: [b.id],
      },
    );
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from.0' });
    // A complaint check on the same business, then a result recorded on it.
    const requestId = randomUUID();
    await deliver('onecheck.inspection.code-requested.v1', {
      requestId,
      department: 'HEALTH',
      uscc: businesses[25],
      reason: 'COMPLAINT',
      reasonDetail: '群众反映后厨卫生问题',
      items: ['WJ-CY-001'],
      team: teamOf('HEALTH', 99),
      validFrom: '2026-04-10',
      validUntil: '2026-04-30',
      requestedAt: clock.now().toISOString(),
    });
    const [complaint] = await db().select().from(schema.visits).where(eq(schema.visits.requestId, requestId));
    await db()
      .insert(schema.visitResults)
      .values({
        resultId: randomUUID(),
        visitId: complaint!.id,
        department: 'HEALTH',
        recordedByDepartment: 'HEALTH',
        uscc: businesses[25]!,
        items: [{ itemCode: 'WJ-CY-001', categories: ['NO_PROBLEM'] }],
        officers: ['HEALTH-099-1', 'HEALTH-099-2'],
        findings: 0,
        inspectedOn: '2026-04-12',
        recordedAt: clock.now(),
      });
    const refused = await fx.market.call(
      office,
      `mutation ($i: ID!, $f: [ID!]!) { mergeVisits(into: $i, from: $f) { id } }`,
      {
        i: a.id,
        f: [complaint!.id],
      },
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      field: 'from.0',
      messageKey: 'visit.hasResults',
    });
    const unchanged = await fx.market.call(
      office,
      `query ($id: ID!) { visit(id: $id) { version status departments { recorded } } }`,
      {
        id: complaint!.id,
      },
    );
    expect(unchanged.data!.visit).toEqual({ version: 1, status: 'CODED', departments: [{ recorded: true }] });
  });
});

describe('互帮代查 and a new date', () => {
  it('a department delegates its items to another team on the visit: the next version of the code says so', async () => {
    const v = (await visitsOf(office, `uscc: "${businesses[28]}"`)).edges[0]!.node;
    const D = `mutation ($v: ID!, $d: String!, $t: String!) { delegateVisitItems(visitId: $v, department: $d, to: $t) { version departments { department { code } delegatedTo { code } } } }`;
    const notTheirs = await fx.market.call(health, D, { v: v.id, d: 'FIRE', t: 'HEALTH' });
    expect(notTheirs.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const notOn = await fx.market.call(fire, D, { v: v.id, d: 'FIRE', t: 'EDUCATION' });
    expect(notOn.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    const r = await fx.market.call(fire, D, { v: v.id, d: 'FIRE', t: 'HEALTH' });
    expect(r.errors).toBeUndefined();
    expect(r.data!.delegateVisitItems.version).toBe(2);
    expect(r.data!.delegateVisitItems.departments).toContainEqual({
      department: { code: 'FIRE' },
      delegatedTo: { code: 'HEALTH' },
    });
    const last = (await outbox('onecheck.visit.coded.v1')).filter((e) => e.data.visitId === v.id).at(-1)!;
    expect(last.data.version).toBe(2);
    expect(last.data.departments.find((d: any) => d.department === 'FIRE').delegatedTo).toBe('HEALTH');
  });

  it('the office moves the planned date inside the window only', async () => {
    const v = (await visitsOf(office, `uscc: "${businesses[29]}"`)).edges[0]!.node;
    const R = `mutation ($id: ID!, $d: Date!) { rescheduleVisit(id: $id, plannedOn: $d) { plannedOn version } }`;
    const outside = await fx.market.call(office, R, { id: v.id, d: '2026-12-15' });
    expect(outside.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'plannedOn' });
    const ok = await fx.market.call(office, R, { id: v.id, d: '2026-06-18' });
    expect(ok.data!.rescheduleVisit).toEqual({ plannedOn: '2026-06-18', version: 2 });
  });
});

describe('a check outside plans (投诉举报) is coded at once', () => {
  it('with the request’s reason, team and items; the same request again changes nothing', async () => {
    const requestId = randomUUID();
    const request = {
      requestId,
      department: 'MARKET',
      uscc: businesses[27],
      reason: 'COMPLAINT',
      reasonDetail: '消费者投诉短斤缺两',
      items: ['SC-JL-002'],
      team: teamOf('MARKET', 77),
      validFrom: '2026-03-10',
      validUntil: '2026-03-20',
      requestedAt: clock.now().toISOString(),
    };
    await deliver('onecheck.inspection.code-requested.v1', request);
    await deliver('onecheck.inspection.code-requested.v1', request);
    const list = (await visitsOf(office, `uscc: "${businesses[27]}"`)).edges.filter(
      (e) => e.node.reason === 'COMPLAINT',
    );
    expect(list).toHaveLength(1);
    expect(list[0]!.node).toMatchObject({ status: 'CODED', version: 1, plans: [], plannedOn: '2026-03-10' });
    const events = (await outbox('onecheck.visit.coded.v1')).filter((e) => e.data.requestId === requestId);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ reason: 'COMPLAINT', planIds: [], code: list[0]!.node.code });
  });

  // Seed 004 (十二): the office, the registration authority, codes only a business in its register that still exists.
  it('refuses a business it never registered, or a deregistered one: no visit, no code, one refusal to the department', async () => {
    const others = seededRandom(4004);
    const unknown = generateUscc(others, { region: '420626' });
    const gone = generateUscc(others, { region: '420626' });
    const revoked = generateUscc(others, { region: '420626' });
    for (const [uscc, status] of [
      [gone, 'DEREGISTERED'],
      [revoked, 'REVOKED'],
    ] as const) {
      const input = {
        uscc,
        name: `保康县${status}饭店`,
        legalRepresentative: '王五',
        industry: '62',
        region: '420626',
      };
      await registerEnterprise(db(), { ...input, address: '城关镇' }, clock, actorOf(office));
      await updateEnterprise(db(), uscc, { status }, clock, actorOf(office));
    }
    const ask = (uscc: string) => ({
      requestId: randomUUID(),
      department: 'HEALTH',
      uscc,
      reason: 'COMPLAINT',
      reasonDetail: '群众反映无证经营',
      items: ['WJ-CY-001'],
      team: teamOf('HEALTH', 88),
      validFrom: '2026-03-10',
      validUntil: '2026-03-20',
      requestedAt: clock.now().toISOString(),
    });
    const [toUnknown, toGone, toRevoked] = [ask(unknown), ask(gone), ask(revoked)];
    await deliver('onecheck.inspection.code-requested.v1', toUnknown);
    await deliver('onecheck.inspection.code-requested.v1', toUnknown); // the same request again
    await deliver('onecheck.inspection.code-requested.v1', toGone);
    await deliver('onecheck.inspection.code-requested.v1', toRevoked);

    for (const uscc of [unknown, gone]) expect((await visitsOf(office, `uscc: "${uscc}"`)).totalCount).toBe(0);
    const codes = await outbox('onecheck.visit.coded.v1');
    expect(codes.filter((e) => [unknown, gone].includes(e.data.uscc))).toEqual([]);
    const refusals = await outbox('onecheck.inspection.code-refused.v1');
    const refused = refusals.filter((e) => e.data.requestId === toUnknown.requestId);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ key: unknown, topic: 'onecheck.market.visit' });
    expect(refused[0]!.data).toEqual({
      requestId: toUnknown.requestId,
      department: 'HEALTH',
      uscc: unknown,
      reason: 'NOT_REGISTERED',
      refusedAt: clock.now().toISOString(),
    });
    expect(refusals.find((e) => e.data.requestId === toGone.requestId)?.data.reason).toBe('DEREGISTERED');
    // 吊销营业执照: the business still exists until 注销, and is coded under its registered name.
    expect(refusals.some((e) => e.data.requestId === toRevoked.requestId)).toBe(false);
    const [coded] = (await visitsOf(office, `uscc: "${revoked}"`)).edges;
    expect(coded!.node).toMatchObject({ status: 'CODED', businessName: '保康县REVOKED饭店' });

    // On the office's trail (全程留痕), once.
    const trail = await readAuditTrail(db(), { kind: 'codeRequest', id: toUnknown.requestId });
    expect(trail.map((t) => t.action)).toEqual(['refuseCodeRequests']);
    expect(trail[0]!.after).toMatchObject({ reason: 'NOT_REGISTERED', uscc: unknown, department: 'HEALTH' });
    expect((await verifyAuditLog(db(), [])).ok).toBe(true);
  });
});

describe('who sees which visits', () => {
  it('the office all; a department’s staff its own; an inspector only those they are on; no token: refused', async () => {
    const all = await visitsOf(office, 'status: CODED');
    expect(all.totalCount).toBeGreaterThanOrEqual(32);
    expect((await visitsOf(education, 'status: CODED')).totalCount).toBe(0);
    const mine = await visitsOf(market_, `uscc: "${businesses[27]}"`);
    expect(mine.edges.some((e) => e.node.reason === 'COMPLAINT')).toBe(true);
    const healthSees = await visitsOf(health, `uscc: "${businesses[27]}"`);
    expect(healthSees.edges.some((e) => e.node.reason === 'COMPLAINT')).toBe(false);
    const inspectorId = teams.get(`HEALTH ${businesses[3]}`)![0]!.inspectorId;
    const inspector: Identity = { sub: inspectorId, role: 'inspector', department: 'HEALTH' };
    const own = await visitsOf(inspector, 'status: CODED');
    expect(own.edges.map((e) => e.node.uscc)).toEqual([businesses[3]]);
    const other = (await visitsOf(office, `uscc: "${businesses[4]}"`)).edges[0]!.node;
    const hidden = await fx.market.call(inspector, `query ($id: ID!) { visit(id: $id) { id } }`, { id: other.id });
    expect(hidden.data!.visit).toBeNull();
    const pub = await fx.market.call(anyone, '{ visits { totalCount } }');
    expect(pub.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // A cursor that is no visit id is bad input, not a failed query.
    const cursor = Buffer.from('not-a-visit', 'utf8').toString('base64url');
    const bad = await fx.market.call(office, 'query ($a: String) { visits(after: $a) { totalCount } }', { a: cursor });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('shows a team’s certificate numbers in full to its own department only (docs/security.md §3)', async () => {
    const badges = async (who: Identity) => {
      const v = (await visitsOf(who, `uscc: "${businesses[3]}", status: CODED`)).edges[0]!.node;
      return Object.fromEntries(
        v.departments.map((d: any) => [d.department.code, d.team.map((m: any) => m.certificateNumber)]),
      );
    };
    const full = teams.get(`HEALTH ${businesses[3]}`)!.map((m) => m.certificateNumber);
    expect((await badges(health)).HEALTH).toEqual(full);
    expect((await badges(health)).FIRE).toEqual(['********', '********']);
    expect((await badges(office)).HEALTH).toEqual(['********', '********']);
    // The business checked reads them in full on the code (行政处罚法 §55).
    const code = (await visitsOf(office, `uscc: "${businesses[3]}", status: CODED`)).edges[0]!.node.code;
    const checked = await fx.market.call(anyone, CHECK, { code });
    expect(
      checked.data!.checkInspectionCode.departments.find((d: any) => d.department.code === 'HEALTH'),
    ).toMatchObject({ certificateNumbers: full });
  });
});

describe('the public code check (no token)', () => {
  it('says VALID for a code in its window, with certificate numbers and nothing personal', async () => {
    clock.set('2026-05-12T10:00:00+08:00');
    const v = (await visitsOf(office, `uscc: "${tagged[0]}", status: CODED`)).edges[0]!.node;
    const r = await fx.market.call(anyone, CHECK, { code: v.code.toLowerCase().replace(/-/g, ' ') });
    expect(r.errors).toBeUndefined();
    const c = r.data!.checkInspectionCode;
    expect(c).toMatchObject({
      code: v.code,
      status: 'VALID',
      uscc: tagged[0],
      businessName: '保康县第0饭店',
      reason: 'PLAN',
    });
    const marketPart = c.departments.find((d: any) => d.department.code === 'MARKET');
    expect(marketPart.items).toEqual(['食品经营许可', '计量器具']);
    expect(marketPart.certificateNumbers).toHaveLength(2);
    const text = JSON.stringify(r.data);
    for (const d of v.departments) for (const m of d.team) expect(text).not.toContain(m.inspectorId);
    expect(text).not.toContain('王五');
  });

  it('EXPIRED after its window (China time), REVOKED when merged away, NOT_YET_VALID before it', async () => {
    const v = (await visitsOf(office, `uscc: "${tagged[1]}", status: CODED`)).edges[0]!.node;
    clock.set('2026-05-31T23:30:00+08:00');
    expect((await fx.market.call(anyone, CHECK, { code: v.code })).data!.checkInspectionCode.status).toBe('VALID');
    clock.set('2026-06-01T00:10:00+08:00');
    expect((await fx.market.call(anyone, CHECK, { code: v.code })).data!.checkInspectionCode.status).toBe('EXPIRED');
    const merged = (await visitsOf(office, `uscc: "${tagged[1]}", status: MERGED`)).edges[0]!.node;
    expect((await fx.market.call(anyone, CHECK, { code: merged.code })).data!.checkInspectionCode.status).toBe(
      'REVOKED',
    );
    clock.set('2026-03-05T09:00:00+08:00');
    expect((await fx.market.call(anyone, CHECK, { code: v.code })).data!.checkInspectionCode.status).toBe(
      'NOT_YET_VALID',
    );
  });

  it('a made-up code is NOT_FOUND, the same answer whatever it looks like', async () => {
    const answers = [];
    for (const code of ['JC2026-AAAA-BBBB-CCCC', 'hello', '', "JC2026-' OR 1=1 --"]) {
      const r = await fx.market.call(anyone, CHECK, { code });
      expect(r.data).toBeNull();
      const { stacktrace: _, ...extensions } = (r.errors?.[0]?.extensions ?? {}) as Record<string, unknown>;
      answers.push({ message: r.errors?.[0]?.message, extensions });
    }
    expect(answers[0]!.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'code' });
    for (const a of answers) expect(a).toEqual(answers[0]);
  });
});

describe('a drawn plan delayed or cancelled takes its visits along', () => {
  const ADJUST = `mutation ($id: ID!, $input: PlanAdjustmentInput!) { adjustPlan(id: $id, input: $input) { status } }`;

  it('delayed: its own visits get the new window as a new version; merged ones keep theirs', async () => {
    clock.set('2026-03-20T09:00:00+08:00');
    const before = (await visitsOf(office, `planId: "${plan1}"`)).edges.map((e) => e.node);
    const r = await fx.market.call(health, ADJUST, {
      id: plan1,
      input: { kind: 'DELAY', reason: '汛期顺延', windowTo: '2026-12-20' },
    });
    expect(r.errors).toBeUndefined();
    const after = (await visitsOf(office, `planId: "${plan1}"`)).edges.map((e) => e.node);
    for (const v of after.filter((v) => v.status === 'CODED')) {
      const was = before.find((b) => b.id === v.id)!;
      if (v.plans.length === 1) expect([v.validUntil, v.version]).toEqual(['2026-12-20', was.version + 1]);
      else expect([v.validUntil, v.version]).toEqual(['2026-05-31', was.version]);
    }
    const own = after.find((v) => v.uscc === businesses[22])!;
    const last = (await outbox('onecheck.visit.coded.v1')).filter((e) => e.data.visitId === own.id).at(-1)!;
    expect(last.data).toMatchObject({ validUntil: '2026-12-20', version: 2 });
  });

  it('cancelled: a merged visit drops the plan and its items; a visit of that plan alone is cancelled, its code revoked', async () => {
    const kept = (await visitsOf(office, `uscc: "${tagged[2]}", status: CODED`)).edges[0]!.node;
    const c2 = await fx.market.call(market_, ADJUST, { id: plan2, input: { kind: 'CANCEL', reason: '专项行动取消' } });
    expect(c2.errors).toBeUndefined();
    const dropped = (await visitsOf(office, `uscc: "${tagged[2]}", status: CODED`)).edges[0]!.node;
    expect(dropped).toMatchObject({ id: kept.id, code: kept.code, version: kept.version + 1, plans: [{ id: plan1 }] });
    expect(dropped.departments.find((d: any) => d.department.code === 'MARKET').items).toEqual(['SC-SP-001']);

    const c1 = await fx.market.call(health, ADJUST, { id: plan1, input: { kind: 'CANCEL', reason: '计划取消' } });
    expect(c1.errors).toBeUndefined();
    expect((await visitsOf(office, `planId: "${plan1}", status: CODED`)).totalCount).toBe(0);
    const revoked = (await outbox('onecheck.visit.code-revoked.v1')).find((e) => e.data.visitId === kept.id)!;
    expect(revoked.data).toMatchObject({ code: kept.code, reason: 'CANCELLED' });
    const check = await fx.market.call(anyone, CHECK, { code: kept.code });
    expect(check.data!.checkInspectionCode.status).toBe('REVOKED');
    // The complaint check outside plans is not touched.
    expect((await visitsOf(office, `uscc: "${businesses[27]}", status: CODED`)).totalCount).toBe(1);
  });
});
