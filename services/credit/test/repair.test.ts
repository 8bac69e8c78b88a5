/**
 * 信用修复 (seed 004 (十一)) over HTTP as the gateway calls the credit subgraph, with the clock
 * pinned: the office repairs a false promise 3 months after it was decided and a penalty decision
 * 6 months after; a repaired penalty stops counting in the class at once, a repaired false promise
 * goes out for the bureau; bad input and callers without the right change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { readAuditTrail } from '@onecheck/kit';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { creditService } from '../src/index';
import { creditConsumers } from '../src/events';
import * as schema from '../src/db/schema';

const clock = testClock('2026-11-25T10:00:00+08:00');
const office: Identity = { sub: 'office-1', role: 'office' };
const staff: Identity = { sub: 'clerk-1', role: 'staff', department: 'HEALTH' };
const rng = seededRandom(4711);
/** The business repaired; another with a revocation (吊销); one the platform holds nothing on. */
const [USCC, REVOKED, OTHER] = [0, 1, 2].map(() => generateUscc(rng, { region: '620422' })) as [string, string, string];
const ids = { finding: '', fine: '', revocation: '', noPenalty: '', promise: '00000000-0000-4000-8000-0000000000f1' };
let credit: TestSubgraph<typeof schema>;
let n = 0;
const id = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

/** Delivers an event as the credit consumer does: its handler, in a transaction. */
async function deliver(type: string, data: Record<string, unknown>) {
  const { db } = credit.service.database;
  const handlers = Object.assign(
    {},
    ...creditConsumers({ db, clock, logger: undefined as never }).map((c) => c.handlers),
  );
  await db.transaction((tx) =>
    handlers[type]({ id: id(), type, time: clock.now().toISOString(), data } as never, tx as never),
  );
}

const decision = (
  uscc: string,
  findingId: string,
  kind: string,
  documentNumber: string,
  extra: Record<string, unknown> = {},
) => {
  const decisionId = id();
  return {
    decisionId,
    data: {
      findingId,
      homeDepartment: 'HEALTH',
      department: 'HEALTH',
      uscc,
      step: 'PENALTY_DECIDED',
      penalty: { decisionId, kind, documentNumber, decidedOn: '2026-11-24', ...extra },
      on: '2026-11-24',
      recordedAt: clock.now().toISOString(),
    },
  };
};

const REPAIR = `mutation ($input: CreditRepairInput!, $key: String) { repairCredit(input: $input, idempotencyKey: $key) {
  id uscc record recordId documentNumber reason decidedOn recordedAt } }`;
const PROFILE = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { creditProfile {
  riskClass rule penalties
  falsePromises { promiseId repair { documentNumber decidedOn } }
  penaltyDecisions { decisionId kind repair { documentNumber decidedOn } } } } } }`;
const profile = async () =>
  (await credit.call(office, PROFILE, { r: [{ __typename: 'Enterprise', uscc: USCC }] })).data!._entities[0]
    .creditProfile;
const repairs = () => credit.service.database.db.select().from(schema.creditRepairs);
type Ev = { type: string; data: Record<string, unknown> };
const published = async (type: string) =>
  (await credit.service.database.db.select({ event: schema.outbox.event }).from(schema.outbox))
    .map((r) => r.event as Ev)
    .filter((e) => e.type === type);

const input = (overrides: Record<string, unknown> = {}) => ({
  uscc: USCC,
  record: 'FALSE_PROMISE',
  recordId: ids.promise,
  documentNumber: '会信修〔2027〕1号',
  reason: '已补交材料并作出信用承诺，消除不良影响',
  ...overrides,
});

beforeAll(async () => {
  credit = await startTestSubgraph(creditService, { clock });
  ids.finding = id();
  await deliver('onecheck.finding.recorded.v1', {
    findingId: ids.finding,
    department: 'HEALTH',
    uscc: USCC,
    taskId: id(),
    description: '从业人员健康证明过期',
    severity: 'MINOR',
    handling: 'PENALTY',
    recordedOn: '2026-11-20',
  });
  const fine = decision(USCC, ids.finding, 'FINE', '会卫罚〔2026〕7号', { amountYuan: 2000 });
  ids.fine = fine.decisionId;
  await deliver('onecheck.finding.handled.v1', fine.data);
  // 吊销 on another business's finding, decided the same day.
  const other = id();
  await deliver('onecheck.finding.recorded.v1', {
    findingId: other,
    department: 'HEALTH',
    uscc: REVOKED,
    taskId: id(),
    description: '拒不整改',
    severity: 'SERIOUS',
    handling: 'PENALTY',
    recordedOn: '2026-11-20',
  });
  const revocation = decision(REVOKED, other, 'LICENCE_REVOCATION', '会卫吊〔2026〕1号');
  ids.revocation = revocation.decisionId;
  await deliver('onecheck.finding.handled.v1', revocation.data);
  const none = decision(REVOKED, id(), 'NO_PENALTY', '会卫不罚〔2026〕1号');
  ids.noPenalty = none.decisionId;
  await deliver('onecheck.finding.handled.v1', none.data);
  await deliver('onecheck.promise.broken.v1', {
    promiseId: ids.promise,
    uscc: USCC,
    businessName: '会宁县修复宾馆',
    approvalItem: '公共场所卫生许可',
    mode: 'DEFERRED_MATERIALS',
    breach: 'MATERIALS_OVERDUE',
    foundBy: 'APPROVAL',
    documentNumber: '会审批撤字〔2026〕9号',
    reason: '承诺期限内未补交材料',
    decidedOn: '2026-11-25',
    recordedAt: '2026-11-25T09:30:00+08:00',
  });
});
afterAll(() => credit?.stop());

describe('信用修复 (seed 004 (十一))', () => {
  it('is the office’s to decide: staff are FORBIDDEN, a caller without a token is told to sign in', async () => {
    clock.set('2027-03-01T10:00:00+08:00');
    const r = await credit.call(staff, REPAIR, { input: input() });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'auth.roleForbidden' });
    expect(r.errors?.[0]?.message).toContain('作出信用修复决定');
    const anonymous = await credit.call({ sub: 'anonymous', role: 'public' }, REPAIR, { input: input() });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await repairs()).toEqual([]);
  });

  it('refuses a record that is not this business’s, a penalty whose publication is not cut short, and a future date', async () => {
    clock.set('2027-06-01T10:00:00+08:00');
    const cases: [Record<string, unknown>, string, string, string][] = [
      [{ uscc: OTHER }, 'NOT_FOUND', 'recordId', 'notFound.entity'],
      [{ recordId: '00000000-0000-4000-8000-00000000dead' }, 'NOT_FOUND', 'recordId', 'notFound.entity'],
      [{ record: 'PENALTY', recordId: 'not-an-id' }, 'NOT_FOUND', 'recordId', 'notFound.entity'],
      [
        { uscc: REVOKED, record: 'PENALTY', recordId: ids.revocation },
        'BAD_USER_INPUT',
        'recordId',
        'creditRepair.notRepairable',
      ],
      [
        { uscc: REVOKED, record: 'PENALTY', recordId: ids.noPenalty },
        'BAD_USER_INPUT',
        'recordId',
        'creditRepair.nothingToRepair',
      ],
      [{ decidedOn: '2027-06-02' }, 'BAD_USER_INPUT', 'decidedOn', 'input.notAfterToday'],
      [{ uscc: `${USCC.slice(0, 17)}${USCC[17] === '0' ? '1' : '0'}` }, 'BAD_USER_INPUT', 'uscc', ''],
    ];
    for (const [overrides, code, field, messageKey] of cases) {
      const r = await credit.call(office, REPAIR, { input: input(overrides) });
      expect(r.errors?.[0]?.extensions, JSON.stringify(overrides)).toMatchObject({ code, field });
      if (messageKey) expect(r.errors?.[0]?.extensions?.messageKey).toBe(messageKey);
    }
    const revoked = await credit.call(office, REPAIR, {
      input: input({ uscc: REVOKED, record: 'PENALTY', recordId: ids.revocation }),
    });
    expect(revoked.errors?.[0]?.message).toContain('吊销');
    expect(await repairs()).toEqual([]);
    expect(await published('onecheck.credit.repaired.v1')).toEqual([]);
  });

  it('repairs a false promise from 3 months after its decision, names the first day before then, and sends it out once', async () => {
    clock.set('2027-02-24T10:00:00+08:00');
    const early = await credit.call(office, REPAIR, { input: input() });
    expect(early.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'decidedOn',
      messageKey: 'creditRepair.tooEarly',
      params: { earliest: '2027-02-25', months: 3 },
    });
    expect(early.errors?.[0]?.message).toContain('2027-02-25 起方可修复');
    clock.set('2027-02-25T10:00:00+08:00');
    const r = await credit.call(office, REPAIR, { input: input(), key: 'repair-key-0001' });
    expect(r.errors).toBeUndefined();
    expect(r.data!.repairCredit).toMatchObject({
      uscc: USCC,
      record: 'FALSE_PROMISE',
      recordId: ids.promise,
      documentNumber: '会信修〔2027〕1号',
      decidedOn: '2027-02-25',
      recordedAt: '2027-02-25T02:00:00.000Z',
    });
    // A retry with its key gets the same answer; without it, the record is already repaired.
    const retried = await credit.call(office, REPAIR, { input: input(), key: 'repair-key-0001' });
    expect(retried.data!.repairCredit.id).toBe(r.data!.repairCredit.id);
    const again = await credit.call(office, REPAIR, { input: input({ documentNumber: '会信修〔2027〕2号' }) });
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'creditRepair.alreadyRepaired',
      params: { documentNumber: '会信修〔2027〕1号', decidedOn: '2027-02-25' },
    });
    const events = await published('onecheck.credit.repaired.v1');
    expect(events.map((e) => e.data)).toEqual([
      {
        repairId: r.data!.repairCredit.id,
        uscc: USCC,
        record: 'FALSE_PROMISE',
        recordId: ids.promise,
        documentNumber: '会信修〔2027〕1号',
        decidedOn: '2027-02-25',
        recordedAt: '2027-02-25T02:00:00.000Z',
      },
    ]);
    expect((await profile()).falsePromises).toEqual([
      { promiseId: ids.promise, repair: { documentNumber: '会信修〔2027〕1号', decidedOn: '2027-02-25' } },
    ]);
  });

  it('repairs a penalty from 6 months after its decision: it stops counting, and the class that moves is published', async () => {
    clock.set('2027-05-23T10:00:00+08:00');
    const penalty = { record: 'PENALTY', recordId: ids.fine, documentNumber: '会信修〔2027〕3号' };
    const early = await credit.call(office, REPAIR, { input: input(penalty) });
    expect(early.errors?.[0]?.extensions).toMatchObject({ params: { earliest: '2027-05-24', months: 6 } });
    // The fine on a minor finding: C, one penalty counted.
    expect(await profile()).toMatchObject({ riskClass: 'C', rule: 'PENALTIES_OR_GENERAL', penalties: 1 });
    clock.set('2027-05-24T10:00:00+08:00');
    const r = await credit.call(office, REPAIR, { input: input(penalty) });
    expect(r.errors).toBeUndefined();
    const after = await profile();
    expect(after).toMatchObject({ riskClass: 'B', rule: 'SOME_FINDINGS', penalties: 0 });
    expect(after.penaltyDecisions).toEqual([
      { decisionId: ids.fine, kind: 'FINE', repair: { documentNumber: '会信修〔2027〕3号', decidedOn: '2027-05-24' } },
    ]);
    const moved = (await published('onecheck.credit.class-changed.v2')).filter((e) => e.data.uscc === USCC);
    expect(moved.at(-1)!.data).toMatchObject({ previousClass: 'C', riskClass: 'B', penalties: 0 });
    const trail = await readAuditTrail(credit.service.database.db, { kind: 'business', id: USCC });
    expect(trail.filter((e) => e.action === 'repairCredit').map((e) => e.actor)).toEqual([
      { kind: 'user', sub: 'office-1', role: 'office' },
      { kind: 'user', sub: 'office-1', role: 'office' },
    ]);
  });
});
