import { and, eq, getTableColumns, inArray, lt, sql } from 'drizzle-orm';
import type { WorkingCalendar } from '@onecheck/calendar';
import { chinaDate } from '@onecheck/clock';
import type { PromiseMode } from '@onecheck/contracts';
import { supervisionTasks } from '../db/schema';

/**
 * 审管联动 deadlines (seed 003): the supervising department claims a pushed licence within
 * 3 working days (第十九条(一)) and acts on it within 30 working days (第八条), both counted from
 * the day the push was recorded (issue 9 item 1), under the official working calendar.
 */
export const CLAIM_WORKING_DAYS = 3;
export const CHECK_WORKING_DAYS = 30;

/** What a task knows of the promise its licence was granted on (告知承诺), as the push carried it. */
export interface TaskPromise {
  promiseMode: PromiseMode | null;
  promiseCheckBy: string | null;
}

/**
 * 事后核查 (seed 003 第二十三条): a licence granted on the applicant's promise whose mode is
 * POST_CHECK is checked on site by its department — the one definition of a post-check task.
 */
export const isPostCheck = (task: Pick<TaskPromise, 'promiseMode'>) => task.promiseMode === 'POST_CHECK';

/**
 * The claim deadline always counts from the push; the check deadline is the 规定的核查时间 the push
 * set for a 事后核查 (第二十三条), else 30 working days from the push (a post-check push that set
 * none is checked like any other).
 */
export function deadlinesFrom(calendar: WorkingCalendar, pushedOn: string, promise?: TaskPromise) {
  const promised = promise && isPostCheck(promise) ? promise.promiseCheckBy : null;
  return {
    claimBy: calendar.addWorkingDays(pushedOn, CLAIM_WORKING_DAYS),
    checkBy: promised ?? calendar.addWorkingDays(pushedOn, CHECK_WORKING_DAYS),
  };
}

/** Tasks still waiting for the department: neither checked nor closed. */
export const OPEN_STATUSES = ['PENDING_CLAIM', 'CLAIMED'] as const;

/**
 * Overdue as of `today` (the one definition; seed 003 as above): a claim is overdue when a task
 * still waits to be claimed after its claimBy day, a check when an open task is past its checkBy
 * day. The deadline day itself is still in time. Every task query selects these expressions
 * (`taskColumns`) and the `overdue` filter is made of the same ones, so the field and the filter
 * can never disagree.
 */
export function overdueSql(today: string) {
  return {
    claimOverdue: and(eq(supervisionTasks.status, 'PENDING_CLAIM'), lt(supervisionTasks.claimBy, today))!,
    checkOverdue: and(inArray(supervisionTasks.status, OPEN_STATUSES), lt(supervisionTasks.checkBy, today))!,
  };
}

/** What every task query selects (and every task update returns): the row and its overdue flags as of `today`. */
export function taskColumns(today: string) {
  const late = overdueSql(today);
  return {
    ...getTableColumns(supervisionTasks),
    claimOverdue: sql<boolean>`(${late.claimOverdue})`,
    checkOverdue: sql<boolean>`(${late.checkOverdue})`,
  };
}

/** 反向推送 (seed 003 第二十条(二)): a decision or request goes to the bureau within 3 working days of the decision. */
export const PUSH_WORKING_DAYS = 3;

/**
 * 核查结果作出后3个工作日内推送至行政审批部门 (seed 003 第二十三条): the result goes to the bureau the
 * moment it is recorded, so it is late when recorded more than 3 working days after the day the
 * check took place (checkedOn, as entered; never after the day it is recorded). The deadline day
 * itself is still in time. Counted when read, under the calendar as it stands.
 */
export const RESULT_PUSH_WORKING_DAYS = 3;

export function resultPush(
  calendar: WorkingCalendar,
  task: { checkedOn: string | null; checkRecordedAt: Date | null },
): { by: string | null; late: boolean } {
  if (!task.checkedOn || !task.checkRecordedAt) return { by: null, late: false };
  const by = calendar.addWorkingDays(task.checkedOn, RESULT_PUSH_WORKING_DAYS);
  return { by, late: chinaDate(task.checkRecordedAt) > by };
}
