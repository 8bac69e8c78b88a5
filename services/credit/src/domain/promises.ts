import { desc, inArray } from 'drizzle-orm';
import type { Clock } from '@onecheck/clock';
import type { EventData } from '@onecheck/contracts';
import { appendAudit, type Actor, type Db, type Tx } from '@onecheck/kit';
import { falsePromises, type FalsePromiseRow } from '../db/schema';
import type * as schema from '../db/schema';

/**
 * A broken promise under 告知承诺 goes on the business's credit record as a dishonesty record
 * (失信记录; seed 003 第二十三条: 发现承诺不实的 … 纳入信用记录, 依法依规开展失信惩戒). The risk class is
 * not touched: what a false promise brings (no 告知承诺, joint punishment) is a measure, and the
 * measure catalogue comes with the credit issue — until then the record is shown, not scored.
 */
export async function recordFalsePromise(
  tx: Tx<typeof schema>,
  p: EventData<'onecheck.promise.broken.v1'>,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  const now = clock.now();
  const [row] = await tx
    .insert(falsePromises)
    .values({
      promiseId: p.promiseId,
      uscc: p.uscc,
      approvalItem: p.approvalItem,
      mode: p.mode,
      breach: p.breach,
      licenceNumber: p.licenceNumber ?? null,
      foundBy: p.foundBy,
      documentNumber: p.documentNumber ?? null,
      legalBasis: p.legalBasis ?? null,
      reason: p.reason,
      decidedOn: p.decidedOn,
      recordedAt: new Date(p.recordedAt),
      createdAt: now,
    })
    .onConflictDoNothing({ target: falsePromises.promiseId })
    .returning();
  if (!row) return; // delivered before: recorded then
  await appendAudit(tx, {
    actor,
    action: 'receiveFalsePromises',
    entity: { kind: 'business', id: p.uscc },
    after: row,
    at: now,
  });
}

/** Each business's dishonesty records of 告知承诺, newest decision first (one query for a batch). */
export async function falsePromisesByUscc(
  db: Db<typeof schema>,
  codes: readonly string[],
): Promise<FalsePromiseRow[][]> {
  const rows = await db
    .select()
    .from(falsePromises)
    .where(inArray(falsePromises.uscc, [...codes]))
    .orderBy(desc(falsePromises.decidedOn), desc(falsePromises.recordedAt));
  return codes.map((c) => rows.filter((r) => r.uscc === c));
}
