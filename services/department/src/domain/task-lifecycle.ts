import { chinaDate, type Clock } from '@onecheck/clock';
import type { PromiseMode, TaskClosedReason } from '@onecheck/contracts';
import { and, eq, gte, inArray, type SQL } from 'drizzle-orm';
import type { WorkingCalendar } from '@onecheck/calendar';
import { appendAudit, appendAuditMany, insertRows, type Action, type Actor, type Tx } from '@onecheck/kit';
import { supervisionTasks } from '../db/schema';
import type * as schema from '../db/schema';
import { deadlinesFrom, OPEN_STATUSES } from './deadlines';

/**
 * A task's life as the events drive it (审管联动, seed 003): a granted licence becomes a task, a
 * calendar year entered later moves its deadlines, a revoked or cancelled licence closes it.
 * What people do with a task (claim, record a result) is in `tasks.ts`.
 */

type DeptTx = Tx<typeof schema>;

/** What a grant's push carries (seed 003 第十九条(二)); v1 pushes carry less (the optional fields). */
export interface GrantedLicence {
  licenceId: string;
  licenceNumber: string;
  uscc: string;
  approvalItem: string;
  grantedOn: string;
  scope: string;
  validFrom: string;
  validUntil: string;
  businessName?: string;
  contact?: string;
  address?: string;
  /** The supervising department's item the approval item is mapped to (监管子项), when configured. */
  supervisionItem?: string;
  /** 告知承诺 (seed 003 第二十三条): granted on the applicant's promise; POST_CHECK is checked on site. */
  promise?: { promiseId: string; mode: PromiseMode; checkBy?: string };
}

/** A grant's push as a department receives it: the licence, when the bureau recorded it, who acts on it. */
export interface LicencePush {
  licence: GrantedLicence;
  pushedAt: Date;
  actor: Actor;
}

/** Tasks per INSERT: a statement's JSON stays a few megabytes at most. */
const TASK_INSERT_BATCH = 1_000;

/**
 * Turns granted licences into tasks, in the order given; a second delivery of the same grant
 * changes nothing. The deadlines count from the push — when the bureau recorded the grant (issue 9
 * item 1: the system's time, never the date the decision carries; seed 003 第十九条(一) 3 working
 * days). A licence granted on a POST_CHECK promise is a 事后核查, checked by the date the push set
 * (第二十三条; deadlines.ts). Many pushes at once (a batch of events) cost one INSERT and one audit
 * append.
 */
export async function createTasksFromLicences(
  tx: DeptTx,
  calendar: WorkingCalendar,
  pushes: readonly LicencePush[],
  clock: Clock,
) {
  const now = clock.now();
  const values = pushes.map(({ licence, pushedAt }) => {
    const pushedOn = chinaDate(pushedAt);
    const promise = {
      promiseId: licence.promise?.promiseId ?? null,
      promiseMode: licence.promise?.mode ?? null,
      promiseCheckBy: licence.promise?.checkBy ?? null,
    };
    return {
      licenceId: licence.licenceId,
      licenceNumber: licence.licenceNumber,
      uscc: licence.uscc,
      approvalItem: licence.approvalItem,
      pushedAt,
      pushedOn,
      ...deadlinesFrom(calendar, pushedOn, promise),
      ...promise,
      supervisionItem: licence.supervisionItem ?? null,
      grantedOn: licence.grantedOn,
      businessName: licence.businessName ?? null,
      contact: licence.contact ?? null,
      address: licence.address ?? null,
      scope: licence.scope,
      validFrom: licence.validFrom,
      validUntil: licence.validUntil,
      createdAt: now,
      updatedAt: now,
    };
  });
  const created = new Map<string, typeof supervisionTasks.$inferSelect>();
  for (let i = 0; i < values.length; i += TASK_INSERT_BATCH) {
    const rows = await insertRows(tx, supervisionTasks, values.slice(i, i + TASK_INSERT_BATCH), {
      onConflictDoNothing: { target: supervisionTasks.licenceId },
      returning: true,
    });
    for (const row of rows) if (row.licenceId) created.set(row.licenceId, row);
  }
  // The trail in the pushes' order (RETURNING promises none), one entry per task created.
  const entries = pushes.flatMap(({ licence, actor }) => {
    const row = created.get(licence.licenceId);
    created.delete(licence.licenceId);
    return row ? [{ actor, action: 'receiveLicences' as const, entity: taskEntity(row), after: row, at: now }] : [];
  });
  await appendAuditMany(tx, entries);
}

const taskEntity = (task: { id: string }) => ({ kind: 'supervisionTask' as const, id: task.id });

/**
 * A year of the calendar entered later changes the deadlines that run into it: open tasks whose
 * check deadline fell in that year or later are counted again (days before it are unchanged).
 */
export async function recountDeadlines(
  tx: DeptTx,
  calendar: WorkingCalendar,
  year: number,
  clock: Clock,
  actor: Actor,
) {
  const now = clock.now();
  const open = await tx
    .select()
    .from(supervisionTasks)
    .where(
      and(
        // An inspection task's deadline is its plan's window, not a count of working days.
        eq(supervisionTasks.kind, 'LICENCE'),
        inArray(supervisionTasks.status, OPEN_STATUSES),
        gte(supervisionTasks.checkBy, `${year}-01-01`),
      ),
    );
  for (const task of open) {
    const [row] = await tx
      .update(supervisionTasks)
      .set({ ...deadlinesFrom(calendar, task.pushedOn, task), updatedAt: now })
      .where(eq(supervisionTasks.id, task.id))
      .returning();
    await appendAudit(tx, {
      actor,
      action: 'receiveCalendar',
      entity: taskEntity(task),
      before: task,
      after: row,
      at: now,
    });
  }
}

/** Why a licence's open tasks close: what happened to the licence, and the bureau's own words on it. */
export interface LicenceEnded {
  licenceId: string;
  because: TaskClosedReason;
  /** As the licence event gave it (the bureau's words, not translated); absent when it gave none. */
  licenceReason?: string | null;
}

/**
 * A revoked or cancelled licence leaves nothing to supervise: its open tasks close, keeping why
 * as a code and the bureau's words beside it (the task already names the licence).
 */
export async function closeTasksForLicence(tx: DeptTx, ended: LicenceEnded, clock: Clock, actor: Actor) {
  await closeOpenTasks(
    tx,
    eq(supervisionTasks.licenceId, ended.licenceId),
    { closedBecause: ended.because, licenceReason: ended.licenceReason ?? null },
    { clock, actor, action: 'receiveLicences' },
  );
}

/**
 * Closes the open tasks `which` selects, keeping why (a code, and for a licence the bureau's words),
 * each on the trail. A task already closed or done is left as it is.
 */
export async function closeOpenTasks(
  tx: DeptTx,
  which: SQL,
  why: { closedBecause: TaskClosedReason; licenceReason?: string | null },
  by: { clock: Clock; actor: Actor; action: Action },
) {
  const now = by.clock.now();
  const open = and(which, inArray(supervisionTasks.status, OPEN_STATUSES));
  const before = await tx.select().from(supervisionTasks).where(open).for('update');
  const closed = await tx
    .update(supervisionTasks)
    .set({ status: 'CLOSED', ...why, updatedAt: now })
    .where(open)
    .returning();
  for (const row of closed) {
    const was = before.find((t) => t.id === row.id) ?? null;
    await appendAudit(tx, {
      actor: by.actor,
      action: by.action,
      entity: taskEntity(row),
      before: was,
      after: row,
      at: now,
    });
  }
}
