/**
 * What happens to a finding after it is recorded (issue 11 item 4), each step audited and sent
 * out as onecheck.finding.handled.v1 in the same transaction, each refusal writing nothing:
 * - 整改 (seed 004 (八)): a rectification order is due on its dueOn; open past it, it is overdue;
 *   a re-check closes it when rectified, else it stays open (and may go on to a penalty).
 * - 行政处罚 (行政处罚法 §29, 同一个违法行为不得给予两次以上罚款; seed 000 §二(二)8 and 004 (七):
 *   防止重复处罚): the finding's home department
 *   (the one that recorded it) is the one authority on its penalty decisions; whoever decides
 *   sends the decision there, the home locks the finding and refuses a second FINE naming the first.
 * - 移交/抄告 (seed 001 (四): 抄告、移交): the receiving department accepts or refuses it; the home follows.
 * - 移送司法 (行政处罚法 §27, 行刑衔接; seed 000 §二(二)8): the receiving organ's feedback is recorded.
 */
import { and, asc, count, eq, gt, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Identity } from '@onecheck/auth';
import type { Clock } from '@onecheck/clock';
import {
  FINDING_HANDLINGS,
  FINDING_STATUSES,
  PENALTY_KINDS,
  type EventData,
  type PenaltyKind,
} from '@onecheck/contracts';
import { recordEvent } from '@onecheck/events';
import {
  usccField,
  actorOf,
  appendAudit,
  badInput,
  conflict,
  dateField,
  forbidden,
  isUuid,
  notFound,
  pageArgs,
  parseInput,
  requireNotAfterToday,
  textField,
  toConnection,
  type Actor,
  type ConnectionArgs,
  type Db,
  type Tx,
  referenceField,
} from '@onecheck/kit';
import {
  findings,
  incomingTransfers,
  penaltyDecisions,
  visitCodes,
  type FindingRow,
  type IncomingTransferRow,
  type PenaltyDecisionRow,
} from '../db/schema';
import type * as schema from '../db/schema';
import { rowsByIds } from './by-ids';

type DeptDb = Db<typeof schema>;
type DeptTx = Tx<typeof schema>;
type Step = EventData<'onecheck.finding.handled.v1'>;

/** Open, a rectification order, and its due day behind today in China: 逾期未整改. */
export const isRectificationOverdue = (f: Pick<FindingRow, 'status' | 'handling' | 'dueOn'>, today: string) =>
  f.status === 'OPEN' && f.handling === 'RECTIFICATION' && !!f.dueOn && f.dueOn < today;

function overdueSql(today: string): SQL {
  return and(eq(findings.status, 'OPEN'), eq(findings.handling, 'RECTIFICATION'), lt(findings.dueOn, today))!;
}

export function findingsByIds(db: DeptDb, ids: readonly string[]): Promise<(FindingRow | null)[]> {
  return rowsByIds(ids, (valid) => db.select().from(findings).where(inArray(findings.id, valid)));
}

/** Each finding's accepted penalty decisions, in the order decided (one query for a batch). */
export async function penaltiesByFindings(db: DeptDb, ids: readonly string[]): Promise<PenaltyDecisionRow[][]> {
  const valid = ids.filter(isUuid);
  const rows = valid.length
    ? await db
        .select()
        .from(penaltyDecisions)
        .where(inArray(penaltyDecisions.findingId, valid))
        .orderBy(asc(penaltyDecisions.decidedAt), asc(penaltyDecisions.id))
    : [];
  return ids.map((id) => rows.filter((r) => r.findingId === id));
}

export const findingFilter = z.object({
  status: z.enum(FINDING_STATUSES).nullish(),
  handling: z.enum(FINDING_HANDLINGS).nullish(),
  overdue: z.boolean().nullish(),
  uscc: usccField.nullish(),
});

/**
 * The department's findings, the most urgent first: by the day they are due (a rectification's
 * dueOn, else the day recorded), then id. `overdue` keeps the rectifications past due, still open.
 */
export async function listFindings(db: DeptDb, rawFilter: unknown, args: ConnectionArgs, today: string) {
  const filter = parseInput(findingFilter, rawFilter ?? {});
  const paging = pageArgs(args, 'findings');
  const { limit, after } = paging;
  const overdue = overdueSql(today);
  const where = and(
    filter.status ? eq(findings.status, filter.status) : undefined,
    filter.handling ? eq(findings.handling, filter.handling) : undefined,
    filter.uscc ? eq(findings.uscc, filter.uscc) : undefined,
    filter.overdue === true ? overdue : filter.overdue === false ? sql`not coalesce(${overdue}, false)` : undefined,
  );
  const dueKey = sql<string>`coalesce(${findings.dueOn}, ${findings.recordedOn})`;
  const [afterDay, afterId] = after?.split('|') ?? [];
  if (after && !(dateField.safeParse(afterDay).success && isUuid(afterId!))) throw badInput('after', 'page.badCursor');
  const page =
    afterDay && afterId ? or(gt(dueKey, afterDay), and(eq(dueKey, afterDay), gt(findings.id, afterId))) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(findings)
      .where(and(where, page))
      .orderBy(asc(dueKey), asc(findings.id))
      .limit(limit + 1),
    db.select({ n: count() }).from(findings).where(where),
  ]);
  return toConnection(rows, paging, (r) => `${r.dueOn ?? r.recordedOn}|${r.id}`, total?.n ?? 0);
}

/**
 * The finding, locked for one step of its handling: steps on one finding are taken one after the
 * other. With `handledAs`, a step that only that handling has (a re-check, judicial feedback) is
 * refused on any other, naming the action.
 */
async function lockFinding(
  tx: DeptTx,
  id: string,
  handledAs?: { handling: FindingRow['handling']; action: 'recheckFindings' | 'recordJudicialFeedback' },
): Promise<FindingRow> {
  if (!isUuid(id)) throw notFound('finding', id);
  const [row] = await tx.select().from(findings).where(eq(findings.id, id)).for('update');
  if (!row) throw notFound('finding', id);
  if (handledAs && row.handling !== handledAs.handling)
    throw conflict('finding.notHandledAs', { handling: row.handling, action: handledAs.action });
  return row;
}

/** One finding.handled.v1, published by the department that acted (its signer). */
async function publishStep(
  tx: DeptTx,
  department: string,
  f: Pick<FindingRow, 'id' | 'uscc'>,
  homeDepartment: string,
  step: Omit<Step, 'findingId' | 'homeDepartment' | 'department' | 'uscc' | 'recordedAt'>,
  now: Date,
) {
  await recordEvent(tx, {
    source: `onecheck/department/${department}`,
    type: 'onecheck.finding.handled.v1',
    key: f.uscc,
    data: {
      findingId: f.id,
      homeDepartment,
      department,
      uscc: f.uscc,
      ...step,
      recordedAt: now.toISOString(),
    },
    time: now,
  });
}

/** A business date of a step: not in the future, not before the finding was recorded. */
function stepDate(field: string, date: string | null | undefined, f: FindingRow, today: string): string {
  const on = date ?? today;
  requireNotAfterToday(field, on, today);
  if (on < f.recordedOn) throw badInput(field, 'finding.beforeRecorded', { date: f.recordedOn });
  return on;
}

const recheckInput = z.object({
  rectified: z.boolean(),
  recheckedOn: dateField.nullish(),
  note: textField(2000).nullish(),
});

/** 复查: rectified closes the order; not rectified keeps it open (and overdue once past due). */
export async function recheckFinding(
  db: DeptDb,
  department: string,
  id: string,
  identity: Identity,
  raw: unknown,
  clock: Clock,
): Promise<FindingRow> {
  const input = parseInput(recheckInput, raw);
  const now = clock.now();
  const today = clock.today();
  return db.transaction(async (tx) => {
    const before = await lockFinding(tx, id, { handling: 'RECTIFICATION', action: 'recheckFindings' });
    if (before.status !== 'OPEN') throw conflict('finding.closed', { id });
    const recheckedOn = stepDate('recheckedOn', input.recheckedOn, before, today);
    const [row] = await tx
      .update(findings)
      .set({
        recheckedOn,
        rectified: input.rectified,
        recheckNote: input.note ?? null,
        recheckedBy: identity.sub,
        ...(input.rectified ? { status: 'CLOSED' as const, closedAt: now } : {}),
        lastStep: 'RECHECKED',
        lastStepOn: recheckedOn,
        updatedAt: now,
      })
      .where(eq(findings.id, id))
      .returning();
    const entity = { kind: 'finding' as const, id };
    await appendAudit(tx, { actor: actorOf(identity), action: 'recheckFindings', entity, before, after: row, at: now });
    await publishStep(
      tx,
      department,
      row!,
      department,
      { step: 'RECHECKED', rectified: input.rectified, on: recheckedOn },
      now,
    );
    return row!;
  });
}

const penaltyInput = z
  .object({
    kind: z.enum(PENALTY_KINDS),
    amountYuan: z.number().max(1e12).nullish(),
    documentNumber: referenceField(100),
    legalBasis: textField(500),
    decidedOn: dateField.nullish(),
  })
  .superRefine((p, ctx) => {
    if (p.kind === 'FINE' && p.amountYuan == null)
      ctx.addIssue({ code: 'custom', path: ['amountYuan'], message: 'penalty.amountRequired' });
    if (p.kind !== 'FINE' && p.amountYuan != null)
      ctx.addIssue({ code: 'custom', path: ['amountYuan'], message: 'penalty.amountOnlyForFine' });
    // In yuan and fen, at least one fen: a fine stored as 0 would block the real one (one fine per conduct).
    if (p.amountYuan != null && !wholeFen(p.amountYuan))
      ctx.addIssue({ code: 'custom', path: ['amountYuan'], message: 'penalty.amountInFen' });
  });

/** At least one fen, and no fraction of one (floating point kept out of the comparison). */
function wholeFen(yuan: number): boolean {
  const fen = yuan * 100;
  return fen >= 1 && Math.abs(fen - Math.round(fen)) <= 1e-6;
}

/**
 * Who may decide on a finding, as its home sees it: the home itself and the department it was
 * transferred to once it accepted (any kind). Another department only a kind other than a fine
 * (行政处罚法 §29 leaves other kinds to the department competent for them, e.g. 吊销 by the
 * licensing department after the home's fine), and only one that had the conduct before it: a
 * department of the coded visit the finding was made on (进一次门、查多项事, seed 000 §二(二)6),
 * its own part or as a delegate. A department with no part in the finding decides nothing on it.
 */
async function mayDecide(tx: DeptTx, f: FindingRow, home: string, decider: string, kind: PenaltyKind) {
  if (decider === home) return true;
  if (f.transferTo === decider && f.transferStatus === 'ACCEPTED') return true;
  if (kind === 'FINE' || !f.visitId) return false;
  const [visit] = await tx
    .select({ departments: visitCodes.departments })
    .from(visitCodes)
    .where(eq(visitCodes.visitId, f.visitId));
  return !!visit?.departments.some((p) => p.department === decider || p.delegatedTo === decider);
}

/**
 * A penalty decision on a finding, sent to its home (this instance) by the deciding department's
 * staff. The home locks the finding row, so two departments deciding at the same moment are
 * taken one after the other, and the second FINE is refused naming the first (行政处罚法 §29).
 */
export async function decidePenalty(
  db: DeptDb,
  home: string,
  findingId: string,
  identity: Identity,
  raw: unknown,
  clock: Clock,
): Promise<PenaltyDecisionRow> {
  const input = parseInput(penaltyInput, raw);
  const decider = identity.department!;
  const now = clock.now();
  const today = clock.today();
  return db.transaction(async (tx) => {
    const f = await lockFinding(tx, findingId);
    const decided = await tx
      .select()
      .from(penaltyDecisions)
      .where(eq(penaltyDecisions.findingId, f.id))
      .orderBy(asc(penaltyDecisions.decidedAt));
    const named = (d: PenaltyDecisionRow) => ({
      decisionId: d.id,
      documentNumber: d.documentNumber,
      department: d.department,
      decidedOn: d.decidedOn,
      kind: d.kind,
    });
    // The first fine is named to whoever tries a second one, holder or not: the answer that matters (§29).
    const fine = input.kind === 'FINE' && decided.find((d) => d.kind === 'FINE');
    if (fine) throw conflict('penalty.secondFine', named(fine));
    if (!(await mayDecide(tx, f, home, decider, input.kind)))
      throw forbidden('penalty.notHolder', { department: decider, kind: input.kind });
    // One decision is recorded once: the same kind under the same 决定书 again is a repeat, not a new penalty.
    const repeat = decided.find((d) => d.kind === input.kind && d.documentNumber === input.documentNumber);
    if (repeat) throw conflict('penalty.alreadyRecorded', named(repeat), 'documentNumber');
    // 不予行政处罚 closes a case without a penalty (行政处罚法 §33): not once the conduct was
    // penalised, and no penalty after it.
    const penalised = input.kind === 'NO_PENALTY' && decided.find((d) => d.kind !== 'NO_PENALTY');
    if (penalised) throw conflict('penalty.alreadyPenalised', named(penalised));
    const closed = input.kind !== 'NO_PENALTY' && decided.find((d) => d.kind === 'NO_PENALTY');
    if (closed) throw conflict('penalty.closedWithoutPenalty', named(closed));
    const decidedOn = stepDate('decidedOn', input.decidedOn, f, today);
    const [row] = await tx
      .insert(penaltyDecisions)
      .values({
        findingId: f.id,
        department: decider,
        kind: input.kind,
        amountYuan: input.kind === 'FINE' ? input.amountYuan! : null,
        documentNumber: input.documentNumber,
        legalBasis: input.legalBasis,
        decidedOn,
        decidedAt: now,
        decidedBy: identity.sub,
      })
      .returning();
    const d = row!;
    await tx
      .update(findings)
      .set({ lastStep: 'PENALTY_DECIDED', lastStepOn: decidedOn, updatedAt: now })
      .where(eq(findings.id, f.id));
    const entity = { kind: 'finding' as const, id: f.id };
    await appendAudit(tx, { actor: actorOf(identity), action: 'decidePenalties', entity, after: d, at: now });
    const penalty = {
      decisionId: d.id,
      kind: d.kind,
      ...(d.amountYuan == null ? {} : { amountYuan: d.amountYuan }),
      documentNumber: d.documentNumber,
      decidedOn,
      department: decider,
    };
    // Published by the home, the authority that accepted it (its signer); penalty.department says whose it is.
    await publishStep(tx, home, f, home, { step: 'PENALTY_DECIDED', penalty, on: decidedOn }, now);
    return d;
  });
}

const feedbackInput = z.object({ feedback: textField(4000), receivedOn: dateField.nullish() });

/** 行刑衔接: the judicial organ's feedback on a finding transferred to it (the home's staff record it). */
export async function recordJudicialFeedback(
  db: DeptDb,
  department: string,
  id: string,
  identity: Identity,
  raw: unknown,
  clock: Clock,
): Promise<FindingRow> {
  const input = parseInput(feedbackInput, raw);
  const now = clock.now();
  const today = clock.today();
  return db.transaction(async (tx) => {
    const before = await lockFinding(tx, id, { handling: 'JUDICIAL_TRANSFER', action: 'recordJudicialFeedback' });
    const receivedOn = stepDate('receivedOn', input.receivedOn, before, today);
    const [row] = await tx
      .update(findings)
      .set({
        judicialFeedback: input.feedback,
        judicialFeedbackOn: receivedOn,
        lastStep: 'JUDICIAL_FEEDBACK',
        lastStepOn: receivedOn,
        updatedAt: now,
      })
      .where(eq(findings.id, id))
      .returning();
    const entity = { kind: 'finding' as const, id };
    const actor = actorOf(identity);
    await appendAudit(tx, { actor, action: 'recordJudicialFeedback', entity, before, after: row, at: now });
    const step = { step: 'JUDICIAL_FEEDBACK' as const, feedback: input.feedback, on: receivedOn };
    await publishStep(tx, department, row!, department, step, now);
    return row!;
  });
}

/**
 * A licence act (反向推送) pushed on a finding of this department: the act is recorded on the
 * finding (LICENCE_ACT_PUSHED). Called inside pushLicenceAct's transaction; the finding must be
 * this department's and about the licence's business.
 */
export async function actOnFinding(
  tx: DeptTx,
  department: string,
  findingId: string,
  uscc: string,
  decidedOn: string,
  now: Date,
) {
  const [f] = isUuid(findingId) ? await tx.select().from(findings).where(eq(findings.id, findingId)) : [];
  if (!f || f.uscc !== uscc) throw badInput('findingId', 'finding.notOfLicence', { findingId });
  await tx
    .update(findings)
    .set({ lastStep: 'LICENCE_ACT_PUSHED', lastStepOn: decidedOn, updatedAt: now })
    .where(eq(findings.id, f.id));
  await publishStep(tx, department, f, department, { step: 'LICENCE_ACT_PUSHED', on: decidedOn }, now);
}

// ── Transfers (移交/抄告) ─────────────────────────────────────────────────────────────────

/** A finding transferred to this department reaches it by its finding.recorded.v1 (same id). */
export async function receiveTransfer(
  tx: DeptTx,
  department: string,
  f: EventData<'onecheck.finding.recorded.v1'>,
  eventId: string,
  clock: Clock,
  actor: Actor,
) {
  if (f.handling !== 'TRANSFER' || f.transferTo !== department) return;
  const [row] = await tx
    .insert(incomingTransfers)
    .values({
      findingId: f.findingId,
      homeDepartment: f.department,
      uscc: f.uscc,
      taskId: f.taskId,
      visitId: f.visitId ?? null,
      itemCode: f.itemCode ?? null,
      description: f.description,
      severity: f.severity,
      recordedOn: f.recordedOn,
      eventId,
      receivedAt: clock.now(),
    })
    .onConflictDoNothing()
    .returning();
  if (!row) return;
  const entity = { kind: 'transfer' as const, id: f.findingId };
  await appendAudit(tx, { actor, action: 'receiveTransfers', entity, after: row, at: clock.now() });
}

const answerInput = z
  .object({ accept: z.boolean(), reason: textField(2000).nullish() })
  .refine((a) => a.accept || a.reason, { message: 'transfer.reasonRequired', path: ['reason'] });

/** The receiving department accepts a transfer (it now holds the finding too) or refuses it with its reason. */
export async function answerTransfer(
  db: DeptDb,
  department: string,
  findingId: string,
  identity: Identity,
  raw: unknown,
  clock: Clock,
): Promise<IncomingTransferRow> {
  const input = parseInput(answerInput, raw);
  const now = clock.now();
  const today = clock.today();
  return db.transaction(async (tx) => {
    if (!isUuid(findingId)) throw notFound('transfer', findingId);
    const [before] = await tx
      .select()
      .from(incomingTransfers)
      .where(eq(incomingTransfers.findingId, findingId))
      .for('update');
    if (!before) throw notFound('transfer', findingId);
    if (before.status !== 'PENDING') throw conflict('transfer.notPending', { status: before.status });
    const [row] = await tx
      .update(incomingTransfers)
      .set({
        status: input.accept ? 'ACCEPTED' : 'REFUSED',
        answeredOn: today,
        answeredAt: now,
        answeredBy: identity.sub,
        reason: input.reason ?? null,
      })
      .where(eq(incomingTransfers.findingId, findingId))
      .returning();
    const entity = { kind: 'transfer' as const, id: findingId };
    await appendAudit(tx, { actor: actorOf(identity), action: 'answerTransfers', entity, before, after: row, at: now });
    const step = input.accept
      ? { step: 'TRANSFER_ACCEPTED' as const, transferTo: department, on: today }
      : { step: 'TRANSFER_REFUSED' as const, transferTo: department, feedback: input.reason!, on: today };
    await publishStep(tx, department, { id: findingId, uscc: before.uscc }, before.homeDepartment, step, now);
    return row!;
  });
}

/** The transfers this department received, waiting ones first, then by arrival. */
export function listIncomingTransfers(db: DeptDb, status?: IncomingTransferRow['status'] | null) {
  return db
    .select()
    .from(incomingTransfers)
    .where(status ? eq(incomingTransfers.status, status) : undefined)
    .orderBy(sql`${incomingTransfers.status} <> 'PENDING'`, asc(incomingTransfers.receivedAt))
    .limit(500);
}

/** The home department follows the answer to a transfer it made (the receiver's event). */
export async function followTransferAnswer(tx: DeptTx, department: string, s: Step, clock: Clock, actor: Actor) {
  if (s.homeDepartment !== department) return;
  if (s.step !== 'TRANSFER_ACCEPTED' && s.step !== 'TRANSFER_REFUSED') return;
  const [before] = await tx.select().from(findings).where(eq(findings.id, s.findingId)).for('update');
  // Only the department it was transferred to answers it, and once.
  if (!before || before.transferTo !== s.department || before.transferStatus !== 'PENDING') return;
  const [row] = await tx
    .update(findings)
    .set({
      transferStatus: s.step === 'TRANSFER_ACCEPTED' ? 'ACCEPTED' : 'REFUSED',
      transferAnsweredOn: s.on,
      transferReason: s.feedback ?? null,
      lastStep: s.step,
      lastStepOn: s.on,
      updatedAt: clock.now(),
    })
    .where(eq(findings.id, s.findingId))
    .returning();
  const entity = { kind: 'finding' as const, id: s.findingId };
  await appendAudit(tx, { actor, action: 'receiveFindingSteps', entity, before, after: row, at: clock.now() });
}
