/**
 * 反向推送 at the bureau (seed 003 第二十条(二)): what a supervising department pushed about a
 * licence it supervises, claimed here within 3 working days of the push; and 监管结果反馈
 * (第八条, 第九条): every check's result, kept with the licence.
 *
 * A department's decision (吊销, 责令停产停业) is its own act (行政处罚法 §9, §63): it takes effect
 * on the licence when it arrives. A request (变更, 撤回, 撤销, 注销) waits for the bureau, which
 * claims it, checks it and answers (第二十条: 依法作出处理决定, 同时推送至监管部门).
 */
import { and, asc, count, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Identity } from '@onecheck/auth';
import type { WorkingCalendar } from '@onecheck/calendar';
import { chinaDate, type Clock } from '@onecheck/clock';
import { DEPARTMENT_DECIDED_ACTS, type EventData, type LicenceActKind } from '@onecheck/contracts';
import { recordEvent } from '@onecheck/events';
import {
  checkListFilter,
  actorOf,
  appendAudit,
  type Actor,
  badInput,
  requireNotAfterToday,
  requireNotBefore,
  conflict,
  dateField,
  isUuid,
  notFound,
  pageArgs,
  parseInput,
  textField,
  toConnection,
  type ConnectionArgs,
  type Db,
  type Tx,
  referenceField,
} from '@onecheck/kit';
import { licenceActs, licences, supervisionResults, type LicenceActRow } from '../db/schema';
import type * as schema from '../db/schema';
import { applyLicenceStatus } from './licence';
import { canBecome, statusOf } from './status';

type ApprovalDb = Db<typeof schema>;
type ApprovalTx = Tx<typeof schema>;
const SOURCE = 'onecheck/approval';

/** The bureau claims a pushed act within 3 working days of the push (seed 003 第二十条(二)). */
export const CLAIM_WORKING_DAYS = 3;

type DecidedKind = (typeof DEPARTMENT_DECIDED_ACTS)[number];
const isDecision = (kind: LicenceActKind): kind is DecidedKind =>
  (DEPARTMENT_DECIDED_ACTS as readonly string[]).includes(kind);

/**
 * A pushed act arrives: kept with its push and claim deadlines; a decision on a licence the
 * pushing department supervises takes effect. A redelivery changes nothing.
 */
export async function receiveLicenceAct(
  tx: ApprovalTx,
  calendar: WorkingCalendar,
  act: EventData<'onecheck.licence-act.pushed.v1'> | EventData<'onecheck.licence-act.pushed.v2'>,
  clock: Clock,
  actor: Actor,
) {
  const now = clock.now();
  const pushedOn = chinaDate(new Date(act.recordedAt));
  const [row] = await tx
    .insert(licenceActs)
    .values({
      id: act.actId,
      department: act.department,
      licenceId: act.licenceId,
      licenceNumber: act.licenceNumber,
      uscc: act.uscc,
      kind: act.kind,
      documentNumber: act.documentNumber,
      legalBasis: act.legalBasis,
      reason: act.reason,
      decidedOn: act.decidedOn,
      pushBy: act.pushBy,
      pushedAt: new Date(act.recordedAt),
      pushedOn,
      claimBy: calendar.addWorkingDays(pushedOn, CLAIM_WORKING_DAYS),
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: licenceActs.id })
    .returning();
  if (!row) return;
  const actEntity = { kind: 'licenceAct' as const, id: row.id };
  await appendAudit(tx, { actor, action: 'receiveLicenceActs', entity: actEntity, before: null, after: row, at: now });
  if (!isDecision(act.kind)) return;
  const [licence] = await tx.select().from(licences).where(eq(licences.id, act.licenceId)).for('update');
  // Only the department that supervises the licence decides on it; anything else stays a record to look at.
  if (!licence || licence.supervisingDepartment !== act.department) return;
  const status = statusOf(act.kind)!;
  if (!canBecome(licence.status, status)) return;
  await applyLicenceStatus(
    tx,
    licence,
    status,
    act.reason,
    // A lifted suspension leaves the licence VALID with no act on it (the lift stays a pushed act here).
    act.kind === 'RESUME'
      ? null
      : {
          actId: act.actId,
          kind: act.kind,
          decidedBy: act.department,
          documentNumber: act.documentNumber,
          legalBasis: act.legalBasis,
          decidedOn: act.decidedOn,
        },
    clock,
    actor,
    'receiveLicenceActs',
  );
}

/** A department's check result, kept with the licence (one per task). */
export async function receiveCheckResult(
  tx: ApprovalTx,
  r: EventData<'onecheck.supervision.checked.v1'>,
  clock: Clock,
  actor: Actor,
) {
  const [row] = await tx
    .insert(supervisionResults)
    .values({
      taskId: r.taskId,
      department: r.department,
      licenceId: r.licenceId,
      outcome: r.outcome,
      summary: r.summary,
      findings: r.findings,
      checkedOn: r.checkedOn,
      recordedAt: new Date(r.recordedAt),
    })
    .onConflictDoNothing({ target: supervisionResults.taskId })
    .returning();
  if (row)
    await appendAudit(tx, {
      actor,
      action: 'receiveCheckResults',
      entity: { kind: 'licence', id: row.licenceId },
      before: null,
      after: row,
      at: clock.now(),
    });
}

async function lockAct(tx: ApprovalTx, id: string) {
  if (!isUuid(id)) throw notFound('licenceAct', id, 'id');
  const [row] = await tx.select().from(licenceActs).where(eq(licenceActs.id, id)).for('update');
  if (!row) throw notFound('licenceAct', id, 'id');
  return row;
}

function answeredEvent(row: LicenceActRow) {
  return {
    actId: row.id,
    department: row.department,
    licenceId: row.licenceId,
    uscc: row.uscc,
    status: row.status,
    claimedAt: row.claimedAt!.toISOString(),
    ...(row.answerDocumentNumber ? { answerDocumentNumber: row.answerDocumentNumber } : {}),
    ...(row.answerReason ? { answerReason: row.answerReason } : {}),
    ...(row.answeredAt ? { answeredAt: row.answeredAt.toISOString() } : {}),
  };
}

/** The bureau claims a pushed act (认领), stamped with the system's time; the department hears of it. */
export async function claimLicenceAct(db: ApprovalDb, id: string, identity: Identity, clock: Clock) {
  const now = clock.now();
  return db.transaction(async (tx) => {
    const act = await lockAct(tx, id);
    if (act.status !== 'PENDING_CLAIM') throw conflict('licenceAct.notPendingClaim', { id, status: act.status });
    const [row] = await tx
      .update(licenceActs)
      .set({ status: 'CLAIMED', claimedAt: now, claimedBy: identity.sub, updatedAt: now })
      .where(eq(licenceActs.id, id))
      .returning();
    await recordEvent(tx, {
      source: SOURCE,
      type: 'onecheck.licence-act.answered.v1',
      key: row!.uscc,
      data: answeredEvent(row!),
      time: now,
    });
    const entity = { kind: 'licenceAct' as const, id };
    await appendAudit(tx, {
      actor: actorOf(identity),
      action: 'claimLicenceActs',
      entity,
      before: act,
      after: row,
      at: now,
    });
    return row!;
  });
}

const answerInput = z.object({
  accept: z.boolean(),
  documentNumber: referenceField(100),
  legalBasis: textField(500),
  reason: textField(2000),
  decidedOn: dateField.nullish(),
});

/**
 * The bureau's answer to a claimed request (seed 003 第二十条: 审核, 依法作出处理决定, 同时推送至
 * 监管部门): accepted, the licence is withdrawn, annulled or cancelled by the bureau's own act
 * (a change is then made with amendLicence); rejected, it stays as it is. Either way the
 * department hears the answer.
 */
export async function answerLicenceAct(db: ApprovalDb, id: string, identity: Identity, raw: unknown, clock: Clock) {
  const now = clock.now();
  const today = clock.today();
  const input = parseInput(answerInput, raw);
  const decidedOn = input.decidedOn ?? today;
  requireNotAfterToday('decidedOn', decidedOn, today);
  return db.transaction(async (tx) => {
    const act = await lockAct(tx, id);
    if (isDecision(act.kind)) throw conflict('licenceAct.decisionNotAnswered', { kind: act.kind });
    if (act.status !== 'CLAIMED') throw conflict('licenceAct.notAnswerable', { id, status: act.status });
    // The answer is dated on or after the request it answers (issue 9 item 1).
    requireNotBefore('decidedOn', decidedOn, act.decidedOn, 'request');
    const status = statusOf(act.kind);
    if (input.accept && status) {
      const [licence] = await tx.select().from(licences).where(eq(licences.id, act.licenceId)).for('update');
      if (!licence) throw notFound('licence', act.licenceId);
      await applyLicenceStatus(
        tx,
        licence,
        status,
        input.reason,
        {
          actId: act.id,
          kind: act.kind,
          decidedBy: 'APPROVAL',
          documentNumber: input.documentNumber,
          legalBasis: input.legalBasis,
          decidedOn,
        },
        clock,
        actorOf(identity),
        'answerLicenceActs',
      );
    }
    const [row] = await tx
      .update(licenceActs)
      .set({
        status: input.accept ? 'ACCEPTED' : 'REJECTED',
        answeredAt: now,
        answeredBy: identity.sub,
        answerDocumentNumber: input.documentNumber,
        answerReason: input.reason,
        updatedAt: now,
      })
      .where(eq(licenceActs.id, id))
      .returning();
    await recordEvent(tx, {
      source: SOURCE,
      type: 'onecheck.licence-act.answered.v1',
      key: row!.uscc,
      data: answeredEvent(row!),
      time: now,
    });
    const entity = { kind: 'licenceAct' as const, id };
    await appendAudit(tx, {
      actor: actorOf(identity),
      action: 'answerLicenceActs',
      entity,
      before: act,
      after: row,
      at: now,
    });
    return row!;
  });
}

/** Claim overdue as of `today`: still waiting after its claimBy day (the deadline day itself is in time). */
function claimOverdueSql(today: string) {
  return and(eq(licenceActs.status, 'PENDING_CLAIM'), lt(licenceActs.claimBy, today))!;
}
/** Pushed late: recorded after its pushBy day (3 working days from the decision). */
const pushOverdueSql = sql`${licenceActs.pushedOn} > ${licenceActs.pushBy}`;

export interface LicenceActFilter {
  status?: LicenceActRow['status'] | null;
  overdue?: boolean | null;
  department?: string | null;
  licenceId?: string | null;
}

/** The pushed acts, soonest claim deadline first; `overdue`: claimed late or pushed late. */
export async function listLicenceActs(db: ApprovalDb, raw: LicenceActFilter, args: ConnectionArgs, today: string) {
  const filter = checkListFilter(raw);
  const paging = pageArgs(args, 'pushedLicenceActs');
  const { limit, after } = paging;
  const late = or(claimOverdueSql(today), pushOverdueSql)!;
  const where = and(
    filter.status ? eq(licenceActs.status, filter.status) : undefined,
    filter.department ? eq(licenceActs.department, filter.department) : undefined,
    filter.licenceId
      ? isUuid(filter.licenceId)
        ? eq(licenceActs.licenceId, filter.licenceId)
        : sql`false`
      : undefined,
    filter.overdue === true ? late : filter.overdue === false ? sql`not (${late})` : undefined,
  );
  const [afterClaimBy, afterId] = after?.split('|') ?? [];
  if (after && !(dateField.safeParse(afterClaimBy).success && isUuid(afterId!)))
    throw badInput('after', 'page.badCursor');
  const page =
    afterClaimBy && afterId
      ? or(
          gt(licenceActs.claimBy, afterClaimBy),
          and(eq(licenceActs.claimBy, afterClaimBy), gt(licenceActs.id, afterId)),
        )
      : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(licenceActs)
      .where(and(where, page))
      .orderBy(asc(licenceActs.claimBy), asc(licenceActs.id))
      .limit(limit + 1),
    db.select({ n: count() }).from(licenceActs).where(where),
  ]);
  return toConnection(rows, paging, (r) => `${r.claimBy}|${r.id}`, total?.n ?? 0);
}

/** Acts by id, in the order asked (null where none). */
export async function licenceActsById(db: ApprovalDb, ids: readonly string[]): Promise<(LicenceActRow | null)[]> {
  const valid = ids.filter((id) => isUuid(id));
  const rows = valid.length ? await db.select().from(licenceActs).where(inArray(licenceActs.id, valid)) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** Each licence's check results, newest first. */
export async function resultsByLicence(db: ApprovalDb, ids: readonly string[]) {
  const valid = ids.filter((id) => isUuid(id));
  const rows = valid.length
    ? await db.select().from(supervisionResults).where(inArray(supervisionResults.licenceId, valid))
    : [];
  rows.sort((a, b) => b.recordedAt.getTime() - a.recordedAt.getTime());
  return ids.map((id) => rows.filter((r) => r.licenceId === id));
}

/** How late a claim is or was, in working days (0 in time): the bureau's own deadline. */
export function claimOverdueDays(calendar: WorkingCalendar, act: LicenceActRow, today: string): number {
  const day = act.claimedAt ? chinaDate(act.claimedAt) : today;
  return calendar.workingDaysAfter(act.claimBy, day);
}
