/**
 * 联合惩戒 (seed 000 ¶10) over HTTP as the gateway calls the credit subgraph, with the clock
 * pinned: the office imposes measures on a business the platform holds, for at most 3 years, and
 * every department hears of it; lifted early, they hear that too; past its last day it is no longer
 * in force. Bad input and callers without the right change nothing.
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
const rng = seededRandom(4712);
/** A business the platform holds, and one it has never heard of. */
const [USCC, UNKNOWN] = [0, 1].map(() => generateUscc(rng, { region: '620422' })) as [string, string];
let credit: TestSubgraph<typeof schema>;

const IMPOSE = `mutation ($input: JointPunishmentInput!) { imposeJointPunishment(input: $input) {
  id uscc measures documentNumber decidedOn until active liftedOn recordedAt } }`;
const LIFT = `mutation ($id: ID!, $input: LiftPunishmentInput!) { liftJointPunishment(id: $id, input: $input) {
  id active liftedOn liftDocumentNumber } }`;
const PROFILE = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { creditProfile {
  jointPunishments { id measures until active liftedOn } } } } }`;
const punishments = async () =>
  (await credit.call(staff, PROFILE, { r: [{ __typename: 'Enterprise', uscc: USCC }] })).data!._entities[0]
    .creditProfile.jointPunishments;
type Ev = { type: string; data: Record<string, unknown> };
const published = async (type: string) =>
  (await credit.service.database.db.select({ event: schema.outbox.event }).from(schema.outbox))
    .map((r) => r.event as Ev)
    .filter((e) => e.type === type);
const rows = () => credit.service.database.db.select().from(schema.jointPunishments);

const input = (overrides: Record<string, unknown> = {}) => ({
  uscc: USCC,
  measures: ['PREFERENTIAL_POLICIES', 'KEY_SUPERVISION'],
  documentNumber: '会信惩〔2026〕1号',
  legalBasis: '《全国失信惩戒措施基础清单》(2024年版)',
  reason: '告知承诺不实，拒不整改',
  until: '2027-11-24',
  ...overrides,
});

beforeAll(async () => {
  credit = await startTestSubgraph(creditService, { clock });
  const { db } = credit.service.database;
  const [enterprises] = creditConsumers({ db, clock, logger: undefined as never });
  const registered = (enterprises!.handlers as Record<string, (e: unknown, tx: unknown) => Promise<void>>)[
    'onecheck.enterprise.registered.v1'
  ]!;
  const data = {
    uscc: USCC,
    name: '会宁县惩戒宾馆',
    industry: '6110',
    region: '620422',
    status: 'ACTIVE',
    registeredOn: '2025-01-02',
    version: 1,
  };
  await db.transaction((tx) =>
    registered({ id: 'reg-1', type: 'onecheck.enterprise.registered.v1', time: clock.now().toISOString(), data }, tx),
  );
});
afterAll(() => credit?.stop());

describe('联合惩戒 (seed 000 ¶10)', () => {
  it('is the office’s to impose: staff are FORBIDDEN, and bad input is refused on its field, writing nothing', async () => {
    const forbidden = await credit.call(staff, IMPOSE, { input: input() });
    expect(forbidden.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'auth.roleForbidden' });
    for (const [overrides, code, field, messageKey] of [
      [{ uscc: UNKNOWN }, 'NOT_FOUND', 'uscc', 'notFound.entity'],
      [{ measures: [] }, 'BAD_USER_INPUT', 'measures', undefined],
      [{ measures: ['KEY_SUPERVISION', 'KEY_SUPERVISION'] }, 'BAD_USER_INPUT', 'measures.1', 'input.listedTwice'],
      [{ until: '2029-11-25' }, 'BAD_USER_INPUT', 'until', 'jointPunishment.tooLong'],
      [{ until: '2026-11-24' }, 'BAD_USER_INPUT', 'until', 'input.notBeforeToday'],
      [{ decidedOn: '2026-11-26' }, 'BAD_USER_INPUT', 'decidedOn', 'input.notAfterToday'],
    ] as const) {
      const r = await credit.call(office, IMPOSE, { input: input(overrides) });
      expect(r.errors?.[0]?.extensions, JSON.stringify(overrides)).toMatchObject({ code, field });
      if (messageKey) expect(r.errors?.[0]?.extensions?.messageKey).toBe(messageKey);
    }
    const tooLong = await credit.call(office, IMPOSE, { input: input({ until: '2029-11-25' }) });
    expect(tooLong.errors?.[0]?.message).toContain('最晚至 2029-11-24');
    expect(await rows()).toEqual([]);
    expect(await published('onecheck.credit.punishment-imposed.v1')).toEqual([]);
  });

  it('is imposed for at most 3 years, in force at once, and every department hears of it', async () => {
    const r = await credit.call(office, IMPOSE, { input: input({ until: '2029-11-24' }) });
    expect(r.errors).toBeUndefined();
    const p = r.data!.imposeJointPunishment;
    expect(p).toMatchObject({
      uscc: USCC,
      measures: ['PREFERENTIAL_POLICIES', 'KEY_SUPERVISION'],
      decidedOn: '2026-11-25',
      until: '2029-11-24',
      active: true,
      liftedOn: null,
      recordedAt: '2026-11-25T02:00:00.000Z',
    });
    expect((await published('onecheck.credit.punishment-imposed.v1')).map((e) => e.data)).toEqual([
      {
        punishmentId: p.id,
        uscc: USCC,
        measures: ['PREFERENTIAL_POLICIES', 'KEY_SUPERVISION'],
        documentNumber: '会信惩〔2026〕1号',
        legalBasis: '《全国失信惩戒措施基础清单》(2024年版)',
        decidedOn: '2026-11-25',
        until: '2029-11-24',
        recordedAt: '2026-11-25T02:00:00.000Z',
      },
    ]);
    expect(await punishments()).toEqual([
      {
        id: p.id,
        measures: ['PREFERENTIAL_POLICIES', 'KEY_SUPERVISION'],
        until: '2029-11-24',
        active: true,
        liftedOn: null,
      },
    ]);
    // The same decision again (a retry without its key): refused, not a second punishment.
    const again = await credit.call(office, IMPOSE, { input: input({ until: '2029-11-24' }) });
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      field: 'documentNumber',
      messageKey: 'jointPunishment.alreadyImposed',
      params: { documentNumber: '会信惩〔2026〕1号' },
    });
    // Nor under a number that only looks the same (a joiner inside), nor with a reason no one sees.
    for (const [change, field, messageKey] of [
      [{ documentNumber: '会信惩〔2026〕1\u200d号' }, 'documentNumber', 'input.badCharacter'],
      [{ documentNumber: '会信惩〔2026〕9号', reason: '\u200d\u00ad' }, 'reason', 'input.empty'],
    ] as const)
      expect((await credit.call(office, IMPOSE, { input: input(change) })).errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
        messageKey,
      });
    expect(await rows()).toHaveLength(1);
  });

  it('is lifted early once, by a decision, and then is not in force', async () => {
    const [p] = await punishments();
    clock.set('2027-06-01T10:00:00+08:00');
    const lift = { documentNumber: '会信修〔2027〕5号', reason: '已完成信用修复' };
    const r = await credit.call(office, LIFT, { id: p.id, input: lift });
    expect(r.errors).toBeUndefined();
    expect(r.data!.liftJointPunishment).toEqual({
      id: p.id,
      active: false,
      liftedOn: '2027-06-01',
      liftDocumentNumber: '会信修〔2027〕5号',
    });
    expect((await published('onecheck.credit.punishment-lifted.v1')).map((e) => e.data)).toEqual([
      {
        punishmentId: p.id,
        uscc: USCC,
        documentNumber: '会信修〔2027〕5号',
        liftedOn: '2027-06-01',
        recordedAt: '2027-06-01T02:00:00.000Z',
      },
    ]);
    const again = await credit.call(office, LIFT, { id: p.id, input: lift });
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'jointPunishment.alreadyLifted',
      params: { liftedOn: '2027-06-01', documentNumber: '会信修〔2027〕5号' },
    });
    const unknown = await credit.call(office, LIFT, { id: 'nope', input: lift });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    const trail = await readAuditTrail(credit.service.database.db, { kind: 'business', id: USCC });
    expect(trail.filter((e) => e.action === 'punishJointly')).toHaveLength(2);
  });

  it('ends by itself after its last day', async () => {
    const r = await credit.call(office, IMPOSE, {
      input: input({ measures: ['FISCAL_FUNDS'], documentNumber: '会信惩〔2027〕2号', until: '2027-06-30' }),
    });
    expect(r.data!.imposeJointPunishment.active).toBe(true);
    clock.set('2027-07-01T10:00:00+08:00');
    const latest = (await punishments())[0];
    expect(latest).toMatchObject({ measures: ['FISCAL_FUNDS'], active: false, liftedOn: null });
    const lift = await credit.call(office, LIFT, {
      id: latest.id,
      input: { documentNumber: '会信修〔2027〕6号', reason: '期满' },
    });
    expect(lift.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'jointPunishment.notInForce' });
  });
});
