/** The credit platform's risk class (信用风险分类) changes. */
import { z } from 'zod';
import { RISK_CLASSES } from '../enums';
import { uscc } from './fields';

export const creditClassChangedV1 = z
  .object({
    uscc,
    riskClass: z.enum(RISK_CLASSES),
    previousClass: z.enum(RISK_CLASSES),
    reason: z.string(),
  })
  .meta({
    title: "A business's credit risk class (A–D) changed",
    description: 'Published by the credit platform on onecheck.credit.class, key: the uscc.',
  });
