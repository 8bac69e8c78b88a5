/**
 * Batching: resolving many businesses across the federation costs each service a constant number
 * of SQL statements (DataLoader behind every reference and child list), not one per business.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateUscc, seededRandom } from '@onecheck/codes';
import type { RunningSystem } from '../scripts/system';
import { gql, roles, startTestSystem } from './helpers';

const BUSINESSES = 100;
let sys: RunningSystem;
let office: string;

beforeAll(async () => {
  sys = await startTestSystem({ departments: ['HEALTH', 'FIRE'] });
  const [approver, health, fire] = await Promise.all([
    sys.token(roles.approver),
    sys.token(roles.staff('HEALTH')),
    sys.token(roles.staff('FIRE')),
  ]);
  office = await sys.token(roles.office);
  for (const [token, code] of [
    [health, 'WS-Q'],
    [fire, 'XF-Q'],
  ] as const) {
    await gql(
      sys.gatewayUrl,
      'mutation ($input: SupervisionItemInput!) { publishSupervisionItem(input: $input) { id } }',
      { input: { code, name: code, content: 'c', legalBasis: 'l', level: 'COUNTY', industries: ['H'] } },
      token,
    );
  }
  const rng = seededRandom(5);
  const businesses = Array.from({ length: BUSINESSES }, () => generateUscc(rng, { region: '620422' }));
  await Promise.all(
    businesses.map((uscc, i) =>
      gql(
        sys.gatewayUrl,
        'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
        {
          input: {
            uscc,
            name: `会宁县批量${i}饭店`,
            legalRepresentative: '孙八',
            industry: '62',
            region: '620422',
            address: '会宁县',
          },
        },
        office,
      ),
    ),
  );
  const projection = sys.approval.consumers[0]!;
  while (projection.stats.handled < BUSINESSES) await new Promise((r) => setTimeout(r, 100));
  for (const [i, uscc] of businesses.entries()) {
    const r = await gql(
      sys.gatewayUrl,
      'mutation ($input: GrantLicenceInput!) { grantLicence(input: $input) { id } }',
      {
        input: {
          uscc,
          licenceNumber: `Q-${i}`,
          approvalItem: '食品经营许可',
          supervisingDepartment: 'HEALTH',
          scope: 's',
          validFrom: '2026-01-01',
          validUntil: '2030-01-01',
        },
      },
      approver,
    );
    expect(r.errors).toBeUndefined();
  }
  // Only request queries may count: let the events settle, then stop the background work.
  for (const service of [sys.market, sys.approval, sys.credit, ...sys.departments.values()]) {
    await service.relay?.drain();
  }
  await new Promise((r) => setTimeout(r, 1000));
  for (const service of [sys.market, sys.approval, sys.credit, ...sys.departments.values()]) {
    await Promise.all(service.consumers.map((c) => c.stop()));
    await service.relay?.stop();
    // The durable timers poll their table every second (and anchor the audit trail): background too.
    await service.timers?.stop();
  }
});
afterAll(() => sys?.stop());

const QUERY = `query ($first: Int!) { enterprises(first: $first, filter: { industry: "62" }) { edges { node {
  uscc name licences { licenceNumber } creditProfile { riskClass } applicableItems { code } } } } }`;

async function queriesPerService(first: number) {
  const services = {
    market: sys.market,
    approval: sys.approval,
    credit: sys.credit,
    ...Object.fromEntries(sys.departments),
  };
  const before = Object.fromEntries(Object.entries(services).map(([name, s]) => [name, s.database.stats.queries]));
  const r = await gql(sys.gatewayUrl, QUERY, { first }, office);
  expect(r.errors).toBeUndefined();
  expect(r.data!.enterprises.edges).toHaveLength(first);
  for (const edge of r.data!.enterprises.edges) {
    expect(edge.node.licences).toHaveLength(1);
    expect(edge.node.applicableItems.map((i: { code: string }) => i.code).sort()).toEqual(['WS-Q', 'XF-Q']);
  }
  return Object.fromEntries(
    Object.entries(services).map(([name, s]) => [name, s.database.stats.queries - before[name]!]),
  );
}

it(`resolves ${BUSINESSES} businesses with licences, credit profiles and items in as many queries per service as 10 do`, async () => {
  const ten = await queriesPerService(10);
  const hundred = await queriesPerService(BUSINESSES);
  expect(hundred).toEqual(ten);
  // And that constant is small: a page plus a count, or one batch per field (market: the page, its
  // count and one batch of the joint list's items for the page's businesses).
  for (const [service, n] of Object.entries(hundred)) expect(n).toBeLessThanOrEqual(service === 'market' ? 3 : 2);
});
