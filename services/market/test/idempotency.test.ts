/** Idempotency keys (kit idempotency.ts) on market regulation's registerEnterprise and setCalendarYear. */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { marketService } from '../src/index';
import * as schema from '../src/db/schema';

const office = { sub: 'office-1', role: 'office' } as const;
const rng = seededRandom(505);
let market: TestSubgraph<typeof schema>;

const REGISTER = `mutation ($input: RegisterEnterpriseInput!, $key: String) {
  registerEnterprise(input: $input, idempotencyKey: $key) { uscc name version registeredOn updatedAt industry { code name } }
}`;
const business = () => ({
  uscc: generateUscc(rng, { region: '620422' }),
  name: '会宁县测试宾馆',
  legalRepresentative: '张三',
  industry: '61',
  region: '620422',
  address: '会宁县会师镇',
});
const stored = async () => {
  const { db } = market.service.database;
  const [enterprises] = await db.select({ n: count() }).from(schema.enterprises);
  // The register's own events: the audit anchor timer may add its own to the outbox at any moment.
  const [events] = await db
    .select({ n: count() })
    .from(schema.outbox)
    .where(eq(schema.outbox.topic, 'onecheck.market.enterprise'));
  return { enterprises: enterprises!.n, events: events!.n };
};

beforeAll(async () => {
  market = await startTestSubgraph(marketService, { clock: testClock('2026-11-25T09:00:00+08:00') });
});
afterAll(() => market?.stop());

describe('registerEnterprise with an idempotency key', () => {
  it('registers once when retried, and answers the same again (dates and times included)', async () => {
    const input = business();
    const before = await stored();
    const first = await market.call(office, REGISTER, { input, key: '8c0f3f0e-register-1' });
    expect(first.errors).toBeUndefined();
    const retry = await market.call(office, REGISTER, { input, key: '8c0f3f0e-register-1' });
    expect(retry).toEqual(first);
    expect(await stored()).toEqual({ enterprises: before.enterprises + 1, events: before.events + 1 });
  });

  it('refuses the key for another business, changing nothing', async () => {
    await market.call(office, REGISTER, { input: business(), key: '8c0f3f0e-register-2' });
    const before = await stored();
    const r = await market.call(office, REGISTER, { input: business(), key: '8c0f3f0e-register-2' });
    expect(r.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await stored()).toEqual(before);
  });

  it('refuses the key for another mutation', async () => {
    await market.call(office, REGISTER, { input: business(), key: '8c0f3f0e-register-3' });
    const r = await market.call(
      office,
      'mutation ($key: String) { setCalendarYear(input: { year: 2031, holidays: [], workdays: [] }, idempotencyKey: $key) { year } }',
      { key: '8c0f3f0e-register-3' },
    );
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      params: { operation: 'registerEnterprise' },
    });
  });
});
