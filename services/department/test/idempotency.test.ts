/** Idempotency keys (kit idempotency.ts) on a department instance: addInspector retried is one inspector. */
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClock } from '@onecheck/clock';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { departmentService } from '../src/index';
import * as schema from '../src/db/schema';

const staff = { sub: 'staff-HEALTH', role: 'staff', department: 'HEALTH' } as const;
let health: TestSubgraph<typeof schema>;

const ADD = `mutation ($input: InspectorInput!, $key: String) {
  addInspector(input: $input, idempotencyKey: $key) { id name badgeNumber active }
}`;
const inspectors = async () => {
  const [row] = await health.service.database.db.select({ n: count() }).from(schema.inspectors);
  return row!.n;
};

beforeAll(async () => {
  health = await startTestSubgraph(departmentService('HEALTH'), { clock: testClock('2026-11-25T09:00:00+08:00') });
});
afterAll(() => health?.stop());

describe('addInspector with an idempotency key', () => {
  it('adds the inspector once when retried, with the same answer', async () => {
    const input = {
      name: '王五',
      badgeNumber: 'HEALTH-0101',
      qualifications: ['公共卫生'],
      certificateValidUntil: '2030-12-31',
    };
    const first = await health.call(staff, ADD, { input, key: 'add-inspector-0101' });
    expect(first.errors).toBeUndefined();
    const retry = await health.call(staff, ADD, { input, key: 'add-inspector-0101' });
    expect(retry).toEqual(first);
    expect(await inspectors()).toBe(1);
  });

  it('refuses the key with another inspector, adding nobody', async () => {
    const r = await health.call(staff, ADD, {
      input: { name: '赵六', badgeNumber: 'HEALTH-0102', qualifications: [] },
      key: 'add-inspector-0101',
    });
    expect(r.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await inspectors()).toBe(1);
  });
});
