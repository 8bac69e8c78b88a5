/**
 * The pre-approval credit check (seed 003 第十二条; issue 9 item 6): before a grant the bureau sees
 * the business's class and the counts behind it, from its own projection of the credit platform's
 * events, and the false promises it recorded itself. A class alone bars nothing (the grant records
 * what was seen); what bars 告知承诺 is a false promise the bureau recorded and the credit platform
 * has not repaired (国办发〔2020〕42号: 在信用修复前不适用告知承诺制), or a 联合惩戒 in force that
 * limits 便利措施 (PREFERENTIAL_POLICIES; seed 000 ¶10).
 */
import { and, desc, eq, isNotNull, isNull, lte } from 'drizzle-orm';
import type { Clock } from '@onecheck/clock';
import { DEFAULT_RISK_CLASS, punishmentInForce, type EventData, type PunishmentNotice } from '@onecheck/contracts';
import { anyOf, appendAudit, selectTogether, type Actor, type Db, type Tx } from '@onecheck/kit';
import { creditViews, knownEnterprises, promises, punishmentViews, type PunishmentViewRow } from '../db/schema';
import type * as schema from '../db/schema';
import type { CreditSeen, PunishmentSeen } from './records';
import { requireTrading } from './grantee';

type Reader = Pick<Db<typeof schema>, 'select'>;

/**
 * Keeps the platform's newest class of a business (a late, older event changes nothing; one of the
 * same instant is the later, one business's events coming in order).
 */
export async function projectCreditClass(
  tx: Tx<typeof schema>,
  data: EventData<'onecheck.credit.class-changed.v2'>,
  classifiedAt: Date,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  const values = {
    uscc: data.uscc,
    riskClass: data.riskClass,
    rule: data.rule,
    findings: data.findings,
    serious: data.serious,
    penalties: data.penalties,
    general: data.general,
    classifiedAt,
  };
  const [row] = await tx
    .insert(creditViews)
    .values(values)
    .onConflictDoUpdate({ target: creditViews.uscc, set: values, where: lte(creditViews.classifiedAt, classifiedAt) })
    .returning();
  if (row)
    await appendAudit(tx, {
      actor,
      action: 'receiveCredit',
      entity: { kind: 'business', id: data.uscc },
      after: row,
      at: clock.now(),
    });
}

/**
 * The pre-approval credit check of one business: what a grant of it would record (one statement).
 * A business that could not be granted anything — one the bureau never heard registered, one
 * deregistered or whose 营业执照 was revoked — is refused as its grant would be: "promise allowed"
 * about it would mislead the clerk.
 */
export async function creditCheck(db: Db<typeof schema>, uscc: string, clock: Clock): Promise<CreditSeen> {
  const read = await selectTogether(db, {
    known: db.select().from(knownEnterprises).where(eq(knownEnterprises.uscc, uscc)),
    ...creditRead(db, [uscc]),
  });
  requireTrading(read.known[0], uscc);
  return creditsSeen(read, [uscc], clock).get(uscc)!;
}

/** The reads behind creditCheck, for many businesses at once (a batch of grants), to run with others (selectTogether). */
export const creditRead = (db: Reader, codes: readonly string[]) => {
  const wanted = [...new Set(codes)];
  return {
    creditViews: db
      .select()
      .from(creditViews)
      .where(anyOf(creditViews.uscc, wanted, 'text')),
    punishments: db
      .select()
      .from(punishmentViews)
      .where(anyOf(punishmentViews.uscc, wanted, 'text'))
      .orderBy(desc(punishmentViews.decidedOn)),
    falsePromises: db
      .select({ id: promises.id, uscc: promises.uscc })
      .from(promises)
      // A breach is recorded when a promise proved untrue or its materials never came and the approval
      // was annulled; it bars until the credit platform repairs it.
      .where(and(anyOf(promises.uscc, wanted, 'text'), isNotNull(promises.breach), isNull(promises.repair)))
      .orderBy(desc(promises.settledAt)),
  };
};

/** What the reads of creditRead show of each business's credit, by code. */
export function creditsSeen(
  read: {
    creditViews: (typeof creditViews.$inferSelect)[];
    punishments: PunishmentViewRow[];
    falsePromises: { id: string; uscc: string }[];
  },
  codes: readonly string[],
  clock: Clock,
): Map<string, CreditSeen> {
  const seenAt = clock.now().toISOString();
  const today = clock.today();
  const inForce = new Map<string, PunishmentSeen[]>();
  for (const p of read.punishments)
    if (punishmentInForce(p, today))
      inForce.set(p.uscc, [
        ...(inForce.get(p.uscc) ?? []),
        { id: p.id, measures: p.measures, documentNumber: p.documentNumber, until: p.until },
      ]);
  const viewOf = new Map(read.creditViews.map((v) => [v.uscc, v]));
  // Newest first, as read.
  const falseOf = new Map<string, string[]>();
  for (const p of read.falsePromises) falseOf.set(p.uscc, [...(falseOf.get(p.uscc) ?? []), p.id]);
  return new Map(
    codes.map((uscc) => {
      const view = viewOf.get(uscc);
      return [
        uscc,
        {
          // The platform publishes a class once a record moves it: until then a registered business
          // is in its default class, as newly registered (@onecheck/contracts DEFAULT_RISK_CLASS).
          riskClass: view?.riskClass ?? DEFAULT_RISK_CLASS,
          rule: view?.rule ?? 'NEW',
          findings: view?.findings ?? 0,
          serious: view?.serious ?? 0,
          penalties: view?.penalties ?? 0,
          general: view?.general ?? 0,
          classifiedAt: view?.classifiedAt.toISOString() ?? null,
          falsePromises: falseOf.get(uscc) ?? [],
          punishments: inForce.get(uscc) ?? [],
          seenAt,
        },
      ];
    }),
  );
}

/** The false promise that bars 告知承诺, if any (the newest). */
export const promiseBar = (seen: CreditSeen): string | null => seen.falsePromises[0] ?? null;

/** The 联合惩戒 in force that bars 告知承诺 (限制享受优惠政策和便利措施), if any. */
export const punishmentBar = (seen: CreditSeen): PunishmentSeen | null =>
  seen.punishments?.find((p) => p.measures.includes('PREFERENTIAL_POLICIES')) ?? null;

/** Whether the business may be granted on a promise: no false promise standing, no punishment barring it. */
export const promiseAllowed = (seen: CreditSeen) => promiseBar(seen) === null && punishmentBar(seen) === null;

/**
 * 联合惩戒 imposed or lifted (onecheck.credit.punishment-imposed.v1, -lifted.v1): kept for the
 * credit check. A redelivery changes nothing; a lift for a punishment not heard of yet waits for
 * nothing (per-business order on the topic brings the imposition first).
 */
export async function projectPunishment(
  tx: Tx<typeof schema>,
  event: PunishmentNotice,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  const now = clock.now();
  const [row] =
    event.type === 'imposed'
      ? await tx
          .insert(punishmentViews)
          .values({
            id: event.data.punishmentId,
            uscc: event.data.uscc,
            measures: event.data.measures,
            documentNumber: event.data.documentNumber,
            decidedOn: event.data.decidedOn,
            until: event.data.until,
            receivedAt: now,
          })
          .onConflictDoNothing()
          .returning()
      : await tx
          .update(punishmentViews)
          .set({ liftedOn: event.data.liftedOn })
          .where(and(eq(punishmentViews.id, event.data.punishmentId), isNull(punishmentViews.liftedOn)))
          .returning();
  if (row)
    await appendAudit(tx, {
      actor,
      action: 'receiveCredit',
      entity: { kind: 'business', id: row.uscc },
      after: row,
      at: now,
    });
}

/**
 * 信用修复 of a false promise (onecheck.credit.repaired.v1, FALSE_PROMISE): the bureau's record of
 * the breach is marked repaired and bars 告知承诺 no more. A redelivery, a repair of another kind
 * of record, or one naming a promise this bureau did not find broken for that business, changes
 * nothing.
 */
export async function receiveRepair(
  tx: Tx<typeof schema>,
  data: EventData<'onecheck.credit.repaired.v1'>,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  if (data.record !== 'FALSE_PROMISE') return;
  const [before] = await tx
    .select()
    .from(promises)
    .where(and(eq(promises.id, data.recordId), eq(promises.uscc, data.uscc), isNotNull(promises.breach)))
    .for('update');
  if (!before || before.repair) return;
  const repair = { repairId: data.repairId, documentNumber: data.documentNumber, decidedOn: data.decidedOn };
  const [after] = await tx
    .update(promises)
    .set({ repair, updatedAt: clock.now() })
    .where(eq(promises.id, before.id))
    .returning();
  await appendAudit(tx, {
    actor,
    action: 'receiveCredit',
    entity: { kind: 'promise', id: before.id },
    before,
    after,
    at: clock.now(),
  });
}
