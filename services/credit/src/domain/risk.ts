import type { Clock } from '@onecheck/clock';
import { and, eq, gte } from 'drizzle-orm';
import { recordEvent } from '@onecheck/events';
import type { Tx } from '@onecheck/kit';
import { creditProfiles, creditRecords } from '../db/schema';
import type * as schema from '../db/schema';
import type { RiskClass } from '@onecheck/contracts';

export type { RiskClass };
type CreditRecord = Pick<typeof creditRecords.$inferSelect, 'severity' | 'handling'>;

/** Findings older than this no longer weigh on the class. */
export const LOOKBACK_MONTHS = 12;

/**
 * The interim classification rule, until the credit model of 国市监信发〔2022〕6号 arrives.
 * Over the findings of the last 12 months:
 * - D (高风险): any serious finding, a transfer to the judiciary or a licence revocation request;
 * - C (较高风险): any penalty case, or two or more general findings;
 * - B (一般风险): anything else, including no findings: a lower class (A) needs positive records
 *   the platform does not hold yet, and the class never exempts a business from the draw.
 */
export function classify(records: readonly CreditRecord[]): { riskClass: RiskClass; reason: string } {
  const serious = records.filter(
    (r) =>
      r.severity === 'SERIOUS' || r.handling === 'JUDICIAL_TRANSFER' || r.handling === 'LICENCE_REVOCATION_REQUEST',
  );
  const penalties = records.filter((r) => r.handling === 'PENALTY');
  const general = records.filter((r) => r.severity === 'GENERAL');
  const window = `in the last ${LOOKBACK_MONTHS} months`;
  if (serious.length)
    return { riskClass: 'D', reason: `${serious.length} serious finding(s) ${window}: high risk (D).` };
  if (penalties.length || general.length >= 2) {
    return {
      riskClass: 'C',
      reason: `${penalties.length} penalty case(s) and ${general.length} general finding(s) ${window}: higher risk (C).`,
    };
  }
  if (records.length)
    return { riskClass: 'B', reason: `${records.length} minor or general finding(s) ${window}: general risk (B).` };
  return { riskClass: 'B', reason: `No findings ${window}: general risk (B).` };
}

function monthsBefore(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

/** Re-classifies a business from its records as of `asOf`; publishes the change if the class moved. */
export async function reclassify(tx: Tx<typeof schema>, uscc: string, asOf: string, clock: Clock) {
  const now = clock.now();
  const records = await tx
    .select()
    .from(creditRecords)
    .where(and(eq(creditRecords.uscc, uscc), gte(creditRecords.recordedOn, monthsBefore(asOf, LOOKBACK_MONTHS))));
  const next = classify(records);
  const [current] = await tx.select().from(creditProfiles).where(eq(creditProfiles.uscc, uscc)).for('update');
  const previousClass = current?.riskClass ?? 'B';
  await tx
    .insert(creditProfiles)
    .values({ uscc, ...next, updatedAt: now })
    .onConflictDoUpdate({ target: creditProfiles.uscc, set: { ...next, updatedAt: now } });
  if (next.riskClass !== previousClass) {
    await recordEvent(tx, {
      source: 'onecheck/credit',
      type: 'onecheck.credit.class-changed.v1',
      key: uscc,
      data: { uscc, riskClass: next.riskClass, previousClass, reason: next.reason },
      time: now,
    });
  }
}
