import { boolean, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
export { outbox, inbox } from '@onecheck/events/tables';

/**
 * 监管事项 (the department's supervision item list, 一业一单 is built from these).
 * Each department instance has its own database, so no department column is needed here:
 * the instance's code is the department.
 */
export const supervisionItems = pgTable(
  'supervision_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    content: text('content').notNull(),
    legalBasis: text('legal_basis').notNull(),
    level: text('level', { enum: ['PROVINCE', 'CITY', 'COUNTY'] }).notNull(),
    /** GB/T 4754-2017 codes (sections or divisions) the item applies to. */
    industries: text('industries').array().notNull(),
    checkMethod: text('check_method', { enum: ['ON_SITE', 'DOCUMENT', 'ONLINE'] }).notNull().default('ON_SITE'),
    status: text('status', { enum: ['PUBLISHED', 'WITHDRAWN'] }).notNull().default('PUBLISHED'),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('supervision_items_status_idx').on(t.status)],
);

/** 执法检查人员名录库: only people with law-enforcement credentials (行政处罚法 §42). */
export const inspectors = pgTable('inspectors', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** 执法证号; personal data, masked outside the department. */
  badgeNumber: text('badge_number').notNull().unique(),
  qualifications: text('qualifications').array().notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
