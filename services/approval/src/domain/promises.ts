/**
 * 告知承诺 at the bureau (seed 003 第二十三条; domain-notes §7): an approval granted on the
 * applicant's promise, followed until the promise is kept or found untrue.
 *
 * - 材料延期: the licence is issued and pushed when the promised materials arrive; the applicant is
 *   reminded the day before the period ends (截止前一天); materials that never come list the
 *   approval for the bureau, which may annul it (撤销, 行政许可法 §69) inside its review deadline,
 *   and then a dishonesty record goes to the credit platform.
 * - 材料核验: the licence is issued at once; the bureau checks the materials against e-licences.
 * - 事后核查: the licence is issued and pushed at once with the promise; the department claims it
 *   within 3 working days, checks on site and feeds the result back (第二十三条).
 * An untrue promise → a dishonesty record (纳入信用记录, 第二十三条), and the bureau may annul.
 * The reminder and the listing are the kit's durable timers: they survive restarts and run once
 * whatever the number of instances.
 */
import { and, asc, count, eq, gt, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { WorkingCalendar } from '@onecheck/calendar';
import { addDays, startOfChinaDate, type Clock } from '@onecheck/clock';
import type { EventData, PromiseBreach, PromiseStatus } from '@onecheck/contracts';
import { recordEvent } from '@onecheck/events';
import {
  checkListFilter,
  appendAudit,
  badInput,
  cancelTimer,
  conflict,
  dateField,
  isUuid,
  notFound,
  pageArgs,
  parseInput,
  requireNotAfterToday,
  requireNotBefore,
  scheduleTimer,
  textField,
  toConnection,
  type Action,
  type Actor,
  type ConnectionArgs,
  type Db,
  type Tx,
  referenceField,
  retryOnDeadlock,
} from '@onecheck/kit';
import {
  knownEnterprises,
  licences,
  promiseRectifications,
  promises,
  type ApprovalItemRow,
  type PromiseRow,
} from '../db/schema';
import type * as schema from '../db/schema';
import { approvalItemNamed, DEFAULT_REVIEW_DAYS, requireItemDepartment } from './approval-items';
import { promiseBar, punishmentBar } from './credit-check';
import {
  applyLicenceStatus,
  issueLicence,
  numberTaken,
  parseGrant,
  readForGrants,
  requireGrantee,
  type ApprovalRules,
  type GrantInput,
} from './licence';
import { overdueTimerId, remindTimerId } from './promise-closure';
import type { PromiseOutcomeRecord } from './records';

type ApprovalDb = Db<typeof schema>;
type ApprovalTx = Tx<typeof schema>;
const SOURCE = 'onecheck/approval';

export const REMIND_TIMER = 'promise.remind';
export const OVERDUE_TIMER = 'promise.overdue';
/** Reminders go out at 09:00 China time, in office hours (an SMS at midnight helps no one). */
const REMINDER_HOUR_MS = 9 * 3_600_000;

const AWAITING: readonly PromiseStatus[] = ['AWAITING_MATERIALS', 'AWAITING_VERIFICATION', 'AWAITING_CHECK'];
const firstStatus = {
  DEFERRED_MATERIALS: 'AWAITING_MATERIALS',
  MATERIALS_VERIFICATION: 'AWAITING_VERIFICATION',
  POST_CHECK: 'AWAITING_CHECK',
} as const;

/** The promised period's last day: working days unless the item says calendar days (seed 003 第二十三条). */
export function promiseDue(calendar: WorkingCalendar, item: ApprovalItemRow, from: string): string {
  const n = item.promiseDays!;
  return item.promiseDayCount === 'CALENDAR_DAYS'
    ? calendar.addCalendarDays(from, n)
    : calendar.addWorkingDays(from, n);
}

async function lockPromise(tx: ApprovalTx, id: string): Promise<PromiseRow> {
  if (!isUuid(id)) throw notFound('promise', id, 'id');
  const [row] = await tx.select().from(promises).where(eq(promises.id, id)).for('update');
  if (!row) throw notFound('promise', id, 'id');
  return row;
}

/**
 * Locks, shared, the bureau's copy of a promise's business, before the promise: a deregistration
 * takes the business, then its licences and promises (projectEnterprise), so issuing on a promise
 * takes them in the same order (the other way round, the two deadlocked) and waits for it.
 */
async function shareBusinessOf(tx: ApprovalTx, id: string): Promise<void> {
  if (!isUuid(id)) return;
  const ofPromise = tx.select({ uscc: promises.uscc }).from(promises).where(eq(promises.id, id));
  await tx
    .select({ uscc: knownEnterprises.uscc })
    .from(knownEnterprises)
    .where(inArray(knownEnterprises.uscc, ofPromise))
    .for('share');
}

async function update(tx: ApprovalTx, id: string, set: Partial<PromiseRow>): Promise<PromiseRow> {
  const [row] = await tx.update(promises).set(set).where(eq(promises.id, id)).returning();
  return row!;
}

const promiseEntity = (row: PromiseRow) => ({ kind: 'promise' as const, id: row.id });

async function audit(
  tx: ApprovalTx,
  actor: Actor,
  action: Action,
  before: PromiseRow | null,
  after: PromiseRow,
  at: Date,
) {
  await appendAudit(tx, { actor, action, entity: promiseEntity(after), before, after, at });
}

/**
 * Grants on the applicant's promise (告知承诺). Only an item configured for it, and not for a
 * business with a false promise on the bureau's record (国办发〔2020〕42号): the error names it.
 */
export async function grantOnPromise(
  db: ApprovalDb,
  raw: unknown,
  calendar: WorkingCalendar,
  clock: Clock,
  rules: ApprovalRules,
  actor: Actor,
): Promise<PromiseRow> {
  const now = clock.now();
  const today = clock.today();
  const input = parseGrant(raw, today);
  // The business row is shared until the end (readForGrants): a cycle with an event batch is possible.
  return retryOnDeadlock(() =>
    db.transaction(async (tx) => {
      const seen = await readForGrants(tx, [input], clock);
      const known = requireGrantee(seen.known.get(input.uscc), input);
      const item = seen.items.get(input.approvalItem);
      if (!item?.promiseMode) throw badInput('approvalItem', 'promise.notOffered', { item: input.approvalItem });
      requireItemDepartment(item, input.supervisingDepartment);
      if (seen.taken.has(input.licenceNumber)) throw numberTaken(input.licenceNumber);
      const creditSeen = seen.credit.get(input.uscc)!;
      const bar = promiseBar(creditSeen);
      if (bar) {
        const [broken] = await tx.select().from(promises).where(eq(promises.id, bar));
        throw badInput('uscc', 'promise.barred', {
          item: broken!.approvalItem,
          breach: broken!.breach!,
          decidedOn: broken!.outcome?.decidedOn ?? '',
        });
      }
      const punished = punishmentBar(creditSeen);
      if (punished)
        throw badInput('uscc', 'promise.barredByPunishment', {
          documentNumber: punished.documentNumber,
          until: punished.until,
        });
      const mode = item.promiseMode;
      const dueOn = promiseDue(calendar, item, today);
      const reminderOn = mode === 'DEFERRED_MATERIALS' ? addDays(dueOn, -1) : null;
      const [row] = await tx
        .insert(promises)
        .values({
          uscc: input.uscc,
          businessName: known.name,
          contact: input.contact ?? null,
          approvalItem: input.approvalItem,
          supervisingDepartment: input.supervisingDepartment,
          mode,
          status: firstStatus[mode],
          licenceNumber: input.licenceNumber,
          terms: {
            scope: input.scope,
            contact: input.contact ?? null,
            validFrom: input.validFrom,
            validUntil: input.validUntil,
          },
          decidedOn: input.grantedOn,
          dueOn,
          reminderOn,
          creditSeen,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      let promise = row!;
      if (mode === 'DEFERRED_MATERIALS') {
        await scheduleTimer(tx, {
          id: remindTimerId(promise.id),
          kind: REMIND_TIMER,
          dueAt: new Date(startOfChinaDate(reminderOn!).getTime() + REMINDER_HOUR_MS),
          payload: { promiseId: promise.id },
          now,
        });
        // Overdue from the first moment after the period's last day.
        await scheduleTimer(tx, {
          id: overdueTimerId(promise.id),
          kind: OVERDUE_TIMER,
          dueAt: startOfChinaDate(addDays(dueOn, 1)),
          payload: { promiseId: promise.id },
          now,
        });
      } else {
        const pushed = { promiseId: promise.id, mode, ...(mode === 'POST_CHECK' ? { checkBy: dueOn } : {}) };
        const licence = await issueLicence(
          tx,
          { input, known, item, creditSeen, promise: pushed },
          clock,
          rules,
          actor,
        );
        promise = await update(tx, promise.id, { licenceId: licence.id });
      }
      await audit(tx, actor, 'grantLicences', null, promise, now);
      return promise;
    }),
  );
}

/** The grant a 材料延期 approval issues when its materials arrive: on the day they do. */
function termsOf(row: PromiseRow, today: string): GrantInput {
  return {
    uscc: row.uscc,
    licenceNumber: row.licenceNumber,
    approvalItem: row.approvalItem,
    supervisingDepartment: row.supervisingDepartment,
    scope: row.terms.scope,
    contact: row.terms.contact ?? null,
    validFrom: row.terms.validFrom,
    validUntil: row.terms.validUntil,
    grantedOn: today,
  };
}

/**
 * 材料延期: the promised materials arrived — the licence is issued and pushed (seed 003 第二十三条).
 * Late materials are still taken while the bureau has not annulled the approval.
 */
export async function receivePromisedMaterials(
  db: ApprovalDb,
  id: string,
  clock: Clock,
  rules: ApprovalRules,
  actor: Actor,
): Promise<PromiseRow> {
  const now = clock.now();
  return retryOnDeadlock(() =>
    db.transaction(async (tx) => {
      await shareBusinessOf(tx, id);
      const current = await lockPromise(tx, id);
      if (current.mode !== 'DEFERRED_MATERIALS' || !['AWAITING_MATERIALS', 'OVERDUE'].includes(current.status))
        throw conflict('promise.notAwaitingMaterials', { id, status: current.status });
      const input = termsOf(current, clock.today());
      // The number is this promise's own: what else holds it does not matter here.
      const seen = await readForGrants(tx, [input], clock);
      const known = requireGrantee(seen.known.get(input.uscc), input);
      const item = seen.items.get(input.approvalItem) ?? null;
      const creditSeen = seen.credit.get(input.uscc)!;
      const pushed = { promiseId: current.id, mode: current.mode };
      const licence = await issueLicence(tx, { input, known, item, creditSeen, promise: pushed }, clock, rules, actor);
      await cancelTimer(tx, remindTimerId(id));
      await cancelTimer(tx, overdueTimerId(id));
      const row = await update(tx, id, { status: 'KEPT', licenceId: licence.id, settledAt: now, updatedAt: now });
      await audit(tx, actor, 'settlePromises', current, row, now);
      return row;
    }),
  );
}

/** The reminder the day before the promised materials are due (截止前一天), once; none once they came. */
export async function remindPromise(tx: ApprovalTx, id: string, clock: Clock, actor: Actor): Promise<void> {
  const now = clock.now();
  const [current] = await tx.select().from(promises).where(eq(promises.id, id)).for('update');
  if (!current || current.status !== 'AWAITING_MATERIALS' || current.remindedAt) return;
  const row = await update(tx, id, { remindedAt: now, updatedAt: now });
  const data: EventData<'onecheck.promise.reminded.v1'> = {
    promiseId: row.id,
    uscc: row.uscc,
    businessName: row.businessName,
    ...(row.contact ? { contact: row.contact } : {}),
    approvalItem: row.approvalItem,
    mode: row.mode,
    dueOn: row.dueOn,
    remindedAt: now.toISOString(),
  };
  await recordEvent(tx, { source: SOURCE, type: 'onecheck.promise.reminded.v1', key: row.uscc, data, time: now });
  await audit(tx, actor, 'remindPromises', current, row, now);
}

/**
 * The promised materials did not come by the period's last day: the approval is listed for the
 * bureau, with the deadline of its decision (tracked: reviewOverdue).
 */
export async function listOverduePromise(
  tx: ApprovalTx,
  calendar: WorkingCalendar,
  id: string,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  const now = clock.now();
  const today = clock.today();
  const [current] = await tx.select().from(promises).where(eq(promises.id, id)).for('update');
  if (!current || current.status !== 'AWAITING_MATERIALS' || current.dueOn >= today) return;
  const item = await approvalItemNamed(tx, current.approvalItem);
  const reviewBy = calendar.addWorkingDays(today, item?.reviewDays ?? DEFAULT_REVIEW_DAYS);
  const row = await update(tx, id, { status: 'OVERDUE', listedAt: now, reviewBy, updatedAt: now });
  await audit(tx, actor, 'listPromises', current, row, now);
}

/** 承诺不实 or materials that never came: the dishonesty record for the credit platform (第二十三条). */
async function recordBreach(tx: ApprovalTx, row: PromiseRow, clock: Clock): Promise<void> {
  const now = clock.now();
  const outcome = row.outcome!;
  const [licence] = row.licenceId ? await tx.select().from(licences).where(eq(licences.id, row.licenceId)) : [];
  const data: EventData<'onecheck.promise.broken.v1'> = {
    promiseId: row.id,
    uscc: row.uscc,
    businessName: row.businessName,
    approvalItem: row.approvalItem,
    mode: row.mode,
    breach: row.breach!,
    ...(licence ? { licenceId: licence.id, licenceNumber: licence.licenceNumber } : {}),
    foundBy: outcome.foundBy,
    ...(outcome.documentNumber ? { documentNumber: outcome.documentNumber } : {}),
    ...(outcome.legalBasis ? { legalBasis: outcome.legalBasis } : {}),
    reason: outcome.reason,
    decidedOn: outcome.decidedOn,
    recordedAt: now.toISOString(),
  };
  await recordEvent(tx, { source: SOURCE, type: 'onecheck.promise.broken.v1', key: row.uscc, data, time: now });
}

/** Marks a promise untrue, with who found it and why, and sends the dishonesty record. */
async function findUntrue(
  tx: ApprovalTx,
  current: PromiseRow,
  breach: PromiseBreach,
  outcome: PromiseOutcomeRecord,
  clock: Clock,
  actor: Actor,
  action: Action,
): Promise<PromiseRow> {
  const now = clock.now();
  const row = await update(tx, current.id, { status: 'UNTRUE', breach, outcome, settledAt: now, updatedAt: now });
  await recordBreach(tx, row, clock);
  await audit(tx, actor, action, current, row, now);
  return row;
}

const verifyInput = z
  .object({
    kept: z.boolean(),
    reason: textField(2000),
    legalBasis: textField(500).nullish(),
    decidedOn: dateField.nullish(),
  })
  .superRefine((i, ctx) => {
    if (!i.kept && !i.legalBasis) ctx.addIssue({ code: 'custom', message: 'input.required', path: ['legalBasis'] });
  });

/** 材料核验: the bureau checked the materials against the e-licences; untrue → dishonesty record. */
export async function verifyPromise(db: ApprovalDb, id: string, raw: unknown, clock: Clock, actor: Actor) {
  const now = clock.now();
  const today = clock.today();
  const input = parseInput(verifyInput, raw);
  const decidedOn = input.decidedOn ?? today;
  requireNotAfterToday('decidedOn', decidedOn, today);
  return db.transaction(async (tx) => {
    const current = await lockPromise(tx, id);
    if (current.status !== 'AWAITING_VERIFICATION')
      throw conflict('promise.notAwaitingVerification', { id, status: current.status });
    // The verification is dated on or after the approval it verifies (issue 9 item 1).
    requireNotBefore('decidedOn', decidedOn, current.decidedOn, 'approval');
    if (!input.kept) {
      const outcome = { foundBy: 'APPROVAL', legalBasis: input.legalBasis!, reason: input.reason, decidedOn };
      return findUntrue(tx, current, 'MATERIALS_UNTRUE', outcome, clock, actor, 'settlePromises');
    }
    const outcome = { foundBy: 'APPROVAL', reason: input.reason, decidedOn };
    const row = await update(tx, id, { status: 'KEPT', outcome, settledAt: now, updatedAt: now });
    await audit(tx, actor, 'settlePromises', current, row, now);
    return row;
  });
}

/** 事后核查: the department's on-site check says whether the promise was true (seed 003 第二十三条). */
export async function receivePostCheck(
  tx: ApprovalTx,
  r: EventData<'onecheck.supervision.checked.v1'>,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  if (r.promiseKept === undefined) return;
  const [licence] = await tx.select().from(licences).where(eq(licences.id, r.licenceId));
  if (!licence?.promiseId || licence.supervisingDepartment !== r.department) return;
  const [current] = await tx.select().from(promises).where(eq(promises.id, licence.promiseId)).for('update');
  if (!current || current.status !== 'AWAITING_CHECK') return;
  const outcome = { foundBy: r.department, reason: r.summary, decidedOn: r.checkedOn };
  const now = clock.now();
  // 发现实际情况与承诺内容不符的，要求申请人限期整改 (seed 003 (三)9): with rectification ordered,
  // the re-check decides (receiveRecheck); without, the promise is untrue now (第二十三条).
  if (!r.promiseKept && r.rectification) {
    const { findingIds, dueOn } = r.rectification;
    await tx
      .insert(promiseRectifications)
      .values(findingIds.map((findingId) => ({ findingId, promiseId: current.id })))
      .onConflictDoNothing();
    const row = await update(tx, current.id, { status: 'RECTIFYING', rectifyBy: dueOn, outcome, updatedAt: now });
    await audit(tx, actor, 'receiveCheckResults', current, row, now);
    return;
  }
  if (!r.promiseKept) {
    await findUntrue(tx, current, 'CHECK_UNTRUE', outcome, clock, actor, 'receiveCheckResults');
    return;
  }
  const row = await update(tx, current.id, { status: 'KEPT', outcome, settledAt: now, updatedAt: now });
  await audit(tx, actor, 'receiveCheckResults', current, row, now);
}

/**
 * The re-check of a rectification a post-check ordered (finding.handled.v1 RECHECKED, by the
 * supervising department): 整改后仍不符合承诺 makes the promise untrue — the dishonesty record goes,
 * and the bureau may annul (seed 003 (三)9); every ordered finding rectified keeps it.
 */
export async function receiveRecheck(
  tx: ApprovalTx,
  h: EventData<'onecheck.finding.handled.v1'>,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  if (h.step !== 'RECHECKED' || h.rectified === undefined) return;
  const [order] = await tx.select().from(promiseRectifications).where(eq(promiseRectifications.findingId, h.findingId));
  if (!order) return;
  const [current] = await tx.select().from(promises).where(eq(promises.id, order.promiseId)).for('update');
  if (!current || current.status !== 'RECTIFYING' || current.supervisingDepartment !== h.department) return;
  await tx
    .update(promiseRectifications)
    .set({ rectified: h.rectified, recheckedOn: h.on })
    .where(eq(promiseRectifications.findingId, h.findingId));
  const outcome = { ...current.outcome!, decidedOn: h.on };
  if (!h.rectified) {
    await findUntrue(tx, current, 'CHECK_UNTRUE', outcome, clock, actor, 'receiveCheckResults');
    return;
  }
  const orders = await tx.select().from(promiseRectifications).where(eq(promiseRectifications.promiseId, current.id));
  if (!orders.every((o) => o.rectified === true)) return;
  const now = clock.now();
  const row = await update(tx, current.id, { status: 'KEPT', outcome, settledAt: now, updatedAt: now });
  await audit(tx, actor, 'receiveCheckResults', current, row, now);
}

const annulInput = z.object({
  documentNumber: referenceField(100),
  legalBasis: textField(500),
  reason: textField(2000),
  decidedOn: dateField.nullish(),
});

/**
 * The bureau annuls (撤销, 行政许可法 §69) an approval whose promise failed: one whose materials never
 * came (the dishonesty record goes now), or one found untrue (its licence is annulled; the record
 * went when it was found).
 */
export async function annulPromisedApproval(db: ApprovalDb, id: string, raw: unknown, clock: Clock, actor: Actor) {
  const now = clock.now();
  const today = clock.today();
  const input = parseInput(annulInput, raw);
  const decidedOn = input.decidedOn ?? today;
  requireNotAfterToday('decidedOn', decidedOn, today);
  return db.transaction(async (tx) => {
    // The licence's row before the promise's, the order a licence's end takes them in (promise-closure.ts).
    const [held] = isUuid(id)
      ? await tx.select({ id: promises.licenceId }).from(promises).where(eq(promises.id, id))
      : [];
    const [licence] = held?.id ? await tx.select().from(licences).where(eq(licences.id, held.id)).for('update') : [];
    const current = await lockPromise(tx, id);
    if (current.status === 'OVERDUE') {
      const outcome = { foundBy: 'APPROVAL', ...input, decidedOn };
      const row = await update(tx, id, {
        status: 'ANNULLED',
        breach: 'MATERIALS_OVERDUE',
        outcome,
        settledAt: now,
        updatedAt: now,
      });
      await recordBreach(tx, row, clock);
      await audit(tx, actor, 'settlePromises', current, row, now);
      return row;
    }
    if (current.status !== 'UNTRUE' || !licence)
      throw conflict('promise.notAnnullable', { id, status: current.status });
    const act = {
      kind: 'ANNUL' as const,
      decidedBy: 'APPROVAL',
      documentNumber: input.documentNumber,
      legalBasis: input.legalBasis,
      decidedOn,
    };
    await applyLicenceStatus(tx, licence, 'ANNULLED', input.reason, act, clock, actor, 'changeLicences');
    const row = await update(tx, id, { status: 'ANNULLED', updatedAt: now });
    await audit(tx, actor, 'settlePromises', current, row, now);
    return row;
  });
}

/** Past its period and still waiting, listed for the bureau, or past its rectification's due day: what the bureau must look at. */
function overdueSql(today: string): SQL {
  return or(
    eq(promises.status, 'OVERDUE'),
    and(inArray(promises.status, [...AWAITING]), lt(promises.dueOn, today)),
    and(eq(promises.status, 'RECTIFYING'), lt(promises.rectifyBy, today)),
  )!;
}

/** Overdue as the list means it (one rule with overdueSql). */
export const isOverdue = (p: PromiseRow, today: string) =>
  p.status === 'OVERDUE' ||
  (AWAITING.includes(p.status) && p.dueOn < today) ||
  (p.status === 'RECTIFYING' && p.rectifyBy! < today);

export interface PromiseFilter {
  status?: PromiseStatus | null;
  mode?: PromiseRow['mode'] | null;
  uscc?: string | null;
  overdue?: boolean | null;
}

/** The promises, soonest due first. */
export async function listPromises(db: ApprovalDb, raw: PromiseFilter, args: ConnectionArgs, today: string) {
  const filter = checkListFilter(raw);
  const paging = pageArgs(args, 'promises');
  const { limit, after } = paging;
  const late = overdueSql(today);
  const where = and(
    filter.status ? eq(promises.status, filter.status) : undefined,
    filter.mode ? eq(promises.mode, filter.mode) : undefined,
    filter.uscc ? eq(promises.uscc, filter.uscc) : undefined,
    filter.overdue === true ? late : filter.overdue === false ? sql`not (${late})` : undefined,
  );
  const [afterDue, afterId] = after?.split('|') ?? [];
  if (after && !(dateField.safeParse(afterDue).success && isUuid(afterId!))) throw badInput('after', 'page.badCursor');
  const page =
    afterDue && afterId
      ? or(gt(promises.dueOn, afterDue), and(eq(promises.dueOn, afterDue), gt(promises.id, afterId)))
      : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(promises)
      .where(and(where, page))
      .orderBy(asc(promises.dueOn), asc(promises.id))
      .limit(limit + 1),
    db.select({ n: count() }).from(promises).where(where),
  ]);
  return toConnection(rows, paging, (r) => `${r.dueOn}|${r.id}`, total?.n ?? 0);
}

/** Promises by id, in the order asked (null where none). */
export async function promisesById(db: ApprovalDb, ids: readonly string[]): Promise<(PromiseRow | null)[]> {
  const valid = ids.filter((id) => isUuid(id));
  const rows = valid.length ? await db.select().from(promises).where(inArray(promises.id, valid)) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}
