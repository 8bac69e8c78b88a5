/** The credit platform's risk class (信用风险分类) changes. */
import { z } from 'zod';
import { CREDIT_RULES, RISK_CLASSES } from '../enums';
import { uscc } from './fields';

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
    description: 'Published by the credit platform on onecheck.credit.class, key: the uscc.',
  });
