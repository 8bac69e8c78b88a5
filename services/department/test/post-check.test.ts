/**
 * 事后核查 of a licence granted on the applicant's promise (告知承诺, seed 003 第二十三条: 监管部门应当
 * 于3个工作日内完成认领, 在规定的核查时间内…开展现场核查, 核查结果作出后3个工作日内推送至行政审批部门),
 * over HTTP as the gateway calls it, the pushes fed to the department's own consumer handler:
 * the push's check date is the task's, the result must say whether the promise proved true and
 * the bureau hears it, and a result pushed more than 3 working days after the check shows late.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { readAuditTrail } from '@onecheck/kit';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { departmentService } from '../src/index';
import { departmentConsumers } from '../src/events';
import * as schema from '../src/db/schema';

// A Wednesday with no holiday for weeks: 3 working days on is Monday 2026-11-30.
const clock = testClock('2026-11-25T09:00:00+08:00');
const staff: Identity = { sub: 'clerk-1', role: 'staff', department: 'HEALTH' };
const inspector: Identity = { sub: 'insp-1', role: 'inspector', department: 'HEALTH' };
const CHECK_BY = '2026-12-18';
let health: TestSubgraph<typeof schema>;

/** The licences pushed: two granted on a POST_CHECK promise, one routine. */
const licences = {
  kept: { licenceId: '00000000-0000-4000-8000-000000000a01', promiseId: '00000000-0000-4000-8000-000000000b01' },
  untrue: { licenceId: '00000000-0000-4000-8000-000000000a02', promiseId: '00000000-0000-4000-8000-000000000b02' },
  routine: { licenceId: '00000000-0000-4000-8000-000000000a03' },
};
const taskIds: Record<keyof typeof licences, string> = { kept: '', untrue: '', routine: '' };

const TASK = `query ($id: ID!) { supervisionTask(id: $id, department: "HEALTH") {
  status postCheck supervisionItem pushedOn claimBy checkBy checkOverdue outcome checkedOn promiseKept
  resultPushBy resultPushLate } }`;
const RESULT = `mutation ($id: ID!, $input: TaskResultInput!) { recordTaskResult(id: $id, input: $input) {
  status promiseKept checkedOn resultPushBy resultPushLate } }`;

const task = async (id: string) => (await health.call(staff, TASK, { id })).data!.supervisionTask;
const db = () => health.service.database.db;
const checkedEvents = async () =>
  (await db().select().from(schema.outbox))
    .map((row) => row.event as { type: string; data: { taskId: string; promiseKept?: boolean } })
    .filter((e) => e.type === 'onecheck.supervision.checked.v1');

beforeAll(async () => {
  health = await startTestSubgraph(departmentService('HEALTH'), { clock });
  const [consumer] = departmentConsumers('HEALTH', { db: db(), clock, logger: undefined as never });
  // The grants' batch handler, given one event.
  const granted = (event: never, tx: never) => consumer!.batchHandlers!['onecheck.licence.granted.v2']!([event], tx);
  for (const [name, l] of Object.entries(licences)) {
    const promise = 'promiseId' in l ? { promiseId: l.promiseId, mode: 'POST_CHECK', checkBy: CHECK_BY } : undefined;
    await db().transaction((tx) =>
      granted(
        {
          id: `grant-${name}`,
          type: 'onecheck.licence.granted.v2',
          time: clock.now().toISOString(),
          data: {
            licenceId: l.licenceId,
            licenceNumber: `WS-${name}`,
            uscc: '91620422MA7XXXX902',
            businessName: '会宁县承诺宾馆',
            approvalItem: '公共场所卫生许可',
            ...(promise ? { supervisionItem: '公共场所卫生监督检查', promise } : {}),
            supervisingDepartment: 'HEALTH',
            scope: '住宿',
            validFrom: '2026-11-25',
            validUntil: '2031-11-24',
            grantedOn: '2026-11-25',
            recordedAt: clock.now().toISOString(),
            status: 'VALID',
          },
        } as never,
        tx as never,
      ),
    );
    const [row] = await db()
      .select()
      .from(schema.supervisionTasks)
      .where(eq(schema.supervisionTasks.licenceId, l.licenceId));
    taskIds[name as keyof typeof licences] = row!.id;
    const claim = await health.call(staff, 'mutation ($id: ID!) { claimSupervisionTask(id: $id) { status } }', {
      id: row!.id,
    });
    expect(claim.errors).toBeUndefined();
  }
});
afterAll(() => health?.stop());

describe('事后核查 (告知承诺, seed 003 第二十三条)', () => {
  it("makes a post-check task checked by the push's check date, claimed within 3 working days of the push", async () => {
    expect(await task(taskIds.untrue)).toMatchObject({
      postCheck: true,
      supervisionItem: '公共场所卫生监督检查',
      pushedOn: '2026-11-25',
      claimBy: '2026-11-30',
      checkBy: CHECK_BY,
    });
    // A routine push keeps the 30 working days (seed 003 第八条) and is no post-check.
    const routine = await task(taskIds.routine);
    expect(routine).toMatchObject({ postCheck: false, supervisionItem: null, claimBy: '2026-11-30' });
    expect(routine.checkBy > '2027-01-01').toBe(true); // 30 working days run into the new year
  });

  it('refuses a post-check result that does not say whether the promise proved true, changing nothing', async () => {
    const before = await readAuditTrail(db(), { kind: 'supervisionTask', id: taskIds.untrue });
    const r = await health.call(inspector, RESULT, {
      id: taskIds.untrue,
      input: { outcome: 'NO_PROBLEM', summary: '现场核查完毕' },
    });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'promiseKept' });
    expect(await task(taskIds.untrue)).toMatchObject({ status: 'CLAIMED', outcome: null, promiseKept: null });
    expect((await checkedEvents()).filter((e) => e.data.taskId === taskIds.untrue)).toEqual([]);
    expect(await readAuditTrail(db(), { kind: 'supervisionTask', id: taskIds.untrue })).toHaveLength(before.length);
  });

  it('refuses promiseKept on a routine task, where it means nothing', async () => {
    const r = await health.call(inspector, RESULT, {
      id: taskIds.routine,
      input: { outcome: 'NO_PROBLEM', summary: '检查完毕', promiseKept: true },
    });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'promiseKept' });
    expect(await task(taskIds.routine)).toMatchObject({ status: 'CLAIMED', promiseKept: null });
  });

  it('keeps an untrue promise on the task and sends it to the bureau with the result', async () => {
    // Recorded on Tuesday 2026-12-01, 4 working days after the check on the 25th: pushed late.
    clock.set('2026-12-01T10:00:00+08:00');
    // An untrue promise is a problem found: "no problem" with it is refused, and nothing changes.
    const contradictory = await health.call(inspector, RESULT, {
      id: taskIds.untrue,
      input: { outcome: 'NO_PROBLEM', summary: '检查完毕', checkedOn: '2026-11-25', promiseKept: false },
    });
    expect(contradictory.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'outcome' });
    expect(await task(taskIds.untrue)).toMatchObject({ status: 'CLAIMED', promiseKept: null });
    const r = await health.call(inspector, RESULT, {
      id: taskIds.untrue,
      input: {
        outcome: 'PROBLEMS_FOUND',
        summary: '承诺的消毒间不存在',
        checkedOn: '2026-11-25',
        promiseKept: false,
        findings: [
          { description: '未按承诺设置消毒间', severity: 'SERIOUS', handling: 'RECTIFICATION', dueOn: '2026-12-10' },
        ],
      },
    });
    expect(r.errors).toBeUndefined();
    expect(r.data!.recordTaskResult).toMatchObject({ status: 'CHECKED', promiseKept: false });
    const [event] = (await checkedEvents()).filter((e) => e.data.taskId === taskIds.untrue);
    expect(event!.data).toMatchObject({ taskId: taskIds.untrue, outcome: 'PROBLEMS_FOUND', promiseKept: false });
    // 限期整改 ordered (seed 003 (三)9): the bureau is told which finding settles the promise, and by when.
    const [finding] = await db().select().from(schema.findings).where(eq(schema.findings.taskId, taskIds.untrue));
    expect((event!.data as Record<string, unknown>).rectification).toEqual({
      findingIds: [finding!.id],
      dueOn: '2026-12-10',
    });
  });

  it('shows a result recorded more than 3 working days after the check as pushed late, the 3rd day still in time', async () => {
    expect(await task(taskIds.untrue)).toMatchObject({
      checkedOn: '2026-11-25',
      resultPushBy: '2026-11-30',
      resultPushLate: true,
    });
    const r = await health.call(inspector, RESULT, {
      id: taskIds.kept,
      input: { outcome: 'NO_PROBLEM', summary: '承诺属实', checkedOn: '2026-11-26', promiseKept: true },
    });
    expect(r.errors).toBeUndefined();
    expect(r.data!.recordTaskResult).toMatchObject({
      promiseKept: true,
      resultPushBy: '2026-12-01',
      resultPushLate: false,
    });
    const [event] = (await checkedEvents()).filter((e) => e.data.taskId === taskIds.kept);
    expect(event!.data.promiseKept).toBe(true);
  });

  it("sends a routine task's result without promiseKept", async () => {
    const r = await health.call(inspector, RESULT, {
      id: taskIds.routine,
      input: { outcome: 'NO_PROBLEM', summary: '检查完毕' },
    });
    expect(r.errors).toBeUndefined();
    const [event] = (await checkedEvents()).filter((e) => e.data.taskId === taskIds.routine);
    expect(event!.data).not.toHaveProperty('promiseKept');
  });

  it("counts a post-check task overdue after the push's check date, not after 30 working days", async () => {
    const [consumer] = departmentConsumers('HEALTH', { db: db(), clock, logger: undefined as never });
    // The grants' batch handler, given one event.
    const granted = (event: never, tx: never) => consumer!.batchHandlers!['onecheck.licence.granted.v2']!([event], tx);
    const licenceId = '00000000-0000-4000-8000-000000000a04';
    await db().transaction((tx) =>
      granted(
        {
          id: 'grant-overdue',
          type: 'onecheck.licence.granted.v2',
          time: clock.now().toISOString(),
          data: {
            licenceId,
            licenceNumber: 'WS-overdue',
            uscc: '91620422MA7XXXX902',
            businessName: '会宁县承诺宾馆',
            approvalItem: '公共场所卫生许可',
            promise: { promiseId: '00000000-0000-4000-8000-000000000b04', mode: 'POST_CHECK', checkBy: CHECK_BY },
            supervisingDepartment: 'HEALTH',
            scope: '住宿',
            validFrom: '2026-12-01',
            validUntil: '2031-11-30',
            grantedOn: '2026-12-01',
            recordedAt: clock.now().toISOString(),
            status: 'VALID',
          },
        } as never,
        tx as never,
      ),
    );
    const [row] = await db()
      .select()
      .from(schema.supervisionTasks)
      .where(eq(schema.supervisionTasks.licenceId, licenceId));
    clock.set(`${CHECK_BY}T12:00:00+08:00`);
    expect(await task(row!.id)).toMatchObject({ checkBy: CHECK_BY, checkOverdue: false });
    clock.set('2026-12-19T12:00:00+08:00');
    expect(await task(row!.id)).toMatchObject({ checkOverdue: true });
  });
});
