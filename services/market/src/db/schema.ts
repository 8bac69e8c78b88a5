import { date, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { ENTERPRISE_STATUSES } from '@onecheck/contracts';
import type { JointListItemState } from '../domain/joint-list';
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

// 一业一单: the joint list per industry (seed 000 §二, 004 (一); domain/joint-list.ts).
/** The newest revision the office holds of each department's item: an older or repeated one changes nothing. */
export const jointListItems = pgTable(
  'joint_list_items',
  {
    department: text('department').notNull(),
    code: text('code').notNull(),
    revision: integer('revision').notNull(),
    /** The change (joint_list_changes.seq) that brought this revision. */
    changeSeq: integer('change_seq').notNull(),
  },
  (t) => [primaryKey({ columns: [t.department, t.code] })],
);

/** 牵头 and 配合 departments the office set for an industry (谁主管谁牵头); narrower codes inherit it. */
export const jointListDepartments = pgTable('joint_list_departments', {
  industry: text('industry').primaryKey(),
  lead: text('lead').notNull(),
  cooperating: text('cooperating').array().notNull(),
  changeSeq: integer('change_seq').notNull(),
});

/**
 * Every change of any joint list, in the order made (one at a time: see lockJointLists): an
 * industry's version n is the state after the n-th change that reaches it, rebuilt from these rows.
 */
export const jointListChanges = pgTable(
  'joint_list_changes',
  {
    seq: integer('seq').primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind', { enum: ['item', 'departments'] }).notNull(),
    /** The item's codes before and after, or the industry whose departments were set. */
    industries: text('industries').array().notNull(),
    /** Those codes and every code covering them (GB/T 4754 lineage): an industry listed here contains one. */
    reach: text('reach').array().notNull(),
    department: text('department'),
    code: text('code'),
    revision: integer('revision'),
    /** The item's full state at this revision (as the department published it). */
    item: jsonb('item').$type<JointListItemState>(),
    lead: text('lead'),
    cooperating: text('cooperating').array(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('joint_list_changes_industries_idx').using('gin', t.industries),
    index('joint_list_changes_reach_idx').using('gin', t.reach),
  ],
);
export type JointListChangeRow = typeof jointListChanges.$inferSelect;
