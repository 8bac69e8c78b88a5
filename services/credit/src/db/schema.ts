import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';
export { outbox, inbox } from '@onecheck/events/tables';

/**
 * 企业信用风险分类 (国市监信发〔2022〕6号): A low, B general, C higher, D high risk, with the reason
 * in words so a business and the departments can see why.
 */
export const creditProfiles = pgTable('credit_profiles', {
  uscc: text('uscc').primaryKey(),
  name: text('name'),
  riskClass: text('risk_class', { enum: ['A', 'B', 'C', 'D'] }).notNull(),
  reason: text('reason').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
