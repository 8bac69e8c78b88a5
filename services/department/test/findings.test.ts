/**
 * Findings and their handling (issue 11 item 4), over HTTP as the gateway calls each instance:
 * HEALTH (the finding's home) and FIRE (the department one finding is transferred to), each with
 * its own database, their events carried between them by their own consumers' handlers.
 * 整改 due and overdue under a pinned clock and closed by a re-check; one fine per conduct
 * (行政处罚法 §29) also when two departments decide at the same moment; a revocation after a fine;
 * a transfer accepted keeping the finding's id; judicial feedback; a licence act on a finding.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { readAuditTrail } from '@onecheck/kit';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { departmentService } from '../src/index';
import { departmentConsumers } from '../src/events';
import * as schema from '../src/db/schema';

const clock = testClock('2026-11-25T09:00:00+08:00');
const office: Identity = { sub: 'office-1', role: 'office' };
const healthStaff: Identity = { sub: 'clerk-h', role: 'staff', department: 'HEALTH' };
const healthInspector: Identity = { sub: 'insp-h', role: 'inspector', department: 'HEALTH' };
const fireStaff: Identity = { sub: 'clerk-f', role: 'staff', department: 'FIRE' };
const emergencyStaff: Identity = { sub: 'clerk-e', role: 'staff', department: 'EMERGENCY' };
const LICENCE_ID = '00000000-0000-4000-8000-000000000a01';
const USCC = '91620422MA7XXXXA01';
let health: TestSubgraph<typeof schema>;
let fire: TestSubgraph<typeof schema>;
let taskId: string;
const ids: Record<'rectify' | 'penalty' | 'transfer' | 'judicial', string> = {} as never;

type Event = { id: string; type: string; data: Record<string, any> };
const outboxOf = async (s: TestSubgraph<typeof schema>, type: string) =>
  (await s.service.database.db.select().from(schema.outbox))
    .map((r) => r.event as Event)
    .filter((e) => e.type === type);

/** Delivers events to an instance as its `findings` consumer does: its own handler, in a transaction. */
async function deliver(to: TestSubgraph<typeof schema>, department: string, events: Event[]) {
  const { db } = to.service.database;
  const consumer = departmentConsumers(department, { db, clock, logger: undefined as never }).find(
    (c) => c.name === 'findings',
  )!;
  for (const e of events) {
    const handle = consumer.handlers[e.type as 'onecheck.finding.recorded.v1']!;
    await db.transaction((tx) => handle(e as never, tx as never));
  }
}

const RESULT = `mutation ($id: ID!, $input: TaskResultInput!) { recordTaskResult(id: $id, input: $input) {
  status findings { id handling dueOn transferTo { code } transferStatus judicialOrgan status } } }`;
const FINDING = `query ($dep: String, $id: ID!) { finding(department: $dep, id: $id) { id status dueOn
  rectificationOverdue rectified recheckedOn closedAt lastStep lastStepOn transferStatus transferAnsweredOn judicialFeedback judicialFeedbackOn
  penalties { id kind amountYuan documentNumber decidedOn decidedBy { code } } } }`;
const OVERDUE = `query { findings(department: "HEALTH", filter: { overdue: true }) { totalCount edges { node { id dueOn } } } }`;
const RECHECK = `mutation ($id: ID!, $input: RecheckInput!) { recheckFinding(department: "HEALTH", id: $id, input: $input) {
  id status rectified rectificationOverdue } }`;
const DECIDE = `mutation ($id: ID!, $input: PenaltyDecisionInput!) {
  decidePenalty(department: "HEALTH", findingId: $id, input: $input) { id kind amountYuan documentNumber decidedBy { code } } }`;
const fine = (documentNumber: string, amountYuan = 5000) => ({
  kind: 'FINE',
  amountYuan,
  documentNumber,
  legalBasis: '《公共场所卫生管理条例》第十四条',
  decidedOn: '2026-11-25',
});
const revocation = (documentNumber: string) => ({
  kind: 'LICENCE_REVOCATION',
  documentNumber,
  legalBasis: '《消防法》第五十八条',
  decidedOn: '2026-12-03',
});

/** Puts a finding on a joint visit of these departments, as HEALTH's copy of its code records it (fixture). */
async function onJointVisit(findingId: string, departments: string[]) {
  const { db } = health.service.database;
  const visitId = '00000000-0000-4000-8000-00000000f151';
  const now = clock.now();
  await db.insert(schema.visitCodes).values({
    visitId,
    code: 'JOINT-F151',
    version: 1,
    uscc: USCC,
    businessName: '会宁县处置宾馆',
    reason: 'PLAN',
    planIds: [],
    plannedOn: '2026-11-25',
    validFrom: '2026-11-25',
    validUntil: '2026-12-31',
    departments: departments.map((department) => ({ department, items: ['X-1'], team: [] })),
    mergedFrom: [],
    members: [],
    taskIds: [],
    issuedAt: now,
    receivedAt: now,
    updatedAt: now,
  });
  await db.update(schema.findings).set({ visitId }).where(eq(schema.findings.id, findingId));
}
const finding = (handling: string, extra: Record<string, unknown> = {}) => ({
  description: `问题（${handling}）`,
  severity: 'GENERAL',
  handling,
  ...extra,
});

beforeAll(async () => {
  [health, fire] = await Promise.all([
    startTestSubgraph(departmentService('HEALTH'), { clock }),
    startTestSubgraph(departmentService('FIRE'), { clock }),
  ]);
  const { db } = health.service.database;
  const [licences] = departmentConsumers('HEALTH', { db, clock, logger: undefined as never });
  // The grants' batch handler, given one event.
  const granted = (event: never, tx: never) => licences!.batchHandlers!['onecheck.licence.granted.v2']!([event], tx);
  const data = {
    licenceId: LICENCE_ID,
    licenceNumber: 'WS-A01',
    uscc: USCC,
    businessName: '会宁县处置宾馆',
    approvalItem: '公共场所卫生许可',
    supervisingDepartment: 'HEALTH',
    scope: '住宿',
    validFrom: '2026-11-25',
    validUntil: '2031-11-24',
    grantedOn: '2026-11-25',
    recordedAt: clock.now().toISOString(),
    status: 'VALID',
  };
  const event = { id: 'grant-a01', type: 'onecheck.licence.granted.v2', time: clock.now().toISOString(), data };
  await db.transaction((tx) => granted(event as never, tx as never));
  const [task] = await db.select().from(schema.supervisionTasks);
  taskId = task!.id;
  const claim = await health.call(healthStaff, 'mutation ($id: ID!) { claimSupervisionTask(id: $id) { status } }', {
    id: taskId,
  });
  expect(claim.errors).toBeUndefined();
});
afterAll(() => Promise.all([health?.stop(), fire?.stop()]));

describe('recording findings with what their handling needs', () => {
  it.each([
    ['a rectification without its due day', finding('RECTIFICATION'), 'findings.0.dueOn', 'finding.dueOnRequired'],
    [
      'a rectification due on the day of the check',
      finding('RECTIFICATION', { dueOn: '2026-11-25' }),
      'findings.0.dueOn',
      'finding.dueOnAfterCheck',
    ],
    ['a transfer without its department', finding('TRANSFER'), 'findings.0.transferTo', 'finding.transferToRequired'],
    [
      'a transfer to the department itself',
      finding('TRANSFER', { transferTo: 'HEALTH' }),
      'findings.0.transferTo',
      'finding.transferToSelf',
    ],
    [
      'a transfer to a department not configured',
      finding('TRANSFER', { transferTo: 'NOWHERE' }),
      'findings.0.transferTo',
      'department.unknown',
    ],
    [
      'a transfer to the judiciary without its organ',
      finding('JUDICIAL_TRANSFER'),
      'findings.0.judicialOrgan',
      'finding.judicialOrganRequired',
    ],
    // An item code, when given, names an item: a blank one was stored as the finding's item.
    ['a blank item code', finding('PENALTY', { itemCode: '   ' }), 'findings.0.itemCode', 'input.empty'],
  ])('refuses %s, naming the field, and writes nothing', async (_, f, field, messageKey) => {
    const r = await health.call(healthInspector, RESULT, {
      id: taskId,
      input: { outcome: 'PROBLEMS_FOUND', summary: '检查发现问题', checkedOn: '2026-11-25', findings: [f] },
    });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, messageKey });
    expect(await health.service.database.db.select().from(schema.findings)).toEqual([]);
    expect(await outboxOf(health, 'onecheck.finding.recorded.v1')).toEqual([]);
  });

  it('records each finding with its due day, receiving department or organ, and sends them in its event', async () => {
    const r = await health.call(healthInspector, RESULT, {
      id: taskId,
      input: {
        outcome: 'PROBLEMS_FOUND',
        summary: '检查发现问题',
        checkedOn: '2026-11-25',
        findings: [
          finding('RECTIFICATION', { dueOn: '2026-12-01' }),
          finding('PENALTY'),
          finding('TRANSFER', { transferTo: 'FIRE' }),
          finding('JUDICIAL_TRANSFER', { judicialOrgan: '会宁县公安局' }),
        ],
      },
    });
    expect(r.errors).toBeUndefined();
    const found = r.data!.recordTaskResult.findings as { id: string; handling: string }[];
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ handling: 'RECTIFICATION', dueOn: '2026-12-01', status: 'OPEN' }),
        expect.objectContaining({ handling: 'TRANSFER', transferTo: { code: 'FIRE' }, transferStatus: 'PENDING' }),
        expect.objectContaining({ handling: 'JUDICIAL_TRANSFER', judicialOrgan: '会宁县公安局' }),
      ]),
    );
    const byHandling = (h: string) => found.find((f) => f.handling === h)!.id;
    Object.assign(ids, {
      rectify: byHandling('RECTIFICATION'),
      penalty: byHandling('PENALTY'),
      transfer: byHandling('TRANSFER'),
      judicial: byHandling('JUDICIAL_TRANSFER'),
    });
    const events = await outboxOf(health, 'onecheck.finding.recorded.v1');
    expect(events.find((e) => e.data.findingId === ids.rectify)!.data).toMatchObject({ dueOn: '2026-12-01' });
    expect(events.find((e) => e.data.findingId === ids.transfer)!.data).toMatchObject({ transferTo: 'FIRE' });
    expect(events.find((e) => e.data.findingId === ids.penalty)!.data).not.toHaveProperty('dueOn');
  });
});

describe('整改: a rectification order, due, overdue, re-checked', () => {
  it('is not overdue on its due day, and is listed overdue the day after', async () => {
    clock.set('2026-12-01T18:00:00+08:00');
    let r = await health.call(healthStaff, FINDING, { dep: 'HEALTH', id: ids.rectify });
    expect(r.data!.finding).toMatchObject({ dueOn: '2026-12-01', rectificationOverdue: false, status: 'OPEN' });
    expect((await health.call(healthStaff, OVERDUE)).data!.findings.totalCount).toBe(0);

    clock.set('2026-12-02T09:00:00+08:00');
    r = await health.call(healthStaff, FINDING, { dep: 'HEALTH', id: ids.rectify });
    expect(r.data!.finding.rectificationOverdue).toBe(true);
    const list = await health.call(healthStaff, OVERDUE);
    expect(list.data!.findings).toEqual({ totalCount: 1, edges: [{ node: { id: ids.rectify, dueOn: '2026-12-01' } }] });
  });

  it('lists overdue rectifications to the office, refuses them to another department', async () => {
    expect((await health.call(office, OVERDUE)).data!.findings.totalCount).toBe(1);
    const r = await health.call(emergencyStaff, OVERDUE);
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('stays open and overdue when the re-check finds it not rectified', async () => {
    const r = await health.call(healthInspector, RECHECK, {
      id: ids.rectify,
      input: { rectified: false, recheckedOn: '2026-12-02', note: '仍未整改' },
    });
    expect(r.errors).toBeUndefined();
    expect(r.data!.recheckFinding).toMatchObject({ status: 'OPEN', rectified: false, rectificationOverdue: true });
  });

  it('refuses a re-check dated in the future or on a finding that is not a rectification, writing nothing', async () => {
    let r = await health.call(healthInspector, RECHECK, {
      id: ids.rectify,
      input: { rectified: true, recheckedOn: '2026-12-03' },
    });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'recheckedOn' });
    r = await health.call(healthInspector, RECHECK, { id: ids.penalty, input: { rectified: true } });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'finding.notHandledAs' });
    const f = await health.call(healthStaff, FINDING, { dep: 'HEALTH', id: ids.rectify });
    expect(f.data!.finding).toMatchObject({ status: 'OPEN', rectified: false });
  });

  it('is closed by a re-check that finds it rectified, leaves the overdue list, and says so by event and trail', async () => {
    clock.set('2026-12-03T10:00:00+08:00');
    const r = await health.call(healthInspector, RECHECK, { id: ids.rectify, input: { rectified: true } });
    expect(r.data!.recheckFinding).toMatchObject({ status: 'CLOSED', rectified: true, rectificationOverdue: false });
    const closed = await health.call(healthStaff, FINDING, { dep: 'HEALTH', id: ids.rectify });
    expect(closed.data!.finding).toMatchObject({
      lastStep: 'RECHECKED',
      lastStepOn: '2026-12-03',
      closedAt: expect.any(String),
    });
    expect((await health.call(healthStaff, OVERDUE)).data!.findings.totalCount).toBe(0);
    const steps = (await outboxOf(health, 'onecheck.finding.handled.v1')).filter(
      (e) => e.data.findingId === ids.rectify,
    );
    expect(steps.map((e) => [e.data.step, e.data.rectified, e.data.on])).toEqual([
      ['RECHECKED', false, '2026-12-02'],
      ['RECHECKED', true, '2026-12-03'],
    ]);
    const trail = await readAuditTrail(health.service.database.db, { kind: 'finding', id: ids.rectify });
    expect(trail.map((e) => e.action)).toEqual(['recheckFindings', 'recheckFindings']);
    const again = await health.call(healthInspector, RECHECK, { id: ids.rectify, input: { rectified: true } });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'finding.closed' });
  });
});

describe('one fine per conduct (行政处罚法 §29), decided by the home department', () => {
  it('accepts the first fine, as a penalty on the finding and an event', async () => {
    const r = await health.call(healthStaff, DECIDE, { id: ids.penalty, input: fine('会卫罚〔2026〕1号') });
    expect(r.errors).toBeUndefined();
    expect(r.data!.decidePenalty).toMatchObject({ kind: 'FINE', amountYuan: 5000, decidedBy: { code: 'HEALTH' } });
    const [step] = (await outboxOf(health, 'onecheck.finding.handled.v1')).filter(
      (e) => e.data.findingId === ids.penalty,
    );
    expect(step!.data).toMatchObject({
      step: 'PENALTY_DECIDED',
      homeDepartment: 'HEALTH',
      department: 'HEALTH',
      penalty: { kind: 'FINE', amountYuan: 5000, documentNumber: '会卫罚〔2026〕1号', department: 'HEALTH' },
    });
  });

  it('refuses a second fine, naming the first, and writes nothing', async () => {
    const r = await health.call(healthStaff, DECIDE, { id: ids.penalty, input: fine('会卫罚〔2026〕2号', 3000) });
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'penalty.secondFine',
      params: { documentNumber: '会卫罚〔2026〕1号', department: 'HEALTH', decidedOn: '2026-11-25' },
    });
    const f = await health.call(healthStaff, FINDING, { dep: 'HEALTH', id: ids.penalty });
    expect(f.data!.finding.penalties).toHaveLength(1);
  });

  it('names the first fine to another department trying a second one, too', async () => {
    const r = await health.call(fireStaff, DECIDE, { id: ids.penalty, input: fine('会消罚〔2026〕1号') });
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'penalty.secondFine',
      params: { documentNumber: '会卫罚〔2026〕1号', department: 'HEALTH' },
    });
  });

  it('refuses any penalty by a department that had no part in the finding, and writes nothing', async () => {
    const r = await health.call(fireStaff, DECIDE, { id: ids.penalty, input: revocation('会消罚〔2026〕2号') });
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      messageKey: 'penalty.notHolder',
      params: { department: 'FIRE', kind: 'LICENCE_REVOCATION' },
    });
    const f = await health.call(healthStaff, FINDING, { dep: 'HEALTH', id: ids.penalty });
    expect(f.data!.finding.penalties).toHaveLength(1);
  });

  it('lets a department of the visit the finding was made on revoke the licence after the fine', async () => {
    clock.advance(60_000);
    await onJointVisit(ids.penalty, ['HEALTH', 'FIRE']);
    const r = await health.call(fireStaff, DECIDE, { id: ids.penalty, input: revocation('会消罚〔2026〕2号') });
    expect(r.errors).toBeUndefined();
    const f = await health.call(healthStaff, FINDING, { dep: 'HEALTH', id: ids.penalty });
    expect(
      f.data!.finding.penalties.map((p: { kind: string; decidedBy: { code: string } }) => [p.kind, p.decidedBy.code]),
    ).toEqual([
      ['FINE', 'HEALTH'],
      ['LICENCE_REVOCATION', 'FIRE'],
    ]);
  });

  it('refuses an amount on anything but a fine, and a fine without one', async () => {
    let r = await health.call(healthStaff, DECIDE, { id: ids.judicial, input: { ...fine('X-1'), kind: 'WARNING' } });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amountYuan' });
    r = await health.call(healthStaff, DECIDE, { id: ids.judicial, input: { ...fine('X-2'), amountYuan: null } });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amountYuan' });
  });

  it.each([0, 0.001, 5e-324, -5, 12.345])(
    'refuses a fine of %s yuan, which no fine can be, and writes nothing',
    async (amountYuan) => {
      const r = await health.call(healthStaff, DECIDE, { id: ids.judicial, input: fine('X-3', amountYuan) });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amountYuan' });
      const f = await health.call(healthStaff, FINDING, { dep: 'HEALTH', id: ids.judicial });
      expect(f.data!.finding.penalties).toEqual([]);
    },
  );

  it('refuses 不予行政处罚 on a conduct already fined, and the same decision recorded twice', async () => {
    const none = await health.call(healthStaff, DECIDE, {
      id: ids.penalty,
      input: { kind: 'NO_PENALTY', documentNumber: '会卫罚〔2026〕1号', legalBasis: '《行政处罚法》第三十三条' },
    });
    expect(none.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'penalty.alreadyPenalised',
      params: { documentNumber: '会卫罚〔2026〕1号', department: 'HEALTH', kind: 'FINE' },
    });
    expect(none.errors?.[0]?.message).toContain('罚款');
    const warning = {
      kind: 'WARNING',
      documentNumber: '会卫罚〔2026〕1号',
      legalBasis: '《公共场所卫生管理条例》第十四条',
      decidedOn: '2026-11-25',
    };
    // A warning in the same 决定书 as the fine (警告并处罚款) is one more penalty; recorded again, a repeat.
    expect((await health.call(healthStaff, DECIDE, { id: ids.penalty, input: warning })).errors).toBeUndefined();
    const again = await health.call(healthStaff, DECIDE, { id: ids.penalty, input: warning });
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'penalty.alreadyRecorded',
      params: { documentNumber: '会卫罚〔2026〕1号', kind: 'WARNING' },
    });
    const f = await health.call(healthStaff, FINDING, { dep: 'HEALTH', id: ids.penalty });
    // Recorded at the same pinned instant: their order among themselves is the ids'.
    expect(f.data!.finding.penalties.map((p: { kind: string }) => p.kind).sort()).toEqual([
      'FINE',
      'LICENCE_REVOCATION',
      'WARNING',
    ]);
  });
});

describe('移交: a finding transferred to another department', () => {
  it('reaches the receiving department by its event, with the same id, once', async () => {
    const recorded = await outboxOf(health, 'onecheck.finding.recorded.v1');
    // Every department hears every finding; only the one transferred to FIRE stays there, redelivery changes nothing.
    await deliver(fire, 'FIRE', [...recorded, ...recorded]);
    const r = await fire.call(
      fireStaff,
      `query { incomingTransfers(department: "FIRE") { findingId from { code } status description } }`,
    );
    expect(r.data!.incomingTransfers).toEqual([
      { findingId: ids.transfer, from: { code: 'HEALTH' }, status: 'PENDING', description: '问题（TRANSFER）' },
    ]);
  });

  it('may not be fined by the receiving department before it accepts it', async () => {
    const r = await health.call(fireStaff, DECIDE, { id: ids.transfer, input: fine('会消罚〔2026〕3号') });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'penalty.notHolder' });
  });

  it('is refused only with a reason, and answered by the receiving staff only', async () => {
    const ANSWER = `mutation ($id: ID!, $accept: Boolean!, $reason: String) {
      answerTransfer(department: "FIRE", findingId: $id, accept: $accept, reason: $reason) { status } }`;
    let r = await fire.call(fireStaff, ANSWER, { id: ids.transfer, accept: false });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    r = await fire.call(healthStaff, ANSWER, { id: ids.transfer, accept: true });
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    r = await fire.call(fireStaff, ANSWER, { id: ids.transfer, accept: true });
    expect(r.data!.answerTransfer).toEqual({ status: 'ACCEPTED' });
    r = await fire.call(fireStaff, ANSWER, { id: ids.transfer, accept: false, reason: '改主意' });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'transfer.notPending' });
  });

  it("shows the acceptance on the home's finding, which the receiving staff read by the same id", async () => {
    const answered = await outboxOf(fire, 'onecheck.finding.handled.v1');
    expect(answered.map((e) => e.data)).toEqual([
      expect.objectContaining({
        findingId: ids.transfer,
        step: 'TRANSFER_ACCEPTED',
        homeDepartment: 'HEALTH',
        department: 'FIRE',
      }),
    ]);
    await deliver(health, 'HEALTH', answered);
    const r = await health.call(fireStaff, FINDING, { dep: 'HEALTH', id: ids.transfer });
    expect(r.data!.finding).toMatchObject({
      id: ids.transfer,
      transferStatus: 'ACCEPTED',
      transferAnsweredOn: '2026-12-03',
      lastStep: 'TRANSFER_ACCEPTED',
    });
    // …and nobody else outside the home.
    const other = await health.call(emergencyStaff, FINDING, { dep: 'HEALTH', id: ids.transfer });
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lets only one of two departments deciding a fine at the same moment pass, the other told the first', async () => {
    const attempts = await Promise.all([
      health.call(healthStaff, DECIDE, { id: ids.transfer, input: fine('会卫罚〔2026〕9号') }),
      health.call(fireStaff, DECIDE, { id: ids.transfer, input: fine('会消罚〔2026〕9号') }),
      health.call(healthStaff, DECIDE, { id: ids.transfer, input: fine('会卫罚〔2026〕10号') }),
      health.call(fireStaff, DECIDE, { id: ids.transfer, input: fine('会消罚〔2026〕10号') }),
    ]);
    const passed = attempts.filter((r) => !r.errors);
    expect(passed).toHaveLength(1);
    const first = passed[0]!.data!.decidePenalty;
    for (const r of attempts.filter((a) => a.errors))
      expect(r.errors![0]!.extensions).toMatchObject({
        code: 'CONFLICT',
        messageKey: 'penalty.secondFine',
        params: { documentNumber: first.documentNumber, department: first.decidedBy.code },
      });
    const rows = await health.service.database.db
      .select()
      .from(schema.penaltyDecisions)
      .where(eq(schema.penaltyDecisions.findingId, ids.transfer));
    expect(rows).toHaveLength(1);
  });
});

describe('移送司法 (行刑衔接)', () => {
  const FEEDBACK = `mutation ($id: ID!, $input: JudicialFeedbackInput!) {
    recordJudicialFeedback(department: "HEALTH", findingId: $id, input: $input) { judicialFeedback judicialFeedbackOn } }`;

  it("records the organ's feedback, with its event", async () => {
    const r = await health.call(healthStaff, FEEDBACK, {
      id: ids.judicial,
      input: { feedback: '已立案侦查', receivedOn: '2026-12-02' },
    });
    expect(r.data!.recordJudicialFeedback).toEqual({
      judicialFeedback: '已立案侦查',
      judicialFeedbackOn: '2026-12-02',
    });
    const [step] = (await outboxOf(health, 'onecheck.finding.handled.v1')).filter(
      (e) => e.data.findingId === ids.judicial,
    );
    expect(step!.data).toMatchObject({ step: 'JUDICIAL_FEEDBACK', feedback: '已立案侦查', on: '2026-12-02' });
  });

  it('is refused on a finding not transferred to the judiciary', async () => {
    const r = await health.call(healthStaff, FEEDBACK, { id: ids.penalty, input: { feedback: '已立案' } });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'finding.notHandledAs' });
  });
});

describe('a licence act pushed on a finding (反向推送)', () => {
  const PUSH = `mutation ($input: LicenceActInput!) { pushLicenceAct(department: "HEALTH", input: $input) { id findingId } }`;
  const act = (findingId: string) => ({
    licenceId: LICENCE_ID,
    kind: 'REVOKE',
    documentNumber: '会卫吊〔2026〕1号',
    legalBasis: '《公共场所卫生管理条例》第十九条',
    reason: '拒不整改',
    findingId,
  });

  it('is recorded on the finding', async () => {
    const r = await health.call(healthStaff, PUSH, { input: act(ids.penalty) });
    expect(r.errors).toBeUndefined();
    expect(r.data!.pushLicenceAct.findingId).toBe(ids.penalty);
    const steps = (await outboxOf(health, 'onecheck.finding.handled.v1')).filter(
      (e) => e.data.findingId === ids.penalty && e.data.step === 'LICENCE_ACT_PUSHED',
    );
    expect(steps).toHaveLength(1);
  });

  it.each([
    ['not this department’s', '00000000-0000-4000-8000-00000000dead'],
    ['not an id at all', 'not-a-uuid'],
  ])('is refused, naming findingId, when the finding is %s, and writes nothing', async (_, findingId) => {
    const { db } = health.service.database;
    const before = (await db.select().from(schema.licenceActs)).length;
    const r = await health.call(healthStaff, PUSH, {
      input: { ...act(findingId), documentNumber: '会卫吊〔2026〕2号' },
    });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'findingId' });
    expect(await db.select().from(schema.licenceActs)).toHaveLength(before);
  });
});

describe('不予行政处罚 closes a case (行政处罚法 §33)', () => {
  it('refuses any penalty on a conduct closed without one, naming that decision', async () => {
    const none = await health.call(healthStaff, DECIDE, {
      id: ids.judicial,
      input: { kind: 'NO_PENALTY', documentNumber: '会卫不罚〔2026〕1号', legalBasis: '《行政处罚法》第三十三条' },
    });
    expect(none.errors).toBeUndefined();
    const r = await health.call(healthStaff, DECIDE, { id: ids.judicial, input: fine('会卫罚〔2026〕9号') });
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'penalty.closedWithoutPenalty',
      params: { documentNumber: '会卫不罚〔2026〕1号', kind: 'NO_PENALTY' },
    });
    expect(r.errors?.[0]?.message).toContain('不予行政处罚');
    const f = await health.call(healthStaff, FINDING, { dep: 'HEALTH', id: ids.judicial });
    expect(f.data!.finding.penalties.map((p: { kind: string }) => p.kind)).toEqual(['NO_PENALTY']);
  });
});
