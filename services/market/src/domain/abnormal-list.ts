/**
 * 经营异常名录 (企业信息公示暂行条例 §17; domain-notes §5): market regulation lists a business
 * whose registered address cannot reach it (通过登记的住所（经营场所）无法联系), found by any
 * department's check. Listed once per cause while listed; each listing goes to the credit platform
 * as onecheck.enterprise.abnormal-listed.v1 (onecheck.market.enterprise, key: the uscc).
 */
import { asc, inArray } from 'drizzle-orm';
import { chinaDate, type Clock } from '@onecheck/clock';
import { recordEvent } from '@onecheck/events';
import { appendAudit, type Actor, type Db, type Tx } from '@onecheck/kit';
import type { ABNORMAL_LISTING_CAUSES } from '@onecheck/contracts';
import { abnormalListings, type AbnormalListingRow } from '../db/schema';
import type * as schema from '../db/schema';

type MarketTx = Tx<typeof schema>;
type Reader = Pick<Db<typeof schema>, 'select'>;

export interface AbnormalCause {
  uscc: string;
  cause: (typeof ABNORMAL_LISTING_CAUSES)[number];
  department: string;
  visitId?: string;
  resultId?: string;
}

/** Lists the business (once while it is listed for this cause): the row, the trail, the event. */
export async function listAbnormal(
  tx: MarketTx,
  c: AbnormalCause,
  clock: Clock,
  actor: Actor,
): Promise<AbnormalListingRow | null> {
  const now = clock.now();
  const [row] = await tx
    .insert(abnormalListings)
    .values({ ...c, listedOn: chinaDate(now), listedAt: now })
    // The partial unique index (uscc, cause) where not removed: a second result changes nothing.
    .onConflictDoNothing()
    .returning();
  if (!row) return null;
  await recordEvent(tx, {
    source: 'onecheck/market',
    type: 'onecheck.enterprise.abnormal-listed.v1',
    key: c.uscc,
    data: {
      uscc: c.uscc,
      cause: c.cause,
      listedOn: row.listedOn,
      department: c.department,
      ...(c.visitId ? { visitId: c.visitId } : {}),
      ...(c.resultId ? { resultId: c.resultId } : {}),
      recordedAt: now.toISOString(),
    },
    time: now,
  });
  await appendAudit(tx, {
    actor,
    action: 'listAbnormal',
    entity: { kind: 'business', id: c.uscc },
    after: { abnormalListing: row },
    at: now,
  });
  return row;
}

/** Each business's listings, current ones first then by day (Enterprise.abnormalListings). */
export async function listingsByUscc(db: Reader, codes: readonly string[]): Promise<AbnormalListingRow[][]> {
  const rows = codes.length
    ? await db
        .select()
        .from(abnormalListings)
        .where(inArray(abnormalListings.uscc, [...codes]))
        .orderBy(asc(abnormalListings.listedAt))
    : [];
  return codes.map((code) => rows.filter((r) => r.uscc === code));
}
