/**
 * The kit's input-text rule on market regulation's inputs, over HTTP as the gateway calls it:
 * each refused class of character is BAD_USER_INPUT naming the field, and nothing is stored.
 */
import { count, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { TOPICS } from '@onecheck/events';
import { marketService } from '../src/index';
import * as schema from '../src/db/schema';

/** The audit anchor timer may write to the outbox at any moment (its first run is at start): not the change under test. */
const ANCHORS = TOPICS.audit;

const office = { sub: 'office-1', role: 'office' } as const;
const rng = seededRandom(202);
let market: TestSubgraph<typeof schema>;

const REGISTER = 'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }';
const business = (extra: Record<string, string>) => ({
  uscc: generateUscc(rng, { region: '620422' }),
  name: '会宁县测试宾馆',
  legalRepresentative: '张三',
  industry: '61',
  region: '620422',
  address: '会宁县会师镇',
  ...extra,
});
const stored = async () => {
  const { db } = market.service.database;
  const [enterprises] = await db.select({ n: count() }).from(schema.enterprises);
  const [events] = await db.select({ n: count() }).from(schema.outbox).where(ne(schema.outbox.topic, ANCHORS));
  return { enterprises: enterprises!.n, events: events!.n };
};

beforeAll(async () => {
  market = await startTestSubgraph(marketService, { clock: testClock('2026-11-25T09:00:00+08:00') });
});
afterAll(() => market?.stop());

describe('text input on registerEnterprise', () => {
  it.each([
    ['NUL', 'name', '会宁县\u0000宾馆'],
    ['CONTROL', 'address', '会宁县\u0007会师镇'],
    ['LINE_BREAK', 'legalRepresentative', '张\n三'],
    ['LINE_BREAK', 'address', '会宁县\t会师镇'],
    ['BIDI', 'name', '会宁县\u202E馆宾'],
    ['BIDI', 'legalRepresentative', '张\u2066三'],
  ])('refuses %s in %s, storing nothing', async (problem, field, value) => {
    const before = await stored();
    const r = await market.call(office, REGISTER, { input: business({ [field]: value }) });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, params: { problem } });
    expect(r.errors?.[0]?.message).toMatch(/^\w+：第 \d+ 个字符/);
    expect(await stored()).toEqual(before);
  });

  it('refuses a control character in a search as well (the NUL that once reached SQL)', async () => {
    const r = await market.call(office, 'query { enterprises(filter: { nameContains: "\\u0000" }) { totalCount } }');
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.nameContains' });
  });

  it('registers clean text', async () => {
    const r = await market.call(office, REGISTER, { input: business({}) });
    expect(r.errors).toBeUndefined();
  });
});
