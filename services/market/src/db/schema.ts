import { date, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { ENTERPRISE_STATUSES } from '@onecheck/contracts';
export { outbox, inbox } from '@onecheck/events/tables';
export { idempotencyKeys, auditLog, auditHead, timers } from '@onecheck/kit/tables';
export { calendarYears } from '@onecheck/calendar/store';

/** 经营主体 registry, owned by market regulation (DESIGN.md §2). */
export const enterprises = pgTable(
  'enterprises',
  {
    uscc: text('uscc').primaryKey(),
    name: text('name').notNull(),
    legalRepresentative: text('legal_representative').notNull(),
    /** GB/T 4754-2017 code as registered (division or finer). */
    industry: text('industry').notNull(),
    /** The industry's section letter, kept so "all of section H" is an indexed equality. */
    industrySection: text('industry_section').notNull(),
    region: text('region').notNull(),
    address: text('address').notNull(),
    status: text('status', { enum: ENTERPRISE_STATUSES }).notNull(),
    registeredOn: date('registered_on', { mode: 'string' }).notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  // Each list filter has its index (scripts/bench/scale.ts prints the plans at 1,000,000 businesses).
  // An equality filter carries the list's order (uscc) so a page is read in order from the index;
  // a division or group is a prefix: text_pattern_ops serves LIKE 'prefix%' under any collation.
  (t) => [
    index('enterprises_industry_idx').on(t.industry.op('text_pattern_ops')),
    index('enterprises_section_idx').on(t.industrySection, t.uscc),
    index('enterprises_region_idx').on(t.region, t.uscc),
    index('enterprises_status_idx').on(t.status, t.uscc),
    index('enterprises_name_idx').on(t.name),
  ],
);

/** What the domain returns and the Enterprise resolvers receive as parent. */
export type EnterpriseRow = typeof enterprises.$inferSelect;
