/**
 * Issue 9 items 5 and 6 through the gateway only, as a new user would try them: 告知承诺 with its
 * timers (seed 003 第二十三条) and the pre-approval credit check (第十二条). The system runs its
 * real timers and bus; the clock is pinned and moved to the days that matter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import type { RunningSystem } from '../scripts/system';
import { gql, roles, startTestSystem, until } from './helpers';

let sys: RunningSystem;
const rng = seededRandom(925);
let seq = 0;

async function at(instant: string) {
  (sys.clock as TestClock).set(instant);
  const [office, approver, health] = await Promise.all([
    sys.token(roles.office),
    sys.token(roles.approver),
    sys.token(roles.staff('HEALTH')),
  ]);
  return { office, approver, health };
}

async function register(office: string, name: string) {
  const uscc = generateUscc(rng, { region: '420626' });
  const r = await gql(
    sys.gatewayUrl,
    'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
    {
      input: { uscc, name, legalRepresentative: '赵六', industry: '61', region: '420626', address: '保康县城关镇' },
    },
    office,
  );
  expect(r.errors).toBeUndefined();
  return uscc;
}

const PROMISE = `id status dueOn reminderOn remindedAt overdue reviewBy breach licence { id status }`;

async function grantOnPromise(approver: string, uscc: string) {
  const input = {
    uscc,
    licenceNumber: `WS-CN-${++seq}-${uscc.slice(-4)}`,
    approvalItem: '公共场所卫生许可（告知承诺）',
    supervisingDepartment: 'HEALTH',
    scope: '住宿',
    contact: '赵六 0710-5811111',
    validFrom: '2026-02-10',
    validUntil: '2030-02-09',
  };
  return until('the bureau to know the business', async () => {
    const r = await gql(
      sys.gatewayUrl,
      `mutation ($input: GrantLicenceInput!) { grantOnPromise(input: $input) { ${PROMISE} } }`,
      { input },
      approver,
    );
    return r.errors?.[0]?.extensions?.messageKey === 'business.unknownToBureau' ? undefined : r;
  });
}

const promiseOf = async (token: string, id: string) =>
  (await gql(sys.gatewayUrl, `query ($id: ID!) { approvalPromise(id: $id) { ${PROMISE} } }`, { id }, token)).data
    ?.approvalPromise;

beforeAll(async () => {
  sys = await startTestSystem({ departments: ['HEALTH'] });
});
afterAll(() => sys?.stop());

/** The 材料延期 promise whose materials never came, and its business: annulled below, repaired at the end. */
let late: string;
let lateUscc: string;

describe('告知承诺: 材料延期 through the gateway', () => {
  let kept: string;
  let keptUscc: string;

  it('a 10-working-day promise granted on 2026-02-10 is due 2026-03-02, reminded on 2026-03-01', async () => {
    const { office, approver } = await at('2026-02-10T09:00:00+08:00');
    const item = await gql(
      sys.gatewayUrl,
      `mutation { setApprovalItem(input: { name: "公共场所卫生许可（告知承诺）", supervisingDepartment: "HEALTH",
        supervisionItem: "WJ-GG-001", promiseMode: DEFERRED_MATERIALS, promiseDays: 10 }) { name promiseDayCount } }`,
      {},
      approver,
    );
    expect(item.errors).toBeUndefined();
    lateUscc = await register(office, '保康县迟交材料宾馆');
    keptUscc = await register(office, '保康县按时补交宾馆');
    const a = await grantOnPromise(approver, lateUscc);
    const b = await grantOnPromise(approver, keptUscc);
    expect(a.errors).toBeUndefined();
    expect(a.data!.grantOnPromise).toMatchObject({
      status: 'AWAITING_MATERIALS',
      dueOn: '2026-03-02',
      reminderOn: '2026-03-01',
      licence: null,
    });
    late = a.data!.grantOnPromise.id;
    kept = b.data!.grantOnPromise.id;
  });

  it('one whose materials arrive is issued and pushed: the department gets its task', async () => {
    const { approver, health } = await at('2026-02-26T10:00:00+08:00');
    const r = await gql(
      sys.gatewayUrl,
      `mutation ($id: ID!) { receivePromisedMaterials(id: $id) { ${PROMISE} } }`,
      { id: kept },
      approver,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.receivePromisedMaterials).toMatchObject({ status: 'KEPT', licence: { status: 'VALID' } });
    const task = await until('the department to receive the push', async () => {
      const t = await gql(
        sys.gatewayUrl,
        `query ($u: String!) { supervisionTasks(department: "HEALTH", filter: { uscc: $u }) { edges { node { supervisionItem } } } }`,
        { u: keptUscc },
        health,
      );
      return t.data?.supervisionTasks.edges[0]?.node;
    });
    expect(task).toEqual({ supervisionItem: 'WJ-GG-001' });
  });

  it('the reminder goes out on 2026-03-01, once, and not to the one whose materials came', async () => {
    const { office } = await at('2026-03-01T09:00:30+08:00');
    const p = await until('the reminder', async () => {
      const p = await promiseOf(office, late);
      return p?.remindedAt ? p : undefined;
    });
    expect(p.remindedAt.startsWith('2026-03-01T01:00')).toBe(true);
    expect((await promiseOf(office, kept)).remindedAt).toBeNull();
  });

  it('when the materials do not arrive it is listed for the bureau; annulled, a dishonesty record reaches the credit platform', async () => {
    const { office } = await at('2026-03-03T00:00:30+08:00');
    const listed = await until('the overdue listing', async () => {
      const r = await gql(
        sys.gatewayUrl,
        '{ approvalPromises(filter: { overdue: true }) { edges { node { id status reviewBy } } } }',
        {},
        office,
      );
      const node = r.data?.approvalPromises.edges.find((e: { node: { id: string } }) => e.node.id === late)?.node;
      return node?.status === 'OVERDUE' ? node : undefined;
    });
    // 20 working days for the bureau's decision (行政许可法 §42), from the day it was listed.
    expect(listed.reviewBy).toBe('2026-03-31');
    // Tokens live at most 12 hours: fresh ones for the next day.
    const next = await at('2026-03-04T10:00:00+08:00');
    const annul = await gql(
      sys.gatewayUrl,
      `mutation ($id: ID!) { annulPromisedApproval(id: $id, input: { documentNumber: "保审批撤〔2026〕3号",
        legalBasis: "《中华人民共和国行政许可法》第六十九条", reason: "承诺期限内未补交材料" }) { status breach } }`,
      { id: late },
      next.approver,
    );
    expect(annul.errors).toBeUndefined();
    expect(annul.data!.annulPromisedApproval).toEqual({ status: 'ANNULLED', breach: 'MATERIALS_OVERDUE' });
    const record = await until('the credit platform to record the false promise', async () => {
      const r = await gql(
        sys.gatewayUrl,
        'query ($u: String!) { enterprise(uscc: $u) { creditProfile { falsePromises { breach documentNumber } } } }',
        { u: lateUscc },
        next.office,
      );
      return r.data?.enterprise.creditProfile?.falsePromises[0];
    });
    expect(record).toEqual({ breach: 'MATERIALS_OVERDUE', documentNumber: '保审批撤〔2026〕3号' });
  });

  it('the bureau then refuses 告知承诺 to that business, naming the false promise', async () => {
    const { approver } = await at('2026-03-05T10:00:00+08:00');
    const r = await grantOnPromise(approver, lateUscc);
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'uscc',
      messageKey: 'promise.barred',
    });
    expect(r.errors?.[0]?.message).toContain('公共场所卫生许可（告知承诺）');
    const check = await gql(
      sys.gatewayUrl,
      'query ($u: String!) { creditCheck(uscc: $u) { promiseAllowed falsePromises { id } } }',
      { u: lateUscc },
      approver,
    );
    expect(check.data!.creditCheck).toEqual({ promiseAllowed: false, falsePromises: [{ id: late }] });
  });
});

describe('事后核查 that orders 限期整改 (seed 003 (三)9), through the gateway and the bus', () => {
  it('waits for the re-check: not rectified, the promise is untrue and the record reaches the credit platform', async () => {
    const { office, approver, health } = await at('2026-05-06T09:00:00+08:00');
    const item = await gql(
      sys.gatewayUrl,
      'mutation ($input: ApprovalItemInput!) { setApprovalItem(input: $input) { name } }',
      {
        input: {
          name: '公共场所卫生许可（事后核查）',
          supervisingDepartment: 'HEALTH',
          promiseMode: 'POST_CHECK',
          promiseDays: 20,
        },
      },
      approver,
    );
    expect(item.errors).toBeUndefined();
    const uscc = await register(office, '保康县整改复查宾馆');
    const granted = await until('the bureau to know the business', async () => {
      const r = await gql(
        sys.gatewayUrl,
        `mutation ($input: GrantLicenceInput!) { grantOnPromise(input: $input) { ${PROMISE} } }`,
        {
          input: {
            uscc,
            licenceNumber: `WS-HC-${++seq}-${uscc.slice(-4)}`,
            approvalItem: '公共场所卫生许可（事后核查）',
            supervisingDepartment: 'HEALTH',
            scope: '住宿',
            validFrom: '2026-05-06',
            validUntil: '2030-05-05',
          },
        },
        approver,
      );
      return r.errors?.[0]?.extensions?.messageKey === 'business.unknownToBureau' ? undefined : r;
    });
    expect(granted.errors).toBeUndefined();
    const promiseId = granted.data!.grantOnPromise.id as string;
    expect(granted.data!.grantOnPromise.status).toBe('AWAITING_CHECK');

    const TASKS = `query ($u: String!) { supervisionTasks(department: "HEALTH", filter: { uscc: $u }) { edges { node { id } } } }`;
    const taskId = await until('the post-check task', async () => {
      const r = await gql(sys.gatewayUrl, TASKS, { u: uscc }, health);
      return r.data?.supervisionTasks.edges[0]?.node.id as string | undefined;
    });
    const claimed = await gql(
      sys.gatewayUrl,
      'mutation ($id: ID!) { claimSupervisionTask(id: $id) { status } }',
      { id: taskId },
      health,
    );
    expect(claimed.errors).toBeUndefined();
    const result = await gql(
      sys.gatewayUrl,
      `mutation ($id: ID!, $input: TaskResultInput!) { recordTaskResult(id: $id, input: $input) { status findings { id } } }`,
      {
        id: taskId,
        input: {
          outcome: 'PROBLEMS_FOUND',
          summary: '承诺设置的消毒间不存在，责令限期整改',
          checkedOn: '2026-05-06',
          promiseKept: false,
          findings: [
            { description: '未按承诺设置消毒间', severity: 'GENERAL', handling: 'RECTIFICATION', dueOn: '2026-05-20' },
          ],
        },
      },
      health,
    );
    expect(result.errors).toBeUndefined();
    const findingId = result.data!.recordTaskResult.findings[0].id as string;

    const RECT = `query ($id: ID!) { approvalPromise(id: $id) { status rectifyBy breach } }`;
    const rectifying = await until('the bureau to hear of the rectification', async () => {
      const p = (await gql(sys.gatewayUrl, RECT, { id: promiseId }, approver)).data?.approvalPromise;
      return p?.status === 'RECTIFYING' ? p : undefined;
    });
    expect(rectifying).toEqual({ status: 'RECTIFYING', rectifyBy: '2026-05-20', breach: null });

    // Tokens live 12 h: the ones of the re-check's day.
    const later = await at('2026-05-21T09:00:00+08:00');
    const recheck = await gql(
      sys.gatewayUrl,
      `mutation ($id: ID!) { recheckFinding(department: "HEALTH", id: $id, input: { rectified: false, note: "消毒间仍未设置" }) { status } }`,
      { id: findingId },
      later.health,
    );
    expect(recheck.errors).toBeUndefined();
    const untrue = await until('the bureau to hear of the re-check', async () => {
      const p = (await gql(sys.gatewayUrl, RECT, { id: promiseId }, later.approver)).data?.approvalPromise;
      return p?.status === 'UNTRUE' ? p : undefined;
    });
    expect(untrue.breach).toBe('CHECK_UNTRUE');
    const record = await until('the credit platform to record the false promise', async () => {
      const r = await gql(
        sys.gatewayUrl,
        'query ($u: String!) { enterprise(uscc: $u) { creditProfile { falsePromises { breach } } } }',
        { u: uscc },
        later.office,
      );
      return r.data?.enterprise?.creditProfile?.falsePromises?.[0];
    });
    expect(record).toEqual({ breach: 'CHECK_UNTRUE' });
  });
});

describe('信用修复 through the gateway and the bus (seed 004 (十一))', () => {
  const REPAIR = `mutation ($input: CreditRepairInput!) { repairCredit(input: $input) { record recordId decidedOn } }`;
  const input = () => ({
    uscc: lateUscc,
    record: 'FALSE_PROMISE',
    recordId: late,
    documentNumber: '保信修〔2026〕2号',
    reason: '已补交全部材料，作出信用承诺',
  });

  it('the office repairs the false promise 3 months after the annulment, and the bureau grants on a promise again', async () => {
    const before = await at('2026-06-03T10:00:00+08:00');
    const early = await gql(sys.gatewayUrl, REPAIR, { input: input() }, before.office);
    expect(early.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'decidedOn',
      messageKey: 'creditRepair.tooEarly',
      params: { earliest: '2026-06-04' },
    });
    // Not the bureau's to decide.
    const byApprover = await gql(sys.gatewayUrl, REPAIR, { input: input() }, before.approver);
    expect(byApprover.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const { office, approver } = await at('2026-06-04T10:00:00+08:00');
    const r = await gql(sys.gatewayUrl, REPAIR, { input: input() }, office);
    expect(r.errors).toBeUndefined();
    expect(r.data!.repairCredit).toEqual({ record: 'FALSE_PROMISE', recordId: late, decidedOn: '2026-06-04' });
    const profile = await gql(
      sys.gatewayUrl,
      'query ($u: String!) { enterprise(uscc: $u) { creditProfile { falsePromises { promiseId repair { documentNumber } } } } }',
      { u: lateUscc },
      office,
    );
    expect(profile.data!.enterprise.creditProfile.falsePromises).toEqual([
      { promiseId: late, repair: { documentNumber: '保信修〔2026〕2号' } },
    ]);
    const granted = await until('the bureau to hear of the repair', async () => {
      const g = await grantOnPromise(approver, lateUscc);
      return g.errors ? undefined : g;
    });
    expect(granted.data!.grantOnPromise.status).toBe('AWAITING_MATERIALS');
  });
});

describe('联合惩戒 through the gateway and the bus (seed 000 ¶10)', () => {
  it('the office imposes it on the credit platform; the bureau refuses 告知承诺 until it is lifted', async () => {
    const { office, approver, health } = await at('2026-06-05T10:00:00+08:00');
    const uscc = await register(office, '保康县联合惩戒宾馆');
    await until('the credit platform to know the business', async () => {
      const r = await gql(
        sys.gatewayUrl,
        'query ($u: String!) { enterprise(uscc: $u) { creditProfile { rule } } }',
        { u: uscc },
        office,
      );
      return r.data?.enterprise?.creditProfile?.rule === 'NEW' ? r : undefined;
    });
    const imposed = await gql(
      sys.gatewayUrl,
      `mutation ($input: JointPunishmentInput!) { imposeJointPunishment(input: $input) { id active } }`,
      {
        input: {
          uscc,
          measures: ['PREFERENTIAL_POLICIES', 'KEY_SUPERVISION'],
          documentNumber: '保信惩〔2026〕1号',
          legalBasis: '《全国失信惩戒措施基础清单》(2024年版)',
          reason: '严重违法失信',
          until: '2027-06-04',
        },
      },
      office,
    );
    expect(imposed.errors).toBeUndefined();
    const id = imposed.data!.imposeJointPunishment.id as string;
    // A department reads it on the business's credit profile.
    const seen = await gql(
      sys.gatewayUrl,
      'query ($u: String!) { enterprise(uscc: $u) { creditProfile { jointPunishments { measures active } } } }',
      { u: uscc },
      health,
    );
    expect(seen.data!.enterprise.creditProfile.jointPunishments).toEqual([
      { measures: ['PREFERENTIAL_POLICIES', 'KEY_SUPERVISION'], active: true },
    ]);
    // The office keeps it in its target directory (纳入重点监管范围: drawn as D).
    const KEYED = 'query ($u: String!) { enterprise(uscc: $u) { keySupervision { documentNumber until } } }';
    await until('the office to hear of the key supervision', async () => {
      const k = (await gql(sys.gatewayUrl, KEYED, { u: uscc }, office)).data?.enterprise?.keySupervision;
      return k?.length ? k : undefined;
    }).then((k) => expect(k).toEqual([{ documentNumber: '保信惩〔2026〕1号', until: '2027-06-04' }]));
    const CHECK = 'query ($u: String!) { creditCheck(uscc: $u) { promiseAllowed jointPunishments { id } } }';
    await until('the bureau to hear of the punishment', async () => {
      const c = (await gql(sys.gatewayUrl, CHECK, { u: uscc }, approver)).data?.creditCheck;
      return c?.jointPunishments.length === 1 ? c : undefined;
    });
    const refused = await grantOnPromise(approver, uscc);
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      messageKey: 'promise.barredByPunishment',
    });
    expect(refused.errors![0]!.message).toContain('保信惩〔2026〕1号');
    const lifted = await gql(
      sys.gatewayUrl,
      `mutation ($id: ID!) { liftJointPunishment(id: $id, input: { documentNumber: "保信修〔2026〕3号", reason: "完成信用修复" }) { active } }`,
      { id },
      office,
    );
    expect(lifted.data!.liftJointPunishment).toEqual({ active: false });
    await until('the bureau to hear of the lifting', async () => {
      const c = (await gql(sys.gatewayUrl, CHECK, { u: uscc }, approver)).data?.creditCheck;
      return c?.promiseAllowed ? c : undefined;
    });
    await until('the office to hear of the lifting', async () => {
      const k = (await gql(sys.gatewayUrl, KEYED, { u: uscc }, office)).data?.enterprise?.keySupervision;
      return k?.length === 0 ? k : undefined;
    });
    const granted = await grantOnPromise(approver, uscc);
    expect(granted.errors).toBeUndefined();
    expect(granted.data!.grantOnPromise.status).toBe('AWAITING_MATERIALS');
  });
});
