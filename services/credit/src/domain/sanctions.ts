import { inArray } from 'drizzle-orm';
import type { Clock } from '@onecheck/clock';
import type { EventData } from '@onecheck/contracts';
import { appendAudit, type Actor, type Db, type Tx } from '@onecheck/kit';
import { licenceSanctions, type LicenceSanctionRow } from '../db/schema';
import type * as schema from '../db/schema';

/**
 * A licence revoked (吊销) by its supervising department goes on the business's credit record
 * (seed 003 第四条: 行政处罚 information is pushed to the credit platform; 行政处罚法 §9 吊销许可证).
 */
export async function recordRevocation(
  tx: Tx<typeof schema>,
  l: EventData<'onecheck.licence.revoked.v2'>,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  if (!l.act) return;
  const [row] = await tx
    .insert(licenceSanctions)
    .values({
      licenceId: l.licenceId,
      uscc: l.uscc,
      licenceNumber: l.licenceNumber,
      approvalItem: l.approvalItem,
      decidedBy: l.act.decidedBy,
      documentNumber: l.act.documentNumber,
      legalBasis: l.act.legalBasis,
      decidedOn: l.act.decidedOn,
      reason: l.reason ?? null,
      createdAt: clock.now(),
    })
    .onConflictDoNothing({ target: licenceSanctions.licenceId })
    .returning();
  if (row)
    await appendAudit(tx, {
      actor,
      action: 'receiveLicences',
      entity: { kind: 'business', id: l.uscc },
      after: row,
      at: clock.now(),
    });
}

/** Each business's licence revocations, newest decision first. */
export async function sanctionsByUscc(
  db: Db<typeof schema>,
  codes: readonly string[],
): Promise<LicenceSanctionRow[][]> {
  const rows = await db
    .select()
    .from(licenceSanctions)
    .where(inArray(licenceSanctions.uscc, [...codes]));
  rows.sort((a, b) => b.decidedOn.localeCompare(a.decidedOn));
  return codes.map((c) => rows.filter((r) => r.uscc === c));
}
