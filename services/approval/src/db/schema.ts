import { date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { ENTERPRISE_STATUSES, LICENCE_STATUSES } from '@onecheck/contracts';
export { outbox, inbox } from '@onecheck/events/tables';
export { idempotencyKeys } from '@onecheck/kit/tables';

/** 许可: granted by the approval bureau, supervised by one department (审管联动, seed 003). */
export const licences = pgTable(
  'licences',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    licenceNumber: text('licence_number').notNull().unique(),
    uscc: text('uscc').notNull(),
    approvalItem: text('approval_item').notNull(),
    supervisingDepartment: text('supervising_department').notNull(),
    scope: text('scope').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }).notNull(),
    grantedOn: date('granted_on', { mode: 'string' }).notNull(),
    status: text('status', { enum: LICENCE_STATUSES }).notNull().default('VALID'),
    statusReason: text('status_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  // Each list filter has its index, with the list's order (licence number) after an equality.
  (t) => [
    index('licences_uscc_idx').on(t.uscc),
    index('licences_department_idx').on(t.supervisingDepartment, t.licenceNumber),
    index('licences_status_idx').on(t.status, t.licenceNumber),
  ],
);
/** What the domain returns and the Licence resolvers receive as parent. */
export type LicenceRow = typeof licences.$inferSelect;

/** The businesses the bureau knows, kept from market regulation's events (never read from its database). */
export const knownEnterprises = pgTable('known_enterprises', {
  uscc: text('uscc').primaryKey(),
  name: text('name').notNull(),
  status: text('status', { enum: ENTERPRISE_STATUSES }).notNull(),
  version: integer('version').notNull(),
});
