import { chinaDate, type Clock } from '@onecheck/clock';
import type { WorkingCalendar } from '@onecheck/calendar';
import { z } from 'zod';
import { CHECK_OUTCOMES } from '@onecheck/contracts';
import { and, asc, count, eq, gt, inArray, not, or } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import { recordEvent } from '@onecheck/events';
import {
  checkListFilter,
  actorOf,
  appendAudit,
  badInput,
  dateField,
  conflict,
  notFound,
  pageArgs,
  parseInput,
  toConnection,
  type ConnectionArgs,
  isUuid,
  isLateEntry,
  requireNotAfterToday,
  requireNotBefore,
  type Db,
  type Tx,
  textField,
} from '@onecheck/kit';
import { findings, supervisionTasks, type FindingRow, type TaskRow } from '../db/schema';
import type * as schema from '../db/schema';
import { rowsByIds } from './by-ids';
import { isPostCheck, overdueSql, taskColumns } from './deadlines';
import { findingInput, recordFinding } from './findings';

/**
 * What people do with a pushed task: list it, claim it, record the check's result and findings.
 * How tasks come and go with the licence events is in `task-lifecycle.ts`.
 */

export type { FindingRow, TaskRow };
type DeptDb = Db<typeof schema>;

/** Tasks by id, with their overdue flags as of `today` (one query for a batch). */
export function tasksByIds(db: DeptDb, ids: readonly string[], today: string): Promise<(TaskRow | null)[]> {
  return rowsByIds(ids, (valid) =>
    db.select(taskColumns(today)).from(supervisionTasks).where(inArray(supervisionTasks.id, valid)),
  );
}

/** Each task's findings (one query for a batch). */
export async function findingsByTasks(db: DeptDb, taskIds: readonly string[]): Promise<FindingRow[][]> {
  const valid = taskIds.filter(isUuid);
  const rows = valid.length ? await db.select().from(findings).where(inArray(findings.taskId, valid)) : [];
  return taskIds.map((id) => rows.filter((r) => r.taskId === id));
}

async function lockTask(tx: Tx<typeof schema>, id: string) {
  if (!isUuid(id)) throw notFound('supervisionTask', id);
  const [task] = await tx.select().from(supervisionTasks).where(eq(supervisionTasks.id, id)).for('update');
  if (!task) throw notFound('supervisionTask', id);
  return task;
}

/**
 * Claims a pushed task (认领). The claim is an act in the system: stamped with the system's time
 * (issue 9 item 1), never a date the caller gives, and how many working days it came after the
 * claim deadline is kept with it (seed 003 第十九条(一): 3 working days from the push).
 */
export async function claimTask(
  db: DeptDb,
  calendar: WorkingCalendar,
  id: string,
  identity: Identity,
  clock: Clock,
): Promise<TaskRow> {
  const now = clock.now();
  const today = clock.today();
  return db.transaction(async (tx) => {
    const task = await lockTask(tx, id);
    if (task.status !== 'PENDING_CLAIM') throw conflict('task.notPendingClaim', { id, status: task.status });
    const [row] = await tx
      .update(supervisionTasks)
      .set({
        status: 'CLAIMED',
        claimedAt: now,
        claimedOn: today,
        claimLateDays: calendar.workingDaysAfter(task.claimBy, today),
        claimedBy: identity.sub,
        updatedAt: now,
      })
      .where(eq(supervisionTasks.id, id))
      .returning(taskColumns(today));
    const entity = { kind: 'supervisionTask' as const, id };
    await appendAudit(tx, {
      actor: actorOf(identity),
      action: 'claimTasks',
      entity,
      before: task,
      after: row,
      at: now,
    });
    return row!;
  });
}

/** A check's result: problems found come with at least one finding, no problem with none. */
export const resultInput = z
  .object({
    outcome: z.enum(CHECK_OUTCOMES),
    summary: textField(4000),
    checkedOn: dateField.nullish(),
    findings: z.array(findingInput).max(50).nullish(),
    promiseKept: z.boolean().nullish(),
  })
  .refine((r) => (r.outcome === 'PROBLEMS_FOUND') === (r.findings?.length ?? 0) > 0, {
    message: 'task.resultFindings',
    path: ['findings'],
  })
  // 承诺不实 is itself a problem found, with its finding (责令限期整改 …, seed 003 第二十三条).
  .refine((r) => r.promiseKept !== false || r.outcome === 'PROBLEMS_FOUND', {
    message: 'task.untruePromiseIsProblem',
    path: ['outcome'],
  });

/**
 * Records the check's result (谁检查、谁录入) and its findings; each finding is published to the
 * other departments in the same transaction, so a finding exists exactly when its event does.
 * The result itself — no problem included — goes back to the bureau at once (seed 003 第八条,
 * 第九条: fed back the same day). The day of the check is a business date: not in the future,
 * not before the claim, and a late entry when far from the day it is recorded (issue 9 item 1).
 * A 事后核查 says whether the promise proved true (seed 003 第二十三条), and the bureau hears it
 * with the result.
 */
export async function recordTaskResult(
  db: DeptDb,
  department: string,
  id: string,
  identity: Identity,
  raw: unknown,
  clock: Clock,
  lateEntryDays: number,
): Promise<TaskRow> {
  const now = clock.now();
  const input = parseInput(resultInput, raw);
  const today = clock.today();
  const checkedOn = input.checkedOn ?? today;
  requireNotAfterToday('checkedOn', checkedOn, today);
  return db.transaction(async (tx) => {
    const task = await lockTask(tx, id);
    if (task.status !== 'CLAIMED') throw conflict('task.notClaimed', { id, status: task.status });
    // 赋码检查 (seed 004: 无码不检查): a drawn business is checked on a coded visit, and its result
    // is recorded there; this result goes to the approval bureau, which only licences concern.
    if (task.kind !== 'LICENCE' || !task.licenceId || !task.licenceNumber)
      throw conflict('task.inspectionOnVisit', { id });
    const licence = { licenceId: task.licenceId, licenceNumber: task.licenceNumber };
    requireNotBefore('checkedOn', checkedOn, task.claimedAt ? chinaDate(task.claimedAt) : task.claimedOn!, 'claim');
    const promiseKept = requirePromiseKept(task, input.promiseKept);
    const check = { checkedOn, outcome: input.outcome, summary: input.summary, promiseKept };
    const row = await markChecked(tx, id, check, identity, { now, today, lateEntryDays });
    const recorded: FindingRow[] = [];
    for (const [i, f] of (input.findings ?? []).entries()) {
      const facts = { department, taskId: id, uscc: task.uscc, recordedOn: checkedOn, recordedBy: identity.sub };
      recorded.push(await recordFinding(tx, { ...facts, now, field: `findings.${i}` }, f));
    }
    await recordEvent(tx, {
      source: `onecheck/department/${department}`,
      type: 'onecheck.supervision.checked.v1',
      key: task.uscc,
      data: {
        taskId: id,
        department,
        ...licence,
        uscc: task.uscc,
        outcome: input.outcome,
        summary: input.summary,
        findings: input.findings?.length ?? 0,
        checkedOn,
        recordedAt: now.toISOString(),
        ...(promiseKept === null ? {} : { promiseKept }),
        ...rectificationOf(promiseKept, recorded),
      },
      time: now,
    });
    // One entry for the result: the task as it became, with the findings recorded with it.
    await appendAudit(tx, {
      actor: actorOf(identity),
      action: 'recordResults',
      entity: { kind: 'supervisionTask', id },
      before: task,
      after: { ...row, findings: recorded },
      at: now,
    });
    return row;
  });
}

/**
 * A promise found untrue with 限期整改 ordered waits for the re-check before it is called untrue
 * (seed 003 (三)9: 要求申请人限期整改；逾期拒不整改或整改后仍不符合承诺的 …): the bureau is told
 * which findings, and by when.
 */
function rectificationOf(promiseKept: boolean | null, recorded: readonly FindingRow[]) {
  const orders = recorded.filter((f) => f.handling === 'RECTIFICATION' && f.dueOn);
  if (promiseKept !== false || orders.length === 0) return {};
  const dueOn = orders
    .map((f) => f.dueOn!)
    .sort()
    .at(-1)!;
  return { rectification: { findingIds: orders.map((f) => f.id), dueOn } };
}

/**
 * A task becomes CHECKED (谁检查、谁录入), whether its check was recorded on the task (a licence's)
 * or on a coded visit (inspection-results.ts): the day of the check as entered beside the server's
 * time of recording, a late entry when the two are far apart (DESIGN.md §4), who recorded it.
 */
export async function markChecked(
  tx: Tx<typeof schema>,
  id: string,
  check: Pick<TaskRow, 'checkedOn' | 'outcome'> & Partial<Pick<TaskRow, 'summary' | 'promiseKept'>>,
  identity: Identity,
  { now, today, lateEntryDays }: { now: Date; today: string; lateEntryDays: number },
): Promise<TaskRow> {
  const [row] = await tx
    .update(supervisionTasks)
    .set({
      status: 'CHECKED',
      ...check,
      checkRecordedAt: now,
      checkLateEntry: isLateEntry(check.checkedOn!, today, lateEntryDays),
      checkedBy: identity.sub,
      updatedAt: now,
    })
    .where(eq(supervisionTasks.id, id))
    .returning(taskColumns(today));
  return row!;
}

/**
 * 事后核查 (seed 003 第二十三条: 发现承诺不实的 … 纳入信用记录): the result of a post-check says
 * whether the promise proved true — the bureau acts on it — so it is required there; on any
 * other task it would mean nothing and is refused rather than kept.
 */
function requirePromiseKept(task: Pick<TaskRow, 'promiseMode'>, promiseKept?: boolean | null) {
  if (isPostCheck(task)) {
    if (promiseKept == null) throw badInput('promiseKept', 'task.promiseKeptRequired');
    return promiseKept;
  }
  if (promiseKept != null) throw badInput('promiseKept', 'task.promiseKeptNotPostCheck');
  return null;
}

export interface TaskFilter {
  status?: TaskRow['status'] | null;
  kind?: TaskRow['kind'] | null;
  overdue?: boolean | null;
  uscc?: string | null;
}

export async function listTasks(db: DeptDb, raw: TaskFilter, args: ConnectionArgs, today: string) {
  const filter = checkListFilter(raw);
  const paging = pageArgs(args, 'supervisionTasks');
  const { limit, after } = paging;
  const { claimOverdue, checkOverdue } = overdueSql(today);
  const late = or(claimOverdue, checkOverdue)!;
  const where = and(
    filter.status ? eq(supervisionTasks.status, filter.status) : undefined,
    filter.kind ? eq(supervisionTasks.kind, filter.kind) : undefined,
    filter.uscc ? eq(supervisionTasks.uscc, filter.uscc) : undefined,
    filter.overdue === true ? late : filter.overdue === false ? not(late) : undefined,
  );
  // Soonest claim deadline first: what is due first is what staff must see first.
  const [afterClaimBy, afterId] = after?.split('|') ?? [];
  if (after && !(dateField.safeParse(afterClaimBy).success && isUuid(afterId!))) {
    throw badInput('after', 'page.badCursor');
  }
  const page =
    afterClaimBy && afterId
      ? or(
          gt(supervisionTasks.claimBy, afterClaimBy),
          and(eq(supervisionTasks.claimBy, afterClaimBy), gt(supervisionTasks.id, afterId)),
        )
      : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select(taskColumns(today))
      .from(supervisionTasks)
      .where(and(where, page))
      .orderBy(asc(supervisionTasks.claimBy), asc(supervisionTasks.id))
      .limit(limit + 1),
    db.select({ n: count() }).from(supervisionTasks).where(where),
  ]);
  return toConnection(rows, paging, (r) => `${r.claimBy}|${r.id}`, total?.n ?? 0);
}
