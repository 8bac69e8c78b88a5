/**
 * Teams out, codes in, checks outside plans (issue 11 items 1–3, the department's side; seed 001
 * exemptions, seed 004 (十二) 无码不检查): the inspector draw tells the office each business's team;
 * the office's codes become the department's own copy, the highest version winning and a
 * revocation marking it; a check outside plans is asked for with its officers, refused when they
 * do not qualify, and shows its code once the office answered. Events are fed to the department's
 * own consumer, as the bus would.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq, ne } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { readAuditTrail } from '@onecheck/kit';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { TOPICS } from '@onecheck/events';
import { departmentService } from '../src/index';
import { departmentConsumers } from '../src/events';
import * as schema from '../src/db/schema';

/** The audit anchor timer may write to the outbox at any moment (its first run is at start): not the change under test. */
const ANCHORS = TOPICS.audit;

const clock = testClock('2026-11-25T09:00:00+08:00');
const staff: Identity = { sub: 'clerk-1', role: 'staff', department: 'HEALTH' };
const fireStaff: Identity = { sub: 'fire-1', role: 'staff', department: 'FIRE' };
let health: TestSubgraph<typeof schema>;
const db = () => health.service.database.db;

const rng = seededRandom(20261127);
const [DRAWN, SHORT, COMPLAINED] = [generateUscc(rng), generateUscc(rng), generateUscc(rng)];
const PLAN_ID = '00000000-0000-4000-8000-0000000a0021';
const DRAW_ID = '00000000-0000-4000-8000-0000000d0021';
const ids: Record<string, string> = {};

async function deliver(type: string, data: unknown) {
  const consumers = departmentConsumers('HEALTH', { db: db(), clock, logger: undefined as never });
  const handler = consumers.flatMap((c) => Object.entries(c.handlers)).find(([t]) => t === type)![1]!;
  const event = { id: randomUUID(), type, time: clock.now().toISOString(), data };
  await db().transaction((tx) => handler(event as never, tx as never));
}

async function events(type: string) {
  const rows = await db().select().from(schema.outbox);
  return rows
    .map((r) => ({ key: r.key, ...(r.event as { type: string; data: Record<string, any> }) }))
    .filter((e) => e.type === type);
}

beforeAll(async () => {
  health = await startTestSubgraph(departmentService('HEALTH'), { clock });
  for (const code of ['WJ-GG-001', 'WJ-YL-001']) {
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
        },
      },
    );
    expect(r.errors).toBeUndefined();
  }
  const people = [
    ['甲', 'WJ-0001', ['WJ-GG-001', 'WJ-YL-001'], '2029-12-31', 'INSPECTOR'],
    ['乙', 'WJ-0002', ['WJ-GG-001'], '2029-12-31', 'INSPECTOR'],
    ['丙', 'WJ-0003', ['WJ-GG-001'], '2029-12-31', 'INSPECTOR'],
    ['丁', 'WJ-0004', ['WJ-GG-001', 'WJ-YL-001'], '2026-12-15', 'INSPECTOR'],
    ['戊', 'WJ-0005', ['WJ-GG-001', 'WJ-YL-001'], null, 'EXPERT'],
  ] as const;
  for (const [name, badgeNumber, qualifications, certificateValidUntil, kind] of people) {
    const r = await health.call(staff, `mutation ($input: InspectorInput!) { addInspector(input: $input) { id } }`, {
      input: { name: `${name}某`, badgeNumber, qualifications, certificateValidUntil, kind },
    });
    expect(r.errors).toBeUndefined();
    ids[name] = r.data!.addInspector.id;
  }
  const declared = await health.call(
    staff,
    `mutation ($id: ID!, $uscc: String!) { declareConflict(inspectorId: $id, uscc: $uscc, reason: "亲属经营") { id } }`,
    { id: ids['乙'], uscc: COMPLAINED },
  );
  expect(declared.errors).toBeUndefined();
  await deliver('onecheck.draw.made.v1', {
    planId: PLAN_ID,
    drawId: DRAW_ID,
    seed: 'cd'.repeat(32),
    secret: 'the office secret',
    publicValue: '2026153',
    poolHash: 'a'.repeat(64),
    poolSize: 10,
    windowFrom: '2026-11-01',
    windowTo: '2026-12-31',
    targets: [
      { uscc: DRAWN, name: '会宁县第一饭店', departments: [{ department: 'HEALTH', items: ['WJ-GG-001'] }] },
      // Only 甲 and 丁 hold WJ-YL-001, and 丁's certificate ends inside the window: no team.
      { uscc: SHORT, name: '会宁县诊所', departments: [{ department: 'HEALTH', items: ['WJ-YL-001'] }] },
    ],
    drawnAt: clock.now().toISOString(),
  });
});
afterAll(() => health?.stop());

describe('teams out', () => {
  it('publishes every business of the part with its task and team, or [] and the shortfall', async () => {
    const [drawn] = await events('onecheck.inspection.teams-drawn.v1');
    expect(drawn).toMatchObject({ key: PLAN_ID, data: { drawId: DRAW_ID, planId: PLAN_ID, department: 'HEALTH' } });
    const tasks = await db().select().from(schema.supervisionTasks);
    const byUscc = Object.fromEntries(drawn!.data.teams.map((t: { uscc: string }) => [t.uscc, t]));
    expect(byUscc[SHORT]).toEqual({
      uscc: SHORT,
      taskId: tasks.find((t) => t.uscc === SHORT)!.id,
      team: [],
      shortfall: 'NO_QUALIFIED_INSPECTORS',
    });
    const team = byUscc[DRAWN];
    expect(team.taskId).toBe(tasks.find((t) => t.uscc === DRAWN)!.id);
    expect(team.shortfall).toBeUndefined();
    expect(team.team).toHaveLength(2);
    for (const m of team.team) {
      const name = Object.keys(ids).find((n) => ids[n] === m.inspectorId)!;
      expect(['甲', '乙', '丙']).toContain(name);
      expect(m).toEqual({
        inspectorId: ids[name],
        certificateNumber: `WJ-000${'甲乙丙丁戊'.indexOf(name) + 1}`,
        kind: 'INSPECTOR',
        certificateValidUntil: '2029-12-31',
      });
    }
  });
});

const VISIT = randomUUID();
const coded = (version: number, changes: Record<string, unknown> = {}) => ({
  visitId: VISIT,
  code: 'CODE-DRAWN',
  version,
  uscc: DRAWN,
  businessName: '会宁县第一饭店',
  reason: 'PLAN',
  planIds: [PLAN_ID],
  plannedOn: '2026-12-01',
  validFrom: '2026-11-20',
  validUntil: '2026-12-31',
  departments: [
    {
      department: 'HEALTH',
      items: ['WJ-GG-001'],
      team: [{ inspectorId: ids['甲'], certificateNumber: 'WJ-0001', kind: 'INSPECTOR' }],
    },
  ],
  mergedFrom: [],
  issuedAt: clock.now().toISOString(),
  ...changes,
});

describe('codes in', () => {
  it('keeps the highest version, linked to the task; an older or repeated version changes nothing', async () => {
    await deliver('onecheck.visit.coded.v1', coded(2, { plannedOn: '2026-12-02' }));
    await deliver('onecheck.visit.coded.v1', coded(1));
    await deliver('onecheck.visit.coded.v1', coded(2, { plannedOn: '2026-12-09' }));
    const [copy] = await db().select().from(schema.visitCodes);
    expect(copy).toMatchObject({ version: 2, plannedOn: '2026-12-02', status: 'VALID' });
    const [task] = await db().select().from(schema.supervisionTasks).where(eq(schema.supervisionTasks.uscc, DRAWN));
    expect(copy!.taskIds).toEqual([task!.id]);
    await deliver('onecheck.visit.coded.v1', coded(3, { plannedOn: '2026-12-03' }));
    const r = await health.call(
      staff,
      `query ($id: ID!) { supervisionTask(id: $id) { inspectionCode { code version plannedOn } } }`,
      { id: task!.id },
    );
    expect(r.data!.supervisionTask.inspectionCode).toEqual({ code: 'CODE-DRAWN', version: 3, plannedOn: '2026-12-03' });
    expect((await readAuditTrail(db(), { kind: 'visitCode', id: VISIT })).map((e) => e.action)).toEqual([
      'receiveCodes',
      'receiveCodes',
    ]);
  });

  it('ignores a code that does not name the department', async () => {
    await deliver('onecheck.visit.coded.v1', {
      ...coded(1),
      visitId: randomUUID(),
      code: 'CODE-FIRE-ONLY',
      departments: [{ department: 'FIRE', items: ['XF-JC-001'], team: [] }],
    });
    expect((await db().select({ n: count() }).from(schema.visitCodes))[0]!.n).toBe(1);
  });

  it('marks a revoked code, naming the visit it was merged into', async () => {
    const into = randomUUID();
    await deliver('onecheck.visit.code-revoked.v1', {
      visitId: VISIT,
      code: 'CODE-DRAWN',
      uscc: DRAWN,
      reason: 'MERGED',
      mergedInto: into,
      revokedAt: clock.now().toISOString(),
    });
    const r = await health.call(staff, '{ visitCodes { edges { node { code status mergedInto usableToday } } } }');
    expect(r.data!.visitCodes.edges[0].node).toEqual({
      code: 'CODE-DRAWN',
      status: 'MERGED',
      mergedInto: into,
      usableToday: false,
    });
  });
});

const REQUEST = `mutation ($input: InspectionCodeRequestInput!) { requestInspectionCode(input: $input) {
  id reason items team { inspectorId certificateNumber kind } code task { id kind status items checkBy } } }`;
const request = (changes: Record<string, unknown> = {}) => ({
  uscc: COMPLAINED,
  reason: 'COMPLAINT',
  reasonDetail: '群众反映后厨卫生状况差',
  items: ['WJ-GG-001'],
  officers: [ids['甲'], ids['丙']],
  validFrom: '2026-11-25',
  validUntil: '2026-12-10',
  ...changes,
});

describe('checks outside plans', () => {
  it('refuses items not its own, too few or unfit officers, a PLAN reason, and writes nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ items: ['XF-JC-001'] }, 'items'],
      [{ officers: [ids['甲']] }, 'officers'],
      [{ officers: [ids['甲'], ids['戊']] }, 'officers'], // an expert never counts
      [{ officers: [ids['甲'], ids['乙']] }, 'officers'], // 乙 declared a conflict with the business (回避)
      [{ officers: [ids['甲'], ids['丙']], items: ['WJ-YL-001'] }, 'officers'], // 丙 is not qualified
      [{ officers: [ids['甲'], ids['丁']], validUntil: '2026-12-20' }, 'officers'], // 丁's certificate ends first
      [{ reason: 'PLAN' }, 'reason'],
      [{ validUntil: '2026-11-24' }, 'validUntil'],
      // 未经备案的，不得实施 (seed 004 (十二)): no code for days already past.
      [{ validFrom: '2026-11-24' }, 'validFrom'],
    ];
    const events = () => db().select({ n: count() }).from(schema.outbox).where(ne(schema.outbox.topic, ANCHORS));
    const before = (await events())[0]!.n;
    for (const [changes, field] of cases) {
      const r = await health.call(staff, REQUEST, { input: request(changes) });
      expect(r.errors?.[0]?.extensions, JSON.stringify(changes)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect((await db().select({ n: count() }).from(schema.codeRequests))[0]!.n).toBe(0);
    expect((await events())[0]!.n).toBe(before);
    const other = await health.call(
      fireStaff,
      REQUEST.replace('requestInspectionCode(', 'requestInspectionCode(department: "HEALTH", '),
      {
        input: request(),
      },
    );
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('asks the office, with a task of its own; once coded, the request shows its code', async () => {
    const r = await health.call(staff, REQUEST, { input: request() });
    expect(r.errors).toBeUndefined();
    const req = r.data!.requestInspectionCode;
    expect(req).toMatchObject({
      reason: 'COMPLAINT',
      items: ['WJ-GG-001'],
      code: null,
      task: { kind: 'INSPECTION', status: 'CLAIMED', items: ['WJ-GG-001'], checkBy: '2026-12-10' },
    });
    expect(req.team.map((m: { certificateNumber: string }) => m.certificateNumber)).toEqual(['WJ-0001', 'WJ-0003']);
    const [asked] = await events('onecheck.inspection.code-requested.v1');
    expect(asked).toMatchObject({
      key: COMPLAINED,
      data: {
        requestId: req.id,
        department: 'HEALTH',
        uscc: COMPLAINED,
        reason: 'COMPLAINT',
        items: ['WJ-GG-001'],
        validFrom: '2026-11-25',
        validUntil: '2026-12-10',
      },
    });
    expect(asked!.data.team).toHaveLength(2);
    await deliver('onecheck.visit.coded.v1', {
      ...coded(1),
      visitId: randomUUID(),
      code: 'CODE-COMPLAINT',
      uscc: COMPLAINED,
      reason: 'COMPLAINT',
      reasonDetail: '群众反映后厨卫生状况差',
      planIds: [],
      requestId: req.id,
      departments: [{ department: 'HEALTH', items: ['WJ-GG-001'], team: asked!.data.team }],
    });
    const shown = await health.call(
      staff,
      `query ($id: ID!) { inspectionCodeRequest(id: $id) { code visitCode { reason tasks { id } } } }`,
      { id: req.id },
    );
    expect(shown.errors).toBeUndefined();
    expect(shown.data!.inspectionCodeRequest).toEqual({
      code: 'CODE-COMPLAINT',
      visitCode: { reason: 'COMPLAINT', tasks: [{ id: req.task.id }] },
    });
    const status = await health.call(staff, `query ($id: ID!) { inspectionCodeRequest(id: $id) { status } }`, {
      id: req.id,
    });
    expect(status.data!.inspectionCodeRequest).toEqual({ status: 'CODED' });
  });

  // 未经赋码备案的，不得实施 (seed 004 (十二)): a code the office refuses leaves nothing to check.
  it('shows the office’s refusal with its reason and closes the task; another department’s or a repeated one changes nothing', async () => {
    const UNREGISTERED = generateUscc(seededRandom(4004));
    const r = await health.call(staff, REQUEST, { input: request({ uscc: UNREGISTERED }) });
    expect(r.errors).toBeUndefined();
    const req = r.data!.requestInspectionCode;
    const READ = `query ($id: ID!) { inspectionCodeRequest(id: $id) { status code refusedBecause refusedReason refusedAt
      task { status closedBecause closedReason } } }`;
    const pending = await health.call(staff, READ, { id: req.id });
    expect(pending.data!.inspectionCodeRequest).toMatchObject({ status: 'PENDING', refusedBecause: null });
    const refusal = {
      requestId: req.id,
      department: 'HEALTH',
      uscc: UNREGISTERED,
      reason: 'NOT_REGISTERED',
      refusedAt: '2026-11-25T01:00:05.000Z',
    };
    await deliver('onecheck.inspection.code-refused.v1', { ...refusal, department: 'FIRE', reason: 'DEREGISTERED' });
    expect((await health.call(staff, READ, { id: req.id })).data!.inspectionCodeRequest.status).toBe('PENDING');
    await deliver('onecheck.inspection.code-refused.v1', refusal);
    await deliver('onecheck.inspection.code-refused.v1', { ...refusal, reason: 'DEREGISTERED' });
    const shown = await health.call(staff, READ, { id: req.id });
    expect(shown.errors).toBeUndefined();
    expect(shown.data!.inspectionCodeRequest).toEqual({
      status: 'REFUSED',
      code: null,
      refusedBecause: 'NOT_REGISTERED',
      refusedReason: `市场监管部门未登记该经营主体（统一社会信用代码 ${UNREGISTERED}），不予赋码`,
      refusedAt: '2026-11-25T01:00:05.000Z',
      task: {
        status: 'CLOSED',
        closedBecause: 'CODE_REFUSED',
        closedReason: '市场监管部门不予赋码，检查不得实施（未经赋码备案不得检查）',
      },
    });
    // 全程留痕: the request and its task, each once.
    const trail = async (kind: 'codeRequest' | 'supervisionTask', id: string) =>
      (await readAuditTrail(db(), { kind, id })).map((e) => e.action);
    expect(await trail('codeRequest', req.id)).toEqual(['requestCodes', 'receiveCodeRefusals']);
    expect(await trail('supervisionTask', req.task.id)).toEqual(['requestCodes', 'receiveCodeRefusals']);
  });
});
