/**
 * 联合惩戒 (seed 000 ¶10: 发现违法失信行为的，要启动失信惩戒机制 … 向相关部门推送联合惩戒信息 … 实施市场或
 * 行业禁入、限制申请财政性资金项目、限制享受优惠政策和便利措施、纳入重点监管范围等惩戒措施; 003 ¶4: 录入诚信
 * 管理系统黑名单开展联合惩戒). The office imposes measures on a business the platform holds, under a
 * decision, for no longer than the longest publication of 严重失信 (3 years, 发改委令58号); every
 * department hears of it on the credit topic and applies its part (the bureau refuses 告知承诺 under
 * PREFERENTIAL_POLICIES). A decision may lift it early (信用修复, a decision set aside); after `until`
 * it ends by itself, with no event (every consumer compares the day with `until`).
 */
import { desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Identity } from '@onecheck/auth';
import { addDays, monthsAfter, type Clock } from '@onecheck/clock';
import { JOINT_MEASURES, punishmentInForce } from '@onecheck/contracts';
import { recordEvent } from '@onecheck/events';
import {
  actorOf,
  appendAudit,
  badInput,
  conflict,
  dateField,
  distinctList,
  isUuid,
  notFound,
  parseInput,
  requireNotAfterToday,
  requireNotBefore,
  textField,
  usccField,
  type Db,
  referenceField,
} from '@onecheck/kit';
import { creditProfiles, jointPunishments, type JointPunishmentRow } from '../db/schema';
import type * as schema from '../db/schema';

type CreditDb = Db<typeof schema>;
const SOURCE = 'onecheck/credit';

/** The longest a punishment lasts: the longest publication of 严重失信 (3 years, 发改委令58号; domain-notes §8). */
export const LONGEST_MONTHS = 36;

const imposeInput = z.object({
  uscc: usccField,
  measures: distinctList(z.enum(JOINT_MEASURES), JOINT_MEASURES.length).min(1),
  documentNumber: referenceField(100),
  legalBasis: textField(500),
  reason: textField(2000),
  decidedOn: dateField.nullish(),
  until: dateField,
});

const business = (uscc: string) => ({ kind: 'business' as const, id: uscc });

/** Imposes measures on a business (the office's decision) and tells every department. */
export async function imposePunishment(db: CreditDb, raw: unknown, clock: Clock, identity: Identity) {
  const input = parseInput(imposeInput, raw);
  const now = clock.now();
  const today = clock.today();
  const decidedOn = input.decidedOn ?? today;
  requireNotAfterToday('decidedOn', decidedOn, today);
  // A punishment over before it is recorded would tell the departments nothing to apply (and so
  // none ends before its decision, which is not in the future).
  if (input.until < today) throw badInput('until', 'input.notBeforeToday', { today });
  // until is the last day it applies: three years from the decision end the day before its anniversary.
  const longest = addDays(monthsAfter(decidedOn, LONGEST_MONTHS), -1);
  if (input.until > longest) throw badInput('until', 'jointPunishment.tooLong', { latest: longest });
  return db.transaction(async (tx) => {
    const [known] = await tx
      .select({ uscc: creditProfiles.uscc })
      .from(creditProfiles)
      .where(eq(creditProfiles.uscc, input.uscc));
    if (!known) throw notFound('business', input.uscc, 'uscc');
    const [row] = await tx
      .insert(jointPunishments)
      .values({
        uscc: input.uscc,
        measures: input.measures,
        documentNumber: input.documentNumber,
        legalBasis: input.legalBasis,
        reason: input.reason,
        decidedOn,
        until: input.until,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!row)
      throw conflict('jointPunishment.alreadyImposed', { documentNumber: input.documentNumber }, 'documentNumber');
    const p = row;
    await recordEvent(tx, {
      source: SOURCE,
      type: 'onecheck.credit.punishment-imposed.v1',
      key: p.uscc,
      data: {
        punishmentId: p.id,
        uscc: p.uscc,
        measures: p.measures,
        documentNumber: p.documentNumber,
        legalBasis: p.legalBasis,
        decidedOn: p.decidedOn,
        until: p.until,
        recordedAt: now.toISOString(),
      },
      time: now,
    });
    const actor = actorOf(identity);
    await appendAudit(tx, { actor, action: 'punishJointly', entity: business(p.uscc), after: p, at: now });
    return p;
  });
}

const liftInput = z.object({
  documentNumber: referenceField(100),
  reason: textField(2000),
  liftedOn: dateField.nullish(),
});

/** Lifts a punishment in force before its end (a decision: 信用修复, the decision set aside). */
export async function liftPunishment(db: CreditDb, id: string, raw: unknown, clock: Clock, identity: Identity) {
  const input = parseInput(liftInput, raw);
  const now = clock.now();
  const today = clock.today();
  const liftedOn = input.liftedOn ?? today;
  requireNotAfterToday('liftedOn', liftedOn, today);
  return db.transaction(async (tx) => {
    if (!isUuid(id)) throw notFound('jointPunishment', id, 'id');
    const [current] = await tx.select().from(jointPunishments).where(eq(jointPunishments.id, id)).for('update');
    if (!current) throw notFound('jointPunishment', id, 'id');
    if (current.liftedOn)
      throw conflict('jointPunishment.alreadyLifted', {
        liftedOn: current.liftedOn,
        documentNumber: current.liftDocumentNumber ?? '',
      });
    if (!punishmentInForce(current, today)) throw conflict('jointPunishment.notInForce', { until: current.until });
    requireNotBefore('liftedOn', liftedOn, current.decidedOn, 'decision');
    const [row] = await tx
      .update(jointPunishments)
      .set({ liftedOn, liftDocumentNumber: input.documentNumber, liftReason: input.reason, updatedAt: now })
      .where(eq(jointPunishments.id, id))
      .returning();
    const p = row!;
    await recordEvent(tx, {
      source: SOURCE,
      type: 'onecheck.credit.punishment-lifted.v1',
      key: p.uscc,
      data: {
        punishmentId: p.id,
        uscc: p.uscc,
        documentNumber: input.documentNumber,
        liftedOn,
        recordedAt: now.toISOString(),
      },
      time: now,
    });
    const actor = actorOf(identity);
    await appendAudit(tx, {
      actor,
      action: 'punishJointly',
      entity: business(p.uscc),
      before: current,
      after: p,
      at: now,
    });
    return p;
  });
}

/** Each business's punishments, newest decision first (the loader's batch). */
export async function punishmentsByUscc(db: CreditDb, codes: readonly string[]): Promise<JointPunishmentRow[][]> {
  const rows = await db
    .select()
    .from(jointPunishments)
    .where(inArray(jointPunishments.uscc, [...codes]))
    .orderBy(desc(jointPunishments.decidedOn), desc(jointPunishments.createdAt));
  return codes.map((c) => rows.filter((r) => r.uscc === c));
}
