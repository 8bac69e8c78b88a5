/**
 * 牵头 (谁主管谁牵头; issue 11 item 4: "the credit platform and the lead department consume them"):
 * HEALTH leads a joint plan; FIRE's finding on one of its visits — a visit without HEALTH's items,
 * whose code HEALTH keeps no copy of — reaches HEALTH and is shown by planFindings with its handling.
 * A redelivery changes nothing, a finding on another plan's visit is not kept, a finding that comes
 * before its visit's code waits for it, and a department that does not lead the plan is refused.
 * Events are fed to the department's own consumers, as the bus would.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { readAuditTrail } from '@onecheck/kit';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { departmentService } from '../src/index';
import { departmentConsumers } from '../src/events';
import * as schema from '../src/db/schema';

const clock = testClock('2026-11-25T09:00:00+08:00');
const healthStaff: Identity = { sub: 'clerk-h', role: 'staff', department: 'HEALTH' };
const healthInspector: Identity = { sub: 'insp-h', role: 'inspector', department: 'HEALTH' };
const fireStaff: Identity = { sub: 'clerk-f', role: 'staff', department: 'FIRE' };
const office: Identity = { sub: 'office-1', role: 'office' };
let health: TestSubgraph<typeof schema>;
const db = () => health.service.database.db;

const rng = seededRandom(20261211);
const [HOTEL, KTV, LATE, OTHER] = [1, 2, 3, 4].map(() => generateUscc(rng)) as [string, string, string, string];
const HEALTH_PLAN = '00000000-0000-4000-8000-0000000a0111';
const FIRE_PLAN = '00000000-0000-4000-8000-0000000a0112';
const LED_VISIT = '00000000-0000-4000-8000-0000000b0111';
const OTHER_VISIT = '00000000-0000-4000-8000-0000000b0112';
const LATE_VISIT = '00000000-0000-4000-8000-0000000b0113';
const LATE_OTHER_VISIT = '00000000-0000-4000-8000-0000000b0114';
const FOUND = '00000000-0000-4000-8000-0000000f0111';
const FOUND_ELSEWHERE = '00000000-0000-4000-8000-0000000f0112';
const FOUND_EARLY = '00000000-0000-4000-8000-0000000f0113';
const FOUND_EARLY_ELSEWHERE = '00000000-0000-4000-8000-0000000f0114';

async function deliver(type: string, data: unknown, id: string = randomUUID()) {
  const consumers = departmentConsumers('HEALTH', { db: db(), clock, logger: undefined as never });
  const handlers = consumers.flatMap((c) => Object.entries(c.handlers)).filter(([t]) => t === type);
  expect(handlers.length).toBe(1);
  const event = { id, type, time: clock.now().toISOString(), data };
  await db().transaction((tx) => handlers[0]![1]!(event as never, tx as never));
}

const plan = (planId: string, leadDepartment: string, cooperatingDepartments: string[]) => ({
  planId,
  name: `2026年联合抽查计划（${leadDepartment}牵头）`,
  year: 2026,
  industry: '62',
  leadDepartment,
  cooperatingDepartments,
  items: [{ department: 'FIRE', code: 'XF-001' }],
  listVersion: 1,
  ratios: { A: 0.05, B: 0.1, C: 0.2, D: 0.5 },
  windowFrom: '2026-11-01',
  windowTo: '2026-12-31',
  coolDownMonths: 6,
  commitment: 'ab'.repeat(32),
  status: 'PUBLISHED',
  recordedAt: clock.now().toISOString(),
});

// A visit with FIRE's items only: HEALTH is not named, so it keeps no copy of the code (visit_codes).
const coded = (visitId: string, uscc: string, planIds: string[]) => ({
  visitId,
  code: `CODE-${visitId.slice(-4)}`,
  version: 1,
  uscc,
  businessName: '会宁县某娱乐场所',
  reason: 'PLAN',
  planIds,
  plannedOn: '2026-11-20',
  validFrom: '2026-11-01',
  validUntil: '2026-12-31',
  departments: [{ department: 'FIRE', items: ['XF-001'], team: [] }],
  mergedFrom: [],
  issuedAt: clock.now().toISOString(),
});

const fireFinding = (findingId: string, visitId: string, uscc: string) => ({
  findingId,
  department: 'FIRE',
  uscc,
  taskId: randomUUID(),
  itemCode: 'XF-001',
  description: '疏散通道堵塞',
  severity: 'SERIOUS',
  handling: 'RECTIFICATION',
  recordedOn: '2026-11-20',
  visitId,
  code: `CODE-${visitId.slice(-4)}`,
  dueOn: '2026-11-30',
});

const PLAN_FINDINGS = `query ($dep: String, $plan: ID!, $first: Int, $after: String) {
  planFindings(department: $dep, planId: $plan, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id department { code } uscc visitId code itemCode description severity handling
      recordedOn status dueOn rectificationOverdue lastStep lastStepOn } } } }`;

const ledRows = async () => (await db().select({ n: count() }).from(schema.ledFindings))[0]!.n;

beforeAll(async () => {
  health = await startTestSubgraph(departmentService('HEALTH'), { clock });
  await deliver('onecheck.plan.published.v1', plan(HEALTH_PLAN, 'HEALTH', ['FIRE']));
  await deliver('onecheck.plan.published.v1', plan(FIRE_PLAN, 'FIRE', ['HEALTH']));
  await deliver('onecheck.visit.coded.v1', coded(LED_VISIT, HOTEL, [HEALTH_PLAN]));
  await deliver('onecheck.visit.coded.v1', coded(OTHER_VISIT, KTV, [FIRE_PLAN]));
});
afterAll(() => health?.stop());

describe('the lead department follows the findings on its plans’ visits', () => {
  it("keeps FIRE's finding on a visit of the plan HEALTH leads, and shows it with its handling", async () => {
    await deliver('onecheck.finding.recorded.v1', fireFinding(FOUND, LED_VISIT, HOTEL), 'recorded-1');
    const r = await health.call(healthStaff, PLAN_FINDINGS, { dep: 'HEALTH', plan: HEALTH_PLAN });
    expect(r.errors).toBeUndefined();
    expect(r.data!.planFindings.totalCount).toBe(1);
    expect(r.data!.planFindings.edges[0].node).toEqual({
      id: FOUND,
      department: { code: 'FIRE' },
      uscc: HOTEL,
      visitId: LED_VISIT,
      code: `CODE-${LED_VISIT.slice(-4)}`,
      itemCode: 'XF-001',
      description: '疏散通道堵塞',
      severity: 'SERIOUS',
      handling: 'RECTIFICATION',
      recordedOn: '2026-11-20',
      status: 'OPEN',
      dueOn: '2026-11-30',
      rectificationOverdue: false,
      lastStep: null,
      lastStepOn: null,
    });
    const trail = await readAuditTrail(db(), { kind: 'finding', id: FOUND });
    expect(trail.map((e) => e.action)).toEqual(['receiveFindings']);
  });

  it('changes nothing when the same finding is delivered again', async () => {
    const before = await ledRows();
    await deliver('onecheck.finding.recorded.v1', fireFinding(FOUND, LED_VISIT, HOTEL), 'recorded-1');
    await deliver('onecheck.finding.recorded.v1', fireFinding(FOUND, LED_VISIT, HOTEL));
    expect(await ledRows()).toBe(before);
    expect(await readAuditTrail(db(), { kind: 'finding', id: FOUND })).toHaveLength(1);
  });

  it('follows a step of its handling: a re-check that found it rectified closes it', async () => {
    const step = (s: Record<string, unknown>) => ({
      findingId: FOUND,
      homeDepartment: 'FIRE',
      department: 'FIRE',
      uscc: HOTEL,
      recordedAt: clock.now().toISOString(),
      ...s,
    });
    await deliver('onecheck.finding.handled.v1', step({ step: 'CASE_OPENED', on: '2026-11-21' }));
    let r = await health.call(healthStaff, PLAN_FINDINGS, { dep: 'HEALTH', plan: HEALTH_PLAN });
    expect(r.data!.planFindings.edges[0].node).toMatchObject({
      status: 'OPEN',
      lastStep: 'CASE_OPENED',
      lastStepOn: '2026-11-21',
    });
    const rechecked = step({ step: 'RECHECKED', rectified: true, on: '2026-11-25' });
    await deliver('onecheck.finding.handled.v1', rechecked);
    await deliver('onecheck.finding.handled.v1', rechecked);
    r = await health.call(healthStaff, PLAN_FINDINGS, { dep: 'HEALTH', plan: HEALTH_PLAN });
    expect(r.data!.planFindings.edges[0].node).toMatchObject({
      status: 'CLOSED',
      lastStep: 'RECHECKED',
      lastStepOn: '2026-11-25',
      rectificationOverdue: false,
    });
    const trail = await readAuditTrail(db(), { kind: 'finding', id: FOUND });
    expect(trail.map((e) => e.action)).toEqual(['receiveFindings', 'receiveFindingSteps', 'receiveFindingSteps']);
  });

  it('does not keep a finding on a visit of a plan another department leads', async () => {
    const before = await ledRows();
    await deliver('onecheck.finding.recorded.v1', fireFinding(FOUND_ELSEWHERE, OTHER_VISIT, KTV));
    expect(await ledRows()).toBe(before);
    expect(await readAuditTrail(db(), { kind: 'finding', id: FOUND_ELSEWHERE })).toHaveLength(0);
  });

  it("keeps a finding that came before its visit's code once the code shows the visit is of its plan, and drops the other", async () => {
    await deliver('onecheck.finding.recorded.v1', fireFinding(FOUND_EARLY, LATE_VISIT, LATE));
    await deliver('onecheck.finding.recorded.v1', fireFinding(FOUND_EARLY_ELSEWHERE, LATE_OTHER_VISIT, OTHER));
    let r = await health.call(healthStaff, PLAN_FINDINGS, { dep: 'HEALTH', plan: HEALTH_PLAN });
    expect(r.data!.planFindings.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([FOUND]);
    await deliver('onecheck.visit.coded.v1', coded(LATE_VISIT, LATE, [HEALTH_PLAN]));
    await deliver('onecheck.visit.coded.v1', coded(LATE_OTHER_VISIT, OTHER, [FIRE_PLAN]));
    r = await health.call(healthStaff, PLAN_FINDINGS, { dep: 'HEALTH', plan: HEALTH_PLAN, first: 1 });
    expect(r.data!.planFindings.totalCount).toBe(2);
    const first = r.data!.planFindings;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = await health.call(healthStaff, PLAN_FINDINGS, {
      dep: 'HEALTH',
      plan: HEALTH_PLAN,
      after: first.pageInfo.endCursor,
    });
    const seen = [
      first.edges[0].node.id,
      ...next.data!.planFindings.edges.map((e: { node: { id: string } }) => e.node.id),
    ];
    expect(seen.sort()).toEqual([FOUND, FOUND_EARLY].sort());
    const rows = await db().select().from(schema.ledFindings);
    expect(rows.map((f) => f.findingId).sort()).toEqual([FOUND, FOUND_EARLY].sort());
  });
});

describe('who reads a plan’s findings', () => {
  it('the office reads them too', async () => {
    const r = await health.call(office, PLAN_FINDINGS, { dep: 'HEALTH', plan: HEALTH_PLAN });
    expect(r.errors).toBeUndefined();
    expect(r.data!.planFindings.totalCount).toBe(2);
  });

  it('refuses the lead department a plan it does not lead, and another department the lead’s plan', async () => {
    for (const [who, planId] of [
      [healthStaff, FIRE_PLAN],
      [fireStaff, HEALTH_PLAN],
      [healthInspector, HEALTH_PLAN],
    ] as const) {
      const r = await health.call(who, PLAN_FINDINGS, { dep: 'HEALTH', plan: planId });
      expect(r.errors?.[0]?.extensions).toMatchObject({
        code: 'FORBIDDEN',
        messageKey: 'auth.planFindingsForbidden',
      });
      expect(r.data?.planFindings ?? null).toBeNull();
    }
  });

  it('tells the office that the department does not lead the plan', async () => {
    const r = await health.call(office, PLAN_FINDINGS, { dep: 'HEALTH', plan: FIRE_PLAN });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'planId' });
  });

  it('stops treating a plan as led when an adjustment names another lead', async () => {
    await deliver('onecheck.plan.adjusted.v1', {
      ...plan(HEALTH_PLAN, 'EMERGENCY', ['FIRE', 'HEALTH']),
      adjustment: { kind: 'RATIO', reason: '调整牵头部门', filedAt: clock.now().toISOString() },
    });
    const r = await health.call(healthStaff, PLAN_FINDINGS, { dep: 'HEALTH', plan: HEALTH_PLAN });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const trail = await readAuditTrail(db(), { kind: 'plan', id: HEALTH_PLAN });
    expect(trail.map((e) => e.action)).toEqual(['receivePlans', 'receivePlans']);
  });
});
