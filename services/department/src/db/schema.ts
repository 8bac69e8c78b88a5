import { boolean, date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import {
  CHECK_METHODS,
  LICENCE_ACT_KINDS,
  LICENCE_ACT_STATUSES,
  CHECK_OUTCOMES,
  PROMISE_MODES,
  FINDING_HANDLINGS,
  FINDING_SEVERITIES,
  ITEM_STATUSES,
  SUPERVISION_LEVELS,
  TASK_CLOSED_REASONS,
  TASK_STATUSES,
} from '@onecheck/contracts';
export { outbox, inbox } from '@onecheck/events/tables';
export { idempotencyKeys, auditLog, auditHead, timers } from '@onecheck/kit/tables';
export { calendarYears } from '@onecheck/calendar/store';

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
    level: text('level', { enum: SUPERVISION_LEVELS }).notNull(),
    /** GB/T 4754-2017 codes (sections or divisions) the item applies to. */
    industries: text('industries').array().notNull(),
    checkMethod: text('check_method', { enum: CHECK_METHODS }).notNull().default('ON_SITE'),
    status: text('status', { enum: ITEM_STATUSES }).notNull().default('PUBLISHED'),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('supervision_items_status_idx').on(t.status),
    // Items by industry ask `industries && lineage`: a GIN index answers array overlap.
    index('supervision_items_industries_idx').using('gin', t.industries),
  ],
);

/** 执法检查人员名录库: only people with law-enforcement credentials (行政处罚法 §42). */
export const inspectors = pgTable('inspectors', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** 执法证号; personal data, masked outside the department. */
  badgeNumber: text('badge_number').notNull().unique(),
  qualifications: text('qualifications').array().notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/**
 * 监管任务 pushed by 审管联动 (seed 003): a licence granted by the approval bureau becomes a task
 * its supervising department must claim within 3 working days (第二十二条) and act on within
 * 30 working days (第八条) — a 事后核查 by the check date the push set (第二十三条). One task per licence: the licence id is unique, so a redelivered
 * grant can never make a second task.
 */
export const supervisionTasks = pgTable(
  'supervision_tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    licenceId: uuid('licence_id').notNull().unique(),
    licenceNumber: text('licence_number').notNull(),
    uscc: text('uscc').notNull(),
    approvalItem: text('approval_item').notNull(),
    status: text('status', { enum: TASK_STATUSES }).notNull().default('PENDING_CLAIM'),
    /**
     * When the bureau recorded the grant and pushed it (its system's time, issue 9 item 1), and
     * that day in China: deadlines count from here, whatever date the decision carries.
     */
    pushedAt: timestamp('pushed_at', { withTimezone: true }),
    pushedOn: date('pushed_on', { mode: 'string' }).notNull(),
    claimBy: date('claim_by', { mode: 'string' }).notNull(),
    checkBy: date('check_by', { mode: 'string' }).notNull(),
    /** What the push carried (seed 003 第十九条(二)); null on tasks pushed before it did. */
    grantedOn: date('granted_on', { mode: 'string' }),
    businessName: text('business_name'),
    contact: text('contact'),
    address: text('address'),
    scope: text('scope'),
    validFrom: date('valid_from', { mode: 'string' }),
    validUntil: date('valid_until', { mode: 'string' }),
    /** The supervising department's item (监管子项) the approval item is mapped to, when the push named it. */
    supervisionItem: text('supervision_item'),
    /**
     * 告知承诺 (seed 003 第二十三条): the promise the licence was granted on, as the push carried it.
     * A POST_CHECK promise makes the task a 事后核查, checked by the push's promiseCheckBy.
     */
    promiseId: uuid('promise_id'),
    promiseMode: text('promise_mode', { enum: PROMISE_MODES }),
    promiseCheckBy: date('promise_check_by', { mode: 'string' }),
    /** The claim, stamped with the system's time (claimedOn is its day in China); how many working days late. */
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    claimedOn: date('claimed_on', { mode: 'string' }),
    claimLateDays: integer('claim_late_days'),
    claimedBy: text('claimed_by'),
    /** The day the check took place (a business date, as entered) and when its result was recorded. */
    checkedOn: date('checked_on', { mode: 'string' }),
    checkRecordedAt: timestamp('check_recorded_at', { withTimezone: true }),
    checkLateEntry: boolean('check_late_entry'),
    checkedBy: text('checked_by'),
    outcome: text('outcome', { enum: CHECK_OUTCOMES }),
    summary: text('summary'),
    /** 事后核查: whether the on-site check found the promise true (null on routine tasks). */
    promiseKept: boolean('promise_kept'),
    /** Why it closed without a check, as a fact (the words are rendered when read: catalogue `task.closed.*`). */
    closedBecause: text('closed_because', { enum: TASK_CLOSED_REASONS }),
    /** The approval bureau's reason for revoking or cancelling the licence, in its own words, as its event said. */
    licenceReason: text('licence_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  // Lists are in (claimBy, id) order; the overdue filter is two ranges, one per deadline
  // (claim: status and claimBy, check: status and checkBy), which the planner ORs from the two.
  (t) => [
    index('supervision_tasks_status_idx').on(t.status, t.claimBy, t.id),
    index('supervision_tasks_check_by_idx').on(t.status, t.checkBy),
    index('supervision_tasks_claim_by_idx').on(t.claimBy, t.id),
    index('supervision_tasks_uscc_idx').on(t.uscc),
  ],
);

/** 发现问题: a problem found on a task, with how it is handled. Published to the other departments. */
export const findings = pgTable(
  'findings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    taskId: uuid('task_id')
      .notNull()
      .references(() => supervisionTasks.id),
    uscc: text('uscc').notNull(),
    itemCode: text('item_code'),
    description: text('description').notNull(),
    severity: text('severity', { enum: FINDING_SEVERITIES }).notNull(),
    handling: text('handling', { enum: FINDING_HANDLINGS }).notNull(),
    recordedOn: date('recorded_on', { mode: 'string' }).notNull(),
    recordedBy: text('recorded_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('findings_task_idx').on(t.taskId)],
);

/**
 * 反向推送 from the department (seed 003 第二十条(二)): its decisions (责令停产停业, 吊销) on a
 * licence it supervises, or its requests (变更, 撤回, 撤销, 注销) to the bureau, pushed within 3
 * working days of the decision; the bureau's claim and answer come back by event.
 */
export const licenceActs = pgTable(
  'licence_acts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    licenceId: uuid('licence_id').notNull(),
    licenceNumber: text('licence_number').notNull(),
    uscc: text('uscc').notNull(),
    kind: text('kind', { enum: LICENCE_ACT_KINDS }).notNull(),
    documentNumber: text('document_number').notNull(),
    legalBasis: text('legal_basis').notNull(),
    reason: text('reason').notNull(),
    /** The date on the decision (a business date) and the last day to push it. */
    decidedOn: date('decided_on', { mode: 'string' }).notNull(),
    pushBy: date('push_by', { mode: 'string' }).notNull(),
    /** Recorded and pushed (the system's time); late entry when decidedOn lies far before it. */
    pushedAt: timestamp('pushed_at', { withTimezone: true }).notNull(),
    pushedOn: date('pushed_on', { mode: 'string' }).notNull(),
    lateEntry: boolean('late_entry').notNull(),
    pushedBy: text('pushed_by').notNull(),
    /** What the bureau did with it, from its events. */
    status: text('status', { enum: LICENCE_ACT_STATUSES }).notNull().default('PENDING_CLAIM'),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    answerDocumentNumber: text('answer_document_number'),
    answerReason: text('answer_reason'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('licence_acts_licence_idx').on(t.licenceId), index('licence_acts_pushed_idx').on(t.pushedAt)],
);
export type LicenceActRow = typeof licenceActs.$inferSelect;

/** What the domain returns and the resolvers receive as parent (the generated resolver types map to these). */
export type ItemRow = typeof supervisionItems.$inferSelect;
export type InspectorRow = typeof inspectors.$inferSelect;
/** A task as every task query reads it: the row and its overdue flags as of today (domain/deadlines.ts `taskColumns`). */
export type TaskRow = typeof supervisionTasks.$inferSelect & { claimOverdue: boolean; checkOverdue: boolean };
export type FindingRow = typeof findings.$inferSelect;
