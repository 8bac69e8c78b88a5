/**
 * Idempotency keys (kit idempotency.ts) on the approval bureau's grantLicence, over HTTP as the
 * gateway calls it: a grant retried with its key after the answer was lost is made once, with one
 * event; the same key with another grant is refused; concurrent retries make one licence.
 */
import { count, eq } from 'drizzle-orm';
import { TOPICS } from '@onecheck/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { approvalService } from '../src/index';
import * as schema from '../src/db/schema';

const approver = { sub: 'approver-1', role: 'approver' } as const;
const otherApprover = { sub: 'approver-2', role: 'approver' } as const;
const uscc = generateUscc(seededRandom(404), { region: '620422' });
const clock = testClock('2026-11-25T09:00:00+08:00');
let approval: TestSubgraph<typeof schema>;
let seq = 0;

const GRANT = `mutation ($input: GrantLicenceInput!, $key: String) {
  grantLicence(input: $input, idempotencyKey: $key) { id licenceNumber status validUntil supervisingDepartment { code } }
}`;
const licence = (extra: Record<string, string> = {}) => ({
  uscc,
  licenceNumber: `WS-${++seq}`,
  approvalItem: '公共场所卫生许可',
  supervisingDepartment: 'HEALTH',
  scope: '住宿',
  validFrom: '2026-01-01',
  validUntil: '2030-12-31',
  grantedOn: '2026-01-01',
  ...extra,
});
const stored = async () => {
  const { db } = approval.service.database;
  const [licences] = await db.select({ n: count() }).from(schema.licences);
  // The licence topic's events (the kit's audit anchors go out through the same outbox, on their own topic).
  const [events] = await db.select({ n: count() }).from(schema.outbox).where(eq(schema.outbox.topic, TOPICS.licence));
  return { licences: licences!.n, events: events!.n };
};

beforeAll(async () => {
  approval = await startTestSubgraph(approvalService, { clock });
  await approval.service.database.db
    .insert(schema.knownEnterprises)
    .values({ uscc, name: '会宁县测试宾馆', status: 'ACTIVE', version: 1 });
});
afterAll(() => approval?.stop());

describe('a grant with an idempotency key', () => {
  it('is made once when retried after the answer was lost, and answers the same again', async () => {
    const input = licence();
    const before = await stored();
    const first = await approval.call(approver, GRANT, { input, key: 'grant-0001-aaaa' });
    expect(first.errors).toBeUndefined();
    // The client never saw `first`: it sends the same request again.
    const retry = await approval.call(approver, GRANT, { input, key: 'grant-0001-aaaa' });
    expect(retry).toEqual(first);
    expect(await stored()).toEqual({ licences: before.licences + 1, events: before.events + 1 });
  });

  it('refuses the same key with another grant, changing nothing', async () => {
    await approval.call(approver, GRANT, { input: licence(), key: 'grant-0002-bbbb' });
    const before = await stored();
    const r = await approval.call(approver, GRANT, { input: licence(), key: 'grant-0002-bbbb' });
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      field: 'idempotencyKey',
      messageKey: 'idempotency.reused',
    });
    expect(r.errors?.[0]?.message).toBe(
      'idempotencyKey：此幂等键已用于另一个请求（grantLicence），请为新的请求使用新的键',
    );
    expect(await stored()).toEqual(before);
  });

  it('makes one licence when the same request arrives several times at once', async () => {
    const input = licence();
    const before = await stored();
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => approval.call(approver, GRANT, { input, key: 'grant-0003-cccc' })),
    );
    for (const r of replies) expect(r).toEqual(replies[0]);
    expect(replies[0]!.errors).toBeUndefined();
    expect(await stored()).toEqual({ licences: before.licences + 1, events: before.events + 1 });
  });

  it("keeps keys per caller: another approver's same key is its own request", async () => {
    await approval.call(approver, GRANT, { input: licence(), key: 'grant-0004-dddd' });
    const r = await approval.call(otherApprover, GRANT, { input: licence(), key: 'grant-0004-dddd' });
    expect(r.errors).toBeUndefined();
  });

  it('records nothing for a refused grant: the corrected request may use the key', async () => {
    const input = licence({ validUntil: '2025-12-31' });
    const refused = await approval.call(approver, GRANT, { input, key: 'grant-0005-eeee' });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const r = await approval.call(approver, GRANT, {
      input: { ...input, validUntil: '2030-12-31' },
      key: 'grant-0005-eeee',
    });
    expect(r.errors).toBeUndefined();
  });

  it('forgets a key after 24 hours', async () => {
    const input = licence();
    await approval.call(approver, GRANT, { input, key: 'grant-0006-ffff' });
    clock.advance(24 * 3_600_000 + 1000);
    const r = await approval.call(approver, GRANT, { input: licence(), key: 'grant-0006-ffff' });
    expect(r.errors).toBeUndefined();
  });

  it('refuses a key that is not a token', async () => {
    const r = await approval.call(approver, GRANT, { input: licence(), key: 'short' });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
  });

  it('works as before without a key', async () => {
    const before = await stored();
    const r = await approval.call(approver, GRANT, { input: licence() });
    expect(r.errors).toBeUndefined();
    expect((await stored()).licences).toBe(before.licences + 1);
  });
});
