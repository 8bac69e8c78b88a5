/**
 * 反向推送 (seed 003 第二十条(二)): the department's decision (责令停产停业 and lifting it, 吊销) on a licence it
 * supervises, or its request (函告) that the bureau change, withdraw, annul or cancel it, recorded
 * and pushed to the bureau at once, due within 3 working days of the decision. The owner of each
 * act is the one the law names: the department decides 吊销 and 责令停产停业 (行政处罚法 §9, §63);
 * the bureau decides 撤回/撤销/注销 (行政许可法 §8, §69, §70), so those are requests.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Identity } from '@onecheck/auth';
import type { WorkingCalendar } from '@onecheck/calendar';
import type { Clock } from '@onecheck/clock';
import { LICENCE_ACT_KINDS, type EventData } from '@onecheck/contracts';
import { recordEvent } from '@onecheck/events';
import {
  actorOf,
  appendAudit,
  type Actor,
  badInput,
  conflict,
  dateField,
  isLateEntry,
  isUuid,
  parseInput,
  requireNotAfterToday,
  requireNotBefore,
  textField,
  type Db,
  type Tx,
  referenceField,
} from '@onecheck/kit';
import { licenceActs, supervisionTasks, type LicenceActRow } from '../db/schema';
import type * as schema from '../db/schema';
import { PUSH_WORKING_DAYS } from './deadlines';
import { actOnFinding } from './finding-handling';

type DeptDb = Db<typeof schema>;

const actInput = z.object({
  licenceId: z.string().refine(isUuid, 'licenceAct.notSupervised'),
  kind: z.enum(LICENCE_ACT_KINDS),
  documentNumber: referenceField(100),
  legalBasis: textField(500),
  reason: textField(2000),
  decidedOn: dateField.nullish(),
  /** Issue 11 item 4: the finding the act comes from (recorded on it: LICENCE_ACT_PUSHED). */
  findingId: z.string().nullish(),
});

/** Records and pushes an act; the licence must be one this department supervises (it has its task). */
export async function pushLicenceAct(
  db: DeptDb,
  calendar: WorkingCalendar,
  department: string,
  identity: Identity,
  raw: unknown,
  clock: Clock,
  lateEntryDays: number,
): Promise<LicenceActRow> {
  const now = clock.now();
  const today = clock.today();
  const input = parseInput(actInput, raw);
  const decidedOn = input.decidedOn ?? today;
  requireNotAfterToday('decidedOn', decidedOn, today);
  return db.transaction(async (tx) => {
    const [task] = await tx
      .select()
      .from(supervisionTasks)
      .where(eq(supervisionTasks.licenceId, input.licenceId))
      .limit(1);
    // Only a LICENCE task has a licence: found by its licence id, it carries the number too.
    if (!task?.licenceNumber) throw badInput('licenceId', 'licenceAct.notSupervised', { licenceId: input.licenceId });
    // One decision is pushed once: the same document again is the same act, not a new one.
    const [same] = await tx
      .select({ id: licenceActs.id })
      .from(licenceActs)
      .where(
        and(
          eq(licenceActs.licenceId, input.licenceId),
          eq(licenceActs.kind, input.kind),
          eq(licenceActs.documentNumber, input.documentNumber),
        ),
      )
      .limit(1);
    if (same)
      throw conflict(
        'licenceAct.pushedAlready',
        { id: same.id, documentNumber: input.documentNumber },
        'documentNumber',
      );
    // An act on a licence that has ended (its task closed for it) has nothing left to act on.
    if (task.closedBecause)
      throw conflict(
        'licenceAct.licenceEnded',
        { licenceNumber: task.licenceNumber, status: task.closedBecause.replace('LICENCE_', '') },
        'licenceId',
      );
    // A decision is dated on or after the grant it acts on (issue 9 item 1: not before the act it depends on).
    if (task.grantedOn) requireNotBefore('decidedOn', decidedOn, task.grantedOn, 'grant');
    if (input.kind === 'SUSPEND' || input.kind === 'RESUME')
      await requireSuspensionStep(tx, input.kind, input.licenceId, task.licenceNumber, decidedOn);
    // The finding is checked before the act is written: a malformed id is the caller's mistake, not a fault.
    if (input.findingId) await actOnFinding(tx, department, input.findingId, task.uscc, decidedOn, now);
    const [row] = await tx
      .insert(licenceActs)
      .values({
        licenceId: input.licenceId,
        licenceNumber: task.licenceNumber,
        uscc: task.uscc,
        kind: input.kind,
        documentNumber: input.documentNumber,
        legalBasis: input.legalBasis,
        reason: input.reason,
        decidedOn,
        pushBy: calendar.addWorkingDays(decidedOn, PUSH_WORKING_DAYS),
        pushedAt: now,
        pushedOn: today,
        lateEntry: isLateEntry(decidedOn, today, lateEntryDays),
        pushedBy: identity.sub,
        updatedAt: now,
        findingId: input.findingId ?? null,
      })
      .returning();
    await recordEvent(tx, {
      source: `onecheck/department/${department}`,
      type: 'onecheck.licence-act.pushed.v2',
      key: row!.uscc,
      data: {
        actId: row!.id,
        department,
        licenceId: row!.licenceId,
        licenceNumber: row!.licenceNumber,
        uscc: row!.uscc,
        kind: row!.kind,
        documentNumber: row!.documentNumber,
        legalBasis: row!.legalBasis,
        reason: row!.reason,
        decidedOn,
        pushBy: row!.pushBy,
        recordedAt: now.toISOString(),
      },
      time: now,
    });
    const entity = { kind: 'licenceAct' as const, id: row!.id };
    await appendAudit(tx, { actor: actorOf(identity), action: 'pushLicenceActs', entity, after: row, at: now });
    return row!;
  });
}

/**
 * 责令停产停业 and its lift alternate: a suspension this department ordered stays in force until it
 * lifts it (RESUME, 解除: the decision's owner undoes it, 行政处罚法 §9, §63). So a second
 * suspension while one is in force, or a lift with none in force, is refused; a lift is not dated
 * before the suspension it lifts. Counted, not ordered: acts pushed in the same instant tie.
 */
async function requireSuspensionStep(
  tx: Tx<typeof schema>,
  kind: 'SUSPEND' | 'RESUME',
  licenceId: string,
  licenceNumber: string,
  decidedOn: string,
) {
  const acts = await tx
    .select({ kind: licenceActs.kind, documentNumber: licenceActs.documentNumber, decidedOn: licenceActs.decidedOn })
    .from(licenceActs)
    .where(and(eq(licenceActs.licenceId, licenceId), inArray(licenceActs.kind, ['SUSPEND', 'RESUME'])));
  const suspensions = acts.filter((a) => a.kind === 'SUSPEND');
  const inForce = suspensions.length > acts.length - suspensions.length;
  const latest = suspensions.reduce<(typeof acts)[number] | undefined>(
    (last, a) => (!last || a.decidedOn > last.decidedOn ? a : last),
    undefined,
  );
  if (kind === 'SUSPEND' && inForce)
    throw conflict('licenceAct.suspendedAlready', { licenceNumber, documentNumber: latest!.documentNumber }, 'kind');
  if (kind === 'RESUME' && !inForce) throw conflict('licenceAct.notSuspended', { licenceNumber }, 'kind');
  if (kind === 'RESUME') requireNotBefore('decidedOn', decidedOn, latest!.decidedOn, 'suspension');
}

/** The bureau claimed or answered one of this department's acts (its event): the act follows. */
export async function followAnswer(
  tx: Tx<typeof schema>,
  a: EventData<'onecheck.licence-act.answered.v1'>,
  clock: Clock,
  actor: Actor,
) {
  const [before] = await tx.select().from(licenceActs).where(eq(licenceActs.id, a.actId)).for('update');
  if (!before) return;
  const [row] = await tx
    .update(licenceActs)
    .set({
      status: a.status,
      claimedAt: new Date(a.claimedAt),
      answeredAt: a.answeredAt ? new Date(a.answeredAt) : null,
      answerDocumentNumber: a.answerDocumentNumber ?? null,
      answerReason: a.answerReason ?? null,
      updatedAt: clock.now(),
    })
    .where(eq(licenceActs.id, a.actId))
    .returning();
  const entity = { kind: 'licenceAct' as const, id: a.actId };
  await appendAudit(tx, { actor, action: 'answerLicenceActs', entity, before, after: row, at: clock.now() });
}

/** The department's pushed acts, newest first. */
export function listLicenceActs(db: DeptDb) {
  return db.select().from(licenceActs).orderBy(desc(licenceActs.pushedAt)).limit(200);
}
