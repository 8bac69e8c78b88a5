/**
 * Inspectors' names and certificate numbers (执法证号) per role (kit mask.ts), over HTTP as the
 * gateway calls it: in full for their own department's staff and inspectors; for everyone else
 * the surname with two stars and nothing of the number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { departmentService } from '../src/index';
import type * as schema from '../src/db/schema';

const healthStaff: Identity = { sub: 'staff-HEALTH', role: 'staff', department: 'HEALTH' };
let health: TestSubgraph<typeof schema>;
let id: string;

beforeAll(async () => {
  health = await startTestSubgraph(departmentService('HEALTH'), { clock: testClock('2026-11-25T09:00:00+08:00') });
  const r = await health.call(
    healthStaff,
    'mutation { addInspector(input: { name: "张三丰", badgeNumber: "62042220190001", qualifications: ["卫生监督"], certificateValidUntil: "2030-12-31" }) { id } }',
  );
  expect(r.errors).toBeUndefined();
  id = r.data!.addInspector.id;
});
afterAll(() => health?.stop());

const LIST = '{ inspectors(department: "HEALTH") { edges { node { id name badgeNumber } } } }';
const REF = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Inspector { name badgeNumber } } }`;

describe('an inspector of HEALTH', () => {
  it.each<[string, string, string, Identity]>([
    ["HEALTH's staff", '张三丰', '62042220190001', healthStaff],
    ["HEALTH's inspectors", '张三丰', '62042220190001', { sub: 'i-h', role: 'inspector', department: 'HEALTH' }],
    ["FIRE's staff", '张**', '********', { sub: 's-f', role: 'staff', department: 'FIRE' }],
    ["FIRE's inspectors", '张**', '********', { sub: 'i-f', role: 'inspector', department: 'FIRE' }],
    ['the office', '张**', '********', { sub: 'o', role: 'office' }],
    ['the approval bureau', '张**', '********', { sub: 'a', role: 'approver' }],
  ])('is shown to %s as %s %s, in the directory and by reference', async (_, name, badgeNumber, viewer) => {
    const list = await health.call(viewer, LIST);
    expect(list.data?.inspectors.edges).toContainEqual({ node: { id, name, badgeNumber } });
    const ref = await health.call(viewer, REF, {
      r: [{ __typename: 'Inspector', department: { code: 'HEALTH' }, id }],
    });
    expect(ref.data?._entities).toEqual([{ name, badgeNumber }]);
  });
});
