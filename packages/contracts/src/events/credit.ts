/** The credit platform's risk class (信用风险分类) changes. */
import { z } from 'zod';
import { CREDIT_REPAIR_RECORDS, CREDIT_RULES, JOINT_MEASURES, RISK_CLASSES } from '../enums';
import { date, id, uscc } from './fields';

/** No longer published since v2 (it carried the reason as English prose); kept for its published schema. */
export const creditClassChangedV1 = z
  .object({
    uscc,
    riskClass: z.enum(RISK_CLASSES),
    previousClass: z.enum(RISK_CLASSES),
    reason: z.string(),
  })
  .meta({
    title: "A business's credit risk class (A–D) changed (retired: see v2)",
    description: 'Was published by the credit platform on onecheck.credit.class, key: the uscc. Replaced by v2.',
  });

const count = z.number().int().nonnegative();

/** The facts behind the new class, not words: consumers render them (catalogue `credit.rule.*`). */
export const creditClassChangedV2 = z
  .object({
    uscc,
    riskClass: z.enum(RISK_CLASSES),
    previousClass: z.enum(RISK_CLASSES),
    rule: z.enum(CREDIT_RULES).meta({ description: 'the classification rule that decided the class' }),
    findings: count.meta({ description: 'findings recorded against the business in the look-back window' }),
    serious: count.meta({
      description: 'of them: serious, transferred to the judiciary, or with a licence revocation request',
    }),
    penalties: count.meta({ description: 'of them: handled as a penalty case (立案处罚)' }),
    general: count.meta({ description: 'of them: of general severity' }),
    lookbackMonths: z.number().int().positive().meta({ description: 'the look-back window, in months' }),
  })
  .meta({
    title: "A business's credit risk class (A–D) changed, with the rule and counts behind it",
    description:
      'Published by the credit platform on onecheck.credit.class, key: the uscc, whenever the class or its grounds (the rule, a count) move: previousClass equals riskClass when only the grounds did. Until the first one, a registered business is in class B (rule NEW).',
  });

/** 信用修复: a record on a business's credit record was repaired, and no longer counts or bars. */
export const creditRepairedV1 = z
  .object({
    repairId: id,
    uscc,
    record: z.enum(CREDIT_REPAIR_RECORDS).meta({
      description:
        'FALSE_PROMISE: a false promise under 告知承诺 (recordId: the promise id of onecheck.promise.broken.v1); PENALTY: a penalty decision (recordId: its decisionId of onecheck.finding.handled.v1)',
    }),
    recordId: id,
    documentNumber: z.string().min(1).meta({ description: '信用修复决定书文号' }),
    decidedOn: date.meta({ description: 'the date of the repair decision' }),
    recordedAt: z.iso.datetime({ offset: true }),
  })
  .meta({
    title: "A record on a business's credit record was repaired (信用修复)",
    description:
      'Published by the credit platform on onecheck.credit.class, key: the uscc. A repaired record no longer counts in the risk class; a repaired false promise no longer bars 告知承诺 (国办发〔2020〕42号: 在信用修复前不适用告知承诺制).',
  });

/** 联合惩戒 imposed: what the departments must apply to the business, until when. */
export const creditPunishmentImposedV1 = z
  .object({
    punishmentId: id,
    uscc,
    measures: z.array(z.enum(JOINT_MEASURES)).min(1).meta({
      description:
        'INDUSTRY_BAN 市场或行业禁入; FISCAL_FUNDS 限制申请财政性资金项目; PREFERENTIAL_POLICIES 限制享受优惠政策和便利措施 (no 告知承诺); KEY_SUPERVISION 纳入重点监管范围',
    }),
    documentNumber: z.string().min(1).meta({ description: 'the decision that imposes it (决定书文号)' }),
    legalBasis: z.string().min(1),
    decidedOn: date,
    until: date.meta({ description: 'the last day the measures apply, unless lifted before' }),
    recordedAt: z.iso.datetime({ offset: true }),
  })
  .meta({
    title: '联合惩戒: measures imposed on a dishonest business, for the departments to apply',
    description:
      'Published by the credit platform on onecheck.credit.class, key: the uscc (seed 000 ¶10: 推送联合惩戒信息，通报相关部门). The measures apply from decidedOn to until, unless onecheck.credit.punishment-lifted.v1 ends them first.',
  });

/** 联合惩戒 lifted before its end (信用修复, a decision set aside). */
export const creditPunishmentLiftedV1 = z
  .object({
    punishmentId: id,
    uscc,
    documentNumber: z.string().min(1).meta({ description: 'the decision that lifts it' }),
    liftedOn: date.meta({ description: 'the first day the measures no longer apply' }),
    recordedAt: z.iso.datetime({ offset: true }),
  })
  .meta({
    title: '联合惩戒 lifted: its measures no longer apply',
    description: 'Published by the credit platform on onecheck.credit.class, key: the uscc.',
  });

/**
 * Whether a 联合惩戒 is in force on `today`: decided, not past `until`, not lifted (`liftedOn` is
 * the first day it no longer applies). One rule for the platform and every consumer: a
 * punishment past `until` ends with no event.
 */
export const punishmentInForce = (p: { decidedOn: string; until: string; liftedOn?: string | null }, today: string) =>
  p.decidedOn <= today && today <= p.until && (!p.liftedOn || today < p.liftedOn);
