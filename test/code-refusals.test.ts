/**
 * 赋码检查 for a check outside plans, through the gateway only (seed 004 (十二): 实行赋码检查备案，
 * 未经备案的，不得实施): market regulation is the registration authority, so a department's request
 * for the code of a check on a business it never registered is refused — no visit, no code, nothing
 * the public code check calls VALID — and the department learns why over the bus: its request shows
 * REFUSED with the reason in Chinese, and its task is closed. A registered business still gets its
 * code, valid on the public check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import type { RunningSystem } from '../scripts/system';
import { gatewayClient, roles, startTestSystem, until } from './helpers';

const rng = seededRandom(40012);
let sys: RunningSystem;
const tokens: Record<string, string> = {};
const officers: string[] = [];

const { ask, must } = gatewayClient(() => sys.gatewayUrl);

const REQUEST = `mutation ($input: InspectionCodeRequestInput!) {
  requestInspectionCode(department: "HEALTH", input: $input) { id status task { id status } } }`;
const READ = `query ($id: ID!) { inspectionCodeRequest(department: "HEALTH", id: $id) {
  status code refusedBecause refusedReason refusedAt visitCode { code }
  task { status closedBecause closedReason } } }`;
const CHECK = 'query ($c: String!) { checkInspectionCode(code: $c) { status uscc } }';

/** A complaint check on the business, by the department's two officers, from today. */
async function requestCode(uscc: string) {
  const d = await must(tokens.HEALTH, REQUEST, {
    input: {
      uscc,
      reason: 'COMPLAINT',
      reasonDetail: '12345热线反映后厨卫生问题',
      items: ['WJ-CY-001'],
      officers,
      validFrom: '2026-11-25',
      validUntil: '2026-12-10',
    },
  });
  return d.requestInspectionCode as { id: string; status: string; task: { id: string; status: string } };
}

/** The request once the office answered (coded or refused: it leaves PENDING). */
async function answered(id: string) {
  let request: Record<string, any> = {};
  await until(`request ${id} to be answered`, async () => {
    request = (await must(tokens.HEALTH, READ, { id })).inspectionCodeRequest;
    return request.status !== 'PENDING';
  });
  return request;
}

beforeAll(async () => {
  sys = await startTestSystem({ departments: ['HEALTH'] });
  (sys.clock as TestClock).set('2026-11-25T09:00:00+08:00');
  tokens.office = await sys.token(roles.office);
  tokens.HEALTH = await sys.token(roles.staff('HEALTH'));
  await must(
    tokens.HEALTH,
    'mutation ($input: SupervisionItemInput!) { publishSupervisionItem(input: $input) { code } }',
    {
      input: {
        code: 'WJ-CY-001',
        name: '餐饮服务卫生检查',
        industries: ['H'],
        emphasis: 'KEY',
        content: '检查内容',
        legalBasis: '《中华人民共和国食品安全法》',
        level: 'COUNTY',
      },
    },
  );
  for (let n = 0; n < 2; n++) {
    const added = await must(
      tokens.HEALTH,
      'mutation ($input: InspectorInput!) { addInspector(input: $input) { id } }',
      {
        input: {
          name: `卫健执法${n}`,
          badgeNumber: `WJ-${n}`,
          qualifications: ['WJ-CY-001'],
          certificateValidUntil: '2028-12-31',
        },
      },
    );
    officers.push(added.addInspector.id);
  }
}, 120_000);
afterAll(() => sys?.stop());

describe('a check outside plans on a business market regulation never registered', () => {
  it('gets no code: the request shows REFUSED with its reason in Chinese and its task is closed', async () => {
    // A well-formed credit code (check digit and all) that nobody registered.
    const unregistered = generateUscc(rng, { region: '620422' });
    const asked = await requestCode(unregistered);
    expect(asked).toMatchObject({ status: 'PENDING', task: { status: 'CLAIMED' } });

    const request = await answered(asked.id);
    expect(request).toMatchObject({
      status: 'REFUSED',
      code: null,
      visitCode: null,
      refusedBecause: 'NOT_REGISTERED',
      refusedReason: `市场监管部门未登记该经营主体（统一社会信用代码 ${unregistered}），不予赋码`,
      task: {
        status: 'CLOSED',
        closedBecause: 'CODE_REFUSED',
        closedReason: '市场监管部门不予赋码，检查不得实施（未经赋码备案不得检查）',
      },
    });
    expect(request.refusedAt).toEqual(expect.any(String));

    // The office made no visit, so there is no code the public check could call VALID for it.
    const visits = await must(tokens.office, 'query ($u: String) { visits(uscc: $u, first: 10) { totalCount } }', {
      u: unregistered,
    });
    expect(visits.visits.totalCount).toBe(0);
    const all = await must(tokens.office, '{ visits(first: 100) { edges { node { code } } } }');
    for (const { node } of all.visits.edges as { node: { code: string | null } }[]) {
      if (!node.code) continue;
      const check = await ask(undefined, CHECK, { c: node.code });
      expect(check.data?.checkInspectionCode?.uscc).not.toBe(unregistered);
    }
  }, 60_000);

  it('while a registered business still gets its code, VALID on the public check', async () => {
    const uscc = generateUscc(rng, { region: '620422' });
    await must(
      tokens.office,
      'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
      {
        input: {
          uscc,
          name: '会宁县桃花饭店',
          legalRepresentative: '王五',
          industry: '621',
          region: '620422',
          address: '会师镇',
        },
      },
    );
    const asked = await requestCode(uscc);
    const request = await answered(asked.id);
    expect(request).toMatchObject({
      status: 'CODED',
      refusedBecause: null,
      refusedReason: null,
      task: { status: 'CLAIMED', closedBecause: null },
    });
    expect(request.code).toEqual(request.visitCode.code);
    const check = await must(undefined, CHECK, { c: request.code });
    expect(check.checkInspectionCode).toEqual({ status: 'VALID', uscc });
  }, 60_000);
});
