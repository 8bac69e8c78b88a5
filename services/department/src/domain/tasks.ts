import type { Clock } from '@onecheck/clock';
import { z } from 'zod';
import { CHECK_OUTCOMES, FINDING_HANDLINGS, FINDING_SEVERITIES } from '@onecheck/contracts';
import { and, asc, count, eq, gt, gte, inArray, lt, not, or, type SQL } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import type { WorkingCalendar } from '@onecheck/calendar';
import { recordEvent } from '@onecheck/events';
import {
  badInput,
  dateField,
  conflict,
  notFound,
  pageArgs,
  parseInput,
  toConnection,
  type ConnectionArgs,
  isUuid,
  requireNotAfterToday,
  requireNotBefore,
  type Db,
  type Tx,
} from '@onecheck/kit';
import { findings, supervisionTasks } from '../db/schema';
import type * as schema from '../db/schema';

export type TaskRow = typeof supervisionTasks.$inferSelect;
export type FindingRow = typeof findings.$inferSelect;
type DeptDb = Db<typeof schema>;

/** 审管联动 deadlines (seed 003): claim within 3 working days (第二十二条), act within 30 (第八条). */
export const CLAIM_WORKING_DAYS = 3;
export const CHECK_WORKING_DAYS = 30;

export interface GrantedLicence {
  licenceId: string;
  licenceNumber: string;
  uscc: string;
  approvalItem: string;
  grantedOn: string;
}

/** Turns a granted licence into a task; a second delivery of the same grant changes nothing. */
export async function createTaskFromLicence(tx: Tx<typeof schema>, calendar: WorkingCalendar, licence: GrantedLicence) {
  await tx
    .insert(supervisionTasks)
    .values({
      licenceId: licence.licenceId,
      licenceNumber: licence.licenceNumber,
      uscc: licence.uscc,
      approvalItem: licence.approvalItem,
      pushedOn: licence.grantedOn,
      claimBy: calendar.addWorkingDays(licence.grantedOn, CLAIM_WORKING_DAYS),
      checkBy: calendar.addWorkingDays(licence.grantedOn, CHECK_WORKING_DAYS),
    })
    .onConflictDoNothing({ target: supervisionTasks.licenceId });
}

/**
 * A year of the calendar entered later changes the deadlines that run into it: open tasks whose
 * check deadline fell in that year or later are counted again (days before it are unchanged).
 */
export async function recountDeadlines(tx: Tx<typeof schema>, calendar: WorkingCalendar, year: number, clock: Clock) {
  const now = clock.now();
  const open = await tx
    .select()
    .from(supervisionTasks)
    .where(
      and(
        inArray(supervisionTasks.status, ['PENDING_CLAIM', 'CLAIMED']),
        gte(supervisionTasks.checkBy, `${year}-01-01`),
      ),
    );
  for (const task of open) {
    await tx
      .update(supervisionTasks)
      .set({
        claimBy: calendar.addWorkingDays(task.pushedOn, CLAIM_WORKING_DAYS),
        checkBy: calendar.addWorkingDays(task.pushedOn, CHECK_WORKING_DAYS),
        updatedAt: now,
      })
      .where(eq(supervisionTasks.id, task.id));
  }
}

/** A revoked or cancelled licence leaves nothing to supervise: its open tasks close with the reason. */
export async function closeTasksForLicence(tx: Tx<typeof schema>, licenceId: string, reason: string, clock: Clock) {
  const now = clock.now();
  await tx
    .update(supervisionTasks)
    .set({ status: 'CLOSED', closedReason: reason, updatedAt: now })
    .where(
      and(eq(supervisionTasks.licenceId, licenceId), inArray(supervisionTasks.status, ['PENDING_CLAIM', 'CLAIMED'])),
    );
}

/** Overdue as of a day: a claim not made by claimBy, a check not made by checkBy. `listTasks` filters by the same rule in SQL: change both together. */
export function overdue(task: TaskRow, today: string) {
  const open = task.status === 'PENDING_CLAIM' || task.status === 'CLAIMED';
  return {
    claimOverdue: task.status === 'PENDING_CLAIM' && today > task.claimBy,
    checkOverdue: open && today > task.checkBy,
  };
}

async function lockTask(tx: Tx<typeof schema>, id: string): Promise<TaskRow> {
  if (!isUuid(id)) throw notFound('supervisionTask', id);
  const [task] = await tx.select().from(supervisionTasks).where(eq(supervisionTasks.id, id)).for('update');
  if (!task) throw notFound('supervisionTask', id);
  return task;
}

export async function claimTask(
  db: DeptDb,
  id: string,
  identity: Identity,
  claimedOn: string | null | undefined,
  clock: Clock,
) {
  const now = clock.now();
  const today = clock.today();
  const on = claimedOn == null ? today : parseInput(z.object({ claimedOn: dateField }), { claimedOn }).claimedOn;
  requireNotAfterToday('claimedOn', on, today);
  return db.transaction(async (tx) => {
    const task = await lockTask(tx, id);
    if (task.status !== 'PENDING_CLAIM') throw conflict('task.notPendingClaim', { id, status: task.status });
    requireNotBefore('claimedOn', on, task.pushedOn, 'push');
    const [row] = await tx
      .update(supervisionTasks)
      .set({ status: 'CLAIMED', claimedOn: on, claimedBy: identity.sub, updatedAt: now })
      .where(eq(supervisionTasks.id, id))
      .returning();
    return row!;
  });
}

const findingInput = z.object({
  itemCode: z.string().trim().max(64).nullish(),
  description: z.string().trim().min(1).max(2000),
  severity: z.enum(FINDING_SEVERITIES),
  handling: z.enum(FINDING_HANDLINGS),
});

const resultInput = z
  .object({
    outcome: z.enum(CHECK_OUTCOMES),
    summary: z.string().trim().min(1).max(4000),
    checkedOn: dateField.nullish(),
    findings: z.array(findingInput).max(50).nullish(),
  })
  .refine((r) => (r.outcome === 'PROBLEMS_FOUND') === (r.findings?.length ?? 0) > 0, {
    message: 'task.resultFindings',
    path: ['findings'],
  });

/**
 * Records the check's result (谁检查、谁录入) and its findings; each finding is published to the
 * other departments in the same transaction, so a finding exists exactly when its event does.
 */
export async function recordTaskResult(
  db: DeptDb,
  department: string,
  id: string,
  identity: Identity,
  raw: unknown,
  clock: Clock,
) {
  const now = clock.now();
  const input = parseInput(resultInput, raw);
  const today = clock.today();
  const checkedOn = input.checkedOn ?? today;
  requireNotAfterToday('checkedOn', checkedOn, today);
  return db.transaction(async (tx) => {
    const task = await lockTask(tx, id);
    if (task.status !== 'CLAIMED') throw conflict('task.notClaimed', { id, status: task.status });
    requireNotBefore('checkedOn', checkedOn, task.claimedOn!, 'claim');
    const [row] = await tx
      .update(supervisionTasks)
      .set({
        status: 'CHECKED',
        checkedOn,
        checkedBy: identity.sub,
        outcome: input.outcome,
        summary: input.summary,
        updatedAt: now,
      })
      .where(eq(supervisionTasks.id, id))
      .returning();
    for (const f of input.findings ?? []) {
      const [finding] = await tx
        .insert(findings)
        .values({ ...f, taskId: id, uscc: task.uscc, recordedOn: checkedOn, recordedBy: identity.sub })
        .returning();
      await recordEvent(tx, {
        source: `onecheck/department/${department}`,
        type: 'onecheck.finding.recorded.v1',
        key: task.uscc,
        data: {
          findingId: finding!.id,
          department,
          uscc: task.uscc,
          taskId: id,
          ...(f.itemCode ? { itemCode: f.itemCode } : {}),
          description: f.description,
          severity: f.severity,
          handling: f.handling,
          recordedOn: checkedOn,
        },
        time: now,
      });
    }
    return row!;
  });
}

export interface TaskFilter {
  status?: TaskRow['status'] | null;
  overdue?: boolean | null;
  uscc?: string | null;
}

export async function listTasks(db: DeptDb, filter: TaskFilter, args: ConnectionArgs, today: string) {
  const { limit, after } = pageArgs(args);
  const late: SQL = or(
    and(eq(supervisionTasks.status, 'PENDING_CLAIM'), lt(supervisionTasks.claimBy, today)),
    and(inArray(supervisionTasks.status, ['PENDING_CLAIM', 'CLAIMED']), lt(supervisionTasks.checkBy, today)),
  )!;
  const where = and(
    filter.status ? eq(supervisionTasks.status, filter.status) : undefined,
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
      .select()
      .from(supervisionTasks)
      .where(and(where, page))
      .orderBy(asc(supervisionTasks.claimBy), asc(supervisionTasks.id))
      .limit(limit + 1),
    db.select({ n: count() }).from(supervisionTasks).where(where),
  ]);
  return toConnection(rows, limit, (r) => `${r.claimBy}|${r.id}`, total?.n ?? 0, after);
}
