/**
 * Results received, the 经营异常名录 and 一公开 (issue 11 items 3 and 5; seed 000 §二(二)9, 001;
 * 企业信息公示暂行条例 §17; docs/publication.md), over HTTP as the gateway calls the market subgraph,
 * with the departments' results delivered as the bus would: a visit is RECORDED once every
 * department's items have results; a 无法联系 result lists the business once; a task completed on
 * 2026-09-30 is due 2026-11-03 under the official calendar and overdue from 2026-11-04; published
 * results carry nothing personal beyond certificate numbers and go out on the public topic;
 * publishing early, twice or for another department is refused.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import type { ResultCategory } from '@onecheck/contracts';
import { actorOf } from '@onecheck/kit';
import * as schema from '../src/db/schema';
import { registerEnterprise } from '../src/domain/enterprise';
import { anyone, inspectionRecorded, listItem, marketFixture, office, staffOf, teamOfTwo } from './fixtures';

const clock = testClock('2026-03-02');
const health = staffOf('HEALTH');
const fire = staffOf('FIRE');
const education = staffOf('EDUCATION');
const rng = seededRandom(1111);
const fx = marketFixture(clock);

const ITEMS = { HEALTH: 'WJ-CY-001', MARKET: 'SC-SP-001', FIRE: 'XF-01' } as const;
type Dept = keyof typeof ITEMS;
const DEPARTMENTS = Object.keys(ITEMS) as Dept[];
/** The inspectors' ids (never public) and certificate numbers (public, 行政处罚法 §55). */
const inspectorIds = {
  HEALTH: [randomUUID(), randomUUID()],
  MARKET: [randomUUID(), randomUUID()],
  FIRE: [randomUUID(), randomUUID()],
};
const certificates = (d: Dept) => [`${d}-ZF-001`, `${d}-ZF-002`];
const COMPLAINT_DETAIL = '王某某投诉后厨卫生问题';

let planId: string;
const businesses: { uscc: string; name: string }[] = [];
const planVisits: string[] = [];
let complaintVisit: string;

/** A department's result on a visit, as the department's event carries it. */
function result(visitId: string, uscc: string, department: Dept, categories: ResultCategory[] = ['NO_PROBLEM']) {
  return inspectionRecorded(clock, {
    visitId,
    uscc,
    department,
    items: { [ITEMS[department]]: categories },
    code: visitCodes.get(visitId)!,
    officers: certificates(department),
  });
}

const visitCodes = new Map<string, string>(); // visit id → its inspection code

/** A department's drawn team of two (its inspectors' ids and certificate numbers above). */
const teamOf = (department: Dept) => teamOfTwo(certificates(department), inspectorIds[department]);

const TASKS = `inspectionTasks { department { code } visits recorded completedOn publishBy publishedAt publicationOverdue }`;
const tasksOf = async (who: Identity = office) => {
  const r = await fx.market.call(who, `query ($id: ID!) { jointPlan(id: $id) { ${TASKS} } }`, { id: planId });
  expect(r.errors).toBeUndefined();
  return r.data!.jointPlan.inspectionTasks as {
    department: { code: string };
    visits: number;
    recorded: number;
    completedOn: string | null;
    publishBy: string | null;
    publishedAt: string | null;
    publicationOverdue: boolean;
  }[];
};
const taskOf = async (department: Dept) => (await tasksOf()).find((t) => t.department.code === department)!;
const PUBLISH = `mutation ($planId: ID!, $department: String!) {
  publishInspectionResults(planId: $planId, department: $department) { department { code } visits recorded publishedAt publicationOverdue }
}`;
const OVERDUE = `{ overduePublications { plan { id } visitId department { code } completedOn publishBy publicationOverdue } }`;
const PUBLISHED = `query ($uscc: String, $planId: ID, $department: String, $first: Int, $after: String) {
  publishedResults(uscc: $uscc, planId: $planId, department: $department, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id visitId planId reason department { code } uscc businessName
      items { itemCode itemName categories } inspectedOn departments { code } certificateNumbers publishBy publishedAt } }
  }
}`;
const codes = (tasks: { department: { code: string } }[]) => tasks.map((t) => t.department.code).sort();
beforeAll(async () => {
  await fx.start();
  const db = fx.db();
  for (const [department, code] of Object.entries(ITEMS))
    await fx.deliver('onecheck.item.published.v1', listItem(clock, department, code));
  for (let n = 0; n < 2; n++) {
    const uscc = generateUscc(rng, { region: '420626' });
    const name = `保康县第${n}餐馆`;
    await registerEnterprise(
      db,
      { uscc, name, legalRepresentative: '张三', industry: '62', region: '420626', address: '城关镇' },
      clock,
      actorOf(office),
    );
    businesses.push({ uscc, name });
  }
  planId = await fx.runPlan(health, {
    name: '2026年度餐饮业联合抽查',
    year: 2026,
    industry: '62',
    leadDepartment: 'HEALTH',
    cooperatingDepartments: ['MARKET', 'FIRE'],
    items: DEPARTMENTS.map((department) => ({ department, code: ITEMS[department] })),
    ratios: { A: 1, B: 1, C: 1, D: 1 },
    windowFrom: '2026-04-01',
    windowTo: '2026-11-30',
    coolDownMonths: 0,
  });
  const usccs = businesses.map((b) => b.uscc);
  for (const department of DEPARTMENTS)
    await fx.sendTeams(
      planId,
      department,
      usccs.map((uscc) => ({ uscc, team: teamOf(department) })),
    );
  for (const b of businesses) {
    const [visit] = await db.select().from(schema.visits).where(eq(schema.visits.uscc, b.uscc));
    expect(visit).toMatchObject({ status: 'CODED', planIds: [planId] });
    planVisits.push(visit!.id);
    visitCodes.set(visit!.id, visit!.code!);
  }
  // A complaint check outside plans (投诉举报), coded at once at the department's request.
  const requestId = randomUUID();
  await fx.deliver('onecheck.inspection.code-requested.v1', {
    requestId,
    department: 'HEALTH',
    uscc: businesses[0]!.uscc,
    reason: 'COMPLAINT',
    reasonDetail: COMPLAINT_DETAIL,
    items: [ITEMS.HEALTH],
    team: teamOf('HEALTH'),
    validFrom: '2026-11-02',
    validUntil: '2026-11-30',
    requestedAt: clock.now().toISOString(),
  });
  const [complaint] = await db.select().from(schema.visits).where(eq(schema.visits.requestId, requestId));
  complaintVisit = complaint!.id;
  visitCodes.set(complaint!.id, complaint!.code!);
  clock.set('2026-09-28');
});
afterAll(() => fx.stop());

describe('results received', () => {
  it('are kept once per result; the visit is RECORDED when every department has recorded every item', async () => {
    const db = fx.db();
    const [visitId, { uscc }] = [planVisits[0]!, businesses[0]!];
    const health1 = result(visitId, uscc, 'HEALTH');
    const eventId = await fx.deliver('onecheck.inspection.recorded.v1', health1);
    // Redelivered (same event, or the same result again): nothing more.
    await fx.deliver('onecheck.inspection.recorded.v1', health1, eventId);
    await fx.deliver('onecheck.inspection.recorded.v1', health1);
    expect(await db.select().from(schema.visitResults).where(eq(schema.visitResults.visitId, visitId))).toHaveLength(1);
    await fx.deliver('onecheck.inspection.recorded.v1', result(visitId, uscc, 'MARKET'));
    const status = async () => (await db.select().from(schema.visits).where(eq(schema.visits.id, visitId)))[0]!.status;
    expect(await status()).toBe('CODED');
    await fx.deliver('onecheck.inspection.recorded.v1', result(visitId, uscc, 'FIRE'));
    expect(await status()).toBe('RECORDED');
    const trail = (await db.select().from(schema.auditLog).where(eq(schema.auditLog.entityId, visitId))).filter(
      (t) => t.action === 'receiveVisitResults',
    );
    expect(trail).toHaveLength(3);
    expect(trail.at(-1)!.after).toMatchObject({ status: 'RECORDED' });
  });
});

describe('经营异常名录 (企业信息公示暂行条例 §17)', () => {
  it('lists a business once from a 无法联系 result, tells the credit platform, and shows it on the business', async () => {
    const [visitId, { uscc }] = [planVisits[1]!, businesses[1]!];
    await fx.deliver('onecheck.inspection.recorded.v1', result(visitId, uscc, 'MARKET', ['UNREACHABLE_AT_ADDRESS']));
    // A second department finding the same: still listed once.
    await fx.deliver(
      'onecheck.inspection.recorded.v1',
      result(visitId, uscc, 'FIRE', ['UNREACHABLE_AT_ADDRESS', 'PROBLEM_PENDING']),
    );
    const events = (await fx.outbox('onecheck.enterprise.abnormal-listed.v1')).filter((e) => e.data.uscc === uscc);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      key: uscc,
      topic: 'onecheck.market.enterprise',
      data: { uscc, cause: 'UNREACHABLE_AT_ADDRESS', department: 'MARKET', visitId, listedOn: '2026-09-28' },
    });
    const r = await fx.market.call(
      health,
      `query ($uscc: String!) { enterprise(uscc: $uscc) { abnormalListings { cause listedOn department { code } visitId removedOn } } }`,
      { uscc },
    );
    expect(r.data!.enterprise.abnormalListings).toEqual([
      {
        cause: 'UNREACHABLE_AT_ADDRESS',
        listedOn: '2026-09-28',
        department: { code: 'MARKET' },
        visitId,
        removedOn: null,
      },
    ]);
    const other = await fx.market.call(
      health,
      `query ($u: String!) { enterprise(uscc: $u) { abnormalListings { id } } }`,
      {
        u: businesses[0]!.uscc,
      },
    );
    expect(other.data!.enterprise.abnormalListings).toEqual([]);
  });
});

describe('一公开: a task completed on 2026-09-30 is due 2026-11-03 (official calendar)', () => {
  it('is refused before its task is complete, with the count and the field', async () => {
    expect(await taskOf('HEALTH')).toMatchObject({ visits: 2, recorded: 1, completedOn: null, publishBy: null });
    const r = await fx.market.call(health, PUBLISH, { planId, department: 'HEALTH' });
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      field: 'planId',
      messageKey: 'publication.taskNotComplete',
      params: { recorded: 1, visits: 2 },
    });
    expect(await fx.outbox('onecheck.result.published.v1')).toHaveLength(0);
  });

  it('completes with its last visit recorded: due 20 working days later (国庆 and 调休 counted)', async () => {
    clock.set('2026-09-30T15:00:00+08:00');
    await fx.deliver('onecheck.inspection.recorded.v1', result(planVisits[1]!, businesses[1]!.uscc, 'HEALTH'));
    expect(await taskOf('HEALTH')).toMatchObject({
      visits: 2,
      recorded: 2,
      completedOn: '2026-09-30',
      publishBy: '2026-11-03',
      publishedAt: null,
      publicationOverdue: false,
    });
    // FIRE's task: both visits recorded on 2026-09-28, so due two working days earlier.
    expect(await taskOf('FIRE')).toMatchObject({ recorded: 2, completedOn: '2026-09-28', publishBy: '2026-10-30' });
  });

  it('is not overdue on 2026-11-03 and is listed overdue for the office from 2026-11-04', async () => {
    clock.set('2026-11-03T23:00:00+08:00');
    const onTime = await fx.market.call(office, OVERDUE);
    expect(codes(onTime.data!.overduePublications)).toEqual(['FIRE', 'MARKET']);
    clock.set('2026-11-04T08:00:00+08:00');
    const late = await fx.market.call(office, OVERDUE);
    expect(late.data!.overduePublications).toContainEqual({
      plan: { id: planId },
      visitId: null,
      department: { code: 'HEALTH' },
      completedOn: '2026-09-30',
      publishBy: '2026-11-03',
      publicationOverdue: true,
    });
    // A department's staff see their own; the public nothing.
    const own = await fx.market.call(fire, OVERDUE);
    expect(codes(own.data!.overduePublications)).toEqual(['FIRE']);
    expect((await fx.market.call(anyone, OVERDUE)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses another department, a department outside the plan, and the public', async () => {
    const other = await fx.market.call(fire, PUBLISH, { planId, department: 'HEALTH' });
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const outside = await fx.market.call(education, PUBLISH, { planId, department: 'EDUCATION' });
    expect(outside.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'department' });
    expect(
      (await fx.market.call(anyone, PUBLISH, { planId, department: 'HEALTH' })).errors?.[0]?.extensions?.code,
    ).toBe('UNAUTHENTICATED');
    expect(await fx.outbox('onecheck.result.published.v1')).toHaveLength(0);
  });

  it("publishes the department's results: public records without personal data, on the public topic", async () => {
    const r = await fx.market.call(health, PUBLISH, { planId, department: 'HEALTH' });
    expect(r.errors).toBeUndefined();
    expect(r.data!.publishInspectionResults).toMatchObject({
      department: { code: 'HEALTH' },
      visits: 2,
      recorded: 2,
      publicationOverdue: false,
    });
    const events = await fx.outbox('onecheck.result.published.v1');
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(e.topic).toBe('onecheck.public.result');
      expect(e.key).toBe(e.data.uscc);
      expect(Object.keys(e.data).sort()).toEqual(
        [
          'businessName',
          'certificateNumbers',
          'department',
          'departments',
          'inspectedOn',
          'items',
          'planId',
          'publicationId',
          'publishedAt',
          'reason',
          'uscc',
          'visitId',
        ].sort(),
      );
    }
    const [first] = events.filter((e) => e.data.visitId === planVisits[0]);
    expect(first!.data).toMatchObject({
      planId,
      department: 'HEALTH',
      uscc: businesses[0]!.uscc,
      businessName: businesses[0]!.name,
      items: [{ itemCode: 'WJ-CY-001', itemName: 'WJ-CY-001 检查事项', categories: ['NO_PROBLEM'] }],
      inspectedOn: '2026-09-28',
      departments: ['FIRE', 'HEALTH', 'MARKET'],
      certificateNumbers: ['HEALTH-ZF-001', 'HEALTH-ZF-002'],
    });
    // Nothing personal: no inspector id anywhere, no legal representative.
    const text = JSON.stringify(events);
    for (const id of Object.values(inspectorIds).flat()) expect(text).not.toContain(id);
    expect(text).not.toContain('张三');

    // The public query, without a token.
    const pub = await fx.market.call(anyone, PUBLISHED, { planId, department: 'HEALTH' });
    expect(pub.errors).toBeUndefined();
    expect(pub.data!.publishedResults.totalCount).toBe(2);
    const text2 = JSON.stringify(pub.data);
    for (const id of Object.values(inspectorIds).flat()) expect(text2).not.toContain(id);
    const page1 = await fx.market.call(anyone, PUBLISHED, { planId, first: 1 });
    expect(page1.data!.publishedResults.pageInfo.hasNextPage).toBe(true);
    const page2 = await fx.market.call(anyone, PUBLISHED, {
      planId,
      first: 1,
      after: page1.data!.publishedResults.pageInfo.endCursor,
    });
    expect(page2.data!.publishedResults.edges[0].node.id).not.toBe(page1.data!.publishedResults.edges[0].node.id);
    expect(page2.data!.publishedResults.pageInfo.hasNextPage).toBe(false);
    const byBusiness = await fx.market.call(anyone, PUBLISHED, { uscc: businesses[1]!.uscc });
    expect(byBusiness.data!.publishedResults.edges.map((e: any) => e.node.visitId)).toEqual([planVisits[1]]);

    // Published late (due 2026-11-03): no longer listed overdue, and the task says when.
    const task = await taskOf('HEALTH');
    expect(task).toMatchObject({ publishBy: '2026-11-03', publicationOverdue: false });
    expect(task.publishedAt).toBe('2026-11-04T00:00:00.000Z');
    const overdue = await fx.market.call(office, OVERDUE);
    expect(codes(overdue.data!.overduePublications)).toEqual(['FIRE', 'MARKET']);
  });

  it('is refused a second time, naming when it was published', async () => {
    const r = await fx.market.call(office, PUBLISH, { planId, department: 'HEALTH' });
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'publication.publishedAlready',
      params: { publishedAt: '2026-11-04T00:00:00.000Z' },
    });
    expect(await fx.outbox('onecheck.result.published.v1')).toHaveLength(2);
  });
});

describe('一公开 of a check outside plans (投诉举报)', () => {
  const PUBLISH_VISIT = `mutation ($visitId: ID!, $department: String!) {
    publishVisitResults(visitId: $visitId, department: $department) { visitId planId reason department { code } items { itemCode categories } publishBy certificateNumbers }
  }`;

  it('is refused before its result, and for a plan visit (published through its task)', async () => {
    const early = await fx.market.call(health, PUBLISH_VISIT, { visitId: complaintVisit, department: 'HEALTH' });
    expect(early.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      field: 'visitId',
      messageKey: 'publication.visitNotRecorded',
    });
    const inPlan = await fx.market.call(health, PUBLISH_VISIT, { visitId: planVisits[0], department: 'HEALTH' });
    expect(inPlan.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'publication.visitInPlan' });
    const notOn = await fx.market.call(fire, PUBLISH_VISIT, { visitId: complaintVisit, department: 'FIRE' });
    expect(notOn.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'department' });
  });

  it('is due 20 working days after its result, published once, without the complaint', async () => {
    clock.set('2026-11-05T10:00:00+08:00');
    await fx.deliver(
      'onecheck.inspection.recorded.v1',
      result(complaintVisit, businesses[0]!.uscc, 'HEALTH', ['PROBLEM_CORRECTED']),
    );
    const before = await fx.market.call(health, `{ overduePublications { visitId } }`);
    expect(before.data!.overduePublications).toEqual([]);
    const r = await fx.market.call(health, PUBLISH_VISIT, { visitId: complaintVisit, department: 'HEALTH' });
    expect(r.errors).toBeUndefined();
    expect(r.data!.publishVisitResults).toMatchObject({
      visitId: complaintVisit,
      planId: null,
      reason: 'COMPLAINT',
      department: { code: 'HEALTH' },
      items: [{ itemCode: 'WJ-CY-001', categories: ['PROBLEM_CORRECTED'] }],
      publishBy: '2026-12-03',
    });
    const [event] = (await fx.outbox('onecheck.result.published.v1')).filter((e) => e.data.visitId === complaintVisit);
    expect(event!.data.planId).toBeUndefined();
    expect(JSON.stringify(event)).not.toContain('投诉后厨');
    const again = await fx.market.call(office, PUBLISH_VISIT, { visitId: complaintVisit, department: 'HEALTH' });
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'publication.publishedAlready',
    });
  });
});
