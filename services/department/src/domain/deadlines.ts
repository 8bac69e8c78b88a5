import { and, eq, getTableColumns, inArray, lt, sql } from 'drizzle-orm';
import type { WorkingCalendar } from '@onecheck/calendar';
import { supervisionTasks } from '../db/schema';

/**
 * 审管联动 deadlines (seed 003): the supervising department claims a pushed licence within
 * 3 working days (第十九条(一)) and acts on it within 30 working days (第八条), both counted from
 * the day the push was recorded (issue 9 item 1), under the official working calendar.
 */
export const CLAIM_WORKING_DAYS = 3;
export const CHECK_WORKING_DAYS = 30;

export function deadlinesFrom(calendar: WorkingCalendar, pushedOn: string) {
  return {
    claimBy: calendar.addWorkingDays(pushedOn, CLAIM_WORKING_DAYS),
    checkBy: calendar.addWorkingDays(pushedOn, CHECK_WORKING_DAYS),
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
