/**
 * Issue 9, through the gateway only: times the system records (item 1), licence validity (item 4)
 * and the reverse push of a department's revocation (item 3, seed 003 第二十条(二)).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import type { RunningSystem } from '../scripts/system';
import { gql, roles, startTestSystem, until } from './helpers';

let sys: RunningSystem;
const rng = seededRandom(903);
let seq = 0;

/** Moves every service's clock to 09:00 on `day` and hands out tokens valid then. */
async function at(day: string) {
  (sys.clock as TestClock).set(day);
  const [office, approver, health] = await Promise.all([
    sys.token(roles.office),
    sys.token(roles.approver),
    sys.token(roles.staff('HEALTH')),
  ]);
  return { office, approver, health };
}

async function register(office: string, registeredOn?: string) {
  const uscc = generateUscc(rng, { region: '420626' });
  const r = await gql(
    sys.gatewayUrl,
    'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
    {
      input: {
        uscc,
        name: `保康县审管联动${uscc.slice(-4)}餐馆`,
        legalRepresentative: '李四',
        industry: '62',
        region: '420626',
        address: '保康县城关镇光千路 8 号',
        ...(registeredOn ? { registeredOn } : {}),
      },
    },
    office,
  );
  return { uscc, r };
}

async function grant(approver: string, uscc: string, extra: Record<string, unknown> = {}) {
  const input = {
    uscc,
    licenceNumber: `JY-${++seq}-${uscc.slice(-6)}`,
    approvalItem: '食品经营许可',
    supervisingDepartment: 'HEALTH',
    scope: '热食类食品制售',
    contact: '李四 0710-5812345',
    validFrom: '2026-11-02',
    validUntil: '2031-11-01',
    ...extra,
  };
  return until('the bureau to know the business', async () => {
    const res = await gql(
      sys.gatewayUrl,
      'mutation ($input: GrantLicenceInput!) { grantLicence(input: $input) { id recordedAt grantedOn lateEntry } }',
      { input },
      approver,
    );
    return res.errors?.[0]?.extensions?.field === 'uscc' ? undefined : res;
  });
}

const TASK = `query ($u: String!) { supervisionTasks(department: "HEALTH", filter: { uscc: $u }) { edges { node {
  id status pushedOn claimBy claimedOn claimOverdue claimOverdueDays businessName contact address scope validUntil grantedOn
  closedBecause closedReason licenceReason } } } }`;
const taskOf = async (token: string, uscc: string) =>
  (await gql(sys.gatewayUrl, TASK, { u: uscc }, token)).data?.supervisionTasks.edges[0]?.node;

beforeAll(async () => {
  sys = await startTestSystem({ departments: ['HEALTH'] });
});
afterAll(() => sys?.stop());

describe('times the system records (issue 9 item 1)', () => {
  it('a claim made on the 5th working day after the push is overdue by 2, whatever date the caller sends', async () => {
    const { office, approver } = await at('2026-11-02');
    const { uscc } = await register(office, '2026-01-05');
    // The decision is dated a week earlier: the push still counts from when it was recorded.
    const g = await grant(approver, uscc, { grantedOn: '2026-10-26' });
    expect(g.errors).toBeUndefined();
    expect(g.data!.grantLicence).toMatchObject({ grantedOn: '2026-10-26', lateEntry: true });

    const { health } = await at('2026-11-02');
    const task = await until('the task', () => taskOf(health, uscc));
    expect(task).toMatchObject({
      pushedOn: '2026-11-02',
      claimBy: '2026-11-05',
      // What the department needs (seed 003 第十九条(二)).
      businessName: expect.stringContaining('审管联动'),
      contact: '李四 0710-5812345',
      address: '保康县城关镇光千路 8 号',
      scope: '热食类食品制售',
      validUntil: '2031-11-01',
      grantedOn: '2026-10-26',
    });

    const late = await at('2026-11-09'); // Mon: the 5th working day after Mon 11-02
    const claim = await gql(
      sys.gatewayUrl,
      'mutation ($id: ID!) { claimSupervisionTask(id: $id, claimedOn: "2026-11-03") { status claimedOn claimOverdueDays } }',
      { id: task.id },
      late.health,
    );
    expect(claim.errors).toBeUndefined();
    expect(claim.data!.claimSupervisionTask).toEqual({
      status: 'CLAIMED',
      claimedOn: '2026-11-09',
      claimOverdueDays: 2,
    });
  });

  // Market regulation's rule (H6 adds it with its market changes, issue 9 handoff).
  it('refuses a future registration date, naming the field', async () => {
    const { office } = await at('2026-11-25');
    const future = await register(office, '2026-12-01');
    expect(future.r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'registeredOn' });
  });

  it('refuses a grant before registration, an expired validity and an unknown department, naming the field', async () => {
    const { office, approver } = await at('2026-11-25');
    const { uscc } = await register(office, '2026-06-01');
    const early = await grant(approver, uscc, { grantedOn: '2026-05-29' });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'grantedOn' });
    expect(early.errors?.[0]?.message).toContain('经营主体登记日');

    const expired = await grant(approver, uscc, { validFrom: '2021-01-01', validUntil: '2026-11-24' });
    expect(expired.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'validUntil' });

    const unknown = await grant(approver, uscc, { supervisingDepartment: 'NOWHERE' });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'supervisingDepartment' });
  });
});

describe('反向推送: a department revokes a licence it supervises (issue 9 item 3)', () => {
  it('reaches the bureau with its claim-by date; the licence shows 吊销 with the document number; credit records it; tasks close', async () => {
    const { office, approver, health } = await at('2026-11-25');
    const { uscc } = await register(office, '2026-01-05');
    const g = await grant(approver, uscc);
    const licenceId = g.data!.grantLicence.id as string;
    const task = await until('the task', () => taskOf(health, uscc));

    // The bureau may not revoke: the department decides 吊销 (行政处罚法 §9, §63).
    const bureau = await gql(
      sys.gatewayUrl,
      'mutation ($id: ID!) { setLicenceStatus(id: $id, status: REVOKED, reason: "x", documentNumber: "x", legalBasis: "x") { status } }',
      { id: licenceId },
      approver,
    );
    expect(bureau.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'status' });

    // A decision dated before the grant it acts on cannot be (asked while the licence is still valid).
    const early = await gql(
      sys.gatewayUrl,
      `mutation ($input: LicenceActInput!) { pushLicenceAct(input: $input) { id } }`,
      {
        input: {
          licenceId,
          kind: 'SUSPEND',
          documentNumber: '保卫罚〔2026〕11号',
          legalBasis: '《食品安全法》第一百二十二条',
          reason: '另案',
          decidedOn: '2026-11-20',
        },
      },
      health,
    );
    expect(early.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'decidedOn',
      params: { what: 'grant', date: '2026-11-25' },
    });

    const pushed = await gql(
      sys.gatewayUrl,
      `mutation ($input: LicenceActInput!) { pushLicenceAct(input: $input) { id kind pushBy pushOverdue status } }`,
      {
        input: {
          licenceId,
          kind: 'REVOKE',
          documentNumber: '保卫罚〔2026〕12号',
          legalBasis: '《食品安全法》第一百二十二条',
          reason: '使用非食品原料生产食品，情节严重',
          decidedOn: '2026-11-25',
        },
      },
      health,
    );
    expect(pushed.errors).toBeUndefined();
    expect(pushed.data!.pushLicenceAct).toMatchObject({ kind: 'REVOKE', pushBy: '2026-11-30', pushOverdue: false });
    const actId = pushed.data!.pushLicenceAct.id;
    const push = (input: Record<string, unknown>) =>
      gql(
        sys.gatewayUrl,
        `mutation ($input: LicenceActInput!) { pushLicenceAct(input: $input) { id } }`,
        {
          input: {
            licenceId,
            kind: 'SUSPEND',
            documentNumber: '保卫罚〔2026〕13号',
            legalBasis: '《食品安全法》第一百二十二条',
            reason: '另案',
            ...input,
          },
        },
        health,
      );
    // The same decision again is the same act, whether or not its effect (the licence ended) is back yet.
    expect(
      (await push({ kind: 'REVOKE', documentNumber: '保卫罚〔2026〕12号' })).errors?.[0]?.extensions,
    ).toMatchObject({
      code: 'CONFLICT',
      field: 'documentNumber',
      messageKey: 'licenceAct.pushedAlready',
    });

    const ACTS = `query ($l: ID!) { pushedLicenceActs(filter: { licenceId: $l }) { edges { node {
      id kind status documentNumber claimBy claimOverdue department { code } } } } }`;
    const seen = await until('the bureau to see the push', async () => {
      const r = await gql(sys.gatewayUrl, ACTS, { l: licenceId }, approver);
      return r.data?.pushedLicenceActs.edges[0]?.node;
    });
    // Pushed Wed 11-25: claimed by the 3rd working day after, Mon 11-30.
    expect(seen).toMatchObject({
      id: actId,
      status: 'PENDING_CLAIM',
      claimBy: '2026-11-30',
      claimOverdue: false,
      documentNumber: '保卫罚〔2026〕12号',
      department: { code: 'HEALTH' },
    });
    const claimed = await gql(
      sys.gatewayUrl,
      'mutation ($id: ID!) { claimLicenceAct(id: $id) { status claimedAt claimOverdueDays } }',
      { id: actId },
      approver,
    );
    expect(claimed.data!.claimLicenceAct).toMatchObject({ status: 'CLAIMED', claimOverdueDays: 0 });

    const licence = await gql(
      sys.gatewayUrl,
      `query ($id: ID!) { licence(id: $id) { status statusReason statusAct { kind documentNumber legalBasis decidedOn decidedByDepartment { code } } } }`,
      { id: licenceId },
      approver,
    );
    expect(licence.data!.licence).toEqual({
      status: 'REVOKED',
      statusReason: '使用非食品原料生产食品，情节严重',
      statusAct: {
        kind: 'REVOKE',
        documentNumber: '保卫罚〔2026〕12号',
        legalBasis: '《食品安全法》第一百二十二条',
        decidedOn: '2026-11-25',
        decidedByDepartment: { code: 'HEALTH' },
      },
    });

    const credit = await until('the credit platform to record the revocation', async () => {
      const r = await gql(
        sys.gatewayUrl,
        'query ($u: String!) { enterprise(uscc: $u) { creditProfile { licenceRevocations { documentNumber decidedBy } } } }',
        { u: uscc },
        office,
      );
      return r.data?.enterprise.creditProfile.licenceRevocations[0];
    });
    expect(credit).toEqual({ documentNumber: '保卫罚〔2026〕12号', decidedBy: 'HEALTH' });

    const closed = await until('the task to close', async () => {
      const t = await taskOf(health, uscc);
      return t?.status === 'CLOSED' ? t : undefined;
    });
    expect(closed).toMatchObject({
      id: task.id,
      closedBecause: 'LICENCE_REVOKED',
      licenceReason: '使用非食品原料生产食品，情节严重',
    });
    expect(closed.closedReason).toContain('已吊销');
    // Nothing more is pushed on a licence that has ended.
    expect((await push({})).errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      field: 'licenceId',
      messageKey: 'licenceAct.licenceEnded',
    });

    // The department follows its act: the bureau's claim came back.
    const mine = await until('the department to hear of the claim', async () => {
      const r = await gql(sys.gatewayUrl, '{ licenceActs { id status claimedAt } }', {}, health);
      const act = r.data?.licenceActs.find((a: { id: string }) => a.id === actId);
      return act?.status === 'CLAIMED' ? act : undefined;
    });
    expect(mine.claimedAt).toBeTruthy();
  });
});

describe('函告: a department asks the bureau to withdraw a licence (issue 9 item 3)', () => {
  it('is answered by the bureau, dated no earlier than the request, and the licence is withdrawn', async () => {
    const { office, approver, health } = await at('2026-11-25');
    const { uscc } = await register(office, '2026-01-05');
    const licenceId = (await grant(approver, uscc, { grantedOn: '2026-11-10' })).data!.grantLicence.id as string;
    await until('the task', () => taskOf(health, uscc));

    // The bureau's own act, like the department's, is not dated before the grant.
    const early = await gql(
      sys.gatewayUrl,
      `mutation ($id: ID!) { setLicenceStatus(id: $id, status: CANCELLED, reason: "歇业", documentNumber: "保审批注〔2026〕1号",
        legalBasis: "《行政许可法》第七十条", decidedOn: "2026-11-09") { status } }`,
      { id: licenceId },
      approver,
    );
    expect(early.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'decidedOn',
      params: { what: 'grant', date: '2026-11-10' },
    });

    const pushed = await gql(
      sys.gatewayUrl,
      `mutation ($input: LicenceActInput!) { pushLicenceAct(input: $input) { id status } }`,
      {
        input: {
          licenceId,
          kind: 'WITHDRAW',
          documentNumber: '保卫函〔2026〕7号',
          legalBasis: '《行政许可法》第八条',
          reason: '所依据的规划已修改',
          decidedOn: '2026-11-24',
        },
      },
      health,
    );
    expect(pushed.errors).toBeUndefined();
    const actId = pushed.data!.pushLicenceAct.id as string;
    await until('the bureau to see the request', async () => {
      const r = await gql(
        sys.gatewayUrl,
        'query ($l: ID!) { pushedLicenceActs(filter: { licenceId: $l }) { edges { node { id } } } }',
        { l: licenceId },
        approver,
      );
      return r.data?.pushedLicenceActs.edges[0]?.node;
    });
    const claim = await gql(
      sys.gatewayUrl,
      'mutation ($id: ID!) { claimLicenceAct(id: $id) { status } }',
      { id: actId },
      approver,
    );
    expect(claim.errors).toBeUndefined();

    const ANSWER = `mutation ($id: ID!, $input: AnswerLicenceActInput!) { answerLicenceAct(id: $id, input: $input) { status } }`;
    const answer = (decidedOn: string) => ({
      accept: true,
      documentNumber: '保审批撤〔2026〕4号',
      legalBasis: '《行政许可法》第八条',
      reason: '同意撤回',
      decidedOn,
    });
    const before = await gql(sys.gatewayUrl, ANSWER, { id: actId, input: answer('2026-11-23') }, approver);
    expect(before.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'decidedOn',
      params: { what: 'request', date: '2026-11-24' },
    });
    const licence = async () =>
      (await gql(sys.gatewayUrl, 'query ($id: ID!) { licence(id: $id) { status } }', { id: licenceId }, approver)).data!
        .licence.status;
    expect(await licence()).toBe('VALID');

    const ok = await gql(sys.gatewayUrl, ANSWER, { id: actId, input: answer('2026-11-25') }, approver);
    expect(ok.data?.answerLicenceAct).toEqual({ status: 'ACCEPTED' });
    expect(await licence()).toBe('WITHDRAWN');
    const heard = await until('the department to hear the answer', async () => {
      const r = await gql(sys.gatewayUrl, '{ licenceActs { id status } }', {}, health);
      const act = r.data?.licenceActs.find((a: { id: string }) => a.id === actId);
      return act?.status === 'ACCEPTED' ? act : undefined;
    });
    expect(heard.status).toBe('ACCEPTED');
  });
});

describe('解除责令停产停业: the department that ordered a suspension lifts it (issue 9 item 3)', () => {
  it('is refused to the bureau; the department lifts its own suspension and the licence is valid again', async () => {
    const { office, approver, health } = await at('2026-11-25');
    const { uscc } = await register(office, '2026-01-05');
    const licenceId = (await grant(approver, uscc, { grantedOn: '2026-11-10' })).data!.grantLicence.id as string;
    const task = await until('the task', () => taskOf(health, uscc));
    const push = async (kind: string, documentNumber: string, decidedOn: string) =>
      gql(
        sys.gatewayUrl,
        `mutation ($input: LicenceActInput!) { pushLicenceAct(input: $input) { id kind } }`,
        {
          input: {
            licenceId,
            kind,
            documentNumber,
            legalBasis: '《食品安全法》第一百二十六条',
            reason: kind === 'RESUME' ? '整改到位，经复查合格' : '未按规定进行食品安全自查，拒不整改',
            decidedOn,
          },
        },
        health,
      );
    const licence = async () =>
      (
        await gql(
          sys.gatewayUrl,
          'query ($id: ID!) { licence(id: $id) { status statusReason statusAct { kind documentNumber } } }',
          { id: licenceId },
          approver,
        )
      ).data!.licence;

    // Nothing to lift before a suspension.
    expect((await push('RESUME', '保卫解〔2026〕1号', '2026-11-20')).errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      field: 'kind',
      messageKey: 'licenceAct.notSuspended',
    });
    expect((await push('SUSPEND', '保卫罚〔2026〕21号', '2026-11-20')).errors).toBeUndefined();
    await until('the suspension to take effect', async () =>
      (await licence()).status === 'SUSPENDED' ? true : undefined,
    );
    // One suspension at a time: a second one is refused until the first is lifted.
    expect((await push('SUSPEND', '保卫罚〔2026〕22号', '2026-11-21')).errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      field: 'kind',
      messageKey: 'licenceAct.suspendedAlready',
      params: { documentNumber: '保卫罚〔2026〕21号' },
    });

    // The bureau cannot reinstate a licence the department suspended (行政处罚法 §9, §63).
    const bureau = await gql(
      sys.gatewayUrl,
      'mutation ($id: ID!) { setLicenceStatus(id: $id, status: VALID, reason: "已整改") { status } }',
      { id: licenceId },
      approver,
    );
    expect(bureau.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'status',
      messageKey: 'licence.departmentLifts',
    });
    expect(bureau.errors?.[0]?.message).toContain('监管部门解除');
    expect((await licence()).status).toBe('SUSPENDED');

    // A lift is not dated before the suspension it lifts.
    expect((await push('RESUME', '保卫解〔2026〕1号', '2026-11-19')).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'decidedOn',
      params: { what: 'suspension', date: '2026-11-20' },
    });
    const lifted = await push('RESUME', '保卫解〔2026〕1号', '2026-11-24');
    expect(lifted.errors).toBeUndefined();
    expect(lifted.data!.pushLicenceAct.kind).toBe('RESUME');
    const valid = await until('the lift to take effect', async () => {
      const l = await licence();
      return l.status === 'VALID' ? l : undefined;
    });
    // VALID again carries no act of its own; the lift is the department's pushed act at the bureau.
    expect(valid).toEqual({ status: 'VALID', statusReason: null, statusAct: null });
    const acts = await gql(
      sys.gatewayUrl,
      'query ($l: ID!) { pushedLicenceActs(filter: { licenceId: $l }) { edges { node { kind documentNumber department { code } } } } }',
      { l: licenceId },
      approver,
    );
    expect(acts.data!.pushedLicenceActs.edges.map((e: { node: { kind: string } }) => e.node.kind).sort()).toEqual([
      'RESUME',
      'SUSPEND',
    ]);
    // Lifted once: there is no suspension left to lift; the task stayed open throughout.
    expect((await push('RESUME', '保卫解〔2026〕2号', '2026-11-25')).errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'licenceAct.notSuspended',
    });
    expect((await taskOf(health, uscc))?.id).toBe(task.id);
    expect((await taskOf(health, uscc))?.status).not.toBe('CLOSED');
  });
});

describe('注销登记: a business that ends takes its licences with it (行政许可法 §70(三))', () => {
  it('has every licence in force cancelled by the bureau, and the department’s tasks on them closed', async () => {
    const { office, approver, health } = await at('2026-11-25');
    const { uscc } = await register(office, '2026-01-05');
    const first = (await grant(approver, uscc)).data!.grantLicence.id as string;
    const second = (await grant(approver, uscc, { approvalItem: '公共场所卫生许可' })).data!.grantLicence.id as string;
    await until('the tasks', async () => {
      const r = await gql(sys.gatewayUrl, TASK, { u: uscc }, health);
      return r.data?.supervisionTasks.edges.length === 2 ? r : undefined;
    });
    const dereg = await gql(
      sys.gatewayUrl,
      'mutation ($u: String!) { updateEnterprise(uscc: $u, input: { status: DEREGISTERED }) { status } }',
      { u: uscc },
      office,
    );
    expect(dereg.errors).toBeUndefined();

    const LICENCE = `query ($id: ID!) { licence(id: $id) { status statusAct { kind documentNumber legalBasis decidedOn } } }`;
    for (const id of [first, second]) {
      const licence = await until('the bureau to cancel the licence', async () => {
        const l = (await gql(sys.gatewayUrl, LICENCE, { id }, approver)).data?.licence;
        return l?.status === 'CANCELLED' ? l : undefined;
      });
      expect(licence.statusAct).toEqual({
        kind: 'CANCEL',
        documentNumber: `注销登记 ${uscc}`,
        legalBasis: '《中华人民共和国行政许可法》第七十条第（三）项',
        decidedOn: '2026-11-25',
      });
    }
    const closed = await until('the tasks to close', async () => {
      const r = await gql(sys.gatewayUrl, TASK, { u: uscc }, health);
      const tasks = r.data?.supervisionTasks.edges.map((e: { node: { status: string } }) => e.node) ?? [];
      return tasks.length === 2 && tasks.every((t: { status: string }) => t.status === 'CLOSED') ? tasks : undefined;
    });
    expect(closed.map((t: { closedBecause: string }) => t.closedBecause)).toEqual([
      'LICENCE_CANCELLED',
      'LICENCE_CANCELLED',
    ]);
  });

  it('refuses a licence to a business whose 营业执照 was revoked (吊销)', async () => {
    const { office, approver } = await at('2026-11-25');
    const { uscc } = await register(office, '2026-01-05');
    await grant(approver, uscc);
    const revoked = await gql(
      sys.gatewayUrl,
      'mutation ($u: String!) { updateEnterprise(uscc: $u, input: { status: REVOKED }) { status } }',
      { u: uscc },
      office,
    );
    expect(revoked.errors).toBeUndefined();
    const GRANT = 'mutation ($input: GrantLicenceInput!) { grantLicence(input: $input) { id } }';
    const input = () => ({
      uscc,
      licenceNumber: `GW-${++seq}-${uscc.slice(-6)}`,
      approvalItem: '公共场所卫生许可',
      supervisingDepartment: 'HEALTH',
      scope: '住宿',
      validFrom: '2026-11-25',
      validUntil: '2030-11-24',
    });
    // Granted until the revocation reaches the bureau, then refused.
    const refused = await until('the bureau to learn of the revocation', async () => {
      const r = await gql(sys.gatewayUrl, GRANT, { input: input() }, approver);
      return r.errors?.[0]?.extensions?.messageKey === 'business.revoked' ? r : undefined;
    });
    expect(refused.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'uscc',
      messageKey: 'business.revoked',
    });
  });
});
