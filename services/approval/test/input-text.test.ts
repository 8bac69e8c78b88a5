/**
 * The kit's input-text rule on the approval bureau's inputs, over HTTP as the gateway calls it:
 * each refused class of character is BAD_USER_INPUT naming the field, nothing is stored; the
 * multi-line fields (scope, reason) take line feeds and tabs.
 */
import { count, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { TOPICS } from '@onecheck/events';
import { approvalService } from '../src/index';
import * as schema from '../src/db/schema';

/** The audit anchor timer may write to the outbox at any moment (its first run is at start): not the change under test. */
const ANCHORS = TOPICS.audit;

const approver = { sub: 'approver-1', role: 'approver' } as const;
const uscc = generateUscc(seededRandom(303), { region: '620422' });
let approval: TestSubgraph<typeof schema>;
let seq = 0;

const GRANT = 'mutation ($input: GrantLicenceInput!) { grantLicence(input: $input) { id scope } }';
const licence = (extra: Record<string, string>) => ({
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
  const [events] = await db.select({ n: count() }).from(schema.outbox).where(ne(schema.outbox.topic, ANCHORS));
  return { licences: licences!.n, events: events!.n };
};

beforeAll(async () => {
  approval = await startTestSubgraph(approvalService, { clock: testClock('2026-11-25T09:00:00+08:00') });
  // The bureau knows businesses from market regulation's events; this one arrived already.
  await approval.service.database.db
    .insert(schema.knownEnterprises)
    .values({ uscc, name: '会宁县测试宾馆', status: 'ACTIVE', version: 1 });
});
afterAll(() => approval?.stop());

describe('text input on grantLicence and setLicenceStatus', () => {
  it.each([
    ['NUL', 'licenceNumber', 'WS-\u0000'],
    ['CONTROL', 'approvalItem', '公共场所\u001b卫生许可'],
    ['LINE_BREAK', 'approvalItem', '公共场所\n卫生许可'],
    ['BIDI', 'scope', '住宿\u202D'],
    ['NUL', 'scope', '住宿\u0000'],
  ])('refuses %s in %s, storing nothing', async (problem, field, value) => {
    const before = await stored();
    const r = await approval.call(approver, GRANT, { input: licence({ [field]: value }) });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, params: { problem } });
    expect(await stored()).toEqual(before);
  });

  it('takes line feeds and tabs in the scope, a multi-line field', async () => {
    const r = await approval.call(approver, GRANT, { input: licence({ scope: '住宿\n\t餐饮' }) });
    expect(r.errors).toBeUndefined();
    expect(r.data?.grantLicence.scope).toBe('住宿\n\t餐饮');
  });

  it('refuses a bidirectional override in a status reason, changing nothing', async () => {
    const granted = await approval.call(approver, GRANT, { input: licence({}) });
    const before = await stored();
    const r = await approval.call(
      approver,
      'mutation ($id: ID!, $reason: String!) { setLicenceStatus(id: $id, status: SUSPENDED, reason: $reason) { status } }',
      { id: granted.data?.grantLicence.id, reason: '整改\u2067期间' },
    );
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'reason',
      params: { problem: 'BIDI' },
    });
    expect(await stored()).toEqual(before);
  });
});
