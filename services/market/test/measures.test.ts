/**
 * Measures of cross-department supervision (issue 11 item 6; seed 001 §五, 002 六(四);
 * docs/publication.md): coverage per plan (a merged visit in each of its plans), timeliness, the
 * joint rate and the burden per business — 进一次门 made measurable: a business visited by three
 * departments in one merged visit has had 1 inspection, 3 without the merge, and a complaint check
 * coded outside plans adds 1.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, arrayContains, eq } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { actorOf } from '@onecheck/kit';
import * as schema from '../src/db/schema';
import { registerEnterprise } from '../src/domain/enterprise';
import { anyone, auditor, inspectionRecorded, listItem, marketFixture, office, staffOf, teamOfTwo } from './fixtures';

const clock = testClock('2026-03-02');
const health = staffOf('HEALTH');
const inspector: Identity = { sub: randomUUID(), role: 'inspector', department: 'HEALTH' };
const rng = seededRandom(1212);
const fx = marketFixture(clock);

const ITEMS = { HEALTH: 'WJ-CY-001', MARKET: 'SC-SP-001', FIRE: 'XF-01' } as const;
type Dept = keyof typeof ITEMS;

/** X: three plans' visits merged into one (three departments); Y: the same three, each on a visit of its own. */
const X = { uscc: '', name: '保康县甲餐馆' };
const Y = { uscc: '', name: '保康县乙餐馆' };
const plans: Record<'P1' | 'P2' | 'P3', string> = { P1: '', P2: '', P3: '' };
const visitIds: Record<string, string> = {};

const recorded = (visitId: string, uscc: string, department: Dept) =>
  fx.deliver(
    'onecheck.inspection.recorded.v1',
    inspectionRecorded(clock, { visitId, uscc, department, items: { [ITEMS[department]]: ['NO_PROBLEM'] } }),
  );

const teamOf = (department: Dept) => teamOfTwo([`${department}-ZF-1`, `${department}-ZF-2`]);

/** One department's plan, run by the office as far as the draw (every restaurant drawn), its teams in: coded visits. */
async function drawnPlan(department: Dept): Promise<string> {
  const input = {
    name: `2026年度 ${department} 餐饮业抽查`,
    year: 2026,
    industry: '62',
    leadDepartment: department,
    cooperatingDepartments: [],
    items: [{ department, code: ITEMS[department] }],
    ratios: { A: 1, B: 1, C: 1, D: 1 },
    windowFrom: '2026-04-01',
    windowTo: '2026-11-30',
    coolDownMonths: 0,
  };
  const id = await fx.runPlan(office, input);
  await fx.sendTeams(
    id,
    department,
    [X, Y].map((b) => ({ uscc: b.uscc, team: teamOf(department) })),
  );
  return id;
}

/** The plan's coded visit of a business. */
async function visitOf(planId: string, business: { uscc: string }) {
  const rows = await fx
    .db()
    .select()
    .from(schema.visits)
    .where(and(eq(schema.visits.uscc, business.uscc), arrayContains(schema.visits.planIds, [planId])));
  expect(rows).toHaveLength(1);
  expect(rows[0]!.status).toBe('CODED');
  return rows[0]!.id;
}

/** A check outside plans (投诉举报), coded at once at the department's request. */
async function complaint(business: { uscc: string }) {
  const requestId = randomUUID();
  await fx.deliver('onecheck.inspection.code-requested.v1', {
    requestId,
    department: 'HEALTH',
    uscc: business.uscc,
    reason: 'COMPLAINT',
    reasonDetail: '群众反映后厨卫生问题',
    items: [ITEMS.HEALTH],
    team: teamOf('HEALTH'),
    validFrom: '2026-06-01',
    validUntil: '2026-06-30',
    requestedAt: clock.now().toISOString(),
  });
  const [row] = await fx.db().select().from(schema.visits).where(eq(schema.visits.requestId, requestId));
  return row!.id;
}

const MEASURES = `query ($year: Int!, $planId: ID, $department: String, $industry: String, $region: String) {
  inspectionMeasures(year: $year, planId: $planId, department: $department, industry: $industry, region: $region) {
    coverage { drawn visited published }
    timeliness { recordedInWindow publishedInTime publicationOverdue }
    jointRate { visits mergedVisits rate }
    burden { businesses inspections average max }
  }
}`;
const measures = async (vars: Record<string, unknown> = {}, who: Identity = office) => {
  const r = await fx.market.call(who, MEASURES, { year: 2026, ...vars });
  expect(r.errors).toBeUndefined();
  return r.data!.inspectionMeasures;
};
const burdenOf = async (uscc: string, year = 2026) => {
  const r = await fx.market.call(
    office,
    `query ($u: String!, $y: Int!) { enterprise(uscc: $u) { inspectionBurden(year: $y) } }`,
    {
      u: uscc,
      y: year,
    },
  );
  expect(r.errors).toBeUndefined();
  return r.data!.enterprise.inspectionBurden as number;
};

beforeAll(async () => {
  await fx.start();
  const db = fx.db();
  for (const [department, code] of Object.entries(ITEMS))
    await fx.deliver('onecheck.item.published.v1', listItem(clock, department, code));
  for (const b of [X, Y]) {
    b.uscc = generateUscc(rng, { region: '420626' });
    await registerEnterprise(
      db,
      { uscc: b.uscc, name: b.name, legalRepresentative: '张三', industry: '62', region: '420626', address: '城关镇' },
      clock,
      actorOf(office),
    );
  }
  plans.P1 = await drawnPlan('HEALTH');
  plans.P2 = await drawnPlan('MARKET');
  plans.P3 = await drawnPlan('FIRE');
  for (const [k, p] of Object.entries(plans)) {
    visitIds[`X${k}`] = await visitOf(p, X);
    visitIds[`Y${k}`] = await visitOf(p, Y);
  }
  // X: the three plans' visits merged into one (合并检查): one code, three departments.
  const m = await fx.market.call(
    office,
    `mutation ($i: ID!, $f: [ID!]!) { mergeVisits(into: $i, from: $f) { id planIds: plans { id } } }`,
    {
      i: visitIds.XP1,
      f: [visitIds.XP2, visitIds.XP3],
    },
  );
  expect(m.errors).toBeUndefined();
  expect(m.data!.mergeVisits.planIds).toHaveLength(3);
  clock.set('2026-06-01');
});
afterAll(() => fx.stop());

describe('burden per business (进一次门)', () => {
  it('is 1 for three departments in one merged visit, 3 without the merge; a complaint check adds 1', async () => {
    expect(await burdenOf(X.uscc)).toBe(1);
    expect(await burdenOf(Y.uscc)).toBe(3);
    expect(await burdenOf(X.uscc, 2025)).toBe(0);
    visitIds.XC = await complaint(X);
    expect(await burdenOf(X.uscc)).toBe(2);
    expect((await measures()).burden).toEqual({ businesses: 2, inspections: 5, average: 2.5, max: 3 });
  });

  it('does not count a coded visit whose code expired with no result: it never took place', async () => {
    // The complaint check's code ran through June; nobody recorded a result on it.
    clock.set('2026-07-01');
    try {
      expect(await burdenOf(X.uscc)).toBe(1);
      expect((await measures()).burden.inspections).toBe(4);
    } finally {
      clock.set('2026-06-01');
    }
  });

  it('is for government users', async () => {
    const r = await fx.market.call(
      anyone,
      `query ($u: String!) { enterprise(uscc: $u) { inspectionBurden(year: 2026) } }`,
      {
        u: X.uscc,
      },
    );
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('coverage, timeliness and the joint rate', () => {
  it('count a merged visit in each of its plans; visited means a result is in', async () => {
    expect((await measures()).coverage).toEqual({ drawn: 6, visited: 0, published: 0 });
    await recorded(visitIds.XP1!, X.uscc, 'HEALTH');
    await recorded(visitIds.YP1!, Y.uscc, 'HEALTH');
    const all = await measures();
    // P1: X's merged visit and Y's; P2 and P3: X's merged visit (it carries their items too).
    expect(all.coverage).toEqual({ drawn: 6, visited: 4, published: 0 });
    expect(all.timeliness).toEqual({ recordedInWindow: 4, publishedInTime: 0, publicationOverdue: 0 });
    expect(all.jointRate).toEqual({ visits: 5, mergedVisits: 1, rate: 0.2 });
    expect((await measures({ planId: plans.P2 })).coverage).toEqual({ drawn: 2, visited: 1, published: 0 });
    expect((await measures({ planId: plans.P3 })).coverage).toEqual({ drawn: 2, visited: 1, published: 0 });
    expect((await measures({ planId: plans.P3, department: 'FIRE' })).coverage).toEqual({
      drawn: 2,
      visited: 0,
      published: 0,
    });
    expect((await measures({ planId: plans.P2 })).jointRate).toEqual({ visits: 2, mergedVisits: 1, rate: 0.5 });
  });

  it('count publications per plan, and tasks published in time or overdue', async () => {
    // P1's HEALTH task is complete (both its visits recorded): published in time.
    const p = await fx.market.call(
      health,
      `mutation ($p: ID!) { publishInspectionResults(planId: $p, department: "HEALTH") { publishedAt } }`,
      { p: plans.P1 },
    );
    expect(p.errors).toBeUndefined();
    const all = await measures();
    expect(all.coverage).toEqual({ drawn: 6, visited: 4, published: 4 });
    expect(all.timeliness.publishedInTime).toBe(1);
    expect((await measures({ department: 'HEALTH' })).coverage).toEqual({ drawn: 2, visited: 2, published: 2 });
    expect((await measures({ department: 'FIRE' })).coverage).toEqual({ drawn: 2, visited: 0, published: 0 });
    // After every window closed and 20 working days more: every unpublished task is overdue (P2's
    // MARKET, P3's FIRE); the complaint check has no result yet, so no due date.
    clock.set('2027-01-15');
    expect((await measures()).timeliness).toEqual({ recordedInWindow: 4, publishedInTime: 1, publicationOverdue: 2 });
    clock.set('2026-06-01');
  });

  it('narrow to the businesses of an industry or region', async () => {
    expect((await measures({ region: '4206' })).burden.inspections).toBe(5);
    const elsewhere = await measures({ region: '4201' });
    expect(elsewhere.coverage).toEqual({ drawn: 0, visited: 0, published: 0 });
    expect(elsewhere.burden).toEqual({ businesses: 0, inspections: 0, average: 0, max: 0 });
    const hotels = await measures({ industry: '61' });
    expect(hotels.coverage.drawn).toBe(0);
    expect(hotels.jointRate).toEqual({ visits: 0, mergedVisits: 0, rate: 0 });
    const bad = await fx.market.call(office, MEASURES, { year: 2026, industry: 'ZZ' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'industry' });
    // A department that is not configured is refused, not answered with zeros.
    const nowhere = await fx.market.call(office, MEASURES, { year: 2026, department: 'NOWHERE' });
    expect(nowhere.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'department',
      messageKey: 'department.unknown',
    });
    const plans = await fx.market.call(office, '{ jointPlans(industry: "ZZ") { id } }');
    expect(plans.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'industry' });
  });

  it('are for the office and government users: not the public, not inspectors in the field', async () => {
    await measures({}, auditor);
    await measures({}, health);
    expect((await fx.market.call(anyone, MEASURES, { year: 2026 })).errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await fx.market.call(inspector, MEASURES, { year: 2026 })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
