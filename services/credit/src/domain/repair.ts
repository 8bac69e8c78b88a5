/**
 * 信用修复 (seed 004 (十一): 建立完善违法失信主体自我纠错的信用修复制度，逐渐降低企业信用修复成本). The
 * office decides the repair of one record on a business's credit record, on the business's showing
 * that it corrected the conduct (the reason) and under a repair decision (its document number),
 * once the record's shortest publication has run (domain-notes §8):
 * - a false promise under 告知承诺 (一般失信): 3 months after it was decided (失信行为纠正后的信用信息修复
 *   管理办法（试行）, 发改委令58号); repaired, it no longer bars 告知承诺 at the bureau (国办发〔2020〕42号:
 *   在信用修复前不适用告知承诺制), which hears of it by onecheck.credit.repaired.v1;
 * - a penalty decision (行政处罚信息): 6 months after it was decided (市场监管领域信用修复, §6); repaired,
 *   it no longer counts in the risk class. 停产停业, 限制经营, 暂扣 or 降级, and 吊销 are never cut
 *   short, and 不予行政处罚 is nothing to repair.
 * One repair per record, on the business's audit trail.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Identity } from '@onecheck/auth';
import { monthsAfter, type Clock } from '@onecheck/clock';
import { CREDIT_REPAIR_RECORDS, type CreditRepairRecord, type PenaltyKind } from '@onecheck/contracts';
import { recordEvent } from '@onecheck/events';
import {
  actorOf,
  appendAudit,
  badInput,
  conflict,
  dateField,
  notFound,
  parseInput,
  requireNotAfterToday,
  textField,
  usccField,
  type Db,
  type Tx,
  referenceField,
} from '@onecheck/kit';
import { creditPenalties, creditRepairs, falsePromises, type CreditRepairRow } from '../db/schema';
import type * as schema from '../db/schema';
import { reclassify } from './profile';

type CreditDb = Db<typeof schema>;
type CreditTx = Tx<typeof schema>;

/** The shortest publication before a record may be repaired, in months from its decision. */
export const REPAIR_AFTER_MONTHS: Record<CreditRepairRecord, number> = { FALSE_PROMISE: 3, PENALTY: 6 };

/** Penalties whose publication is never cut short (停产, 限业, 降级, 吊销). */
const NOT_REPAIRABLE: readonly PenaltyKind[] = ['LICENCE_SUSPENSION', 'LICENCE_REVOCATION', 'BUSINESS_RESTRICTION'];

const repairInput = z.object({
  uscc: usccField,
  record: z.enum(CREDIT_REPAIR_RECORDS),
  recordId: z.string(),
  documentNumber: referenceField(100),
  reason: textField(2000),
  decidedOn: dateField.nullish(),
});

/** The record named, as it stands on this business's credit record (NOT_FOUND on recordId otherwise). */
async function recordNamed(tx: CreditTx, uscc: string, record: CreditRepairRecord, id: string) {
  if (record === 'FALSE_PROMISE') {
    const [row] = await tx
      .select({ decidedOn: falsePromises.decidedOn })
      .from(falsePromises)
      .where(and(eq(falsePromises.promiseId, id), eq(falsePromises.uscc, uscc)));
    if (!row) throw notFound('promise', id, 'recordId');
    return { decidedOn: row.decidedOn, kind: null };
  }
  const [row] = await tx
    .select({ decidedOn: creditPenalties.decidedOn, kind: creditPenalties.kind })
    .from(creditPenalties)
    .where(and(eq(creditPenalties.decisionId, id), eq(creditPenalties.uscc, uscc)));
  if (!row) throw notFound('penaltyDecision', id, 'recordId');
  return row;
}

/** Repairs one record (the office's decision): its event goes out, and a repaired penalty re-classifies the business. */
export async function repairCredit(db: CreditDb, raw: unknown, clock: Clock, identity: Identity) {
  const input = parseInput(repairInput, raw);
  const now = clock.now();
  const today = clock.today();
  const decidedOn = input.decidedOn ?? today;
  requireNotAfterToday('decidedOn', decidedOn, today);
  return db.transaction(async (tx) => {
    const named = await recordNamed(tx, input.uscc, input.record, input.recordId);
    if (named.kind === 'NO_PENALTY') throw badInput('recordId', 'creditRepair.nothingToRepair');
    if (named.kind && NOT_REPAIRABLE.includes(named.kind))
      throw badInput('recordId', 'creditRepair.notRepairable', { kind: named.kind });
    const months = REPAIR_AFTER_MONTHS[input.record];
    const earliest = monthsAfter(named.decidedOn, months);
    if (decidedOn < earliest) throw badInput('decidedOn', 'creditRepair.tooEarly', { earliest, months });
    const [row] = await tx
      .insert(creditRepairs)
      .values({
        uscc: input.uscc,
        record: input.record,
        recordId: input.recordId,
        documentNumber: input.documentNumber,
        reason: input.reason,
        decidedOn,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) {
      const [done] = await repairsOf(tx, input.record, [input.recordId]);
      throw conflict('creditRepair.alreadyRepaired', {
        documentNumber: done!.documentNumber,
        decidedOn: done!.decidedOn,
      });
    }
    await recordEvent(tx, {
      source: 'onecheck/credit',
      type: 'onecheck.credit.repaired.v1',
      key: row.uscc,
      data: {
        repairId: row.id,
        uscc: row.uscc,
        record: row.record,
        recordId: row.recordId,
        documentNumber: row.documentNumber,
        decidedOn: row.decidedOn,
        recordedAt: now.toISOString(),
      },
      time: now,
    });
    const actor = actorOf(identity);
    await appendAudit(tx, {
      actor,
      action: 'repairCredit',
      entity: { kind: 'business', id: row.uscc },
      after: row,
      at: now,
    });
    if (row.record === 'PENALTY') await reclassify(tx, row.uscc, clock, actor);
    return row;
  });
}

/** The repairs of these records of one kind. */
export const repairsOf = (db: CreditDb | CreditTx, record: CreditRepairRecord, ids: readonly string[]) =>
  ids.length
    ? db
        .select()
        .from(creditRepairs)
        .where(and(eq(creditRepairs.record, record), inArray(creditRepairs.recordId, [...ids])))
    : Promise.resolve([] as CreditRepairRow[]);

/** Each record's repair, by `<record>:<id>` keys (the loader's batch; null where none). */
export async function repairsByKey(db: CreditDb, keys: readonly string[]): Promise<(CreditRepairRow | null)[]> {
  const split = keys.map((k) => k.split(':') as [CreditRepairRecord, string]);
  const rows = (
    await Promise.all(
      CREDIT_REPAIR_RECORDS.map((record) =>
        repairsOf(
          db,
          record,
          split.filter(([r]) => r === record).map(([, id]) => id),
        ),
      ),
    )
  ).flat();
  const byKey = new Map(rows.map((r) => [`${r.record}:${r.recordId}`, r]));
  return keys.map((k) => byKey.get(k) ?? null);
}
