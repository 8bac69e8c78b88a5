/**
 * Measures of cross-department supervision (issue 11 item 6; seed 001 §五, 002 六(四);
 * docs/publication.md): coverage per plan (a merged visit in each of its plans), timeliness, the
 * joint rate and the burden per business — 进一次门 made measurable: a business visited by three
 * departments in one merged visit has had 1 inspection, 3 without the merge, and a complaint check
 * coded outside plans adds 1.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import type { EventType } from '@onecheck/contracts';
import { actorOf, createLogger } from '@onecheck/kit';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { marketService } from '../src/index';
import { marketConsumers } from '../src/events';
import * as schema from '../src/db/schema';
import { registerEnterprise } from '../src/domain/enterprise';

const clock = testClock('2026-06-01');
const office: Identity = { sub: 'office-1', role: 'office' };
const health: Identity = { sub: 'staff-h', role: 'staff', department: 'HEALTH' };
const auditor: Identity = { sub: 'jijian-1', role: 'auditor' };
const inspector: Identity = { sub: randomUUID(), role: 'inspector', department: 'HEALTH' };
const anyone: Identity = { sub: 'anonymous', role: 'public' };
const rng = seededRandom(1212);
let market: TestSubgraph<typeof schema>;

const ITEMS = { HEALTH: 'WJ-CY-001', MARKET: 'SC-SP-001', FIRE: 'XF-01' } as const;
type Dept = keyof typeof ITEMS;

/** X: three departments in one merged visit; Y: the same three, each on a visit of its own; Z: other years. */
const X = { uscc: '', name: '保康县甲餐馆' };
const Y = { uscc: '', name: '保康县乙餐馆' };
const Z = { uscc: '', name: '保康县丙餐馆' };
const plans: Record<'P1' | 'P2' | 'P3', string> = { P1: '', P2: '', P3: '' };
const visitIds: Record<string, string> = {};

async function deliver(type: EventType, data: unknown) {
  const deps = { db: market.service.database.db, clock, logger: createLogger('test', 'warn') };
  const consumer = marketConsumers(deps as never).find((c) => type in c.handlers)!;
  const handler = (consumer.handlers as Record<string, (e: unknown, tx: unknown) => Promise<void>>)[type]!;
  const event = { id: randomUUID(), type, source: 'test', time: clock.now().toISOString(), data };
  await market.service.database.db.transaction((tx) => handler(event, tx));
}

const recorded = (visitId: string, uscc: string, department: Dept) =>
  deliver('onecheck.inspection.recorded.v1', {
    resultId: randomUUID(),
    visitId,
    code: `code-${visitId}`,
    department,
    recordedByDepartment: department,
    uscc,
    items: [{ itemCode: ITEMS[department], categories: ['NO_PROBLEM'] }],
    officers: [`${department}-ZF-1`, `${department}-ZF-2`],
    findings: 0,
    inspectedOn: clock.today(),
    recordedAt: clock.now().toISOString(),
  });

async function plan(lead: Dept, cooperating: Dept[]) {
  const now = clock.now();
  const { db } = market.service.database;
  const [row] = await db
    .insert(schema.jointPlans)
    .values({
      name: `2026年度 ${lead} 联合抽查`,
      year: 2026,
      industry: '62',
      leadDepartment: lead,
      cooperatingDepartments: cooperating,
      items: [lead, ...cooperating].map((department) => ({
        department,
        code: ITEMS[department],
        emphasis: 'KEY' as const,
      })),
      listVersion: 1,
      ratios: { A: 0.1, B: 0.2, C: 0.5, D: 1 },
      targetFilter: {},
      windowFrom: '2026-04-01',
      windowTo: '2026-11-30',
      coolDownMonths: 12,
      status: 'DRAWN',
      draftedBy: lead,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return row!.id;
}

async function drawn(planId: string, targets: { uscc: string; name: string }[]) {
  const { db } = market.service.database;
  const [draw] = await db
    .insert(schema.draws)
    .values({
      planId,
      poolHash: 'h',
      poolSize: targets.length,
      ratios: { A: 1, B: 1, C: 1, D: 1 },
      frozenAt: clock.now(),
      drawnAt: clock.now(),
    })
    .returning();
  await db
    .insert(schema.drawPool)
    .values(
      targets.map((t) => ({
        drawId: draw!.id,
        uscc: t.uscc,
        riskClass: 'B' as const,
        name: t.name,
        address: '城关镇',
        drawn: true,
      })),
    );
}

async function visit(
  business: { uscc: string; name: string },
  departments: Dept[],
  opts: {
    planIds: string[];
    status?: 'AWAITING_TEAMS' | 'CODED' | 'MERGED';
    plannedOn?: string;
    mergedFrom?: string[];
    reason?: 'PLAN' | 'COMPLAINT';
  },
) {
  const { db } = market.service.database;
  const now = clock.now();
  const [row] = await db
    .insert(schema.visits)
    .values({
      code: `code-${randomUUID()}`,
      version: 1,
      uscc: business.uscc,
      businessName: business.name,
      reason: opts.reason ?? 'PLAN',
      planIds: opts.planIds,
      plannedOn: opts.plannedOn ?? '2026-06-15',
      validFrom: '2026-04-01',
      validUntil: '2026-11-30',
      status: opts.status ?? 'CODED',
      mergedFrom: opts.mergedFrom ?? [],
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  for (const department of departments)
    await db
      .insert(schema.visitDepartments)
      .values({ visitId: row!.id, department, items: [ITEMS[department]], team: [] });
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
  const r = await market.call(who, MEASURES, { year: 2026, ...vars });
  expect(r.errors).toBeUndefined();
  return r.data!.inspectionMeasures;
};
const burdenOf = async (uscc: string, year = 2026) => {
  const r = await market.call(
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
  market = await startTestSubgraph(marketService, { clock });
  const { db } = market.service.database;
  for (const b of [X, Y, Z]) {
    b.uscc = generateUscc(rng, { region: '420626' });
    await registerEnterprise(
      db,
      { uscc: b.uscc, name: b.name, legalRepresentative: '张三', industry: '62', region: '420626', address: '城关镇' },
      clock,
      actorOf(office),
    );
  }
  plans.P1 = await plan('HEALTH', ['MARKET']);
  plans.P2 = await plan('MARKET', ['FIRE']);
  plans.P3 = await plan('FIRE', []);
  await drawn(plans.P1, [X, Y]);
  await drawn(plans.P2, [X, Y]);
  await drawn(plans.P3, [Y]);
  // X: P1's and P2's visits merged into one (合并检查): three departments, one visit; the merged-away one does not count.
  visitIds.XM = await visit(X, ['HEALTH', 'MARKET', 'FIRE'], {
    planIds: [plans.P1, plans.P2],
    mergedFrom: [randomUUID()],
  });
  visitIds.Xaway = await visit(X, ['MARKET', 'FIRE'], { planIds: [plans.P2], status: 'MERGED' });
  // Y: the same three departments, each on its own visit.
  visitIds.Y1 = await visit(Y, ['HEALTH', 'MARKET'], { planIds: [plans.P1] });
  visitIds.Y2 = await visit(Y, ['MARKET', 'FIRE'], { planIds: [plans.P2] });
  visitIds.Y3 = await visit(Y, ['FIRE'], { planIds: [plans.P3] });
  // Z: a visit of last year, and one not coded yet: neither is an inspection of 2026.
  await visit(Z, ['HEALTH'], { planIds: [], reason: 'COMPLAINT', plannedOn: '2025-12-30' });
  await visit(Z, ['FIRE'], { planIds: [plans.P3], status: 'AWAITING_TEAMS' });
});
afterAll(() => market?.stop());

describe('burden per business (进一次门)', () => {
  it('is 1 for three departments in one merged visit, 3 without the merge; a complaint check adds 1', async () => {
    expect(await burdenOf(X.uscc)).toBe(1);
    expect(await burdenOf(Y.uscc)).toBe(3);
    expect(await burdenOf(Z.uscc)).toBe(0);
    expect(await burdenOf(Z.uscc, 2025)).toBe(1);
    visitIds.XC = await visit(X, ['HEALTH'], { planIds: [], reason: 'COMPLAINT' });
    expect(await burdenOf(X.uscc)).toBe(2);
    expect((await measures()).burden).toEqual({ businesses: 2, inspections: 5, average: 2.5, max: 3 });
  });

  it('is for government users', async () => {
    const r = await market.call(
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
    expect((await measures()).coverage).toEqual({ drawn: 5, visited: 0, published: 0 });
    await recorded(visitIds.XM!, X.uscc, 'HEALTH');
    await recorded(visitIds.Y1!, Y.uscc, 'HEALTH');
    const all = await measures();
    // P1: XM and Y1; P2: XM (its HEALTH result counts for the visit); P3: none.
    expect(all.coverage).toEqual({ drawn: 5, visited: 3, published: 0 });
    expect(all.timeliness).toEqual({ recordedInWindow: 3, publishedInTime: 0, publicationOverdue: 0 });
    expect(all.jointRate).toEqual({ visits: 5, mergedVisits: 1, rate: 0.2 });
    expect((await measures({ planId: plans.P2 })).coverage).toEqual({ drawn: 2, visited: 1, published: 0 });
    expect((await measures({ planId: plans.P3 })).coverage).toEqual({ drawn: 1, visited: 0, published: 0 });
    expect((await measures({ planId: plans.P2 })).jointRate).toEqual({ visits: 2, mergedVisits: 1, rate: 0.5 });
  });

  it('count publications per plan, and tasks published in time or overdue', async () => {
    // P1's HEALTH task is complete (XM and Y1 recorded): published in time.
    const p = await market.call(
      health,
      `mutation ($p: ID!) { publishInspectionResults(planId: $p, department: "HEALTH") { publishedAt } }`,
      { p: plans.P1 },
    );
    expect(p.errors).toBeUndefined();
    const all = await measures();
    expect(all.coverage).toEqual({ drawn: 5, visited: 3, published: 3 });
    expect(all.timeliness.publishedInTime).toBe(1);
    expect((await measures({ department: 'HEALTH' })).coverage).toEqual({ drawn: 2, visited: 2, published: 2 });
    expect((await measures({ department: 'FIRE' })).coverage).toEqual({ drawn: 3, visited: 0, published: 0 });
    // After every window closed and 20 working days more: every unpublished task is overdue
    // (P1 MARKET; P2 MARKET and FIRE; P3 FIRE); the complaint check has no result, so no due date.
    clock.set('2027-01-15');
    expect((await measures()).timeliness).toEqual({ recordedInWindow: 3, publishedInTime: 1, publicationOverdue: 4 });
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
    const bad = await market.call(office, MEASURES, { year: 2026, industry: 'ZZ' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'industry' });
  });

  it('are for the office and government users: not the public, not inspectors in the field', async () => {
    await measures({}, auditor);
    await measures({}, health);
    expect((await market.call(anyone, MEASURES, { year: 2026 })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await market.call(inspector, MEASURES, { year: 2026 })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
