import { boolean, date, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import {
  CHECK_OUTCOMES,
  CREDIT_RULES,
  DAY_COUNTS,
  PROMISE_BREACHES,
  PROMISE_CLOSED_REASONS,
  PROMISE_MODES,
  PROMISE_STATUSES,
  RISK_CLASSES,
  ENTERPRISE_STATUSES,
  LICENCE_ACT_KINDS,
  LICENCE_ACT_STATUSES,
  LICENCE_STATUSES,
  type JointMeasure,
  type LicenceActRecord,
} from '@onecheck/contracts';
import type { CreditSeen, GrantTerms, PromiseOutcomeRecord, PromiseRepairRecord } from '../domain/records';
export { outbox, inbox } from '@onecheck/events/tables';
export { idempotencyKeys, auditLog, auditHead, timers } from '@onecheck/kit/tables';
export { calendarYears } from '@onecheck/calendar/store';

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
    /** 许可日期: the date on the decision, as entered (a business date); the push counts from createdAt. */
    grantedOn: date('granted_on', { mode: 'string' }).notNull(),
    /** grantedOn lies more than the late-entry days before the day it was recorded (issue 9 item 1). */
    lateEntry: boolean('late_entry').notNull().default(false),
    /** What the push carries (seed 003 第十九条(二)); null on licences granted before it did. */
    businessName: text('business_name'),
    contact: text('contact'),
    address: text('address'),
    status: text('status', { enum: LICENCE_STATUSES }).notNull().default('VALID'),
    statusReason: text('status_reason'),
    /** The act that set the status: its owner, legal basis and document number (null for VALID and EXPIRED). */
    statusAct: jsonb('status_act').$type<LicenceActRecord>(),
    /** The supervising department's item (监管子项) the approval item maps to, when the item is configured. */
    supervisionItem: text('supervision_item'),
    /** 告知承诺: the promise it was granted on (null for an ordinary grant). */
    promiseId: uuid('promise_id'),
    /** What the bureau saw of the business's credit before granting (seed 003 第十二条; null before issue 9). */
    creditSeen: jsonb('credit_seen').$type<CreditSeen>(),
    /** When the system recorded the grant: the push and every deadline count from here. */
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
  /** Null for businesses projected before the bureau kept it (a grant then is not checked against it). */
  registeredOn: date('registered_on', { mode: 'string' }),
  address: text('address'),
  version: integer('version').notNull(),
});

/**
 * 反向推送 at the bureau (seed 003 第二十条(二)): what a supervising department pushed about a
 * licence — its decision (吊销, 责令停产停业) or its request (变更, 撤回, 撤销, 注销) — to be
 * claimed within 3 working days. The id is the department's act id: a redelivery is one row.
 */
export const licenceActs = pgTable(
  'licence_acts',
  {
    id: uuid('id').primaryKey(),
    department: text('department').notNull(),
    licenceId: uuid('licence_id').notNull(),
    licenceNumber: text('licence_number').notNull(),
    uscc: text('uscc').notNull(),
    kind: text('kind', { enum: LICENCE_ACT_KINDS }).notNull(),
    documentNumber: text('document_number').notNull(),
    legalBasis: text('legal_basis').notNull(),
    reason: text('reason').notNull(),
    /** The date on the department's decision or letter, and the last day to push it (3 working days). */
    decidedOn: date('decided_on', { mode: 'string' }).notNull(),
    pushBy: date('push_by', { mode: 'string' }).notNull(),
    /** When the department recorded and pushed it (its system's time); the claim deadline counts from its day. */
    pushedAt: timestamp('pushed_at', { withTimezone: true }).notNull(),
    pushedOn: date('pushed_on', { mode: 'string' }).notNull(),
    claimBy: date('claim_by', { mode: 'string' }).notNull(),
    status: text('status', { enum: LICENCE_ACT_STATUSES }).notNull().default('PENDING_CLAIM'),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    claimedBy: text('claimed_by'),
    /** The bureau's answer to a request: when, by whom, its own document number and words. */
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    answeredBy: text('answered_by'),
    answerDocumentNumber: text('answer_document_number'),
    answerReason: text('answer_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('licence_acts_status_idx').on(t.status, t.claimBy, t.id),
    index('licence_acts_licence_idx').on(t.licenceId),
  ],
);
export type LicenceActRow = typeof licenceActs.$inferSelect;

/** 监管结果反馈 (seed 003 第八条, 第九条): every check's result on a licence, as its department fed it back. */
export const supervisionResults = pgTable(
  'supervision_results',
  {
    /** The department's task id: one result per task, a redelivery changes nothing. */
    taskId: uuid('task_id').primaryKey(),
    department: text('department').notNull(),
    licenceId: uuid('licence_id').notNull(),
    outcome: text('outcome', { enum: CHECK_OUTCOMES }).notNull(),
    summary: text('summary').notNull(),
    findings: integer('findings').notNull(),
    checkedOn: date('checked_on', { mode: 'string' }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('supervision_results_licence_idx').on(t.licenceId)],
);
export type SupervisionResultRow = typeof supervisionResults.$inferSelect;

/**
 * 审批事项实施清单 (seed 003 第八条), as far as 审管联动 needs it: each approval item's supervising
 * department and the 监管子项 it maps to, and whether and how it may be granted on the applicant's
 * promise (告知承诺, 第二十三条; domain-notes §7). The name is the key: it is what a licence carries.
 */
export const approvalItems = pgTable('approval_items', {
  name: text('name').primaryKey(),
  supervisingDepartment: text('supervising_department').notNull(),
  supervisionItem: text('supervision_item'),
  /** null: not offered on a promise. */
  promiseMode: text('promise_mode', { enum: PROMISE_MODES }),
  /** The promised period: materials (材料延期), verification (材料核验) or the on-site check (事后核查). */
  promiseDays: integer('promise_days'),
  promiseDayCount: text('promise_day_count', { enum: DAY_COUNTS }).notNull().default('WORKING_DAYS'),
  /** Working days the bureau has to decide on an approval whose materials did not come. */
  reviewDays: integer('review_days').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});
export type ApprovalItemRow = typeof approvalItems.$inferSelect;

/**
 * 告知承诺: an approval granted on the applicant's promise, followed until the promise is kept or
 * found untrue. For 材料延期 the licence is issued only when the materials arrive: until then the
 * promise holds the grant's terms and the reserved licence number.
 */
export const promises = pgTable(
  'promises',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    uscc: text('uscc').notNull(),
    businessName: text('business_name').notNull(),
    contact: text('contact'),
    approvalItem: text('approval_item').notNull(),
    supervisingDepartment: text('supervising_department').notNull(),
    mode: text('mode', { enum: PROMISE_MODES }).notNull(),
    status: text('status', { enum: PROMISE_STATUSES }).notNull(),
    licenceNumber: text('licence_number').notNull().unique(),
    /** The licence, once issued (材料核验 and 事后核查 at once; 材料延期 when the materials arrive). */
    licenceId: uuid('licence_id'),
    terms: jsonb('terms').$type<GrantTerms>().notNull(),
    /** The date on the approval decision, as entered. */
    decidedOn: date('decided_on', { mode: 'string' }).notNull(),
    /** The promised period's last day, counted from the day the approval was recorded. */
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    /** 材料延期: the day before dueOn, when the applicant is reminded (截止前一天). */
    reminderOn: date('reminder_on', { mode: 'string' }),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    /** 材料延期: when the missing materials listed the approval for the bureau, and its decision deadline. */
    listedAt: timestamp('listed_at', { withTimezone: true }),
    reviewBy: date('review_by', { mode: 'string' }),
    /** RECTIFYING: the last day of the 限期整改 the post-check ordered (seed 003 (三)9). */
    rectifyBy: date('rectify_by', { mode: 'string' }),
    /** KEPT, UNTRUE, ANNULLED or CLOSED: when, why and on what decision. */
    settledAt: timestamp('settled_at', { withTimezone: true }),
    breach: text('breach', { enum: PROMISE_BREACHES }),
    /** A breach the credit platform repaired (信用修复, onecheck.credit.repaired.v1): it no longer bars 告知承诺. */
    repair: jsonb('repair').$type<PromiseRepairRecord>(),
    /** CLOSED: what ended before the promise was settled (the licence's act, or the deregistration). */
    closedBecause: text('closed_because', { enum: PROMISE_CLOSED_REASONS }),
    outcome: jsonb('outcome').$type<PromiseOutcomeRecord>(),
    creditSeen: jsonb('credit_seen').$type<CreditSeen>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('promises_status_idx').on(t.status, t.dueOn, t.id), index('promises_uscc_idx').on(t.uscc)],
);
export type PromiseRow = typeof promises.$inferSelect;

/**
 * 限期整改 on a promise found untrue (seed 003 (三)9): each finding the post-check ordered rectified,
 * and what its re-check found (null until then). The promise is kept when all are rectified, untrue
 * as soon as one is not.
 */
export const promiseRectifications = pgTable(
  'promise_rectifications',
  {
    findingId: text('finding_id').primaryKey(),
    promiseId: uuid('promise_id').notNull(),
    rectified: boolean('rectified'),
    recheckedOn: date('rechecked_on', { mode: 'string' }),
  },
  (t) => [index('promise_rectifications_promise_idx').on(t.promiseId)],
);

/**
 * The bureau's projection of the credit platform's classes (seed 003 第十二条: handling differs by
 * credit), kept from its events and never read from its database: what a grant shows and records.
 */
export const creditViews = pgTable('credit_views', {
  uscc: text('uscc').primaryKey(),
  riskClass: text('risk_class', { enum: RISK_CLASSES }).notNull(),
  rule: text('rule', { enum: CREDIT_RULES }).notNull(),
  findings: integer('findings').notNull(),
  serious: integer('serious').notNull(),
  penalties: integer('penalties').notNull(),
  general: integer('general').notNull(),
  /** When the platform classified it (the event's time): an older event never overwrites a newer one. */
  classifiedAt: timestamp('classified_at', { withTimezone: true }).notNull(),
});
export type CreditViewRow = typeof creditViews.$inferSelect;

/**
 * The bureau's projection of the credit platform's 联合惩戒 (onecheck.credit.punishment-imposed.v1,
 * -lifted.v1): a punishment with PREFERENTIAL_POLICIES in force bars 告知承诺 (限制享受便利措施).
 */
export const punishmentViews = pgTable(
  'punishment_views',
  {
    id: text('id').primaryKey(),
    uscc: text('uscc').notNull(),
    measures: jsonb('measures').$type<JointMeasure[]>().notNull(),
    documentNumber: text('document_number').notNull(),
    decidedOn: date('decided_on', { mode: 'string' }).notNull(),
    until: date('until', { mode: 'string' }).notNull(),
    liftedOn: date('lifted_on', { mode: 'string' }),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('punishment_views_uscc_idx').on(t.uscc)],
);
export type PunishmentViewRow = typeof punishmentViews.$inferSelect;
