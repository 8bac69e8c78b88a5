/** Credit profiles: the class of each business and its grounds, as stored and as read. */
import { chinaDate, type Clock } from '@onecheck/clock';
import type { EventData } from '@onecheck/contracts';
import { and, eq, gt, gte, inArray, isNotNull, lt, min, or, sql } from 'drizzle-orm';
import { recordEvent } from '@onecheck/events';
import { anyOf, appendAudit, arrayLiteral, reusable, type Actor, type Db, type Tx } from '@onecheck/kit';
import {
  creditPenalties,
  creditProfiles,
  creditRecords,
  creditRepairs,
  licenceSanctions,
  type ProfileRow,
} from '../db/schema';
import type * as schema from '../db/schema';
import {
  DEFAULT_CLASS,
  NEW_BUSINESS,
  UNKNOWN_BUSINESS,
  LOOKBACK_MONTHS,
  classify,
  lookbackStart,
  type Classification,
} from './classification';

type CreditDb = Db<typeof schema>;
type CreditTx = Tx<typeof schema>;

/** A profile as read: the stored class and grounds, or the default for a business the platform does not hold. */
export interface Profile extends Classification {
  /** When the class was last set; null while the platform holds no record of the business. */
  updatedAt: Date | null;
}

/** A profile as the graph shows it: whose it is, for the fields that load the records behind it. */
export type ProfileView = Profile & { uscc: string };

function profileOf(row: ProfileRow | undefined): Profile {
  if (!row) return { ...UNKNOWN_BUSINESS, updatedAt: null };
  const { uscc: _uscc, name: _name, ...profile } = row;
  return profile;
}

const selectByUscc = reusable((db: CreditDb) =>
  db
    .select()
    .from(creditProfiles)
    .where(anyOf(creditProfiles.uscc, sql.placeholder('codes'), 'text')),
);

/** Profiles by credit code, in the order asked: the loader's batch. */
export async function profilesByUscc(db: CreditDb, codes: readonly string[]): Promise<Profile[]> {
  const rows = await selectByUscc(db).execute({ codes: arrayLiteral(codes) });
  const byCode = new Map(rows.map((r) => [r.uscc, r]));
  return codes.map((c) => profileOf(byCode.get(c)));
}

/** A newly registered business is known to the platform at the default class until records say otherwise. */
export async function registerBusiness(
  tx: CreditTx,
  uscc: string,
  name: string,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  const [row] = await tx
    .insert(creditProfiles)
    .values({ uscc, name, ...NEW_BUSINESS, updatedAt: clock.now() })
    .onConflictDoNothing()
    .returning();
  if (row)
    await appendAudit(tx, { actor, action: 'receiveBusinesses', entity: business(uscc), after: row, at: clock.now() });
}

/** Every credit change is on the business's trail (全程留痕, issue 9 item 2). */
const business = (uscc: string) => ({ kind: 'business' as const, id: uscc });

/** Each finding becomes a credit record against the business, and the business is re-classified. */
export async function recordFinding(
  tx: CreditTx,
  f: EventData<'onecheck.finding.recorded.v1'>,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  const [record] = await tx
    .insert(creditRecords)
    .values({
      id: f.findingId,
      uscc: f.uscc,
      department: f.department,
      severity: f.severity,
      handling: f.handling,
      description: f.description,
      recordedOn: f.recordedOn,
      createdAt: clock.now(),
    })
    .onConflictDoNothing()
    .returning();
  if (!record) return; // delivered before: recorded and classified then
  await appendAudit(tx, { actor, action: 'receiveFindings', entity: business(f.uscc), after: record, at: clock.now() });
  await reclassify(tx, f.uscc, clock, actor);
}

/** Re-classifies a business from its records in the look-back window; publishes the class and grounds when they moved. */
export async function reclassify(tx: CreditTx, uscc: string, clock: Clock, actor: Actor): Promise<void> {
  // One re-classification of a business at a time (a repair, a finding, a revocation, the sweep):
  // its profile row is locked before the records are read, so each reads them only once the one
  // before it committed. (A row lock, not an advisory one: the sweep re-classifies thousands in one
  // transaction, and row locks take no room in the server's lock table. A business the platform
  // never registered has no row to lock; its first records race only with each other.)
  const [current] = await tx.select().from(creditProfiles).where(eq(creditProfiles.uscc, uscc)).for('update');
  const now = clock.now();
  const since = lookbackStart(clock.today());
  const records = await tx
    .select()
    .from(creditRecords)
    .where(and(eq(creditRecords.uscc, uscc), gte(creditRecords.recordedOn, since)));
  // Each finding with the kinds of penalty decided on it (one conduct, 行政处罚法 §29), and whether
  // each decision was repaired (信用修复: it no longer counts).
  const decided = records.length
    ? await tx
        .select({
          findingId: creditPenalties.findingId,
          kind: creditPenalties.kind,
          documentNumber: creditPenalties.documentNumber,
          repairId: creditRepairs.id,
        })
        .from(creditPenalties)
        .leftJoin(
          creditRepairs,
          and(eq(creditRepairs.record, 'PENALTY'), eq(creditRepairs.recordId, creditPenalties.decisionId)),
        )
        .where(
          inArray(
            creditPenalties.findingId,
            records.map((r) => r.id),
          ),
        )
    : [];
  // A licence revoked by the bureau on a department's push: counted unless the same decision
  // (its 决定书文号) is already a finding's revocation penalty.
  const revokedAsPenalty = new Set(decided.filter((d) => d.kind === 'LICENCE_REVOCATION').map((d) => d.documentNumber));
  const revocations = (
    await tx
      .select({ documentNumber: licenceSanctions.documentNumber })
      .from(licenceSanctions)
      .where(and(eq(licenceSanctions.uscc, uscc), gte(licenceSanctions.decidedOn, since)))
  ).filter((r) => !revokedAsPenalty.has(r.documentNumber)).length;
  const next = classify(
    records.map((r) => {
      const on = decided.filter((d) => d.findingId === r.id);
      const standing = on.filter((d) => !d.repairId).map((d) => d.kind);
      return { ...r, penaltyKinds: standing, repaired: on.length > standing.length };
    }),
    revocations,
  );
  // Nothing moved (a sweep finding the same grounds, a 不予处罚 on an uncounted case): nothing to write.
  if (current && sameGrounds(current, next)) return;
  const previousClass = current?.riskClass ?? DEFAULT_CLASS;
  const [row] = await tx
    .insert(creditProfiles)
    .values({ uscc, ...next, updatedAt: now })
    .onConflictDoUpdate({ target: creditProfiles.uscc, set: { ...next, updatedAt: now } })
    .returning();
  await appendAudit(tx, {
    actor,
    action: 'recordCredit',
    entity: business(uscc),
    before: current ?? null,
    after: row,
    at: now,
  });
  // Published whenever the grounds moved, not only the class: the bureau's credit check shows the
  // rule and counts behind the class (seed 003 第十二条), and they were stale while B stayed B.
  await recordEvent(tx, {
    source: 'onecheck/credit',
    type: 'onecheck.credit.class-changed.v2',
    key: uscc,
    data: { uscc, previousClass, ...next },
    time: now,
  });
}

const sameGrounds = (a: Classification, b: Classification) =>
  a.riskClass === b.riskClass &&
  a.rule === b.rule &&
  a.findings === b.findings &&
  a.serious === b.serious &&
  a.penalties === b.penalties &&
  a.general === b.general &&
  a.lookbackMonths === b.lookbackMonths;

/** The daily job that lets records age out of the look-back window (reclassifyAged). */
export const AGING_TIMER = 'credit.reclassify-aged';
export const AGING_EVERY_MS = 24 * 60 * 60 * 1000;

/**
 * Classes are kept as of the day they were computed; a record that leaves the look-back window
 * must lift the class without waiting for a new record (企业信用风险分类 is reclassified at least
 * monthly: domain-notes §4). Each day, every business with a record or a revocation that left the
 * window since the oldest class still counting something was computed (a month more, to be safe)
 * is re-classified: a record such a class counted is no older than that class's window, so however
 * long the sweep did not run (the service down, the job failing), the next run catches up. One
 * whose grounds did not move is left as it is (reclassify writes nothing).
 */
export async function reclassifyAged(tx: CreditTx, clock: Clock, actor: Actor): Promise<number> {
  const today = clock.today();
  const [oldest] = await tx
    .select({ at: min(creditProfiles.updatedAt) })
    .from(creditProfiles)
    .where(
      and(isNotNull(creditProfiles.lookbackMonths), or(gt(creditProfiles.findings, 0), gt(creditProfiles.serious, 0))),
    );
  if (!oldest?.at) return 0; // no class counts anything: nothing can age
  const computedOn = chinaDate(oldest.at) < today ? chinaDate(oldest.at) : today;
  const until = lookbackStart(today);
  const from = lookbackStart(computedOn, LOOKBACK_MONTHS + 1);
  const [records, revocations] = await Promise.all([
    tx
      .selectDistinct({ uscc: creditRecords.uscc })
      .from(creditRecords)
      .where(and(gte(creditRecords.recordedOn, from), lt(creditRecords.recordedOn, until))),
    tx
      .selectDistinct({ uscc: licenceSanctions.uscc })
      .from(licenceSanctions)
      .where(and(gte(licenceSanctions.decidedOn, from), lt(licenceSanctions.decidedOn, until))),
  ]);
  const aged = [...new Set([...records, ...revocations].map((r) => r.uscc))].sort();
  for (const uscc of aged) await reclassify(tx, uscc, clock, actor);
  return aged.length;
}
