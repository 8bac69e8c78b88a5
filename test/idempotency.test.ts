/**
 * Idempotency keys end to end, through the gateway (issue 8): a client grants a licence, loses
 * the answer and sends the same request again with the same key — one licence, one event, one
 * task at the supervising department, the same answer twice; the same key with another grant is
 * refused with IDEMPOTENCY_KEY_REUSED.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateUscc, seededRandom } from '@onecheck/codes';
import type { RunningSystem } from '../scripts/system';
import { gql, roles, startTestSystem, until } from './helpers';

let sys: RunningSystem;
let office: string, approver: string, health: string;
const rng = seededRandom(808);

const GRANT = `mutation ($input: GrantLicenceInput!, $key: String) {
  grantLicence(input: $input, idempotencyKey: $key) { id licenceNumber status enterprise { uscc name } }
}`;

async function registerBusiness(): Promise<string> {
  const uscc = generateUscc(rng, { region: '620422' });
  const input = {
    uscc,
    name: '会宁县幂等测试宾馆',
    legalRepresentative: '钱七',
    industry: '61',
    region: '620422',
    address: '会宁县',
  };
  const r = await gql(
    sys.gatewayUrl,
    'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
    { input },
    office,
  );
  expect(r.errors).toBeUndefined();
  return uscc;
}

const licence = (uscc: string, licenceNumber = `WS-E2E-${uscc.slice(-6)}`) => ({
  uscc,
  licenceNumber,
  approvalItem: '公共场所卫生许可',
  supervisingDepartment: 'HEALTH',
  scope: '住宿',
  // The day the business registers (the pinned today): a grant may not predate it (issue 9).
  validFrom: sys.clock.today(),
  validUntil: '2030-12-31',
  grantedOn: sys.clock.today(),
});

/** Grants, waiting until the bureau has learnt of the business from market regulation's events. */
const grant = (input: ReturnType<typeof licence>, key: string) =>
  until('the approval bureau to know the business', async () => {
    const r = await gql(sys.gatewayUrl, GRANT, { input, key }, approver);
    // A refused grant records nothing under its key, so waiting with the key is safe.
    return r.errors?.[0]?.extensions?.field === 'uscc' ? undefined : r;
  });

const grantEvents = async (licenceNumber: string) => {
  const result = await sys.approval.database.db.execute(
    sql`select count(*)::int as n from outbox where event::jsonb->'data'->>'licenceNumber' = ${licenceNumber}`,
  );
  return (result as unknown as { rows: { n: number }[] }).rows[0]!.n;
};

beforeAll(async () => {
  sys = await startTestSystem({ departments: ['HEALTH'] });
  [office, approver, health] = await Promise.all([
    sys.token(roles.office),
    sys.token(roles.approver),
    sys.token(roles.staff('HEALTH')),
  ]);
});
afterAll(() => sys?.stop());

describe('a licence grant retried with its idempotency key', () => {
  it('is made once — one licence, one event, one task — and answered the same again', async () => {
    const uscc = await registerBusiness();
    const input = licence(uscc);
    const key = 'f3b8a6a2-6c1e-4d57-9f0e-2b1d1e0c9a41';
    const first = await grant(input, key);
    expect(first.errors).toBeUndefined();
    // The answer was lost on the way back: the client sends the very same request again.
    const retry = await gql(sys.gatewayUrl, GRANT, { input, key }, approver);
    expect(retry).toEqual(first);

    const licences = await gql(
      sys.gatewayUrl,
      'query ($uscc: String!) { licences(filter: { uscc: $uscc }) { totalCount } }',
      { uscc },
      approver,
    );
    expect(licences.data!.licences.totalCount).toBe(1);
    expect(await grantEvents(input.licenceNumber)).toBe(1);
    const tasks = async () =>
      (
        await gql(
          sys.gatewayUrl,
          'query ($uscc: String!) { supervisionTasks(filter: { uscc: $uscc }) { totalCount } }',
          { uscc },
          health,
        )
      ).data!.supervisionTasks.totalCount as number;
    await until('the task at HEALTH', async () => (await tasks()) > 0);
    expect(await tasks()).toBe(1);
  });

  it('with the same key but another licence is refused, changing nothing', async () => {
    const uscc = await registerBusiness();
    const key = '0c7d1d9e-1a4b-4f6a-8d8e-5a9f1f7b2c10';
    expect((await grant(licence(uscc), key)).errors).toBeUndefined();
    const other = licence(uscc, `WS-E2E-OTHER-${uscc.slice(-6)}`);
    const r = await gql(sys.gatewayUrl, GRANT, { input: other, key }, approver);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotencyKey' });
    expect(await grantEvents(other.licenceNumber)).toBe(0);
  });
});
