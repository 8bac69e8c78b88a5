/**
 * Checks outside plans (seed 001 §三: 重点领域、专项行动、投诉举报 are exempt from the random draw)
 * still need a code: seed 004 (十二) 实行赋码检查备案，未经备案的，不得实施监管执法检查. The
 * department names the business, why, its items and its officers, and asks the office for the code
 * (onecheck.inspection.code-requested.v1); the office answers with onecheck.visit.coded.v1 carrying
 * the request id (visit-codes.ts), and the request then shows its code — or, when the office (the
 * registration authority) has no such business or it is deregistered, with
 * onecheck.inspection.code-refused.v1: the request shows the refusal and its task closes, for
 * without a code the check may not take place. The check is the department's task (kind
 * INSPECTION, no plan), so what it finds has a task.
 */
import { chinaDate, type Clock } from '@onecheck/clock';
import { VISIT_REASONS, type EventData } from '@onecheck/contracts';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Identity } from '@onecheck/auth';
import { recordEvent } from '@onecheck/events';
import {
  actorOf,
  appendAudit,
  badInput,
  dateField,
  isUuid,
  parseInput,
  requireNotBefore,
  requireNotBeforeToday,
  textField,
  usccField,
  type Actor,
  type Db,
  type Tx,
} from '@onecheck/kit';
import { codeRequests, inspectorConflicts, inspectors, supervisionItems, supervisionTasks } from '../db/schema';
import type { CodeRequestRow, TeamMemberData } from '../db/schema';
import type * as schema from '../db/schema';
import { TEAM_SIZE } from './inspector-draw';
import { rowsByIds } from './by-ids';
import { closeOpenTasks } from './task-lifecycle';

type DeptDb = Db<typeof schema>;
type DeptTx = Tx<typeof schema>;

const requestInput = z.object({
  uscc: usccField,
  // PLAN is the draw's own reason: a check outside plans names why it is exempt.
  reason: z.enum(VISIT_REASONS).refine((r) => r !== 'PLAN', 'codeRequest.planReason'),
  /** What the check is about, never who complained (personal data stays out of the code). */
  reasonDetail: textField(500),
  items: z.array(textField(64)).min(1).max(50),
  officers: z.array(z.string()).min(TEAM_SIZE).max(20),
  validFrom: dateField,
  validUntil: dateField,
});

/**
 * Stores the request, its task and its team, and asks the office for the code, in one transaction.
 * Each refusal names its field and writes nothing: items must be the department's own published
 * items, each once; the officers at least two distinct active INSPECTORs (行政处罚法 §42) whose
 * certificates hold through validUntil, qualified for every item, without a declared conflict
 * with the business (回避, §43); validity from today on (filed before the check), in order.
 */
export async function requestInspectionCode(
  db: DeptDb,
  department: string,
  identity: Identity,
  raw: unknown,
  clock: Clock,
): Promise<CodeRequestRow> {
  const input = parseInput(requestInput, raw);
  const now = clock.now();
  const today = clock.today();
  // 实行赋码检查备案，未经备案的，不得实施 (seed 004 (十二)): a code is filed before the check, so it
  // cannot cover days already past (an inspection coded after the fact); validFrom implies validUntil.
  requireNotBeforeToday('validFrom', input.validFrom, today);
  requireNotBefore('validUntil', input.validUntil, input.validFrom, 'validFrom');
  if (new Set(input.items).size !== input.items.length) throw badInput('items', 'codeRequest.itemTwice');
  if (new Set(input.officers).size !== input.officers.length) throw badInput('officers', 'codeRequest.officerTwice');
  return db.transaction(async (tx) => {
    const published = await tx
      .select({ code: supervisionItems.code })
      .from(supervisionItems)
      .where(and(inArray(supervisionItems.code, input.items), eq(supervisionItems.status, 'PUBLISHED')));
    const missing = input.items.find((code) => !published.some((p) => p.code === code));
    if (missing) throw badInput('items', 'codeRequest.itemNotPublished', { itemCode: missing });
    const ids = input.officers.filter(isUuid);
    const people = ids.length ? await tx.select().from(inspectors).where(inArray(inspectors.id, ids)) : [];
    const conflicted = ids.length
      ? await tx
          .select({ inspectorId: inspectorConflicts.inspectorId })
          .from(inspectorConflicts)
          .where(and(inArray(inspectorConflicts.inspectorId, ids), eq(inspectorConflicts.uscc, input.uscc)))
      : [];
    const team: TeamMemberData[] = input.officers.map((id) => {
      const p = people.find((i) => i.id === id);
      const refuse = (key: Parameters<typeof badInput>[1]) => badInput('officers', key, { inspectorId: id });
      if (!p || !p.active) throw refuse('codeRequest.officerUnknown');
      if (p.kind !== 'INSPECTOR') throw refuse('codeRequest.officerIsExpert');
      if (!p.certificateValidUntil || p.certificateValidUntil < input.validUntil)
        throw badInput('officers', 'codeRequest.certificateEnds', { inspectorId: id, date: input.validUntil });
      const unqualified = input.items.find((item) => !p.qualifications.includes(item));
      if (unqualified)
        throw badInput('officers', 'codeRequest.officerUnqualified', { inspectorId: id, itemCode: unqualified });
      if (conflicted.some((c) => c.inspectorId === id)) throw refuse('codeRequest.officerConflicted');
      return {
        inspectorId: p.id,
        certificateNumber: p.badgeNumber,
        kind: p.kind,
        certificateValidUntil: p.certificateValidUntil,
      };
    });
    // The check is this department's own work: its task exists, claimed, from the moment it asks.
    const [task] = await tx
      .insert(supervisionTasks)
      .values({
        kind: 'INSPECTION',
        uscc: input.uscc,
        windowFrom: input.validFrom,
        items: input.items,
        pushedAt: now,
        pushedOn: chinaDate(now),
        claimBy: input.validUntil,
        checkBy: input.validUntil,
        status: 'CLAIMED',
        claimedAt: now,
        claimedOn: today,
        claimLateDays: 0,
        claimedBy: identity.sub,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const [request] = await tx
      .insert(codeRequests)
      .values({
        uscc: input.uscc,
        reason: input.reason,
        reasonDetail: input.reasonDetail,
        items: input.items,
        team,
        validFrom: input.validFrom,
        validUntil: input.validUntil,
        taskId: task!.id,
        requestedBy: identity.sub,
        requestedAt: now,
      })
      .returning();
    await recordEvent(tx, {
      source: `onecheck/department/${department}`,
      type: 'onecheck.inspection.code-requested.v1',
      key: input.uscc,
      data: {
        requestId: request!.id,
        department,
        uscc: input.uscc,
        reason: input.reason as Exclude<typeof input.reason, 'PLAN'>,
        reasonDetail: input.reasonDetail,
        items: input.items,
        team,
        validFrom: input.validFrom,
        validUntil: input.validUntil,
        requestedAt: now.toISOString(),
      },
      time: now,
    });
    const actor = actorOf(identity);
    await appendAudit(tx, {
      actor,
      action: 'requestCodes',
      entity: { kind: 'supervisionTask', id: task!.id },
      after: task!,
      at: now,
    });
    await appendAudit(tx, {
      actor,
      action: 'requestCodes',
      entity: { kind: 'codeRequest', id: request!.id },
      after: request!,
      at: now,
    });
    return request!;
  });
}

/**
 * The office refused to code this department's request (its register has no such business, or it
 * is deregistered). 未经备案的，不得实施 (seed 004 (十二)): the request is marked refused with the
 * office's reason and time, and its task closes (CODE_REFUSED) unless it already closed. Another
 * department's refusal, one for another business, or the same refusal again changes nothing.
 */
export async function receiveCodeRefusal(
  tx: DeptTx,
  department: string,
  refusal: EventData<'onecheck.inspection.code-refused.v1'>,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  if (refusal.department !== department) return;
  const now = clock.now();
  const [before] = await tx.select().from(codeRequests).where(eq(codeRequests.id, refusal.requestId)).for('update');
  if (!before || before.uscc !== refusal.uscc || before.refusedBecause) return;
  const [after] = await tx
    .update(codeRequests)
    .set({ refusedBecause: refusal.reason, refusedAt: new Date(refusal.refusedAt) })
    .where(eq(codeRequests.id, before.id))
    .returning();
  await appendAudit(tx, {
    actor,
    action: 'receiveCodeRefusals',
    entity: { kind: 'codeRequest', id: before.id },
    before,
    after: after!,
    at: now,
  });
  await closeOpenTasks(
    tx,
    eq(supervisionTasks.id, before.taskId),
    { closedBecause: 'CODE_REFUSED' },
    { clock, actor, action: 'receiveCodeRefusals' },
  );
}

/** Requests by id (one query for a batch). */
export function codeRequestsByIds(db: DeptDb, ids: readonly string[]): Promise<(CodeRequestRow | null)[]> {
  return rowsByIds(ids, (valid) => db.select().from(codeRequests).where(inArray(codeRequests.id, valid)));
}

/** The department's requests, newest first. */
export function listCodeRequests(db: DeptDb, limit = 100): Promise<CodeRequestRow[]> {
  return db.select().from(codeRequests).orderBy(desc(codeRequests.requestedAt)).limit(limit);
}
