/**
 * A promise closes unsettled when what it was given for ends first. Seed 003 第二十三条 follows a
 * promise until it is kept or found untrue; neither can be found once nothing is left to check:
 * - its licence ended — 吊销, 撤回, 撤销, 注销 or expired — before the bureau's verification or the
 *   department's on-site check;
 * - its business deregistered (注销登记) before the promised materials came (材料延期: no licence
 *   was issued, and none can be now) while still in time.
 * No dishonesty record goes: a closed promise was not found untrue. A promise already found
 * untrue under 限期整改 (RECTIFYING) or late with its materials (OVERDUE) is not closed: its breach
 * stands, settled by the re-check or by the bureau's annulment (seed 003 (三)9: 逾期拒不整改…纳入信用记录).
 * Lock order: a licence's row before its promise's, as every path that takes both does.
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

/** Waiting on its licence, nothing found yet: the verification or the check. */
const ON_LICENCE: PromiseStatus[] = ['AWAITING_VERIFICATION', 'AWAITING_CHECK'];
/** Waiting on the business, still in time: the promised materials. */
const ON_MATERIALS: PromiseStatus[] = ['AWAITING_MATERIALS'];

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
