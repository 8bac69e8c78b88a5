/**
 * The first cross-department flows over Kafka, end to end through the gateway: 审管联动 licence
 * pushes with working-day deadlines, claims and results, findings reaching the credit platform,
 * revocations closing tasks, and the office's calendar reaching every department.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import type { RunningSystem } from '../scripts/system';
import { gql, roles, startTestSystem, TEST_NOW, until } from './helpers';

let sys: RunningSystem;
let office: string, approver: string, health: string, healthInspector: string, fire: string;
const rng = seededRandom(11);
let licenceSeq = 0;

async function registerBusiness(industry = '61'): Promise<string> {
  const uscc = generateUscc(rng, { region: '620422' });
  const r = await gql(
    sys.gatewayUrl,
    'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
    {
      input: {
        uscc,
        name: `会宁县流程测试${uscc.slice(-5)}宾馆`,
        legalRepresentative: '赵六',
        industry,
        region: '620422',
        address: '会宁县',
        registeredOn: '2020-01-02',
      },
    },
    office,
  );
  expect(r.errors).toBeUndefined();
  return uscc;
}

/**
 * Grants as the bureau on `grantedOn` (the system's clock moved there, issue 9: the push and its
 * deadlines count from when the grant is recorded), then returns to TEST_NOW.
 */
async function grant(uscc: string, grantedOn: string = TEST_NOW.slice(0, 10), department = 'HEALTH') {
  (sys.clock as TestClock).set(grantedOn);
  try {
    return await grantNow(uscc, grantedOn, department, await sys.token(roles.approver));
  } finally {
    (sys.clock as TestClock).set(TEST_NOW);
  }
}

async function grantNow(uscc: string, grantedOn: string, department: string, approver: string) {
  const input = {
    uscc,
    licenceNumber: `WS-${++licenceSeq}-${uscc.slice(-6)}`,
    approvalItem: '公共场所卫生许可',
    supervisingDepartment: department,
    scope: '住宿',
    validFrom: grantedOn,
    validUntil: '2030-12-31',
    grantedOn,
  };
  // The bureau learns of a new business from market regulation's events: wait for it.
  const r = await until('the approval bureau to know the business', async () => {
    const res = await gql(
      sys.gatewayUrl,
      'mutation ($input: GrantLicenceInput!) { grantLicence(input: $input) { id } }',
      { input },
      approver,
    );
    return res.errors?.[0]?.extensions?.field === 'uscc' ? undefined : res;
  });
  expect(r.errors).toBeUndefined();
  return r.data!.grantLicence.id as string;
}

const TASKS = `query ($department: String, $filter: TaskFilter) {
  supervisionTasks(department: $department, filter: $filter, first: 100) {
    totalCount
    edges { node { id status licenceNumber pushedOn claimBy checkBy claimOverdue checkOverdue closedReason closedBecause licenceReason licence { id } enterprise { uscc name } } }
  }
}`;

async function tasksOf(uscc: string, token = health, department = 'HEALTH') {
  const r = await gql(sys.gatewayUrl, TASKS, { department, filter: { uscc } }, token);
  expect(r.errors).toBeUndefined();
  return r.data!.supervisionTasks.edges.map((e: any) => e.node);
}

beforeAll(async () => {
  sys = await startTestSystem({ departments: ['HEALTH', 'FIRE'] });
  [office, approver, health, healthInspector, fire] = await Promise.all([
    sys.token(roles.office),
    sys.token(roles.approver),
    sys.token(roles.staff('HEALTH')),
    sys.token({ sub: 'inspector-wang', role: 'inspector', department: 'HEALTH' }),
    sys.token(roles.staff('FIRE')),
  ]);
});
afterAll(() => sys?.stop());

describe('审管联动: a granted licence becomes a task at its department', () => {
  it('granted on 2026-09-30: a task within 2 s, to be claimed by 2026-10-10 (National Day, then a working Saturday)', async () => {
    const uscc = await registerBusiness();
    const licenceId = await grant(uscc, '2026-09-30');
    const started = performance.now();
    const [task] = await until('the task', async () => (await tasksOf(uscc))[0] && tasksOf(uscc));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(task).toMatchObject({
      status: 'PENDING_CLAIM',
      pushedOn: '2026-09-30',
      claimBy: '2026-10-10',
      licence: { id: licenceId },
    });
    expect(task.enterprise.name).toContain('流程测试');
    // 30 working days, counted over the same calendar.
    const r = await gql(sys.gatewayUrl, '{ addWorkingDays(date: "2026-09-30", days: 30) { date } }', {}, health);
    expect(task.checkBy).toBe(r.data!.addWorkingDays.date);
  });

  it('granted on 2026-10-09: to be claimed by 2026-10-13', async () => {
    const uscc = await registerBusiness();
    await grant(uscc, '2026-10-09');
    const [task] = await until('the task', async () => (await tasksOf(uscc))[0] && tasksOf(uscc));
    expect(task.claimBy).toBe('2026-10-13');
  });

  it('lands only at the supervising department', async () => {
    const uscc = await registerBusiness();
    await grant(uscc, '2026-11-02', 'FIRE');
    await until('the FIRE task', async () => (await tasksOf(uscc, fire, 'FIRE'))[0]);
    expect(await tasksOf(uscc)).toEqual([]);
  });

  it('shows claims and checks that are overdue as such', async () => {
    const uscc = await registerBusiness();
    await grant(uscc, '2025-03-03');
    const [task] = await until('the task', async () => (await tasksOf(uscc))[0] && tasksOf(uscc));
    expect(task).toMatchObject({ claimOverdue: true, checkOverdue: true });
    const overdue = await gql(sys.gatewayUrl, TASKS, { filter: { overdue: true } }, health);
    expect(overdue.data!.supervisionTasks.edges.map((e: any) => e.node.id)).toContain(task.id);
    const onTime = await gql(sys.gatewayUrl, TASKS, { filter: { overdue: false } }, health);
    const onTimeIds = onTime.data!.supervisionTasks.edges.map((e: any) => e.node.id);
    expect(onTimeIds).not.toContain(task.id);
    expect(onTime.data!.supervisionTasks.totalCount + overdue.data!.supervisionTasks.totalCount).toBe(
      (await gql(sys.gatewayUrl, TASKS, {}, health)).data!.supervisionTasks.totalCount,
    );
  });

  it('staff claim, an inspector records a finding, and the credit platform re-classifies the business', async () => {
    const uscc = await registerBusiness();
    await grant(uscc);
    const [task] = await until('the task', async () => (await tasksOf(uscc))[0] && tasksOf(uscc));

    const fireClaim = await gql(
      sys.gatewayUrl,
      'mutation ($id: ID!) { claimSupervisionTask(department: "HEALTH", id: $id) { status } }',
      { id: task.id },
      fire,
    );
    expect(fireClaim.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const claim = await gql(
      sys.gatewayUrl,
      'mutation ($id: ID!) { claimSupervisionTask(id: $id) { status claimedOn claimOverdue claimOverdueDays } }',
      { id: task.id },
      health,
    );
    expect(claim.data!.claimSupervisionTask).toEqual({
      status: 'CLAIMED',
      claimedOn: '2026-11-25',
      claimOverdue: false,
      claimOverdueDays: 0,
    });
    const again = await gql(
      sys.gatewayUrl,
      'mutation ($id: ID!) { claimSupervisionTask(id: $id) { status } }',
      { id: task.id },
      health,
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const before = await gql(
      sys.gatewayUrl,
      'query ($u: String!) { enterprise(uscc: $u) { creditProfile { riskClass } } }',
      { u: uscc },
      office,
    );
    expect(before.data!.enterprise.creditProfile.riskClass).toBe('B');

    const result = await gql(
      sys.gatewayUrl,
      `mutation ($id: ID!, $input: TaskResultInput!) { recordTaskResult(id: $id, input: $input) {
        status outcome checkedOn findings { severity handling department { code } } } }`,
      {
        id: task.id,
        input: {
          outcome: 'PROBLEMS_FOUND',
          summary: '客房用品未按规定清洗消毒',
          checkedOn: '2026-11-25',
          findings: [
            { itemCode: 'WJ-GG-001', description: '公共用品用具未消毒', severity: 'SERIOUS', handling: 'PENALTY' },
          ],
        },
      },
      healthInspector,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.recordTaskResult).toEqual({
      status: 'CHECKED',
      outcome: 'PROBLEMS_FOUND',
      checkedOn: '2026-11-25',
      findings: [{ severity: 'SERIOUS', handling: 'PENALTY', department: { code: 'HEALTH' } }],
    });
    const profile = await until('the credit platform to re-classify', async () => {
      const r = await gql(
        sys.gatewayUrl,
        'query ($u: String!) { enterprise(uscc: $u) { creditProfile { riskClass rule findings serious penalties lookbackMonths reason } } }',
        { u: uscc },
        office,
      );
      const p = r.data!.enterprise.creditProfile;
      return p.riskClass === 'D' ? p : undefined;
    });
    // The grounds are facts (rule and counts); the reason is rendered from them (Chinese by default).
    expect(profile).toMatchObject({ rule: 'SERIOUS', findings: 1, serious: 1, penalties: 1, lookbackMonths: 12 });
    expect(profile.reason).toMatch(/高风险/);
  });

  it("a finding that leaves the class at B still reaches the bureau's credit check, with its grounds", async () => {
    const uscc = await registerBusiness();
    await grant(uscc);
    const CHECK = 'query ($u: String!) { creditCheck(uscc: $u) { riskClass rule findings general } }';
    // Registered, no record yet: the platform's default class, as newly registered.
    expect((await gql(sys.gatewayUrl, CHECK, { u: uscc }, approver)).data!.creditCheck).toEqual({
      riskClass: 'B',
      rule: 'NEW',
      findings: 0,
      general: 0,
    });
    const [task] = await until('the task', async () => (await tasksOf(uscc))[0] && tasksOf(uscc));
    await gql(
      sys.gatewayUrl,
      'mutation ($id: ID!) { claimSupervisionTask(id: $id) { status } }',
      { id: task.id },
      health,
    );
    const result = await gql(
      sys.gatewayUrl,
      `mutation ($id: ID!, $input: TaskResultInput!) { recordTaskResult(id: $id, input: $input) { status } }`,
      {
        id: task.id,
        input: {
          outcome: 'PROBLEMS_FOUND',
          summary: '卫生管理制度未上墙',
          checkedOn: '2026-11-25',
          findings: [
            {
              itemCode: 'WJ-GG-001',
              description: '卫生管理制度未公示',
              severity: 'GENERAL',
              handling: 'RECTIFICATION',
              dueOn: '2026-12-10',
            },
          ],
        },
      },
      healthInspector,
    );
    expect(result.errors).toBeUndefined();
    const seen = await until('the bureau to hear of the grounds', async () => {
      const c = (await gql(sys.gatewayUrl, CHECK, { u: uscc }, approver)).data?.creditCheck;
      return c?.findings === 1 ? c : undefined;
    });
    expect(seen).toEqual({ riskClass: 'B', rule: 'SOME_FINDINGS', findings: 1, general: 1 });
  });

  it('refuses a result without findings when problems were found, and changes nothing', async () => {
    const uscc = await registerBusiness();
    await grant(uscc);
    const [task] = await until('the task', async () => (await tasksOf(uscc))[0] && tasksOf(uscc));
    await gql(
      sys.gatewayUrl,
      'mutation ($id: ID!) { claimSupervisionTask(id: $id) { status } }',
      { id: task.id },
      health,
    );
    const r = await gql(
      sys.gatewayUrl,
      'mutation ($id: ID!) { recordTaskResult(id: $id, input: { outcome: PROBLEMS_FOUND, summary: "x" }) { status } }',
      { id: task.id },
      healthInspector,
    );
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'findings' });
    expect((await tasksOf(uscc))[0].status).toBe('CLAIMED');
  });

  // The bureau's own act, 撤销 (行政许可法 §69); 吊销 is the department's (test/licence-acts.test.ts).
  it('closes the open tasks of an annulled licence, with the reason', async () => {
    const uscc = await registerBusiness();
    const licenceId = await grant(uscc, '2026-11-02');
    await until('the task', async () => (await tasksOf(uscc))[0]);
    const r = await gql(
      sys.gatewayUrl,
      `mutation ($id: ID!) { setLicenceStatus(id: $id, status: ANNULLED, reason: "以欺骗手段取得许可",
        documentNumber: "会审撤〔2026〕3号", legalBasis: "《行政许可法》第六十九条第二款") { status statusReason statusAct { kind documentNumber decidedByDepartment { code } } } }`,
      { id: licenceId },
      approver,
    );
    expect(r.data!.setLicenceStatus).toEqual({
      status: 'ANNULLED',
      statusReason: '以欺骗手段取得许可',
      statusAct: { kind: 'ANNUL', documentNumber: '会审撤〔2026〕3号', decidedByDepartment: null },
    });
    const [task] = await until('the task to close', async () => {
      const tasks = await tasksOf(uscc);
      return tasks[0]?.status === 'CLOSED' ? tasks : undefined;
    });
    // The fact is a code and the bureau's own words; the reason people read is rendered (zh-CN by default).
    expect(task).toMatchObject({ closedBecause: 'LICENCE_ANNULLED', licenceReason: '以欺骗手段取得许可' });
    expect(task.closedReason).toBe(`许可 ${task.licenceNumber} 已撤销`);
    const again = await gql(
      sys.gatewayUrl,
      'mutation ($id: ID!) { setLicenceStatus(id: $id, status: CANCELLED, reason: "x", documentNumber: "x", legalBasis: "x") { status } }',
      { id: licenceId },
      approver,
    );
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'licence.transition' });
  });
});

describe('the working-day calendar on the graph', () => {
  it('answers whether a day is a working day and counts deadlines as the services do', async () => {
    const r = await gql(
      sys.gatewayUrl,
      `{ sat: workingDay(date: "2026-10-10") { working kind coverage }
         holiday: workingDay(date: "2026-10-01") { working kind }
         plus3: addWorkingDays(date: "2026-09-30", days: 3) { date uncoveredYears } }`,
      {},
      health,
    );
    expect(r.data).toEqual({
      sat: { working: true, kind: 'ADJUSTED_WORKDAY', coverage: 'SHIPPED' },
      holiday: { working: false, kind: 'HOLIDAY' },
      plus3: { date: '2026-10-10', uncoveredYears: [] },
    });
  });

  it.each(['0001-01-01', '0999-06-01', '1899-12-31', '2200-01-01', '9999-12-31', '2026-02-30', '20260101'])(
    'refuses %s as a date, naming the argument, instead of failing inside',
    async (date) => {
      for (const query of [
        'query ($d: Date!) { workingDay(date: $d) { working } }',
        'query ($d: Date!) { addWorkingDays(date: $d, days: 3) { date } }',
      ]) {
        const r = await gql(sys.gatewayUrl, query, { d: date }, health);
        expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'date' });
      }
    },
  );

  it('takes a year the office enters as data, and every department counts with it', async () => {
    const before = await gql(sys.gatewayUrl, '{ workingDay(date: "2027-01-01") { working coverage } }', {}, health);
    expect(before.data!.workingDay).toEqual({ working: true, coverage: 'WEEKENDS_ONLY' });

    const bad = await gql(
      sys.gatewayUrl,
      'mutation { setCalendarYear(input: { year: 2027, holidays: ["2026-12-31"], workdays: [] }) { year } }',
      {},
      office,
    );
    // Facts on the field, in the catalogue's words (the calendar's English sentence once came through).
    expect(bad.errors?.[0]).toMatchObject({
      message: 'input.holidays.0：2026-12-31 不在 2027 年内',
      extensions: { code: 'BAD_USER_INPUT', field: 'input.holidays.0', messageKey: 'calendar.dateOutsideYear' },
    });
    const weekday = await gql(
      sys.gatewayUrl,
      'mutation { setCalendarYear(input: { year: 2027, holidays: ["2027-01-01"], workdays: ["2027-01-02", "2027-01-06"] }) { year } }',
      {},
      office,
    );
    expect(weekday.errors?.[0]).toMatchObject({
      message: 'input.workdays.1：2027-01-06 不是周六或周日：调休上班日只能是周末',
      extensions: { code: 'BAD_USER_INPUT', field: 'input.workdays.1', params: { date: '2027-01-06' } },
    });
    const denied = await gql(
      sys.gatewayUrl,
      'mutation { setCalendarYear(input: { year: 2027, holidays: ["2027-01-01"], workdays: [] }) { year } }',
      {},
      health,
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // A task granted on 2026-11-20 must be acted on within 30 working days: into January 2027.
    // Its deadline was counted before 2027 was known (2027-01-01 counted as a working day) and is
    // counted again when the year arrives: 01-01 and 01-04 off, so 2027-01-05.
    const calendarConsumer = sys.departments.get('HEALTH')!.consumers[1]!;
    const handledBefore = calendarConsumer.stats.handled;
    const uscc = await registerBusiness();
    await grant(uscc, '2026-11-20');
    const [task] = await until('the task', async () => (await tasksOf(uscc))[0] && tasksOf(uscc));
    expect(task.checkBy).toBe('2027-01-01');

    const set = await gql(
      sys.gatewayUrl,
      'mutation { setCalendarYear(input: { year: 2027, holidays: ["2027-01-01", "2027-01-04"], workdays: ["2027-01-09"] }) { year coverage } }',
      {},
      office,
    );
    expect(set.data!.setCalendarYear).toEqual({ year: 2027, coverage: 'OFFICE' });
    const after = await gql(sys.gatewayUrl, '{ workingDay(date: "2027-01-01") { working kind coverage } }', {}, health);
    expect(after.data!.workingDay).toEqual({ working: false, kind: 'HOLIDAY', coverage: 'OFFICE' });

    await until('HEALTH to take in the 2027 calendar', async () => calendarConsumer.stats.handled > handledBefore);
    const [recounted] = await tasksOf(uscc);
    expect(recounted.checkBy).toBe('2027-01-05');
    expect(recounted.claimBy).toBe(task.claimBy);
  });
});
