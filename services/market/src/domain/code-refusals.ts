/**
 * 赋码检查 (seed 004 (十二): 实行赋码检查备案，未经备案的，不得实施监管执法检查) is filed with the office,
 * and the office is market regulation, the registration authority (DESIGN.md §2): it codes a check
 * only on a business it has registered and that still exists. A department's check outside plans
 * on a credit code the office never registered, or on a deregistered business (注销), is refused —
 * no visit, no code — and the department is told why (onecheck.inspection.code-refused.v1), so it
 * closes its task. A business whose business licence was revoked (吊销, it exists until 注销) or
 * that suspended business is coded as usual (CODE_REFUSAL_REASONS).
 */
import { eq } from 'drizzle-orm';
import type { Clock } from '@onecheck/clock';
import type { CodeRefusalReason, EnterpriseStatus, EventData } from '@onecheck/contracts';
import { recordEvent } from '@onecheck/events';
import { appendAudit, type Actor, type Tx } from '@onecheck/kit';
import { codeRefusals, visits } from '../db/schema';
import type * as schema from '../db/schema';

type MarketTx = Tx<typeof schema>;

/** Why the office will not code a check on this business (null: it codes it), from its register. */
export function codeRefusalFor(business: { status: EnterpriseStatus } | undefined): CodeRefusalReason | null {
  if (!business) return 'NOT_REGISTERED';
  if (business.status === 'DEREGISTERED') return 'DEREGISTERED';
  return null;
}

/** Whether the office refused this request before (it stays refused: the department closed its task). */
export async function refusedAlready(tx: MarketTx, requestId: string): Promise<boolean> {
  const [row] = await tx
    .select({ requestId: codeRefusals.requestId })
    .from(codeRefusals)
    .where(eq(codeRefusals.requestId, requestId));
  return !!row;
}

/**
 * Refuses a code request: stored once per request id, told to the department and on the trail.
 * The same request again, or one the office already coded, changes nothing.
 */
export async function refuseCodeRequest(
  tx: MarketTx,
  data: EventData<'onecheck.inspection.code-requested.v1'>,
  reason: CodeRefusalReason,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  const now = clock.now();
  const [coded] = await tx.select({ id: visits.id }).from(visits).where(eq(visits.requestId, data.requestId)).limit(1);
  if (coded) return;
  const [refusal] = await tx
    .insert(codeRefusals)
    .values({
      requestId: data.requestId,
      department: data.department,
      uscc: data.uscc,
      reason,
      requestedAt: new Date(data.requestedAt),
      refusedAt: now,
    })
    .onConflictDoNothing({ target: codeRefusals.requestId })
    .returning();
  if (!refusal) return;
  await recordEvent(tx, {
    source: 'onecheck/market',
    type: 'onecheck.inspection.code-refused.v1',
    key: data.uscc,
    data: {
      requestId: data.requestId,
      department: data.department,
      uscc: data.uscc,
      reason,
      refusedAt: now.toISOString(),
    },
    time: now,
  });
  await appendAudit(tx, {
    actor,
    action: 'refuseCodeRequests',
    entity: { kind: 'codeRequest', id: data.requestId },
    after: {
      ...refusal,
      request: { reason: data.reason, items: data.items, validFrom: data.validFrom, validUntil: data.validUntil },
    },
    at: now,
  });
}
