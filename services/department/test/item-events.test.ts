/**
 * Items as events (一业一单 is built from them, issue 10 item 1): over HTTP as the gateway calls
 * it, every publication, revision and withdrawal goes out on the item topic with the item's full
 * state and a rising revision, keyed by the department; bad input is refused naming the field,
 * writing nothing (no row, no event, no audit entry).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { TOPICS } from '@onecheck/events';
import { readAuditTrail } from '@onecheck/kit';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { departmentService } from '../src/index';
import * as schema from '../src/db/schema';

const clock = testClock('2026-11-25T09:00:00+08:00');
const staff: Identity = { sub: 'clerk-1', role: 'staff', department: 'HEALTH' };
let health: TestSubgraph<typeof schema>;
const db = () => health.service.database.db;

const FIELDS = 'code status emphasis frequencyPerYear revision industries checkPoints { point answers }';
const PUBLISH = `mutation ($input: SupervisionItemInput!) { publishSupervisionItem(input: $input) { ${FIELDS} } }`;
const REVISE = `mutation ($code: String!, $input: SupervisionItemChanges!) {
  reviseSupervisionItem(code: $code, input: $input) { ${FIELDS} } }`;
const WITHDRAW = `mutation ($code: String!) { withdrawSupervisionItem(code: $code) { ${FIELDS} } }`;

const item = {
  code: 'WJ-SP-001',
  name: '餐饮服务食品安全检查',
  content: '检查许可、健康证明、加工场所卫生',
  legalBasis: '《中华人民共和国食品安全法》第一百一十条',
  level: 'COUNTY',
  industries: ['62'],
  emphasis: 'KEY',
  frequencyPerYear: 2,
  checkPoints: [
    { point: '从业人员持有效健康证明', answers: ['符合', '不符合'] },
    { point: '加工场所生熟分开', answers: ['符合', '不符合', '不涉及'] },
  ],
};

interface ItemEvent {
  type: string;
  subject: string;
  data: Record<string, unknown> & { revision: number; status: string };
}
const itemEvents = async () =>
  (await db().select().from(schema.outbox))
    .filter((row) => row.topic === TOPICS.item)
    .map((row) => ({ key: row.key, ...(row.event as ItemEvent) }));
const rows = async (table: typeof schema.supervisionItems) => (await db().select({ n: count() }).from(table))[0]!.n;

beforeAll(async () => {
  health = await startTestSubgraph(departmentService('HEALTH'), { clock });
});
afterAll(() => health?.stop());

describe('items as events', () => {
  it('publishes revision 1 with its full state on the item topic, keyed by the department', async () => {
    const r = await health.call(staff, PUBLISH, { input: item });
    expect(r.errors).toBeUndefined();
    expect(r.data!.publishSupervisionItem).toMatchObject({ revision: 1, emphasis: 'KEY', status: 'PUBLISHED' });
    const [event] = await itemEvents();
    expect(event).toMatchObject({ key: 'HEALTH', type: 'onecheck.item.published.v1', subject: item.code });
    expect(event!.data).toEqual({
      ...item,
      department: 'HEALTH',
      checkMethod: 'ON_SITE',
      status: 'PUBLISHED',
      revision: 1,
      recordedAt: clock.now().toISOString(),
    });
  });

  it('revises: the fields given change, the rest stays, the revision rises and the full state goes out', async () => {
    const r = await health.call(staff, REVISE, {
      code: item.code,
      input: { emphasis: 'GENERAL', frequencyPerYear: 1 },
    });
    expect(r.errors).toBeUndefined();
    expect(r.data!.reviseSupervisionItem).toMatchObject({ revision: 2, emphasis: 'GENERAL', frequencyPerYear: 1 });
    const events = await itemEvents();
    expect(events.map((e) => [e.type, e.data.revision])).toEqual([
      ['onecheck.item.published.v1', 1],
      ['onecheck.item.revised.v1', 2],
    ]);
    expect(events[1]!.data).toMatchObject({ checkPoints: item.checkPoints, industries: ['62'], name: item.name });
    const trail = await readAuditTrail(db(), { kind: 'supervisionItem', id: item.code });
    expect(trail.map((e) => e.action)).toEqual(['publishItems', 'reviseItems']);
  });

  it('refuses a revision that changes nothing, with no new revision or event', async () => {
    const r = await health.call(staff, REVISE, { code: item.code, input: { emphasis: 'GENERAL' } });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'item.unchanged' });
    expect(await itemEvents()).toHaveLength(2);
  });

  it('publishing the same content again changes nothing; changed content is a revision', async () => {
    const same = await health.call(staff, PUBLISH, { input: { ...item, emphasis: 'GENERAL', frequencyPerYear: 1 } });
    expect(same.data!.publishSupervisionItem.revision).toBe(2);
    expect(await itemEvents()).toHaveLength(2);
    const changed = await health.call(staff, PUBLISH, { input: { ...item, industries: ['62', '61'] } });
    expect(changed.data!.publishSupervisionItem).toMatchObject({ revision: 3, industries: ['62', '61'] });
    expect((await itemEvents()).at(-1)).toMatchObject({ type: 'onecheck.item.revised.v1', data: { revision: 3 } });
  });

  it('withdraws with a new revision, WITHDRAWN, in full; a second withdrawal and a revision of it are refused', async () => {
    const r = await health.call(staff, WITHDRAW, { code: item.code });
    expect(r.data!.withdrawSupervisionItem).toMatchObject({ status: 'WITHDRAWN', revision: 4 });
    const last = (await itemEvents()).at(-1)!;
    expect(last).toMatchObject({ type: 'onecheck.item.withdrawn.v1', key: 'HEALTH' });
    expect(last.data).toMatchObject({
      status: 'WITHDRAWN',
      revision: 4,
      name: item.name,
      checkPoints: item.checkPoints,
    });
    const again = await health.call(staff, WITHDRAW, { code: item.code });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const revised = await health.call(staff, REVISE, { code: item.code, input: { name: '新名称' } });
    expect(revised.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await itemEvents()).toHaveLength(4);
  });

  it('publishing a withdrawn item again brings it back as a published event with the next revision', async () => {
    const r = await health.call(staff, PUBLISH, { input: item });
    expect(r.data!.publishSupervisionItem).toMatchObject({ status: 'PUBLISHED', revision: 5 });
    expect((await itemEvents()).at(-1)).toMatchObject({ type: 'onecheck.item.published.v1', data: { revision: 5 } });
  });
});

describe('bad input is refused with its field, writing nothing', () => {
  it.each([
    ['an unknown emphasis', { emphasis: 'URGENT' }, 'emphasis', undefined],
    ['an industry code that is no GB/T 4754 code', { industries: ['ZZ'] }, 'industries.0', 'industry.codeFormat'],
    ['an industry code the standard does not have', { industries: ['99'] }, 'industries.0', 'industry.unknown'],
    ['one industry twice', { industries: ['62', '61', '62'] }, 'industries.2', 'industry.twice'],
    [
      'a check point with no answers',
      { checkPoints: [{ point: '健康证明', answers: [] }] },
      'checkPoints.0.answers',
      'input.tooFewItems',
    ],
    ['a negative frequency', { frequencyPerYear: -1 }, 'frequencyPerYear', 'input.tooSmall'],
  ] as const)('%s', async (_, change, field, messageKey) => {
    const before = { items: await rows(schema.supervisionItems), events: (await itemEvents()).length };
    const fresh = { ...item, code: 'WJ-BAD-001', ...change };
    const published = await health.call(staff, PUBLISH, { input: fresh });
    const error = published.errors?.[0]?.extensions;
    expect(error?.code).toBe('BAD_USER_INPUT');
    // An enum the SDL does not know is refused by GraphQL itself, before any field rule.
    if (messageKey) expect(error).toMatchObject({ field, messageKey });
    const revised = await health.call(staff, REVISE, { code: item.code, input: change });
    expect(revised.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    if (messageKey) expect(revised.errors?.[0]?.extensions).toMatchObject({ field, messageKey });
    expect(await rows(schema.supervisionItems)).toBe(before.items);
    expect(await itemEvents()).toHaveLength(before.events);
    expect(await readAuditTrail(db(), { kind: 'supervisionItem', id: 'WJ-BAD-001' })).toEqual([]);
  });
});
