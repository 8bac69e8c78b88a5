import { desc, inArray } from 'drizzle-orm';
import type { Clock } from '@onecheck/clock';
import type { EventData } from '@onecheck/contracts';
import { appendAudit, type Actor, type Db, type Tx } from '@onecheck/kit';
import {
  abnormalListings,
  creditPenalties,
  licenceSanctions,
  type AbnormalListingRow,
  type CreditPenaltyRow,
  type LicenceSanctionRow,
} from '../db/schema';
import type * as schema from '../db/schema';
import { reclassify } from './profile';

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
  // A 吊销 weighs on the class whichever way it came (classification.ts).
  if (row) await reclassify(tx, l.uscc, clock, actor);
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

/**
 * A penalty decision a finding's home department accepted (finding.handled.v1, PENALTY_DECIDED)
 * goes on the business's credit record, and the business is re-classified (the rule counts a
 * finding's penalties: classification.ts).
 */
export async function recordPenalty(
  tx: Tx<typeof schema>,
  s: EventData<'onecheck.finding.handled.v1'>,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  // Only the finding's home accepts a decision on it (行政处罚法 §29: one authority per finding, which
  // refuses a second fine); the signer is checked to be s.department, so a PENALTY_DECIDED another
  // department published about someone else's finding is no accepted decision and counts for nothing.
  if (s.step !== 'PENALTY_DECIDED' || !s.penalty || s.department !== s.homeDepartment) return;
  const p = s.penalty;
  const [row] = await tx
    .insert(creditPenalties)
    .values({
      decisionId: p.decisionId,
      findingId: s.findingId,
      uscc: s.uscc,
      homeDepartment: s.homeDepartment,
      department: p.department ?? s.department,
      kind: p.kind,
      amountYuan: p.amountYuan ?? null,
      documentNumber: p.documentNumber,
      decidedOn: p.decidedOn,
      createdAt: clock.now(),
    })
    .onConflictDoNothing()
    .returning();
  if (!row) return;
  const entity = { kind: 'business' as const, id: s.uscc };
  await appendAudit(tx, { actor, action: 'receivePenalties', entity, after: row, at: clock.now() });
  await reclassify(tx, s.uscc, clock, actor);
}

/** A listing on the 经营异常名录 (企业信息公示暂行条例 §17) goes on the business's credit record. */
export async function recordAbnormalListing(
  tx: Tx<typeof schema>,
  l: EventData<'onecheck.enterprise.abnormal-listed.v1'>,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  const [row] = await tx
    .insert(abnormalListings)
    .values({
      uscc: l.uscc,
      cause: l.cause,
      listedOn: l.listedOn,
      department: l.department,
      visitId: l.visitId ?? null,
      resultId: l.resultId ?? null,
      recordedAt: new Date(l.recordedAt),
      createdAt: clock.now(),
    })
    .onConflictDoNothing()
    .returning();
  if (!row) return;
  const entity = { kind: 'business' as const, id: l.uscc };
  await appendAudit(tx, { actor, action: 'receiveAbnormalListings', entity, after: row, at: clock.now() });
}

/** Each business's penalty decisions, newest decision first. */
export async function penaltiesByUscc(db: Db<typeof schema>, codes: readonly string[]): Promise<CreditPenaltyRow[][]> {
  const rows = await db
    .select()
    .from(creditPenalties)
    .where(inArray(creditPenalties.uscc, [...codes]))
    .orderBy(desc(creditPenalties.decidedOn), desc(creditPenalties.createdAt));
  return codes.map((c) => rows.filter((r) => r.uscc === c));
}

/** Each business's 经营异常名录 listings, newest first. */
export async function abnormalListingsByUscc(
  db: Db<typeof schema>,
  codes: readonly string[],
): Promise<AbnormalListingRow[][]> {
  const rows = await db
    .select()
    .from(abnormalListings)
    .where(inArray(abnormalListings.uscc, [...codes]))
    .orderBy(desc(abnormalListings.listedOn));
  return codes.map((c) => rows.filter((r) => r.uscc === c));
}
