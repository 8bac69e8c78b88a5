/**
 * The credit platform's side of findings' handling (issue 11 item 4): penalty decisions
 * (finding.handled.v1 PENALTY_DECIDED) and 经营异常名录 listings (abnormal-listed.v1) become credit
 * records on the profile, through the consumers' own handlers; penalties count in the risk class
 * once per conduct, a 吊销 as serious, 不予处罚 not at all; listings are shown, not counted.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { testClock } from '@onecheck/clock';
import { openDatabase, readAuditTrail, serviceActor, type Database } from '@onecheck/kit';
import * as schema from '../src/db/schema';
import { creditConsumers } from '../src/events';
import { abnormalListingsByUscc, penaltiesByUscc } from '../src/domain/sanctions';
import { AGING_TIMER, profilesByUscc, reclassifyAged } from '../src/domain/profile';

const clock = testClock('2026-11-25');
let db: Database<typeof schema>['db'];
let n = 0;
const id = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

/** Delivers an event as the credit consumer does: its handler, in a transaction. */
async function deliver(type: string, data: Record<string, unknown>, eventId = id()) {
  const handlers = Object.assign(
    {},
    ...creditConsumers({ db, clock, logger: undefined as never }).map((c) => c.handlers),
  );
  await db.transaction((tx) =>
    handlers[type]({ id: eventId, type, time: clock.now().toISOString(), data } as never, tx as never),
  );
}

const recorded = (uscc: string, handling = 'RECTIFICATION', severity = 'MINOR') => {
  const findingId = id();
  return {
    findingId,
    data: {
      findingId,
      department: 'HEALTH',
      uscc,
      taskId: id(),
      description: '从业人员健康证明过期',
      severity,
      handling,
      recordedOn: '2026-11-20',
      ...(handling === 'RECTIFICATION' ? { dueOn: '2026-12-01' } : {}),
    },
  };
};
const decided = (uscc: string, findingId: string, kind: string, extra: Record<string, unknown> = {}) => ({
  findingId,
  homeDepartment: 'HEALTH',
  department: 'HEALTH',
  uscc,
  step: 'PENALTY_DECIDED',
  penalty: { decisionId: id(), kind, documentNumber: `会卫罚〔2026〕${n}号`, decidedOn: '2026-11-24', ...extra },
  on: '2026-11-24',
  recordedAt: clock.now().toISOString(),
});
const profile = async (uscc: string) => (await profilesByUscc(db, [uscc]))[0]!;

beforeAll(async () => {
  const database = await openDatabase({
    name: 'credit-penalties-test',
    schema,
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  });
  db = database.db;
});

describe('penalty decisions on the credit record', () => {
  it('keep a fine as a record, count it as a penalty, and move the class to C (once, however often delivered)', async () => {
    const uscc = '91620422MA7XXXXP01';
    const f = recorded(uscc);
    await deliver('onecheck.finding.recorded.v1', f.data);
    expect(await profile(uscc)).toMatchObject({ riskClass: 'B', penalties: 0 });
    const step = decided(uscc, f.findingId, 'FINE', { amountYuan: 5000, department: 'FIRE' });
    await deliver('onecheck.finding.handled.v1', step, 'handled-1');
    await deliver('onecheck.finding.handled.v1', step, 'handled-1-again');
    expect(await profile(uscc)).toMatchObject({
      riskClass: 'C',
      rule: 'PENALTIES_OR_GENERAL',
      findings: 1,
      penalties: 1,
    });
    const [records] = await penaltiesByUscc(db, [uscc]);
    expect(records).toEqual([
      expect.objectContaining({
        findingId: f.findingId,
        kind: 'FINE',
        amountYuan: 5000,
        department: 'FIRE',
        homeDepartment: 'HEALTH',
      }),
    ]);
    const trail = await readAuditTrail(db, { kind: 'business', id: uscc });
    expect(trail.map((e) => e.action)).toContain('receivePenalties');
  });

  it('count a fine and a revocation on one conduct as one finding, the revocation as serious (D)', async () => {
    const uscc = '91620422MA7XXXXP02';
    const f = recorded(uscc, 'PENALTY', 'GENERAL');
    await deliver('onecheck.finding.recorded.v1', f.data);
    await deliver('onecheck.finding.handled.v1', decided(uscc, f.findingId, 'FINE', { amountYuan: 2000 }));
    await deliver(
      'onecheck.finding.handled.v1',
      decided(uscc, f.findingId, 'LICENCE_REVOCATION', { department: 'FIRE' }),
    );
    expect(await profile(uscc)).toMatchObject({
      riskClass: 'D',
      rule: 'SERIOUS',
      findings: 1,
      penalties: 1,
      serious: 1,
    });
  });

  it('no longer count a case opened once it was decided 不予行政处罚', async () => {
    const uscc = '91620422MA7XXXXP03';
    const f = recorded(uscc, 'PENALTY', 'MINOR');
    await deliver('onecheck.finding.recorded.v1', f.data);
    expect(await profile(uscc)).toMatchObject({ riskClass: 'C', penalties: 1 });
    await deliver('onecheck.finding.handled.v1', decided(uscc, f.findingId, 'NO_PENALTY'));
    expect(await profile(uscc)).toMatchObject({ riskClass: 'B', rule: 'SOME_FINDINGS', penalties: 0 });
  });

  it('ignore the other steps of a finding (re-checks, transfers)', async () => {
    const uscc = '91620422MA7XXXXP04';
    const f = recorded(uscc);
    await deliver('onecheck.finding.recorded.v1', f.data);
    const recheck = { ...decided(uscc, f.findingId, 'FINE'), step: 'RECHECKED', rectified: true, penalty: undefined };
    await deliver('onecheck.finding.handled.v1', JSON.parse(JSON.stringify(recheck)));
    expect(await penaltiesByUscc(db, [uscc])).toEqual([[]]);
  });

  it('ignore a decision published by a department other than the finding’s home (not accepted by the one authority)', async () => {
    const uscc = '91620422MA7XXXXP06';
    const f = recorded(uscc);
    await deliver('onecheck.finding.recorded.v1', f.data);
    // FIRE signs it (department: FIRE) but the finding is HEALTH's: only HEALTH accepts fines on it (§29).
    const bypass = {
      ...decided(uscc, f.findingId, 'FINE', { amountYuan: 800, department: 'FIRE' }),
      department: 'FIRE',
    };
    await deliver('onecheck.finding.handled.v1', bypass);
    expect(await penaltiesByUscc(db, [uscc])).toEqual([[]]);
    expect(await profile(uscc)).toMatchObject({ riskClass: 'B', penalties: 0 });
  });
});

describe('经营异常名录 listings on the credit record', () => {
  it('are kept once and shown, and do not change the class', async () => {
    const uscc = '91620422MA7XXXXP05';
    const listing = {
      uscc,
      cause: 'UNREACHABLE_AT_ADDRESS',
      listedOn: '2026-11-24',
      department: 'HEALTH',
      visitId: id(),
      recordedAt: clock.now().toISOString(),
    };
    await deliver('onecheck.enterprise.abnormal-listed.v1', listing);
    await deliver('onecheck.enterprise.abnormal-listed.v1', listing);
    expect(await abnormalListingsByUscc(db, [uscc])).toEqual([
      [expect.objectContaining({ cause: 'UNREACHABLE_AT_ADDRESS', listedOn: '2026-11-24', department: 'HEALTH' })],
    ]);
    expect(await profile(uscc)).toMatchObject({ riskClass: 'B' });
  });
});

describe('a licence revoked (吊销) on the credit record', () => {
  const revoked = (uscc: string, documentNumber: string, decidedOn = '2026-11-24') => ({
    licenceId: id(),
    licenceNumber: `JY-${n}`,
    uscc,
    businessName: '会宁县吊销测试餐馆',
    approvalItem: '食品经营许可',
    supervisingDepartment: 'HEALTH',
    scope: '热食类食品制售',
    validFrom: '2026-01-05',
    validUntil: '2031-01-04',
    grantedOn: '2026-01-05',
    recordedAt: '2026-01-05T09:00:00+08:00',
    status: 'REVOKED',
    reason: '使用非食品原料生产食品',
    act: { kind: 'REVOKE', decidedBy: 'HEALTH', documentNumber, legalBasis: '《食品安全法》第一百二十二条', decidedOn },
  });

  it('makes the business D when it came by a department’s push, with no finding on the record', async () => {
    // Once only the same act decided as a finding's penalty moved the class.
    const uscc = '91620422MA7XXXXP11';
    await deliver('onecheck.licence.revoked.v2', revoked(uscc, '会卫罚〔2026〕90号'));
    expect(await profile(uscc)).toMatchObject({ riskClass: 'D', rule: 'SERIOUS', serious: 1, findings: 0 });
  });

  it('counts one decision once, whether it reached credit as a finding’s penalty, as the licence’s act, or both', async () => {
    const uscc = '91620422MA7XXXXP12';
    const f = recorded(uscc, 'PENALTY', 'GENERAL');
    await deliver('onecheck.finding.recorded.v1', f.data);
    const step = decided(uscc, f.findingId, 'LICENCE_REVOCATION');
    await deliver('onecheck.finding.handled.v1', step);
    await deliver('onecheck.licence.revoked.v2', revoked(uscc, step.penalty.documentNumber));
    expect(await profile(uscc)).toMatchObject({ riskClass: 'D', serious: 1, findings: 1 });
  });

  it('weighs no more once the decision is older than the look-back window', async () => {
    const uscc = '91620422MA7XXXXP13';
    await deliver('onecheck.licence.revoked.v2', revoked(uscc, '会卫罚〔2025〕3号', '2025-10-01'));
    expect(await profile(uscc)).toMatchObject({ riskClass: 'B', serious: 0 });
  });
});

describe('a class as its records age (reclassified without a new record)', () => {
  it('is lifted by the daily sweep once the record that held it leaves the look-back window, once', async () => {
    const uscc = '91620422MA7XXXXP21';
    const f = recorded(uscc, 'RECTIFICATION', 'SERIOUS'); // recorded on 2026-11-20
    await deliver('onecheck.finding.recorded.v1', f.data);
    expect(await profile(uscc)).toMatchObject({ riskClass: 'D', serious: 1 });
    const sweep = () =>
      db.transaction((tx) => reclassifyAged(tx as never, clock, serviceActor('credit', { timer: AGING_TIMER })));
    try {
      // Still counted on 2027-11-20 (the window starts that day a year earlier): nothing moves.
      clock.set('2027-11-20T09:00:00+08:00');
      await sweep();
      expect(await profile(uscc)).toMatchObject({ riskClass: 'D', serious: 1 });
      clock.set('2027-11-21T09:00:00+08:00');
      await sweep();
      expect(await profile(uscc)).toMatchObject({ riskClass: 'B', rule: 'NO_FINDINGS', findings: 0, serious: 0 });
      const changed = (await db.select().from(schema.outbox))
        .map((r) => r.event as { type: string; data: { uscc: string; previousClass: string; riskClass: string } })
        .filter((e) => e.type === 'onecheck.credit.class-changed.v2' && e.data.uscc === uscc);
      expect(changed.at(-1)!.data).toMatchObject({ previousClass: 'D', riskClass: 'B' });
      // The next days' sweeps see the same record aged, and write nothing more.
      const trail = (await readAuditTrail(db, { kind: 'business', id: uscc })).length;
      clock.set('2027-11-22T09:00:00+08:00');
      await sweep();
      expect((await readAuditTrail(db, { kind: 'business', id: uscc })).length).toBe(trail);
    } finally {
      clock.set('2026-11-25');
    }
  });

  it('is caught up after the sweep did not run for months', async () => {
    const uscc = '91620422MA7XXXXP22';
    const f = recorded(uscc, 'RECTIFICATION', 'SERIOUS'); // recorded on 2026-11-20
    await deliver('onecheck.finding.recorded.v1', f.data);
    expect(await profile(uscc)).toMatchObject({ riskClass: 'D' });
    try {
      // Nothing ran from 2026-11 to 2028-01: the record left the window more than a month ago.
      clock.set('2028-01-10T09:00:00+08:00');
      await db.transaction((tx) => reclassifyAged(tx as never, clock, serviceActor('credit', { timer: AGING_TIMER })));
      expect(await profile(uscc)).toMatchObject({ riskClass: 'B', serious: 0 });
    } finally {
      clock.set('2026-11-25');
    }
  });
});
