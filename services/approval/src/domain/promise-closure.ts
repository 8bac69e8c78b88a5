/**
 * A promise closes unsettled when what it was given for ends first. Seed 003 第二十三条 follows a
 * promise until it is kept or found untrue; neither can be found once nothing is left to check:
 * - its licence ended — 吊销, 撤回, 撤销, 注销 or expired — before the bureau's verification, the
 *   department's on-site check or the re-check of the 限期整改 that check ordered;
 * - its business deregistered (注销登记) before the promised materials came (材料延期: no licence
 *   was issued, and none can be now), in time or already late.
 * No dishonesty record goes: a closed promise was not found untrue. Lock order: a licence's row
 * before its promise's, as every path that takes both does.
 */
import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { LicenceStatus, PromiseClosedReason, PromiseStatus } from '@onecheck/contracts';
import type { Clock } from '@onecheck/clock';
import { appendAudit, cancelTimer, type Action, type Actor, type Tx } from '@onecheck/kit';
import { promises, type LicenceRow } from '../db/schema';
import type * as schema from '../db/schema';

type ApprovalTx = Tx<typeof schema>;

/** 材料延期's durable timers: the reminder the day before, and the listing once late. */
export const remindTimerId = (id: string) => `promise-remind:${id}`;
export const overdueTimerId = (id: string) => `promise-overdue:${id}`;

/** Waiting on its licence: the verification, the check, or the re-check of the rectification ordered. */
const ON_LICENCE: PromiseStatus[] = ['AWAITING_VERIFICATION', 'AWAITING_CHECK', 'RECTIFYING'];
/** Waiting on the business: the promised materials, still in time or listed as late. */
const ON_MATERIALS: PromiseStatus[] = ['AWAITING_MATERIALS', 'OVERDUE'];

type Ended = Exclude<LicenceStatus, 'VALID' | 'SUSPENDED'>;

/** The licence has ended (`status`): a promise still waiting on it closes. */
export async function closePromiseOfLicence(
  tx: ApprovalTx,
  licence: LicenceRow,
  status: Ended,
  clock: Clock,
  actor: Actor,
  action: Action,
): Promise<void> {
  if (!licence.promiseId) return;
  const waiting = and(eq(promises.id, licence.promiseId), inArray(promises.status, ON_LICENCE))!;
  await close(tx, waiting, `LICENCE_${status}`, clock, actor, action);
}

/** The business deregistered: its promises still waiting for materials close (its licences close theirs). */
export async function closePromisesOfBusiness(tx: ApprovalTx, uscc: string, clock: Clock, actor: Actor) {
  const waiting = and(eq(promises.uscc, uscc), inArray(promises.status, ON_MATERIALS))!;
  await close(tx, waiting, 'BUSINESS_DEREGISTERED', clock, actor, 'receiveBusinesses');
}

async function close(
  tx: ApprovalTx,
  waiting: SQL,
  because: PromiseClosedReason,
  clock: Clock,
  actor: Actor,
  action: Action,
) {
  const now = clock.now();
  for (const current of await tx.select().from(promises).where(waiting).for('update')) {
    const [row] = await tx
      .update(promises)
      .set({ status: 'CLOSED', closedBecause: because, settledAt: now, updatedAt: now })
      .where(eq(promises.id, current.id))
      .returning();
    await cancelTimer(tx, remindTimerId(current.id));
    await cancelTimer(tx, overdueTimerId(current.id));
    const entity = { kind: 'promise' as const, id: current.id };
    await appendAudit(tx, { actor, action, entity, before: current, after: row!, at: now });
  }
}
