/**
 * The gateway's own promises: department routing, a down department failing only its own part,
 * GraphQL-over-HTTP conformance, operation limits, and a supergraph that matches the services.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditServer } from 'graphql-http';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { signGatewayCredential } from '@onecheck/auth';
import { composeSupergraph } from '../gateway/src/compose';
import { departmentRootFields } from '../gateway/src/department-routing';
import { DepartmentRouter } from '../gateway/src/department-router';
import { SubgraphSource } from '../gateway/src/subgraph-source';
import { SUPERGRAPH_PATH, loadSupergraph } from '../gateway/src/supergraph';
import { SUBGRAPHS } from '../scripts/subgraphs';
import type { RunningSystem } from '../scripts/system';
import { gql, roles, startTestSystem, until } from './helpers';

const DEPARTMENTS = ['HEALTH', 'FIRE', 'CULTURE_TOURISM'];
let sys: RunningSystem;
let office: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  sys = await startTestSystem({ departments: DEPARTMENTS });
  office = await sys.token(roles.office);
  for (const department of DEPARTMENTS) {
    const token = await sys.token(roles.staff(department));
    const r = await gql(
      sys.gatewayUrl,
      'mutation ($input: SupervisionItemInput!) { publishSupervisionItem(input: $input) { id } }',
      {
        input: {
          code: `${department}-1`,
          name: `${department} item`,
          content: 'c',
          legalBasis: 'l',
          level: 'COUNTY',
          industries: ['H'],
        },
      },
      token,
    );
    ids[department] = r.data!.publishSupervisionItem.id;
  }
  const uscc = generateUscc(seededRandom(3), { region: '620422' });
  await gql(
    sys.gatewayUrl,
    'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
    {
      input: {
        uscc,
        name: '会宁县路由测试宾馆',
        legalRepresentative: '李四',
        industry: '61',
        region: '620422',
        address: '会宁县',
      },
    },
    office,
  );
  ids.enterprise = uscc;
  // The office's joint list learns the items from the departments' events (一业一单).
  await until('the items on the joint list', async () => {
    const r = await gql(sys.gatewayUrl, '{ itemsForIndustry(industry: "H") { code } }', {}, office);
    return r.data?.itemsForIndustry.length === DEPARTMENTS.length;
  });
});
afterAll(() => sys?.stop());

describe('department routing', () => {
  it('splits an _entities batch across departments and puts the answers back in order', async () => {
    const sources = new Map([...sys.departments].map(([code, s]) => [code, new SubgraphSource({ url: s.graphqlUrl })]));
    const router = new DepartmentRouter(sources, departmentRootFields(loadSupergraph()));
    const credential = await signGatewayCredential(sys.gatewaySecret, roles.office, sys.clock);
    const representations = [
      { __typename: 'SupervisionItem', department: { code: 'FIRE' }, id: ids.FIRE },
      { __typename: 'SupervisionItem', department: { code: 'HEALTH' }, id: ids.HEALTH },
      { __typename: 'SupervisionItem', department: { code: 'CULTURE_TOURISM' }, id: ids.CULTURE_TOURISM },
      { __typename: 'SupervisionItem', department: { code: 'FIRE' }, id: ids.FIRE },
    ];
    const response = await router.process({
      kind: 'incoming operation' as never,
      request: {
        query: `query ($representations: [_Any!]!) { _entities(representations: $representations) {
          ... on SupervisionItem { department { code } code } } }`,
        variables: { representations },
      },
      context: { identity: roles.office, credential: async () => credential },
      incomingRequestContext: {} as never,
    } as never);
    expect(response.errors).toBeUndefined();
    const entities = (response.data as { _entities: any[] })._entities;
    expect(entities[0]).toEqual({ department: { code: 'FIRE' }, code: 'FIRE-1' });
    expect(entities[1]).toEqual({ department: { code: 'HEALTH' }, code: 'HEALTH-1' });
    expect(entities[2]).toEqual({ department: { code: 'CULTURE_TOURISM' }, code: 'CULTURE_TOURISM-1' });
    expect(entities[3]).toEqual({ department: { code: 'FIRE' }, code: 'FIRE-1' });
  });
});

describe('routing what clients actually send', () => {
  it('uses a variable’s default value for the department', async () => {
    const r = await gql(
      sys.gatewayUrl,
      'query ($d: String = "FIRE") { supervisionItems(department: $d) { edges { node { department { code } code } } } }',
      {},
      office,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.supervisionItems.edges).toEqual([{ node: { department: { code: 'FIRE' }, code: 'FIRE-1' } }]);
  });

  it('routes root fields under @include and @skip', async () => {
    const query = `query ($s: Boolean!) {
      health: supervisionItems(department: "HEALTH") @include(if: $s) { totalCount }
      fire: supervisionItems(department: "FIRE") @skip(if: $s) { totalCount }
    }`;
    const shown = await gql(sys.gatewayUrl, query, { s: true }, office);
    expect(shown.errors).toBeUndefined();
    expect(shown.data).toEqual({ health: { totalCount: 1 } });
    const skipped = await gql(sys.gatewayUrl, query, { s: false }, office);
    expect(skipped.data).toEqual({ fire: { totalCount: 1 } });
  });

  // (The fan-out's merge order is gateway/test/department-router.test.ts's: no root field of the
  // department subgraph is asked of every department since the joint list answers for items.)
  it("lists an industry's items from the office's joint list, in one order every time", async () => {
    const query = '{ itemsForIndustry(industry: "H") { department { code } } }';
    const first = await gql(sys.gatewayUrl, query, {}, office);
    const second = await gql(sys.gatewayUrl, query, {}, office);
    expect(first.data!.itemsForIndustry.map((i: any) => i.department.code)).toEqual([...DEPARTMENTS].sort());
    expect(second.data).toEqual(first.data);
  });

  it('tells a caller without a token to sign in, once', async () => {
    for (const query of ['{ supervisionItems { totalCount } }', '{ itemsForIndustry(industry: "H") { code } }']) {
      const r = await gql(sys.gatewayUrl, query);
      expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('never puts an inspector’s badge number in a cursor', async () => {
    const health = await sys.token(roles.staff('HEALTH'));
    await gql(
      sys.gatewayUrl,
      'mutation { addInspector(input: { name: "李卫", badgeNumber: "WJ-9931-07", qualifications: ["卫生监督"], certificateValidUntil: "2030-12-31" }) { id } }',
      {},
      health,
    );
    const r = await gql(
      sys.gatewayUrl,
      '{ inspectors(department: "HEALTH") { edges { cursor node { badgeNumber } } } }',
      {},
      // Its own department sees the number in full (others a mask, packages/kit mask.ts): the cursor hides it even then.
      health,
    );
    const edge = r.data!.inspectors.edges.find((e: any) => e.node.badgeNumber === 'WJ-9931-07');
    expect(edge).toBeDefined();
    expect(Buffer.from(edge.cursor, 'base64url').toString()).not.toContain('9931');
  });

  it("refuses one list's cursor given to another, and reads back its own", async () => {
    const business = await gql(sys.gatewayUrl, '{ enterprises(first: 1) { pageInfo { endCursor } } }', {}, office);
    const foreign = business.data!.enterprises.pageInfo.endCursor as string;
    const ITEMS =
      'query ($a: String) { supervisionItems(department: "HEALTH", first: 1, after: $a) { edges { cursor node { code } } } }';
    const refused = await gql(sys.gatewayUrl, ITEMS, { a: foreign }, office);
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
      messageKey: 'page.badCursor',
    });
    const first = await gql(sys.gatewayUrl, ITEMS, {}, office);
    expect(first.data!.supervisionItems.edges[0].node.code).toBe('HEALTH-1');
    const next = await gql(sys.gatewayUrl, ITEMS, { a: first.data!.supervisionItems.edges[0].cursor }, office);
    expect(next.errors).toBeUndefined();
    expect(next.data!.supervisionItems.edges).toEqual([]);
  });
});

describe('a department that is down', () => {
  it('fails only its own part of an answer', async () => {
    const query = `query ($uscc: String!) {
      enterprise(uscc: $uscc) { name applicableItems { department { code } } }
      health: supervisionItems(department: "HEALTH") { totalCount }
      culture: supervisionItems(department: "CULTURE_TOURISM") { totalCount }
    }`;
    const before = await gql(sys.gatewayUrl, query, { uscc: ids.enterprise }, office);
    expect(before.errors).toBeUndefined();
    await sys.departments.get('CULTURE_TOURISM')!.stop();

    const r = await gql(sys.gatewayUrl, query, { uscc: ids.enterprise }, office);
    expect(r.data!.enterprise.name).toBe('会宁县路由测试宾馆');
    // A business's items are the office's joint list: a department that is down does not take them away.
    expect(r.data!.enterprise.applicableItems.map((i: any) => i.department.code).sort()).toEqual([
      'CULTURE_TOURISM',
      'FIRE',
      'HEALTH',
    ]);
    expect(r.data!.health).toEqual({ totalCount: 1 });
    expect(r.data!.culture).toBeNull();
    expect(r.errors!.length).toBeGreaterThan(0);
    for (const e of r.errors!)
      expect(e.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', department: 'CULTURE_TOURISM' });
  });
});

describe('HTTP and limits', () => {
  it('passes the graphql-http server audit with no error', async () => {
    const results = await auditServer({ url: sys.gatewayUrl });
    expect(results.length).toBeGreaterThan(30);
    expect(results.filter((r) => r.status === 'error').map((r) => r.name)).toEqual([]);
  });

  /** The limit a refused operation names; undefined when it passed the limits (whatever else it met). */
  async function limitHit(query: string, variables: Record<string, unknown> = {}) {
    const r = await gql(sys.gatewayUrl, query, variables, office);
    const hit = r.errors?.find((e) => e.extensions?.code === 'OPERATION_LIMIT');
    if (hit) expect(r.status).toBe(400);
    return hit?.extensions?.limit as string | undefined;
  }
  const repeat = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');

  // graphql-armor's defaults (gateway/src/limits.ts), each just over and just under.
  it('refuses depth 7 and allows depth 6', async () => {
    const six = '{ enterprises { edges { node { licences { enterprise { uscc } } } } } }';
    const seven = '{ enterprises { edges { node { licences { enterprise { licences { licenceNumber } } } } } } }';
    expect(await limitHit(six)).toBeUndefined();
    expect(await limitHit(seven)).toBe('depth');
  });

  it('refuses 16 aliases and allows 15', async () => {
    const aliased = (n: number) => `{ ${repeat(n, (i) => `a${i}: enterprises(first: 1) { totalCount }`)} }`;
    expect(await limitHit(aliased(15))).toBeUndefined();
    expect(await limitHit(aliased(16))).toBe('aliases');
  });

  it('refuses 51 directives and allows 50', async () => {
    const directed = (n: number) => `{ ${repeat(n, () => '__typename @include(if: true)')} }`;
    expect(await limitHit(directed(50))).toBeUndefined();
    expect(await limitHit(directed(51))).toBe('directives');
  });

  it('refuses 1,001 tokens and allows 1,000', async () => {
    const tokens = (n: number) => `{ ${repeat(n - 2, () => '__typename')} }`;
    expect(await limitHit(tokens(1000))).toBeUndefined();
    expect(await limitHit(tokens(1001))).toBe('tokens');
  });

  it('refuses cost over 8,500 and allows it under, counting a page size passed as a variable', async () => {
    // graphql-armor's cost of this query is 16.25 × first: 523 → 8,498.75, 524 → 8,515.
    const page = 'query ($n: Int) { enterprises(first: $n) { edges { node { uscc name } } } }';
    expect(await limitHit(page, { n: 523 })).toBeUndefined();
    expect(await limitHit(page, { n: 524 })).toBe('cost');
    // Without `first` the default page (20) is what is counted, however deep it nests.
    expect(await limitHit(page, {})).toBeUndefined();
  });

  it('lets the costliest real query through: a department’s full page of its tasks (test/flows.test.ts TASKS)', async () => {
    const tasks = `query ($department: String, $filter: TaskFilter) {
      supervisionTasks(department: $department, filter: $filter, first: 100) {
        totalCount
        edges { node { id status licenceNumber pushedOn claimBy checkBy claimOverdue checkOverdue closedReason closedBecause licenceReason licence { id } enterprise { uscc name } } }
      }
    }`;
    expect(await limitHit(tasks, { department: 'HEALTH' })).toBeUndefined();
  });
});

describe('the checked-in supergraph', () => {
  it('matches what the services’ SDL composes to (run `npm run compose` when this fails)', () => {
    expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(composeSupergraph(SUBGRAPHS));
  });
});
