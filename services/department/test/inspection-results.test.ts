/**
 * Results on a coded visit (issue 11 item 3; seed 004 (十二) 无码不检查; 行政处罚法 §42, §55), over
 * HTTP as the gateway calls the department, with the office's codes fed to the department's own
 * consumer. Every refusal names its field and writes nothing (no result row, no event, no audit
 * entry); a valid result is stored per item, checks the task and goes out in the outbox; under
 * 互帮代查 the delegate department's team records the delegating department's items.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq, ne } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { TOPICS } from '@onecheck/events';
import { departmentService } from '../src/index';
import { departmentConsumers } from '../src/events';
import * as schema from '../src/db/schema';

/** The audit anchor timer may write to the outbox at any moment (its first run is at start): not the change under test. */
const ANCHORS = TOPICS.audit;

const clock = testClock('2026-11-25T09:00:00+08:00');
const staff: Identity = { sub: 'clerk-1', role: 'staff', department: 'HEALTH' };
let health: TestSubgraph<typeof schema>;
const db = () => health.service.database.db;

const rng = seededRandom(20261126);
const [USCC, OTHER, TWO_PLANS] = [generateUscc(rng), generateUscc(rng), generateUscc(rng)];
const PLAN_ID = '00000000-0000-4000-8000-0000000a0011';
const ITEMS = ['WJ-GG-001', 'WJ-YL-001'];
const form = [
  { point: '从业人员持有效健康证明', answers: ['符合', '不符合'] },
  { point: '加工场所生熟分开', answers: ['符合', '不符合', '不涉及'] },
];
const ids: Record<string, string> = {};
/** 执法证号 by name. */
const badge = (name: string) => `WJ-000${'甲乙丙丁戊'.indexOf(name) + 1}`;
const fire = [randomUUID(), randomUUID()];
const visit = {
  main: randomUUID(),
  expired: randomUUID(),
  merged: randomUUID(),
  delegated: randomUUID(),
  joint: randomUUID(),
  twoPlans: randomUUID(),
  dropped: randomUUID(),
  late: randomUUID(),
};
const inspector = (name: string): Identity => ({ sub: ids[name]!, role: 'inspector', department: 'HEALTH' });
const fireInspector: Identity = { sub: fire[0]!, role: 'inspector', department: 'FIRE' };

async function deliver(type: string, data: unknown) {
  const consumers = departmentConsumers('HEALTH', { db: db(), clock, logger: undefined as never });
  const handler = consumers.flatMap((c) => Object.entries(c.handlers)).find(([t]) => t === type)![1]!;
  const event = { id: randomUUID(), type, time: clock.now().toISOString(), data };
  await db().transaction((tx) => handler(event as never, tx as never));
}

/** The office's draw of one plan: HEALTH's part is one business with these items. */
const drawn = (planId: string, uscc: string, items: string[]) => ({
  planId,
  drawId: randomUUID(),
  seed: 'ab'.repeat(32),
  secret: 'the office secret',
  publicValue: '2026153',
  poolHash: 'a'.repeat(64),
  poolSize: 10,
  windowFrom: '2026-11-01',
  windowTo: '2026-12-31',
  targets: [{ uscc, name: '会宁县第一饭店', departments: [{ department: 'HEALTH', items }] }],
  drawnAt: clock.now().toISOString(),
});

const member = (name: string, kind = 'INSPECTOR', certificateValidUntil: string | undefined = '2029-12-31') => ({
  inspectorId: ids[name]!,
  certificateNumber: badge(name),
  kind,
  ...(certificateValidUntil ? { certificateValidUntil } : {}),
});

function coded(visitId: string, code: string, changes: Record<string, unknown> = {}) {
  return {
    visitId,
    code,
    version: 1,
    uscc: USCC,
    businessName: '会宁县第一饭店',
    reason: 'PLAN',
    planIds: [PLAN_ID],
    plannedOn: '2026-11-24',
    validFrom: '2026-11-20',
    validUntil: '2026-12-31',
    departments: [
      {
        department: 'HEALTH',
        items: ITEMS,
        // 丁's certificate ended before the inspection; 戊 is an expert.
        team: [member('甲'), member('乙'), member('丁', 'INSPECTOR', '2026-11-22'), member('戊', 'EXPERT', undefined)],
      },
      { department: 'FIRE', items: ['XF-JC-001'], team: [] },
    ],
    mergedFrom: [],
    // Issued at the draw, before its window opened: an inspection may not predate its code.
    issuedAt: '2026-11-19T09:00:00+08:00',
    ...changes,
  };
}

const RECORD = `mutation ($input: InspectionResultInput!) { recordInspectionResult(department: "HEALTH", input: $input) {
  resultId code items { itemCode categories answers { point answer } officers officerCertificates experts inspectedOn
  recordedByDepartment } findings { id handling } } }`;
const valid = (changes: Record<string, unknown> = {}) => ({
  code: 'CODE-MAIN',
  inspectedOn: '2026-11-24',
  items: [
    {
      itemCode: 'WJ-GG-001',
      categories: ['NO_PROBLEM'],
      answers: [{ point: form[0]!.point, answer: '符合' }],
      evidence: ['photo-0001.jpg'],
    },
  ],
  officers: [ids['甲'], ids['乙']],
  experts: ['戊某'],
  ...changes,
});

/** What a refused request must leave as it was: results, events, findings, the audit log. */
async function written() {
  const [[results], [events], [findings], [audit]] = await Promise.all([
    db().select({ n: count() }).from(schema.inspectionResults),
    db().select({ n: count() }).from(schema.outbox).where(ne(schema.outbox.topic, ANCHORS)),
    db().select({ n: count() }).from(schema.findings),
    db().select({ n: count() }).from(schema.auditLog),
  ]);
  return { results: results!.n, events: events!.n, findings: findings!.n, audit: audit!.n };
}

async function refused(identity: Identity, input: Record<string, unknown>) {
  const before = await written();
  const r = await health.call(identity, RECORD, { input });
  expect(r.data?.recordInspectionResult ?? null).toBeNull();
  expect(await written()).toEqual(before);
  return r.errors![0]!.extensions!;
}

beforeAll(async () => {
  health = await startTestSubgraph(departmentService('HEALTH'), { clock });
  for (const code of ITEMS) {
    const r = await health.call(
      staff,
      `mutation ($input: SupervisionItemInput!) { publishSupervisionItem(input: $input) { id } }`,
      {
        input: {
          code,
          name: `事项${code}`,
          content: '检查内容',
          legalBasis: '《中华人民共和国食品安全法》第一百一十条',
          level: 'COUNTY',
          industries: ['62'],
          checkPoints: form,
        },
      },
    );
    expect(r.errors).toBeUndefined();
  }
  const people = [
    ['甲', '2029-12-31', 'INSPECTOR'],
    ['乙', '2029-12-31', 'INSPECTOR'],
    ['丙', '2029-12-31', 'INSPECTOR'],
    ['丁', '2026-11-22', 'INSPECTOR'],
    ['戊', null, 'EXPERT'],
  ] as const;
  for (const [name, certificateValidUntil, kind] of people) {
    const r = await health.call(staff, `mutation ($input: InspectorInput!) { addInspector(input: $input) { id } }`, {
      input: { name: `${name}某`, badgeNumber: badge(name), qualifications: ITEMS, certificateValidUntil, kind },
    });
    expect(r.errors).toBeUndefined();
    ids[name] = r.data!.addInspector.id;
  }
  // The office's draw gives HEALTH its inspection task for the business.
  await deliver('onecheck.draw.made.v1', drawn(PLAN_ID, USCC, ITEMS));
  await deliver('onecheck.visit.coded.v1', coded(visit.main, 'CODE-MAIN'));
  await deliver('onecheck.visit.coded.v1', coded(visit.expired, 'CODE-EXPIRED', { validUntil: '2026-11-24' }));
  await deliver('onecheck.visit.coded.v1', coded(visit.merged, 'CODE-MERGED'));
  await deliver('onecheck.visit.code-revoked.v1', {
    visitId: visit.merged,
    code: 'CODE-MERGED',
    uscc: USCC,
    reason: 'MERGED',
    mergedInto: visit.main,
    revokedAt: clock.now().toISOString(),
  });
  // 互帮代查: HEALTH's items on the other business are checked by FIRE's team.
  await deliver(
    'onecheck.visit.coded.v1',
    coded(visit.delegated, 'CODE-DELEGATED', {
      uscc: OTHER,
      planIds: [],
      reason: 'SPECIAL_ACTION',
      reasonDetail: '燃气安全专项行动',
      departments: [
        { department: 'HEALTH', items: ['WJ-GG-001'], team: [], delegatedTo: 'FIRE' },
        {
          department: 'FIRE',
          items: ['XF-JC-001'],
          team: fire.map((inspectorId, i) => ({
            inspectorId,
            certificateNumber: `XF-${i}`,
            kind: 'INSPECTOR',
            certificateValidUntil: '2028-01-01',
          })),
        },
      ],
    }),
  );
});
afterAll(() => health?.stop());

describe('refusals: each names its field and writes nothing', () => {
  it('a code the department has not received: RETRY_LATER, retryable', async () => {
    const e = await refused(inspector('甲'), valid({ code: 'CODE-NOT-YET' }));
    expect(e).toMatchObject({
      code: 'RETRY_LATER',
      field: 'code',
      retryable: true,
      messageKey: 'visitCode.notReceived',
    });
  });

  it('an expired code, and a code merged away naming the visit that carries its items', async () => {
    expect(await refused(inspector('甲'), valid({ code: 'CODE-EXPIRED' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'code',
      messageKey: 'visitCode.expired',
    });
    expect(await refused(inspector('甲'), valid({ code: 'CODE-MERGED' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'code',
      messageKey: 'visitCode.merged',
      params: { visitId: visit.main, code: 'CODE-MAIN' },
    });
  });

  it('an inspector not on the team, another department’s inspector, and staff: FORBIDDEN', async () => {
    expect(await refused(inspector('丙'), valid())).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refused(fireInspector, valid())).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refused(staff, valid())).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('an expert of the team recording: FORBIDDEN (officers record)', async () => {
    expect(await refused(inspector('戊'), valid())).toMatchObject({
      code: 'FORBIDDEN',
      messageKey: 'auth.expertRecords',
    });
  });

  it('one officer; an expert as the second; a certificate not valid on the day: officers', async () => {
    for (const officers of [[ids['甲']], [ids['甲'], ids['戊']], [ids['甲'], ids['丁']], [ids['甲'], ids['甲']]])
      expect(await refused(inspector('甲'), valid({ officers }))).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'officers',
      });
  });

  it('an inspection date in the future, or before the code is valid: inspectedOn', async () => {
    for (const inspectedOn of ['2026-11-26', '2026-11-19'])
      expect(await refused(inspector('甲'), valid({ inspectedOn }))).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'inspectedOn',
      });
  });

  it('items: not on the code, twice, NO_PROBLEM beside a problem, answers outside the form', async () => {
    const item = valid().items[0]!;
    const cases: [unknown[], string][] = [
      [[{ ...item, itemCode: 'WJ-XX-999' }], 'items.0.itemCode'],
      [[item, item], 'items.1.itemCode'],
      [[{ ...item, categories: ['NO_PROBLEM', 'PROBLEM_PENDING'] }], 'items.0.categories'],
      [[{ ...item, categories: [] }], 'items.0.categories'],
      [[{ ...item, answers: [{ point: '不存在的要点', answer: '符合' }] }], 'items.0.answers.0.point'],
      [[{ ...item, answers: [{ point: form[0]!.point, answer: '也许' }] }], 'items.0.answers.0.answer'],
    ];
    for (const [items, field] of cases)
      expect(await refused(inspector('甲'), valid({ items }))).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('a finding on an item recorded 未发现问题 (named, or every item of the recording): findings.N.itemCode', async () => {
    const finding = { description: '后厨卫生差', severity: 'GENERAL', handling: 'RECTIFICATION', dueOn: '2026-12-10' };
    for (const f of [{ ...finding, itemCode: 'WJ-GG-001' }, finding])
      expect(await refused(inspector('甲'), valid({ findings: [f] }))).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'findings.0.itemCode',
        messageKey: 'inspectionResult.findingOnNoProblem',
      });
  });
});

describe('a valid result', () => {
  it('is stored per item with the officers’ certificates and the experts apart, and goes out in the outbox', async () => {
    const before = await written();
    const r = await health.call(inspector('甲'), RECORD, { input: valid() });
    expect(r.errors).toBeUndefined();
    expect(r.data!.recordInspectionResult).toMatchObject({
      code: 'CODE-MAIN',
      items: [
        {
          itemCode: 'WJ-GG-001',
          categories: ['NO_PROBLEM'],
          officers: [ids['甲'], ids['乙']],
          officerCertificates: ['WJ-0001', 'WJ-0002'],
          experts: ['戊某'],
          inspectedOn: '2026-11-24',
          recordedByDepartment: 'HEALTH',
        },
      ],
    });
    const events = await db().select().from(schema.outbox);
    const recorded = events
      .map((e) => e.event as { type: string; data: Record<string, unknown> })
      .filter((e) => e.type === 'onecheck.inspection.recorded.v1')
      .at(-1)!;
    expect(recorded).toMatchObject({
      type: 'onecheck.inspection.recorded.v1',
      data: {
        visitId: visit.main,
        code: 'CODE-MAIN',
        department: 'HEALTH',
        recordedByDepartment: 'HEALTH',
        uscc: USCC,
        items: [{ itemCode: 'WJ-GG-001', categories: ['NO_PROBLEM'] }],
        officers: ['WJ-0001', 'WJ-0002'],
        findings: 0,
        inspectedOn: '2026-11-24',
        recordedAt: clock.now().toISOString(),
      },
    });
    expect((await written()).results).toBe(before.results + 1);
    // One item of two: the task is not checked yet.
    const [task] = await db().select().from(schema.supervisionTasks).where(eq(schema.supervisionTasks.uscc, USCC));
    expect(task!.status).toBe('PENDING_CLAIM');
  });

  it('refuses the same item again (CONFLICT), and the last item checks the task, problems found', async () => {
    expect(await refused(inspector('乙'), valid())).toMatchObject({ code: 'CONFLICT', field: 'items' });
    const r = await health.call(inspector('乙'), RECORD, {
      input: valid({
        inspectedOn: '2026-11-25',
        items: [{ itemCode: 'WJ-YL-001', categories: ['PROBLEM_CORRECTED'] }],
        findings: [
          {
            itemCode: 'WJ-YL-001',
            description: '生熟未分开',
            severity: 'GENERAL',
            handling: 'RECTIFICATION',
            dueOn: '2026-12-10',
          },
        ],
      }),
    });
    expect(r.errors).toBeUndefined();
    expect(r.data!.recordInspectionResult.findings).toHaveLength(1);
    const [task] = await db().select().from(schema.supervisionTasks).where(eq(schema.supervisionTasks.uscc, USCC));
    expect(task).toMatchObject({ status: 'CHECKED', outcome: 'PROBLEMS_FOUND', checkedOn: '2026-11-25' });
    const [finding] = await db().select().from(schema.findings).where(eq(schema.findings.taskId, task!.id));
    expect(finding).toMatchObject({ visitId: visit.main, code: 'CODE-MAIN', dueOn: '2026-12-10' });
  });

  it('shows the code, its results and its task to the team’s inspector; another inspector sees none of it', async () => {
    const Q = `{ visitCodes(department: "HEALTH") { totalCount edges { node { code status usableToday
      results { itemCode } tasks { status inspectionCode { code } } } } } }`;
    const mine = await health.call(inspector('甲'), Q);
    expect(mine.errors).toBeUndefined();
    const main = mine.data!.visitCodes.edges.find((e: { node: { code: string } }) => e.node.code === 'CODE-MAIN').node;
    expect(main).toMatchObject({ status: 'VALID', usableToday: true, tasks: [{ status: 'CHECKED' }] });
    expect(main.tasks[0].inspectionCode.code).toBe('CODE-MAIN');
    expect(main.results.map((x: { itemCode: string }) => x.itemCode).sort()).toEqual(ITEMS);
    const other = await health.call(inspector('丙'), Q);
    expect(other.data!.visitCodes.totalCount).toBe(0);
    const all = await health.call(staff, Q);
    expect(all.data!.visitCodes.totalCount).toBe(4);
    const results = await health.call(
      inspector('丙'),
      '{ inspectionResults(department: "HEALTH", code: "CODE-MAIN") { itemCode } }',
    );
    expect(results.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('互帮代查 (seed 004 (六))', () => {
  it('lets the delegate department’s team record the items, stored here and naming the team’s department', async () => {
    const input = valid({ code: 'CODE-DELEGATED', officers: fire, experts: [] });
    // HEALTH's own inspectors are not the team that checks these items.
    expect(await refused(inspector('甲'), { ...input, officers: [ids['甲'], ids['乙']] })).toMatchObject({
      code: 'FORBIDDEN',
    });
    const r = await health.call(fireInspector, RECORD, { input });
    expect(r.errors).toBeUndefined();
    expect(r.data!.recordInspectionResult.items[0]).toMatchObject({
      recordedByDepartment: 'FIRE',
      officerCertificates: ['XF-0', 'XF-1'],
    });
    const seen = await health.call(fireInspector, '{ visitCodes(department: "HEALTH") { edges { node { code } } } }');
    expect(seen.data!.visitCodes.edges.map((e: { node: { code: string } }) => e.node.code)).toEqual(['CODE-DELEGATED']);
  });
});

describe('a visit merged after results were recorded on it', () => {
  it('stops its code when the merged code arrives (before its own revocation), and the merged code shows its results', async () => {
    // The office merged CODE-MAIN's visit into a new one; its code-revoked.v1 has not arrived yet.
    await deliver('onecheck.visit.coded.v1', coded(visit.joint, 'CODE-JOINT', { mergedFrom: [visit.main] }));
    expect(
      await refused(inspector('甲'), valid({ items: [{ itemCode: 'WJ-YL-001', categories: ['NO_PROBLEM'] }] })),
    ).toMatchObject({
      field: 'code',
      messageKey: 'visitCode.merged',
      params: { visitId: visit.joint, code: 'CODE-JOINT' },
    });
    // Nor can the items recorded on the absorbed visit be recorded again on the merged one.
    expect(await refused(inspector('甲'), valid({ code: 'CODE-JOINT' }))).toMatchObject({
      code: 'CONFLICT',
      field: 'items',
    });
    const shown = await health.call(
      inspector('甲'),
      `{ inspectionResults(department: "HEALTH", code: "CODE-JOINT") { itemCode }
         visitCodes(department: "HEALTH") { edges { node { code status mergedInto results { itemCode } } } } }`,
    );
    expect(shown.errors).toBeUndefined();
    expect(shown.data!.inspectionResults.map((r: { itemCode: string }) => r.itemCode).sort()).toEqual(ITEMS);
    const nodes = shown.data!.visitCodes.edges.map((e: { node: Record<string, unknown> }) => e.node);
    const joint = nodes.find((n: { code: string }) => n.code === 'CODE-JOINT');
    expect(joint.results.map((r: { itemCode: string }) => r.itemCode).sort()).toEqual(ITEMS);
    expect(nodes.find((n: { code: string }) => n.code === 'CODE-MAIN')).toMatchObject({
      status: 'MERGED',
      mergedInto: visit.joint,
    });
    // The office's revocation arriving afterwards changes nothing.
    const before = await written();
    await deliver('onecheck.visit.code-revoked.v1', {
      visitId: visit.main,
      code: 'CODE-MAIN',
      uscc: USCC,
      reason: 'MERGED',
      mergedInto: visit.joint,
      revokedAt: clock.now().toISOString(),
    });
    expect(await written()).toEqual(before);
  });
});

describe('a visit merged from two plans', () => {
  it('puts each item, and a finding on it, on the task of the plan that has the item, and checks both', async () => {
    const plans = ['00000000-0000-4000-8000-0000000a0021', '00000000-0000-4000-8000-0000000a0022'];
    await deliver('onecheck.draw.made.v1', drawn(plans[0]!, TWO_PLANS, ['WJ-GG-001']));
    await deliver('onecheck.draw.made.v1', drawn(plans[1]!, TWO_PLANS, ['WJ-YL-001']));
    await deliver(
      'onecheck.visit.coded.v1',
      coded(visit.twoPlans, 'CODE-TWO', { uscc: TWO_PLANS, planIds: plans, mergedFrom: [] }),
    );
    const finding = {
      itemCode: 'WJ-YL-001',
      description: '生熟未分开',
      severity: 'GENERAL',
      handling: 'RECTIFICATION',
    };
    const r = await health.call(inspector('甲'), RECORD, {
      input: valid({
        code: 'CODE-TWO',
        items: [
          { itemCode: 'WJ-GG-001', categories: ['NO_PROBLEM'] },
          { itemCode: 'WJ-YL-001', categories: ['PROBLEM_CORRECTED'] },
        ],
        findings: [{ ...finding, dueOn: '2026-12-10' }],
      }),
    });
    expect(r.errors).toBeUndefined();
    const tasks = await db().select().from(schema.supervisionTasks).where(eq(schema.supervisionTasks.uscc, TWO_PLANS));
    const taskOf = (planId: string) => tasks.find((t) => t.planId === planId)!;
    expect(tasks.map((t) => t.status)).toEqual(['CHECKED', 'CHECKED']);
    const rows = await db()
      .select()
      .from(schema.inspectionResults)
      .where(eq(schema.inspectionResults.visitId, visit.twoPlans));
    expect(Object.fromEntries(rows.map((x) => [x.itemCode, x.taskId]))).toEqual({
      'WJ-GG-001': taskOf(plans[0]!).id,
      'WJ-YL-001': taskOf(plans[1]!).id,
    });
    const [found] = await db().select().from(schema.findings).where(eq(schema.findings.uscc, TWO_PLANS));
    expect(found!.taskId).toBe(taskOf(plans[1]!).id);
  });
});

describe('a code whose newer version no longer names the department', () => {
  it('takes nothing more here, and leaves the inspectors’ lists (its plan cancelled, the part dropped)', async () => {
    await deliver('onecheck.visit.coded.v1', coded(visit.dropped, 'CODE-DROPPED'));
    const fireOnly = coded(visit.dropped, 'CODE-DROPPED', { version: 2 });
    fireOnly.departments = fireOnly.departments.filter((d) => d.department !== 'HEALTH');
    await deliver('onecheck.visit.coded.v1', fireOnly);
    expect(await refused(inspector('甲'), valid({ code: 'CODE-DROPPED' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'code',
      messageKey: 'visitCode.noItemsOf',
    });
    const seen = await health.call(inspector('甲'), '{ visitCodes(department: "HEALTH") { edges { node { code } } } }');
    expect(seen.data!.visitCodes.edges.map((e: { node: { code: string } }) => e.node.code)).not.toContain(
      'CODE-DROPPED',
    );
    const [copy] = await db().select().from(schema.visitCodes).where(eq(schema.visitCodes.visitId, visit.dropped));
    expect(copy).toMatchObject({ version: 2, members: [] });
  });
});

describe('a code issued inside its window (a plan drawn late)', () => {
  it('refuses an inspection dated before the code was issued (no code, no inspection): inspectedOn', async () => {
    // Valid from the 20th, issued on the 23rd, for a business of its own (the others' codes stay as they are).
    await deliver(
      'onecheck.visit.coded.v1',
      coded(visit.late, 'CODE-LATE', { uscc: OTHER, planIds: [], issuedAt: '2026-11-23T10:00:00+08:00' }),
    );
    expect(await refused(inspector('甲'), valid({ code: 'CODE-LATE', inspectedOn: '2026-11-22' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'inspectedOn',
      messageKey: 'input.notBefore',
      params: { what: 'coding', date: '2026-11-23' },
    });
  });
});

describe('a check asked for outside plans, merged into another department’s visit', () => {
  it('is closed by the results recorded on the merged code (the task follows the visit it was merged into)', async () => {
    const uscc = generateUscc(seededRandom(4242), { region: '620422' });
    const asked = await health.call<{ requestInspectionCode: { id: string } }>(
      staff,
      `mutation ($input: InspectionCodeRequestInput!) { requestInspectionCode(department: "HEALTH", input: $input) { id } }`,
      {
        input: {
          uscc,
          reason: 'COMPLAINT',
          reasonDetail: '12345热线反映',
          items: ['WJ-GG-001'],
          officers: [ids['甲'], ids['乙']],
          validFrom: '2026-11-25',
          validUntil: '2026-12-31',
        },
      },
    );
    expect(asked.errors).toBeUndefined();
    const requestId = asked.data!.requestInspectionCode.id;
    const [request] = await db().select().from(schema.codeRequests).where(eq(schema.codeRequests.id, requestId));
    const own = randomUUID();
    const window = {
      uscc,
      planIds: [],
      reason: 'COMPLAINT',
      validFrom: '2026-11-25',
      plannedOn: '2026-11-25',
      departments: [{ department: 'HEALTH', items: ['WJ-GG-001'], team: [member('甲'), member('乙')] }],
    };
    await deliver('onecheck.visit.coded.v1', coded(own, 'CODE-ASKED', { ...window, requestId }));
    // The office merges it into another department's visit of the same business: the new code carries both.
    const merged = randomUUID();
    await deliver(
      'onecheck.visit.coded.v1',
      coded(merged, 'CODE-ASKED-MERGED', { ...window, reason: 'SPECIAL_ACTION', mergedFrom: [own] }),
    );
    const r = await health.call(inspector('甲'), RECORD, {
      input: valid({ code: 'CODE-ASKED-MERGED', inspectedOn: '2026-11-25' }),
    });
    expect(r.errors).toBeUndefined();
    const [task] = await db()
      .select()
      .from(schema.supervisionTasks)
      .where(eq(schema.supervisionTasks.id, request!.taskId));
    expect(task).toMatchObject({ status: 'CHECKED', checkedOn: '2026-11-25' });
  });
});
