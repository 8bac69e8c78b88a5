/**
 * Production mode (NODE_ENV=production in docker-compose): introspection, field suggestions and
 * detailed errors off, limits named but not revealed, no service name or URL in any error
 * (DESIGN.md §5, issue 8), while the errors clients branch on keep their codes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateUscc, seededRandom } from '@onecheck/codes';
import type { RunningSystem } from '../scripts/system';
import { gql, roles, startTestSystem } from './helpers';

let sys: RunningSystem;
beforeAll(async () => {
  sys = await startTestSystem({ departments: ['HEALTH'], production: true });
});
afterAll(() => sys?.stop());

it('refuses introspection', async () => {
  const r = await gql(sys.gatewayUrl, '{ __schema { types { name } } }', {}, await sys.token(roles.office));
  expect(r.status).toBe(400);
  expect(r.errors?.[0]?.message).toMatch(/introspection/i);
});

it('keeps error codes and fields but no stack traces', async () => {
  const r = await gql(sys.gatewayUrl, '{ enterprise(uscc: "123") { name } }', {}, await sys.token(roles.office));
  expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'uscc' });
  expect(JSON.stringify(r.errors)).not.toMatch(/stacktrace|\.ts:\d+/);
});

it('suggests no field, argument, enum value or input field ("Did you mean …")', async () => {
  const office = await sys.token(roles.office);
  const probes: [string, Record<string, unknown>][] = [
    ['{ enterprise(uscc: "x") { nam } }', {}],
    ['{ enterprise(usc: "x") { name } }', {}],
    ['{ enterprises(first: 1) { totalCont } }', {}],
    [
      'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
      { input: { usc: 'x', nme: 'y' } },
    ],
  ];
  // What is required may be named (graphql's own rule says which argument or field is missing);
  // what the caller might have meant may not.
  const required = new Set(['graphql.missingArgument', 'graphql.missingInputField']);
  for (const [query, variables] of probes) {
    const r = await gql(sys.gatewayUrl, query, variables, office);
    expect(r.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(r.errors)).not.toMatch(/Did you mean/);
    const others = r.errors!.filter((e) => !required.has(e.extensions?.messageKey as string));
    expect(JSON.stringify(others)).not.toMatch(/"name"|"uscc"|totalCount/);
  }
});

it('names a limit but does not reveal it', async () => {
  const deep = '{ enterprises { edges { node { licences { enterprise { licences { licenceNumber } } } } } } }';
  const r = await gql(sys.gatewayUrl, deep, {}, await sys.token(roles.office));
  expect(r.status).toBe(400);
  expect(r.errors?.[0]?.extensions).toEqual({
    code: 'OPERATION_LIMIT',
    limit: 'depth',
    messageKey: 'limits.exceeded',
    params: { limit: 'depth' },
  });
  expect(r.errors?.[0]?.message).not.toMatch(/\d/);
});

it('names no service and no URL when a subgraph is down', async () => {
  const office = await sys.token(roles.office);
  const uscc = generateUscc(seededRandom(61), { region: '620422' });
  const input = {
    uscc,
    name: '会宁县生产模式宾馆',
    legalRepresentative: '赵六',
    industry: '61',
    region: '620422',
    address: '会宁县',
  };
  const registered = await gql(
    sys.gatewayUrl,
    'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
    { input },
    office,
  );
  expect(registered.errors).toBeUndefined();
  await sys.credit.stop();
  const r = await gql(
    sys.gatewayUrl,
    '{ enterprises(first: 5) { edges { node { uscc creditProfile { riskClass } } } } }',
    {},
    office,
  );
  expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
  expect(JSON.stringify(r.errors)).not.toMatch(/"credit"|https?:|127\.0\.0\.1|ECONNREFUSED|serviceName|stacktrace/i);
});
