/**
 * A business's legal representative per role (kit mask.ts), over HTTP as the gateway calls it:
 * in full for market regulation's staff, the office and the approval bureau; masked for other
 * departments and inspectors; nothing for the public. Lists and entity references alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { marketService } from '../src/index';
import type * as schema from '../src/db/schema';

const office: Identity = { sub: 'office-1', role: 'office' };
const uscc = generateUscc(seededRandom(606), { region: '620422' });
let market: TestSubgraph<typeof schema>;

beforeAll(async () => {
  market = await startTestSubgraph(marketService, { clock: testClock('2026-11-25T09:00:00+08:00') });
  const r = await market.call(
    office,
    'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
    {
      input: {
        uscc,
        name: '会宁县隐私测试宾馆',
        legalRepresentative: '欧阳娜娜',
        industry: '61',
        region: '620422',
        address: '会宁县',
      },
    },
  );
  expect(r.errors).toBeUndefined();
});
afterAll(() => market?.stop());

const ONE = 'query ($u: String!) { enterprise(uscc: $u) { legalRepresentative } }';
const LIST = '{ enterprises(first: 100) { edges { node { uscc legalRepresentative } } } }';
const REF = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { legalRepresentative } } }`;

describe('legalRepresentative', () => {
  it.each<[string, string, Identity]>([
    ['the office', '欧阳娜娜', office],
    ['the approval bureau', '欧阳娜娜', { sub: 'a-1', role: 'approver' }],
    ["market regulation's staff", '欧阳娜娜', { sub: 's-m', role: 'staff', department: 'MARKET' }],
    ["market regulation's inspectors", '欧**', { sub: 'i-m', role: 'inspector', department: 'MARKET' }],
    ["another department's staff", '欧**', { sub: 's-h', role: 'staff', department: 'HEALTH' }],
    ["another department's inspectors", '欧**', { sub: 'i-h', role: 'inspector', department: 'HEALTH' }],
  ])('is shown to %s as %s, by lookup, list and reference', async (_, shown, viewer) => {
    const one = await market.call(viewer, ONE, { u: uscc });
    expect(one.data?.enterprise.legalRepresentative).toBe(shown);
    const list = await market.call(viewer, LIST);
    expect(list.data?.enterprises.edges).toContainEqual({ node: { uscc, legalRepresentative: shown } });
    const ref = await market.call(viewer, REF, { r: [{ __typename: 'Enterprise', uscc }] });
    expect(ref.data?._entities).toEqual([{ legalRepresentative: shown }]);
  });

  it('is not shown to the public at all', async () => {
    const r = await market.call({ sub: 'anonymous', role: 'public' }, ONE, { u: uscc });
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(r)).not.toContain('欧阳');
  });
});
