/**
 * 纳入信用记录 (seed 003 第二十三条): a promise under 告知承诺 the approval bureau found broken arrives
 * on the licence topic and becomes a dishonesty record on the business's credit profile — once
 * however often it is delivered, newest decision first on the subgraph, on the business's audit
 * trail by the platform with the event that brought it, and the risk class left as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import type { EventData } from '@onecheck/contracts';
import type { EventHandlers } from '@onecheck/events';
import { readAuditTrail } from '@onecheck/kit';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { creditService } from '../src/index';
import { creditConsumers } from '../src/events';
import * as schema from '../src/db/schema';

const clock = testClock('2026-12-01T10:00:00+08:00');
const staff: Identity = { sub: 'clerk-1', role: 'staff', department: 'HEALTH' };
const USCC = '91620422MA7XXXX903';
let credit: TestSubgraph<typeof schema>;

const untrue: EventData<'onecheck.promise.broken.v1'> = {
  promiseId: '00000000-0000-4000-8000-000000000c01',
  uscc: USCC,
  businessName: '会宁县承诺宾馆',
  approvalItem: '公共场所卫生许可',
  mode: 'POST_CHECK',
  breach: 'CHECK_UNTRUE',
  licenceId: '00000000-0000-4000-8000-000000000a01',
  licenceNumber: 'WS-2026-001',
  foundBy: 'HEALTH',
  legalBasis: '《优化营商环境条例》第四十条',
  reason: '承诺的消毒间不存在',
  decidedOn: '2026-11-25',
  recordedAt: '2026-11-25T16:00:00+08:00',
};
const overdue: EventData<'onecheck.promise.broken.v1'> = {
  promiseId: '00000000-0000-4000-8000-000000000c02',
  uscc: USCC,
  businessName: '会宁县承诺宾馆',
  approvalItem: '食品经营许可',
  mode: 'DEFERRED_MATERIALS',
  breach: 'MATERIALS_OVERDUE',
  foundBy: 'APPROVAL',
  documentNumber: '会审批撤字〔2026〕3号',
  legalBasis: '《中华人民共和国行政许可法》第六十九条',
  reason: '承诺期限内未补交材料',
  decidedOn: '2026-11-30',
  recordedAt: '2026-11-30T09:30:00+08:00',
};

const PROFILE = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { creditProfile {
  riskClass rule falsePromises { breach approvalItem licenceNumber foundBy documentNumber legalBasis reason decidedOn } } } } }`;

beforeAll(async () => {
  credit = await startTestSubgraph(creditService, { clock });
  const { db } = credit.service.database;
  const [, , licences] = creditConsumers({ db, clock, logger: undefined as never });
  expect(licences!.name).toBe('licences');
  const broken = (licences!.handlers as EventHandlers<typeof schema>)['onecheck.promise.broken.v1']!;
  // The older record delivered twice (the second time as another event: the inbox cannot catch
  // that, the promise id must), then the newer one.
  for (const [id, data] of [
    ['broken-1', untrue],
    ['broken-1-again', untrue],
    ['broken-2', overdue],
  ] as const) {
    await db.transaction((tx) =>
      broken({ id, type: 'onecheck.promise.broken.v1', time: clock.now().toISOString(), data } as never, tx as never),
    );
  }
});
afterAll(() => credit?.stop());

describe('a false promise on the credit record (告知承诺, seed 003 第二十三条)', () => {
  it('is stored once per promise, however often it is delivered', async () => {
    const rows = await credit.service.database.db.select().from(schema.falsePromises);
    expect(rows.map((r) => r.promiseId).sort()).toEqual([untrue.promiseId, overdue.promiseId]);
  });

  it("is shown on the business's credit profile, newest decision first, without moving its class", async () => {
    const r = await credit.call(staff, PROFILE, { r: [{ __typename: 'Enterprise', uscc: USCC }] });
    expect(r.errors).toBeUndefined();
    const profile = r.data!._entities[0].creditProfile;
    // Not scored: the measures a false promise brings come with the measure catalogue.
    expect(profile).toMatchObject({ riskClass: 'B', rule: 'DEFAULT' });
    expect(profile.falsePromises).toEqual([
      {
        breach: 'MATERIALS_OVERDUE',
        approvalItem: '食品经营许可',
        licenceNumber: null,
        foundBy: 'APPROVAL',
        documentNumber: '会审批撤字〔2026〕3号',
        legalBasis: '《中华人民共和国行政许可法》第六十九条',
        reason: '承诺期限内未补交材料',
        decidedOn: '2026-11-30',
      },
      {
        breach: 'CHECK_UNTRUE',
        approvalItem: '公共场所卫生许可',
        licenceNumber: 'WS-2026-001',
        foundBy: 'HEALTH',
        documentNumber: null,
        legalBasis: '《优化营商环境条例》第四十条',
        reason: '承诺的消毒间不存在',
        decidedOn: '2026-11-25',
      },
    ]);
    const other = await credit.call(staff, PROFILE, { r: [{ __typename: 'Enterprise', uscc: '91620422MA7XXXX904' }] });
    expect(other.data!._entities[0].creditProfile.falsePromises).toEqual([]);
  });

  it('is read by the office, staff and auditors; not by inspectors in the field, the bureau or the public', async () => {
    const r = [{ __typename: 'Enterprise', uscc: USCC }];
    const as = (identity: Identity) => credit.call(identity, PROFILE, { r });
    for (const role of ['office', 'auditor'] as const) {
      const seen = await as({ sub: `${role}-1`, role });
      expect(seen.data!._entities[0].creditProfile.falsePromises, role).toHaveLength(2);
    }
    for (const identity of [
      { sub: 'inspector-1', role: 'inspector', department: 'HEALTH' },
      { sub: 'approver-1', role: 'approver' },
    ] as const) {
      const refused = await as(identity);
      expect(refused.errors?.[0]?.extensions, identity.role).toMatchObject({
        code: 'FORBIDDEN',
        messageKey: 'auth.roleForbidden',
      });
      expect(refused.errors?.[0]?.message).toContain('查看信用风险分类及信用记录');
      expect(refused.data?._entities[0]?.creditProfile ?? null).toBeNull();
    }
    const anonymous = await as({ sub: 'anonymous', role: 'public' });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it("is on the business's audit trail, by the platform with the event that brought it, once", async () => {
    const trail = await readAuditTrail(credit.service.database.db, { kind: 'business', id: USCC });
    expect(trail.map((e) => [e.action, e.actor])).toEqual([
      ['receiveFalsePromises', { kind: 'service', principal: 'credit', event: 'broken-1' }],
      ['receiveFalsePromises', { kind: 'service', principal: 'credit', event: 'broken-2' }],
    ]);
    expect(trail[0]!.before).toBeNull();
    expect(trail[0]!.after).toMatchObject({ promiseId: untrue.promiseId, breach: 'CHECK_UNTRUE', foundBy: 'HEALTH' });
  });
});
