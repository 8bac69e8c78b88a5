import { date, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { FINDING_HANDLINGS, FINDING_SEVERITIES, RISK_CLASSES } from '@onecheck/contracts';
export { outbox, inbox } from '@onecheck/events/tables';

/**
 * 企业信用风险分类 (国市监信发〔2022〕6号): A low, B general, C higher, D high risk, with the reason
 * in words so a business and the departments can see why.
 */
export const creditProfiles = pgTable('credit_profiles', {
  uscc: text('uscc').primaryKey(),
  name: text('name'),
  riskClass: text('risk_class', { enum: RISK_CLASSES }).notNull(),
  reason: text('reason').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Credit records (信用记录): each finding a department published, against the business. */
export const creditRecords = pgTable(
  'credit_records',
  {
    /** The finding's id: a redelivered finding can never count twice. */
    id: text('id').primaryKey(),
    uscc: text('uscc').notNull(),
    department: text('department').notNull(),
    severity: text('severity', { enum: FINDING_SEVERITIES }).notNull(),
    handling: text('handling', { enum: FINDING_HANDLINGS }).notNull(),
    description: text('description').notNull(),
    recordedOn: date('recorded_on', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('credit_records_uscc_idx').on(t.uscc, t.recordedOn)],
);
