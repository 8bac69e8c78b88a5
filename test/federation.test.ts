/**
 * The federation end to end through the gateway over real HTTP: what a department system relies on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateUscc, seededRandom } from '@onecheck/codes';
import type { RunningSystem } from '../scripts/system';
import { gql, roles, startTestSystem, until } from './helpers';

let sys: RunningSystem;
let office: string, approver: string, health: string, fire: string, market: string;
const rng = seededRandom(7);
const newUscc = () => generateUscc(rng, { region: '620422' });

const REGISTER = /* GraphQL */ `
  mutation ($input: RegisterEnterpriseInput!) {
    registerEnterprise(input: $input) {
      uscc
      name
      industry {
        code
        name
        section
      }
      status
    }
  }
`;
const PUBLISH = /* GraphQL */ `
  mutation ($department: String, $input: SupervisionItemInput!) {
    publishSupervisionItem(department: $department, input: $input) {
      department {
        code
      }
      id
      code
    }
  }
`;
const GRANT = /* GraphQL */ `
  mutation ($input: GrantLicenceInput!) {
    grantLicence(input: $input) {
      id
      licenceNumber
      status
      enterprise {
        uscc
        name
      }
    }
  }
`;

function business(uscc: string, industry = '62') {
  return {
    uscc,
    name: `会宁县测试${uscc.slice(-6)}餐饮店`,
    legalRepresentative: '王伟',
    industry,
    region: '620422',
    address: '会宁县会师镇1号',
  };
}

function item(code: string, industries: string[]) {
  return { code, name: `检查${code}`, content: '检查内容', legalBasis: '法律依据', level: 'COUNTY', industries };
}

async function enterpriseCount(): Promise<number> {
  const r = await gql(sys.gatewayUrl, '{ enterprises { totalCount } }', {}, office);
  return r.data!.enterprises.totalCount;
}

/** Waits until the approval bureau has learnt of a business from market regulation's events. */
async function grantWhenKnown(input: Record<string, unknown>) {
  const until = performance.now() + 15_000;
  for (;;) {
    const r = await gql(sys.gatewayUrl, GRANT, { input }, approver);
    if (!r.errors || r.errors[0]?.extensions?.field !== 'uscc' || performance.now() > until) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
}

beforeAll(async () => {
  sys = await startTestSystem();
  [office, approver, health, fire, market] = await Promise.all([
    sys.token(roles.office),
    sys.token(roles.approver),
    sys.token(roles.staff('HEALTH')),
    sys.token(roles.staff('FIRE')),
    sys.token(roles.staff('MARKET')),
  ]);
});
afterAll(() => sys?.stop());

describe('one query across the federation', () => {
  it('returns a business with its licences, risk class and the items of several departments that apply to it', async () => {
    const uscc = newUscc();
    expect((await gql(sys.gatewayUrl, REGISTER, { input: business(uscc, '62') }, office)).errors).toBeUndefined();
    for (const [token, department, input] of [
      [health, 'HEALTH', item('WS-FED-1', ['H'])],
      [fire, 'FIRE', item('XF-FED-1', ['62', '61'])],
      [market, 'MARKET', item('SC-FED-1', ['62'])],
      [market, 'MARKET', item('SC-FED-2', ['14'])], // another industry: must not apply
    ] as const) {
      const r = await gql(sys.gatewayUrl, PUBLISH, { department, input }, token);
      expect(r.errors).toBeUndefined();
    }
    const granted = await grantWhenKnown({
      uscc,
      licenceNumber: `JY${uscc.slice(-8)}`,
      approvalItem: '食品经营许可',
      supervisingDepartment: 'MARKET',
      scope: '热食类食品制售',
      validFrom: '2026-01-01',
      validUntil: '2030-12-31',
    });
    expect(granted.errors).toBeUndefined();

    // The office's joint list learns the departments' items from their events: wait until the three arrived.
    const r = await until("the joint list to carry the three departments' items", async () => {
      const res = await gql(
        sys.gatewayUrl,
        `query ($uscc: String!) { enterprise(uscc: $uscc) {
          uscc name industry { code section }
          licences { licenceNumber approvalItem supervisingDepartment { code } status }
          creditProfile { riskClass rule reason }
          applicableItems { department { code } code }
        } }`,
        { uscc },
        office,
      );
      return res.errors || (res.data?.enterprise?.applicableItems?.length ?? 0) >= 3 ? res : undefined;
    });
    expect(r.errors).toBeUndefined();
    const e = r.data!.enterprise;
    expect(e.industry).toEqual({ code: '62', section: 'H' });
    expect(e.licences).toEqual([
      {
        licenceNumber: `JY${uscc.slice(-8)}`,
        approvalItem: '食品经营许可',
        supervisingDepartment: { code: 'MARKET' },
        status: 'VALID',
      },
    ]);
    expect(e.creditProfile.riskClass).toBe('B');
    // NEW once the platform has the registration, DEFAULT until then: both are the default class.
    expect(['NEW', 'DEFAULT']).toContain(e.creditProfile.rule);
    expect(e.creditProfile.reason).toMatch(/B/);
    const items = e.applicableItems
      .map((i: { department: { code: string }; code: string }) => `${i.department.code}:${i.code}`)
      .sort();
    expect(items).toEqual(expect.arrayContaining(['FIRE:XF-FED-1', 'HEALTH:WS-FED-1', 'MARKET:SC-FED-1']));
    expect(items).not.toContain('MARKET:SC-FED-2');
  });

  it('lists a department’s items for an industry by the joint list’s nesting, both ways', async () => {
    const codesOf = async (department: string, industry: string) => {
      const r = await gql(
        sys.gatewayUrl,
        'query ($d: String, $i: String) { supervisionItems(department: $d, industry: $i, first: 100) { edges { node { code } } } }',
        { d: department, i: industry },
        office,
      );
      expect(r.errors).toBeUndefined();
      return r.data!.supervisionItems.edges.map((e: { node: { code: string } }) => e.node.code);
    };
    // Section H covers the divisions 61 and 62: items filed under them are on its list.
    expect(await codesOf('FIRE', 'H')).toContain('XF-FED-1');
    expect(await codesOf('MARKET', 'H')).toContain('SC-FED-1');
    expect(await codesOf('MARKET', 'H')).not.toContain('SC-FED-2');
    // An item filed under H is on the list of 62, within it.
    expect(await codesOf('HEALTH', '62')).toContain('WS-FED-1');
    expect(await codesOf('HEALTH', '14')).not.toContain('WS-FED-1');
  });

  it('asks every department for the items of one industry', async () => {
    const r = await gql(
      sys.gatewayUrl,
      '{ itemsForIndustry(industry: "61") { department { code } code } }',
      {},
      office,
    );
    expect(r.errors).toBeUndefined();
    const departments = new Set(
      r.data!.itemsForIndustry.map((i: { department: { code: string } }) => i.department.code),
    );
    expect(departments).toEqual(new Set(['HEALTH', 'FIRE']));
  });

  it('routes root fields by the department argument, else the caller’s own, in one operation', async () => {
    const r = await gql(
      sys.gatewayUrl,
      `{ own: supervisionItems { totalCount edges { node { department { code } } } }
         health: supervisionItems(department: "HEALTH") { edges { node { department { code } code } } } }`,
      {},
      fire,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.own.edges.every((e: any) => e.node.department.code === 'FIRE')).toBe(true);
    expect(r.data!.own.totalCount).toBeGreaterThan(0);
    expect(r.data!.health.edges.map((e: any) => e.node.department.code)).toContain('HEALTH');
    expect(r.data!.health.edges.every((e: any) => e.node.department.code === 'HEALTH')).toBe(true);
  });

  it('refuses an unknown department by name', async () => {
    const r = await gql(sys.gatewayUrl, '{ supervisionItems(department: "NOWHERE") { totalCount } }', {}, office);
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.extensions?.field).toBe('department');
    expect(r.errors?.[0]?.extensions?.messageKey).toBe('department.unknown');
  });
});

describe('bad input changes nothing', () => {
  it.each([
    ['licences(filter: { supervisingDepartment: "health" }) { totalCount }', 'filter.supervisingDepartment'],
    ['licences(filter: { uscc: "123" }) { totalCount }', 'filter.uscc'],
    ['supervisionTasks(department: "HEALTH", filter: { uscc: "bad" }) { totalCount }', 'filter.uscc'],
    ['enterprises(filter: { region: "abc" }) { totalCount }', 'filter.region'],
    ['publishedResults(uscc: "abc") { totalCount }', 'uscc'],
  ])('refuses a filter value that cannot exist, naming it, instead of an empty page: %s', async (field, name) => {
    const r = await gql(sys.gatewayUrl, `{ ${field} }`, {}, office);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: name });
  });

  it('names the field graphql-js refuses in a variable as the service names it, wherever the variable goes', async () => {
    const r = await gql(sys.gatewayUrl, REGISTER, { input: { ...business(newUscc()), industry: 62 } }, office);
    // The same field the service names for a code that cannot exist (uscc below): not the variable's own name.
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'industry' });
    expect(r.errors?.[0]?.message).toBe('industry：查询无效：值的类型不对，应为 String');
    const { name: _name, ...nameless } = business(newUscc());
    const missing = await gql(sys.gatewayUrl, REGISTER, { input: nameless }, office);
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    const unknown = await gql(sys.gatewayUrl, REGISTER, { input: { ...business(newUscc()), colour: 'red' } }, office);
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'colour' });
    const page = await gql(
      sys.gatewayUrl,
      'query ($n: Int) { enterprises(first: $n) { totalCount } }',
      { n: '5' },
      office,
    );
    expect(page.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('rejects an invalid credit code, naming the field', async () => {
    const before = await enterpriseCount();
    const valid = newUscc();
    const wrongCheck = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    const r = await gql(sys.gatewayUrl, REGISTER, { input: business(wrongCheck) }, office);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'uscc' });
    expect(await enterpriseCount()).toBe(before);
  });

  it('rejects an unknown industry, naming the field', async () => {
    const before = await enterpriseCount();
    const r = await gql(sys.gatewayUrl, REGISTER, { input: business(newUscc(), '99') }, office);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'industry' });
    expect(await enterpriseCount()).toBe(before);
  });

  it('rejects a licence for an unknown business, and one valid until before it is valid from', async () => {
    const count = async () =>
      (await gql(sys.gatewayUrl, '{ licences { totalCount } }', {}, office)).data!.licences.totalCount;
    const before = await count();
    const base = {
      licenceNumber: 'X-1',
      approvalItem: '食品经营许可',
      supervisingDepartment: 'MARKET',
      scope: '—',
      validFrom: '2026-01-01',
      validUntil: '2027-01-01',
    };
    const unknown = await gql(sys.gatewayUrl, GRANT, { input: { ...base, uscc: newUscc() } }, approver);
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'uscc' });

    const uscc = newUscc();
    await gql(sys.gatewayUrl, REGISTER, { input: business(uscc) }, office);
    const reversed = await gql(
      sys.gatewayUrl,
      GRANT,
      { input: { ...base, uscc, validFrom: '2027-01-02', validUntil: '2027-01-01' } },
      approver,
    );
    expect(reversed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'validUntil' });
    expect(await count()).toBe(before);
  });

  it('rejects a date that does not exist, naming the field', async () => {
    const uscc = newUscc();
    await gql(sys.gatewayUrl, REGISTER, { input: business(uscc) }, office);
    const r = await gql(
      sys.gatewayUrl,
      GRANT,
      {
        input: {
          uscc,
          licenceNumber: 'X-2',
          approvalItem: 'a',
          supervisingDepartment: 'MARKET',
          scope: 's',
          validFrom: '2026-02-30',
          validUntil: '2027-01-01',
        },
      },
      approver,
    );
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'validFrom' });
  });
});

describe('who may do what', () => {
  it('refuses a field the caller may not see without losing the rest of the business', async () => {
    const uscc = newUscc();
    expect((await gql(sys.gatewayUrl, REGISTER, { input: business(uscc, '62') }, office)).errors).toBeUndefined();
    const query = `query ($uscc: String!) { enterprise(uscc: $uscc) {
      name auditTrail { action } riskClass targetTags { tag } inspectionBurden(year: 2026) } }`;
    // FIRE staff may see the business and its class, not market regulation's register trail.
    const r = await gql(sys.gatewayUrl, query, { uscc }, fire);
    expect(r.data?.enterprise).toMatchObject({ name: business(uscc, '62').name, auditTrail: null, riskClass: 'B' });
    expect(r.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([
      ['enterprise.auditTrail', 'FORBIDDEN'],
    ]);
    // The bureau may not see classes or tags: each is null, refused alone; the rest stands.
    const a = await gql(sys.gatewayUrl, query, { uscc }, approver);
    expect(a.data?.enterprise).toMatchObject({
      name: business(uscc, '62').name,
      auditTrail: null,
      riskClass: null,
      targetTags: null,
      inspectionBurden: 0,
    });
    expect(new Set(a.errors?.map((e) => e.extensions?.code))).toEqual(new Set(['FORBIDDEN']));
  });

  it('forbids FIRE staff to publish a HEALTH item, and nothing is published', async () => {
    const list = async () =>
      (
        await gql(
          sys.gatewayUrl,
          '{ supervisionItems(department: "HEALTH", first: 100) { edges { node { code } } } }',
          {},
          office,
        )
      ).data!.supervisionItems.edges.map((e: any) => e.node.code);
    const r = await gql(sys.gatewayUrl, PUBLISH, { department: 'HEALTH', input: item('XF-SNEAK', ['H']) }, fire);
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await list()).not.toContain('XF-SNEAK');
  });

  it('lets market regulation register businesses, and no other department', async () => {
    const byFire = await gql(sys.gatewayUrl, REGISTER, { input: business(newUscc()) }, fire);
    expect(byFire.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const byMarket = await gql(sys.gatewayUrl, REGISTER, { input: business(newUscc()) }, market);
    expect(byMarket.errors).toBeUndefined();
  });

  it('lets only the approval bureau grant licences', async () => {
    const r = await gql(
      sys.gatewayUrl,
      GRANT,
      {
        input: {
          uscc: newUscc(),
          licenceNumber: 'X-3',
          approvalItem: 'a',
          supervisingDepartment: 'MARKET',
          scope: 's',
          validFrom: '2026-01-01',
          validUntil: '2027-01-01',
        },
      },
      market,
    );
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('gives a caller with no token nothing to read', async () => {
    const r = await gql(sys.gatewayUrl, '{ enterprises { totalCount } }');
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(r.data).toBeNull();
  });

  it('answers 401 to a forged or expired user token', async () => {
    const r = await gql(sys.gatewayUrl, '{ enterprises { totalCount } }', {}, office.slice(0, -4) + 'AAAA');
    expect(r.status).toBe(401);
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('has subgraphs answer 401 to anyone but the gateway', async () => {
    for (const service of [sys.market, sys.approval, sys.credit, sys.departments.get('HEALTH')!]) {
      const plain = await fetch(service.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ __typename }"}',
      });
      expect(plain.status).toBe(401);
      // A user token is not the gateway's credential.
      const forged = await fetch(service.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-onecheck-gateway': office },
        body: '{"query":"{ __typename }"}',
      });
      expect(forged.status).toBe(401);
    }
  });

  it('masks inspectors’ names and badges outside their department', async () => {
    await gql(
      sys.gatewayUrl,
      'mutation { addInspector(input: { name: "张三丰", badgeNumber: "WJ-2026-001", qualifications: ["卫生监督"], certificateValidUntil: "2030-12-31" }) { id } }',
      {},
      health,
    );
    const query = '{ inspectors(department: "HEALTH") { edges { node { name badgeNumber } } } }';
    const own = await gql(sys.gatewayUrl, query, {}, health);
    const other = await gql(sys.gatewayUrl, query, {}, fire);
    expect(own.data!.inspectors.edges).toContainEqual({ node: { name: '张三丰', badgeNumber: 'WJ-2026-001' } });
    expect(other.data!.inspectors.edges).toContainEqual({ node: { name: '张**', badgeNumber: '********' } });
  });
});
