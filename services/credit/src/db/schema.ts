import {
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  CREDIT_REPAIR_RECORDS,
  CREDIT_RULES,
  FINDING_HANDLINGS,
  type JointMeasure,
  FINDING_SEVERITIES,
  PENALTY_KINDS,
  PROMISE_BREACHES,
  PROMISE_MODES,
  RISK_CLASSES,
} from '@onecheck/contracts';
export { outbox, inbox } from '@onecheck/events/tables';
export { idempotencyKeys, auditLog, auditHead, timers } from '@onecheck/kit/tables';

/**
 * 企业信用风险分类 (国市监信发〔2022〕6号): A low, B general, C higher, D high risk, with the facts
 * behind it (the rule and its counts: domain/classification.ts), so a business and the departments
 * can see why, in their own language.
 */
export const creditProfiles = pgTable('credit_profiles', {
  uscc: text('uscc').primaryKey(),
  name: text('name'),
  riskClass: text('risk_class', { enum: RISK_CLASSES }).notNull(),
  rule: text('rule', { enum: CREDIT_RULES }).notNull(),
  findings: integer('findings').notNull(),
  serious: integer('serious').notNull(),
  penalties: integer('penalties').notNull(),
  general: integer('general').notNull(),
  /** The look-back window counted; null when no records were counted (NEW, LEGACY). */
  lookbackMonths: integer('lookback_months'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});
export type ProfileRow = typeof creditProfiles.$inferSelect;

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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('credit_records_uscc_idx').on(t.uscc, t.recordedOn)],
);

/**
 * Licence sanctions on a business's credit record (seed 003 第四条: 行政处罚 information is shared
 * with the credit platform): each 吊销 a supervising department decided, as the licence topic
 * announced it. The licence id is the key: a redelivery is one record.
 */
export const licenceSanctions = pgTable(
  'licence_sanctions',
  {
    licenceId: text('licence_id').primaryKey(),
    uscc: text('uscc').notNull(),
    licenceNumber: text('licence_number').notNull(),
    approvalItem: text('approval_item').notNull(),
    /** The department that decided it, its document number, legal basis and date. */
    decidedBy: text('decided_by').notNull(),
    documentNumber: text('document_number').notNull(),
    legalBasis: text('legal_basis').notNull(),
    decidedOn: date('decided_on', { mode: 'string' }).notNull(),
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('licence_sanctions_uscc_idx').on(t.uscc)],
);
export type LicenceSanctionRow = typeof licenceSanctions.$inferSelect;

/**
 * 失信记录 of 告知承诺 (seed 003 第二十三条: 发现承诺不实的 … 纳入信用记录): each promise the approval
 * bureau found broken, as the licence topic announced it. The promise id is the key: a redelivery
 * is one record.
 */
export const falsePromises = pgTable(
  'false_promises',
  {
    promiseId: text('promise_id').primaryKey(),
    uscc: text('uscc').notNull(),
    approvalItem: text('approval_item').notNull(),
    mode: text('mode', { enum: PROMISE_MODES }).notNull(),
    breach: text('breach', { enum: PROMISE_BREACHES }).notNull(),
    licenceNumber: text('licence_number'),
    /** APPROVAL, or the department whose on-site check found it. */
    foundBy: text('found_by').notNull(),
    /** The bureau's decision number, when it annulled the approval. */
    documentNumber: text('document_number'),
    /** 法律依据, when the record gave one. */
    legalBasis: text('legal_basis'),
    reason: text('reason').notNull(),
    decidedOn: date('decided_on', { mode: 'string' }).notNull(),
    /** When the bureau recorded it (its system's time), and when the platform received it. */
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('false_promises_uscc_idx').on(t.uscc, t.decidedOn)],
);
export type FalsePromiseRow = typeof falsePromises.$inferSelect;

/**
 * 行政处罚 on a business's credit record (seed 003 第四条; issue 11 item 4): each penalty decision a
 * finding's home department accepted (onecheck.finding.handled.v1, PENALTY_DECIDED). The decision
 * id is the key: a redelivery is one record. The finding id ties it to its credit record.
 */
export const creditPenalties = pgTable(
  'credit_penalties',
  {
    decisionId: text('decision_id').primaryKey(),
    findingId: text('finding_id').notNull(),
    uscc: text('uscc').notNull(),
    /** The finding's home department, which accepted it, and the department whose decision it is. */
    homeDepartment: text('home_department').notNull(),
    department: text('department').notNull(),
    kind: text('kind', { enum: PENALTY_KINDS }).notNull(),
    amountYuan: numeric('amount_yuan', { precision: 14, scale: 2, mode: 'number' }),
    documentNumber: text('document_number').notNull(),
    decidedOn: date('decided_on', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('credit_penalties_uscc_idx').on(t.uscc, t.decidedOn),
    index('credit_penalties_finding_idx').on(t.findingId),
  ],
);
export type CreditPenaltyRow = typeof creditPenalties.$inferSelect;

/**
 * 经营异常名录 (企业信息公示暂行条例 §17) on a business's credit record: each listing market
 * regulation announced (onecheck.enterprise.abnormal-listed.v1); one per business, cause and day.
 */
export const abnormalListings = pgTable(
  'abnormal_listings',
  {
    uscc: text('uscc').notNull(),
    cause: text('cause').notNull(),
    listedOn: date('listed_on', { mode: 'string' }).notNull(),
    /** The department whose check found it, and the visit and result, when the event named them. */
    department: text('department').notNull(),
    visitId: text('visit_id'),
    resultId: text('result_id'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.uscc, t.cause, t.listedOn] })],
);
export type AbnormalListingRow = typeof abnormalListings.$inferSelect;

/**
 * 信用修复 decisions (seed 004 (十一)): each record repaired, once — the record's kind and id are
 * unique. A repaired penalty no longer counts in the class; a repaired false promise no longer
 * bars 告知承诺 at the bureau, which hears of it by onecheck.credit.repaired.v1.
 */
export const creditRepairs = pgTable(
  'credit_repairs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    uscc: text('uscc').notNull(),
    record: text('record', { enum: CREDIT_REPAIR_RECORDS }).notNull(),
    /** FALSE_PROMISE: the promise id; PENALTY: the decision id. */
    recordId: text('record_id').notNull(),
    /** 信用修复决定书文号, the business's showing of how it corrected the conduct, the decision's date. */
    documentNumber: text('document_number').notNull(),
    reason: text('reason').notNull(),
    decidedOn: date('decided_on', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('credit_repairs_record_idx').on(t.record, t.recordId),
    index('credit_repairs_uscc_idx').on(t.uscc),
  ],
);
export type CreditRepairRow = typeof creditRepairs.$inferSelect;

/**
 * 联合惩戒 (seed 000 ¶10): measures the office imposes on a dishonest business, for every
 * department to apply from decidedOn to until (the longest publication of 严重失信, 3 years, at
 * most), unless lifted first. Published on the credit topic (punishment-imposed.v1, -lifted.v1).
 */
export const jointPunishments = pgTable(
  'joint_punishments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    uscc: text('uscc').notNull(),
    measures: jsonb('measures').$type<JointMeasure[]>().notNull(),
    documentNumber: text('document_number').notNull(),
    legalBasis: text('legal_basis').notNull(),
    reason: text('reason').notNull(),
    decidedOn: date('decided_on', { mode: 'string' }).notNull(),
    until: date('until', { mode: 'string' }).notNull(),
    /** Lifted before its end: the first day it no longer applies, and the decision that lifted it. */
    liftedOn: date('lifted_on', { mode: 'string' }),
    liftDocumentNumber: text('lift_document_number'),
    liftReason: text('lift_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('joint_punishments_uscc_idx').on(t.uscc, t.decidedOn),
    // One decision imposes once on a business: a repeat is refused, not a second punishment.
    uniqueIndex('joint_punishments_decision_idx').on(t.uscc, t.documentNumber),
  ],
);
export type JointPunishmentRow = typeof jointPunishments.$inferSelect;
