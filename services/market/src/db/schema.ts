import { sql } from 'drizzle-orm';
import {
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  ABNORMAL_LISTING_CAUSES,
  CHECK_OUTCOMES,
  CODE_REFUSAL_REASONS,
  ENTERPRISE_STATUSES,
  INSPECTOR_SHORTFALLS,
  PLAN_ADJUSTMENTS,
  PLAN_STATUSES,
  RISK_CLASSES,
  VISIT_REASONS,
  VISIT_STATUSES,
  type EventData,
  type RiskClass,
} from '@onecheck/contracts';
import type { Stratum } from '../domain/draw-algorithm';
import type { PlanItemRecord, TargetFilter } from '../domain/plan-records';
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
    item: jsonb('item').$type<EventData<'onecheck.item.published.v1'>>(),
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

// ── 一业一查, part 1 (issue 10): the target directory, annual joint plans and their draw ─────────

/** The target directory's risk class of each business (两库): the credit platform's, from its events. */
export const targetClasses = pgTable('target_classes', {
  uscc: text('uscc').primaryKey(),
  riskClass: text('risk_class', { enum: RISK_CLASSES }).notNull(),
  /** The platform's classification time: an older event never overwrites a newer one. */
  classifiedAt: timestamp('classified_at', { withTimezone: true }).notNull(),
});

/**
 * 联合惩戒 measures 纳入重点监管范围 (KEY_SUPERVISION, seed 000 ¶10) the credit platform imposed,
 * from its events: while one is in force the business is drawn in stratum D (targets.ts).
 */
export const keySupervision = pgTable(
  'key_supervision',
  {
    /** The credit platform's punishment id: an imposition redelivered is kept once. */
    punishmentId: uuid('punishment_id').primaryKey(),
    uscc: text('uscc').notNull(),
    documentNumber: text('document_number').notNull(),
    decidedOn: date('decided_on').notNull(),
    until: date('until').notNull(),
    /** The first day it no longer applies, when lifted before `until`. */
    liftedOn: date('lifted_on'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('key_supervision_uscc_idx').on(t.uscc), index('key_supervision_until_idx').on(t.until)],
);
export type KeySupervisionRow = typeof keySupervision.$inferSelect;

/** 重点 tags a department sets on a business (e.g. 人员密集场所), for plans' target filters. */
export const targetTags = pgTable(
  'target_tags',
  {
    uscc: text('uscc').notNull(),
    tag: text('tag').notNull(),
    department: text('department').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.uscc, t.tag, t.department] }), index('target_tags_tag_idx').on(t.tag, t.uscc)],
);

/**
 * Checks recorded on a business (for a plan's cool-down): each department's check results as fed
 * back (审管联动 today; the visits of part 2 join them). One per department task.
 */
export const recordedChecks = pgTable(
  'recorded_checks',
  {
    taskId: text('task_id').primaryKey(),
    uscc: text('uscc').notNull(),
    department: text('department').notNull(),
    outcome: text('outcome', { enum: CHECK_OUTCOMES }).notNull(),
    checkedOn: date('checked_on', { mode: 'string' }).notNull(),
  },
  (t) => [index('recorded_checks_uscc_idx').on(t.uscc, t.checkedOn)],
);

/** 年度联合抽查计划 (seed 000 §二(二)5, 001 §三): drafted by the lead department, filed, published, drawn once. */
export const jointPlans = pgTable(
  'joint_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    year: integer('year').notNull(),
    industry: text('industry').notNull(),
    leadDepartment: text('lead_department').notNull(),
    cooperatingDepartments: text('cooperating_departments').array().notNull(),
    /** Each department's items, from the joint list version the plan pinned. */
    items: jsonb('items').$type<PlanItemRecord[]>().notNull(),
    listVersion: integer('list_version').notNull(),
    ratios: jsonb('ratios').$type<Record<RiskClass, number>>().notNull(),
    targetFilter: jsonb('target_filter').$type<TargetFilter>().notNull(),
    windowFrom: date('window_from', { mode: 'string' }).notNull(),
    windowTo: date('window_to', { mode: 'string' }).notNull(),
    coolDownMonths: integer('cool_down_months').notNull(),
    status: text('status', { enum: PLAN_STATUSES }).notNull(),
    /** The office's secret (revealed at the draw) and its SHA-256, published at filing. */
    secret: text('secret'),
    commitment: text('commitment'),
    draftedBy: text('drafted_by').notNull(),
    filedAt: timestamp('filed_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('joint_plans_year_idx').on(t.year, t.industry)],
);
export type PlanRow = typeof jointPlans.$inferSelect;

/** A filed and published change to a plan (seed 001: 增设, 延迟, 取消, 调整比例), with its reason. */
export const planAdjustments = pgTable(
  'plan_adjustments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    planId: uuid('plan_id').notNull(),
    kind: text('kind', { enum: PLAN_ADJUSTMENTS }).notNull(),
    reason: text('reason').notNull(),
    before: jsonb('before').notNull(),
    after: jsonb('after').notNull(),
    filedBy: text('filed_by').notNull(),
    filedAt: timestamp('filed_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('plan_adjustments_plan_idx').on(t.planId, t.filedAt)],
);
export type PlanAdjustmentRow = typeof planAdjustments.$inferSelect;

/**
 * A plan's draw (双随机, docs/draw.md): the frozen pool's hash and the ratios, published before the
 * public value exists; then the public value; then the seed and the drawn list. One per plan.
 */
export const draws = pgTable('draws', {
  id: uuid('id').primaryKey().defaultRandom(),
  planId: uuid('plan_id').notNull().unique(),
  poolHash: text('pool_hash').notNull(),
  poolSize: integer('pool_size').notNull(),
  /** The ratios as frozen with the pool: the draw refuses if the plan's differ by then. */
  ratios: jsonb('ratios').$type<Record<RiskClass, number>>().notNull(),
  frozenAt: timestamp('frozen_at', { withTimezone: true }).notNull(),
  publicValue: text('public_value'),
  publicValueBy: text('public_value_by'),
  publicValueAt: timestamp('public_value_at', { withTimezone: true }),
  seed: text('seed'),
  strata: jsonb('strata').$type<Stratum[]>(),
  drawnAt: timestamp('drawn_at', { withTimezone: true }),
  /** When the drawn list went out to the departments and the visits were made (drawPlan's follow-up job). */
  deliveredAt: timestamp('delivered_at', { withTimezone: true }),
});
export type DrawRow = typeof draws.$inferSelect;

/**
 * The frozen pool of a draw: every business with the class it is drawn in (auditors re-derive from it).
 * `uscc` is collated "C" (migration 0011; drizzle-kit does not model collations): its key order is
 * then the pool text's byte order (docs/draw.md), so the draw reads the pool in order by its key.
 */
export const drawPool = pgTable(
  'draw_pool',
  {
    drawId: uuid('draw_id').notNull(),
    uscc: text('uscc').notNull(),
    riskClass: text('risk_class', { enum: RISK_CLASSES }).notNull(),
    name: text('name').notNull(),
    address: text('address').notNull(),
  },
  (t) => [primaryKey({ columns: [t.drawId, t.uscc] })],
);
/**
 * The drawn list (双随机 result): each drawn business with its place, written once by the draw.
 * Kept apart from the frozen pool, which the draw only reads: the pool is never changed after the
 * freeze, and marking a million-row pool cost ten times inserting the drawn (issue 10 bench). Names
 * and addresses stay in the pool (joined by key): copying them cost the draw a scan of the pool.
 */
export const drawTargets = pgTable(
  'draw_targets',
  {
    drawId: uuid('draw_id').notNull(),
    uscc: text('uscc').notNull(),
    place: text('place').notNull(),
  },
  (t) => [primaryKey({ columns: [t.drawId, t.uscc] })],
);

// ── 一业一查, part 2 (issue 11): coded visits, their results, publication ───────────────────────

/**
 * 进一次门、查多项事: one visit per drawn business (all plans and departments on it), coded (赋码)
 * once every department's team is in; a check outside plans is a visit of its own with its reason.
 */
export const visits = pgTable(
  'visits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The inspection code: unguessable, null until the visit is coded (and kept when merged away, revoked). */
    code: text('code').unique(),
    /** Grows with every change of the code's content (onecheck.visit.coded.v1 version). */
    version: integer('version').notNull().default(0),
    uscc: text('uscc').notNull(),
    businessName: text('business_name').notNull(),
    reason: text('reason', { enum: VISIT_REASONS }).notNull(),
    reasonDetail: text('reason_detail'),
    /** The joint plans whose items it carries (two or more once merged); empty outside plans. */
    planIds: uuid('plan_ids').array().notNull(),
    /** A check outside plans: the requesting department's request id. */
    requestId: uuid('request_id').unique(),
    plannedOn: date('planned_on', { mode: 'string' }).notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }).notNull(),
    status: text('status', { enum: VISIT_STATUSES }).notNull(),
    mergedInto: uuid('merged_into'),
    /** The visits merged into this one. */
    mergedFrom: uuid('merged_from').array().notNull().default([]),
    codedAt: timestamp('coded_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('visits_uscc_idx').on(t.uscc, t.validFrom), index('visits_plans_idx').using('gin', t.planIds)],
);
export type VisitRow = typeof visits.$inferSelect;

/** One department's part of a visit: its items, its team (from its draw or request), 互帮代查. */
export const visitDepartments = pgTable(
  'visit_departments',
  {
    visitId: uuid('visit_id').notNull(),
    department: text('department').notNull(),
    items: text('items').array().notNull(),
    /** Null until the department's teams-drawn event came; [] with a shortfall. */
    team: jsonb('team').$type<EventData<'onecheck.visit.coded.v1'>['departments'][number]['team']>(),
    shortfall: text('shortfall', { enum: INSPECTOR_SHORTFALLS }),
    /** 互帮代查: this department's items are checked by that department's team. */
    delegatedTo: text('delegated_to'),
    /** The department's INSPECTION task for the business (plan visits). */
    taskId: uuid('task_id'),
  },
  (t) => [primaryKey({ columns: [t.visitId, t.department] })],
);
export type VisitDepartmentRow = typeof visitDepartments.$inferSelect;

/** Results a department recorded on a visit (onecheck.inspection.recorded.v1), kept by the office. */
export const visitResults = pgTable(
  'visit_results',
  {
    resultId: uuid('result_id').primaryKey(),
    visitId: uuid('visit_id').notNull(),
    /** The department that owns the items (and publishes them). */
    department: text('department').notNull(),
    recordedByDepartment: text('recorded_by_department').notNull(),
    uscc: text('uscc').notNull(),
    items: jsonb('items').$type<EventData<'onecheck.inspection.recorded.v1'>['items']>().notNull(),
    officers: text('officers').array().notNull(),
    findings: integer('findings').notNull(),
    inspectedOn: date('inspected_on', { mode: 'string' }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('visit_results_visit_idx').on(t.visitId, t.department)],
);
export type VisitResultRow = typeof visitResults.$inferSelect;

/**
 * Codes asked for outside plans that the office refused (seed 004 (十二); domain/code-refusals.ts):
 * the business is not in its register, or is deregistered. No visit exists for such a request;
 * the request id is the key, so the same request again changes nothing.
 */
export const codeRefusals = pgTable(
  'code_refusals',
  {
    requestId: uuid('request_id').primaryKey(),
    department: text('department').notNull(),
    uscc: text('uscc').notNull(),
    reason: text('reason', { enum: CODE_REFUSAL_REASONS }).notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    refusedAt: timestamp('refused_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('code_refusals_uscc_idx').on(t.uscc)],
);
export type CodeRefusalRow = typeof codeRefusals.$inferSelect;

// ── 经营异常名录 and 一公开 (issue 11 items 3 and 5; domain/abnormal-list.ts, domain/publication.ts) ──

/**
 * 经营异常名录 (企业信息公示暂行条例 §17), kept by market regulation: a business listed once per
 * cause while it is listed (removedOn null), from the check result that found it.
 */
export const abnormalListings = pgTable(
  'abnormal_listings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    uscc: text('uscc').notNull(),
    cause: text('cause', { enum: ABNORMAL_LISTING_CAUSES }).notNull(),
    /** The China day it was listed (the day the office received the result). */
    listedOn: date('listed_on', { mode: 'string' }).notNull(),
    department: text('department').notNull(),
    visitId: uuid('visit_id'),
    resultId: uuid('result_id'),
    listedAt: timestamp('listed_at', { withTimezone: true }).notNull(),
    removedOn: date('removed_on', { mode: 'string' }),
  },
  (t) => [
    uniqueIndex('abnormal_listings_current_idx')
      .on(t.uscc, t.cause)
      .where(sql`removed_on is null`),
  ],
);
export type AbnormalListingRow = typeof abnormalListings.$inferSelect;

/**
 * 一公开: a visit's results for one department as made public (no officer's name or id, no
 * complainant, no reason detail), once per visit and department.
 */
export const resultPublications = pgTable(
  'result_publications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    visitId: uuid('visit_id').notNull(),
    department: text('department').notNull(),
    /** The plan whose task published it; null for a check outside plans. */
    planId: uuid('plan_id'),
    /** Every plan the visit carries (a merged visit: two or more). */
    planIds: uuid('plan_ids').array().notNull(),
    reason: text('reason', { enum: VISIT_REASONS }).notNull(),
    uscc: text('uscc').notNull(),
    businessName: text('business_name').notNull(),
    items: jsonb('items').$type<EventData<'onecheck.result.published.v1'>['items']>().notNull(),
    inspectedOn: date('inspected_on', { mode: 'string' }).notNull(),
    departments: text('departments').array().notNull(),
    certificateNumbers: text('certificate_numbers').array().notNull(),
    /** The day it was due (20 working days after completion). */
    publishBy: date('publish_by', { mode: 'string' }).notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('result_publications_visit_idx').on(t.visitId, t.department),
    index('result_publications_uscc_idx').on(t.uscc, t.publishedAt),
    index('result_publications_time_idx').on(t.publishedAt, t.id),
    index('result_publications_plans_idx').using('gin', t.planIds),
  ],
);
export type ResultPublicationRow = typeof resultPublications.$inferSelect;

/** A plan's inspection task for one department, published (一公开): once, with its dates as they stood. */
export const taskPublications = pgTable(
  'task_publications',
  {
    planId: uuid('plan_id').notNull(),
    department: text('department').notNull(),
    completedOn: date('completed_on', { mode: 'string' }).notNull(),
    publishBy: date('publish_by', { mode: 'string' }).notNull(),
    /** How many visits' results it made public (those not already public through another plan). */
    published: integer('published').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.planId, t.department] })],
);
export type TaskPublicationRow = typeof taskPublications.$inferSelect;
