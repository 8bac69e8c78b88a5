import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  numeric,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import {
  CHECK_METHODS,
  LICENCE_ACT_KINDS,
  LICENCE_ACT_STATUSES,
  CHECK_OUTCOMES,
  CODE_REFUSAL_REASONS,
  PROMISE_MODES,
  FINDING_HANDLINGS,
  FINDING_SEVERITIES,
  FINDING_STATUSES,
  FINDING_STEPS,
  PENALTY_KINDS,
  INSPECTOR_KINDS,
  INSPECTOR_SHORTFALLS,
  ITEM_EMPHASES,
  ITEM_STATUSES,
  SUPERVISION_LEVELS,
  TASK_CLOSED_REASONS,
  TASK_KINDS,
  TASK_STATUSES,
  RESULT_CATEGORIES,
  VISIT_CODE_STATUSES,
  VISIT_REASONS,
  PLAN_STATUSES,
  type EventData,
  TRANSFER_STATUSES,
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
    /** 重点 or 一般 (国市监信〔2019〕38号, seed 004): a KEY item's sampling ratio has no cap. */
    emphasis: text('emphasis', { enum: ITEM_EMPHASES }).notNull().default('GENERAL'),
    /** 检查频次: checks a year the department plans (seed 001); null when it names none. */
    frequencyPerYear: integer('frequency_per_year'),
    /** The check form (检查表单): each point with the answers an inspector may give. */
    checkPoints: jsonb('check_points').$type<CheckPoint[]>().notNull().default([]),
    /** 1 on the first publication, one more on every change: the office's joint list keeps the highest. */
    revision: integer('revision').notNull().default(1),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('supervision_items_status_idx').on(t.status),
    // Items by industry ask `industries && lineage`: a GIN index answers array overlap.
    index('supervision_items_industries_idx').using('gin', t.industries),
  ],
);

/** One point of an item's check form and its possible answers (e.g. 符合 / 不符合 / 不涉及). */
export interface CheckPoint {
  point: string;
  answers: string[];
}

/**
 * 执法检查人员名录库: people with law-enforcement credentials (行政处罚法 §42), and experts (专家)
 * who join a team but never count toward its two officers.
 */
export const inspectors = pgTable('inspectors', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** 执法证号 (the certificate number); personal data, masked outside the department. */
  badgeNumber: text('badge_number').notNull().unique(),
  /** 执法领域: the codes of the department's items the inspector is qualified for. */
  qualifications: text('qualifications').array().notNull(),
  kind: text('kind', { enum: INSPECTOR_KINDS }).notNull().default('INSPECTOR'),
  /** The certificate's last valid day; required for an INSPECTOR (null only on rows from before it was kept). */
  certificateValidUntil: date('certificate_valid_until', { mode: 'string' }),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }),
});

/**
 * 回避 (行政处罚法 §43): an inspector's declared conflict of interest with a business, kept by the
 * inspector's department; a conflicted inspector is never drawn for that business.
 */
export const inspectorConflicts = pgTable(
  'inspector_conflicts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // No foreign key: drizzle-kit writes them schema-qualified ("public"), which the per-test schemas
    // cannot take; declareConflict checks the inspector in the same transaction.
    inspectorId: uuid('inspector_id').notNull(),
    uscc: text('uscc').notNull(),
    reason: text('reason').notNull(),
    declaredBy: text('declared_by').notNull(),
    declaredAt: timestamp('declared_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    unique('inspector_conflicts_once').on(t.inspectorId, t.uscc),
    index('inspector_conflicts_uscc_idx').on(t.uscc),
  ],
);

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
    /**
     * LICENCE: pushed by 审管联动, with its licence; INSPECTION: a business of the department's
     * part of a joint plan's draw (双随机), with its plan and draw and no licence.
     */
    kind: text('kind', { enum: TASK_KINDS }).notNull().default('LICENCE'),
    licenceId: uuid('licence_id').unique(),
    licenceNumber: text('licence_number'),
    uscc: text('uscc').notNull(),
    approvalItem: text('approval_item'),
    /** INSPECTION: the plan and the draw (one task per drawn business: a redelivered draw makes no second). */
    planId: uuid('plan_id'),
    drawId: uuid('draw_id'),
    /** INSPECTION: the plan's time window (checkBy is its last day) and this department's items for the business. */
    windowFrom: date('window_from', { mode: 'string' }),
    items: text('items').array(),
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
    unique('supervision_tasks_draw_uscc').on(t.drawId, t.uscc),
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
    /** Issue 11: found on a coded visit (赋码检查), with that visit's code. */
    visitId: uuid('visit_id'),
    code: text('code'),
    /** OPEN with its owner until its handling ends (a re-check that finds it rectified closes it). */
    status: text('status', { enum: FINDING_STATUSES }).notNull().default('OPEN'),
    /** RECTIFICATION (责令限期整改): the last day to rectify; after it, open and not re-checked, it is overdue. */
    dueOn: date('due_on', { mode: 'string' }),
    /** TRANSFER (移交/抄告): the department that must accept it, and its answer (from its event). */
    transferTo: text('transfer_to'),
    transferStatus: text('transfer_status', { enum: TRANSFER_STATUSES }),
    transferAnsweredOn: date('transfer_answered_on', { mode: 'string' }),
    transferReason: text('transfer_reason'),
    /** JUDICIAL_TRANSFER (移送司法, 行刑衔接): the receiving organ and its feedback. */
    judicialOrgan: text('judicial_organ'),
    judicialFeedback: text('judicial_feedback'),
    judicialFeedbackOn: date('judicial_feedback_on', { mode: 'string' }),
    /** The last re-check (复查): its day as entered, whether it found the finding rectified, who did it. */
    recheckedOn: date('rechecked_on', { mode: 'string' }),
    rectified: boolean('rectified'),
    recheckNote: text('recheck_note'),
    recheckedBy: text('rechecked_by'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }),
    /** The last step of its handling (finding.handled.v1) and that step's business date. */
    lastStep: text('last_step', { enum: FINDING_STEPS }),
    lastStepOn: date('last_step_on', { mode: 'string' }),
  },
  (t) => [
    index('findings_task_idx').on(t.taskId),
    // The department's lists: open findings by due day (overdue rectifications first), and by business.
    index('findings_status_due_idx').on(t.status, t.dueOn),
    index('findings_uscc_idx').on(t.uscc),
  ],
);

/**
 * 行政处罚决定 on a finding, accepted by the finding's home department (the one that recorded it):
 * the one authority on its penalties, so 同一个违法行为不得给予两次以上罚款 (行政处罚法 §29) is
 * decided in one place. `department` is whose decision it is (home, the department it was
 * transferred to, or one competent for another kind). At most one FINE per finding: the home
 * locks the finding to decide, and the partial unique index holds even if that were bypassed.
 */
export const penaltyDecisions = pgTable(
  'penalty_decisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // No foreign key (drizzle-kit writes it schema-qualified, see inspectorConflicts): decidePenalty locks the finding.
    findingId: uuid('finding_id').notNull(),
    department: text('department').notNull(),
    kind: text('kind', { enum: PENALTY_KINDS }).notNull(),
    /** FINE only: the amount in yuan (fen precision). */
    amountYuan: numeric('amount_yuan', { precision: 14, scale: 2, mode: 'number' }),
    documentNumber: text('document_number').notNull(),
    legalBasis: text('legal_basis').notNull(),
    /** The date on the decision (a business date) and when the home recorded it (the system's time). */
    decidedOn: date('decided_on', { mode: 'string' }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
    decidedBy: text('decided_by').notNull(),
  },
  (t) => [
    index('penalty_decisions_finding_idx').on(t.findingId),
    uniqueIndex('penalty_decisions_one_fine')
      .on(t.findingId)
      .where(sql`${t.kind} = 'FINE'`),
  ],
);
export type PenaltyDecisionRow = typeof penaltyDecisions.$inferSelect;

/**
 * 移交/抄告 received (issue 11 item 4): another department's finding transferred to this one, from
 * its onecheck.finding.recorded.v1 (the finding keeps its id); this department accepts or refuses it.
 */
export const incomingTransfers = pgTable(
  'incoming_transfers',
  {
    findingId: uuid('finding_id').primaryKey(),
    homeDepartment: text('home_department').notNull(),
    uscc: text('uscc').notNull(),
    taskId: uuid('task_id').notNull(),
    visitId: uuid('visit_id'),
    itemCode: text('item_code'),
    description: text('description').notNull(),
    severity: text('severity', { enum: FINDING_SEVERITIES }).notNull(),
    recordedOn: date('recorded_on', { mode: 'string' }).notNull(),
    eventId: text('event_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    status: text('status', { enum: TRANSFER_STATUSES }).notNull().default('PENDING'),
    answeredOn: date('answered_on', { mode: 'string' }),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    answeredBy: text('answered_by'),
    reason: text('reason'),
  },
  (t) => [index('incoming_transfers_status_idx').on(t.status, t.receivedAt)],
);
export type IncomingTransferRow = typeof incomingTransfers.$inferSelect;

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
    /** The finding the act comes from, when it does (issue 11 item 4: LICENCE_ACT_PUSHED on it). */
    findingId: uuid('finding_id'),
  },
  (t) => [index('licence_acts_licence_idx').on(t.licenceId), index('licence_acts_pushed_idx').on(t.pushedAt)],
);
export type LicenceActRow = typeof licenceActs.$inferSelect;

/**
 * The department's inspector draw for one target draw of the office (双随机, docs/draw.md
 * "Inspectors (each department)"), received once: the draw id is the key, so a redelivered
 * draw event changes nothing.
 */
export const inspectorDraws = pgTable('inspector_draws', {
  drawId: uuid('draw_id').primaryKey(),
  planId: uuid('plan_id').notNull(),
  /** The draw seed (hex) the office revealed: the HMAC key of every ordering below. */
  seed: text('seed').notNull(),
  windowFrom: date('window_from', { mode: 'string' }).notNull(),
  windowTo: date('window_to', { mode: 'string' }).notNull(),
  drawnAt: timestamp('drawn_at', { withTimezone: true }).notNull(),
  /** The event that brought it, and when this department drew. */
  eventId: text('event_id').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
});

/**
 * The parts of an office draw (onecheck.draw.made.v2) received so far: the inspector draw needs
 * the whole drawn list (its load rule runs over every business in order), so it waits for the
 * last part; the parts are removed once drawn.
 */
export const drawParts = pgTable(
  'draw_parts',
  {
    drawId: uuid('draw_id').notNull(),
    part: integer('part').notNull(),
    parts: integer('parts').notNull(),
    data: jsonb('data').$type<EventData<'onecheck.draw.made.v2'>>().notNull(),
    eventId: text('event_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.drawId, t.part] })],
);

/** One candidate of a business's draw, as the proof keeps it: enough to re-derive the order. */
export interface DrawCandidate {
  inspectorId: string;
  /** 执法证号 at the draw (the HMAC message's second half); masked outside the department when read. */
  certificateNumber: string;
  /** HMAC-SHA256(seed, `${uscc}|${certificateNumber}`), hex. */
  hmac: string;
  /** Businesses earlier in this draw the inspector was already given to. */
  assignedBefore: number;
}

/** How many of the directory each filter of the draw left (the facts behind a shortfall). */
export interface DrawFunnel {
  activeInspectors: number;
  validCertificates: number;
  qualified: number;
  notConflicted: number;
}

/**
 * Each drawn business of the department's part, with its proof: the eligible inspectors in the
 * order the rule put them, and the team (the first two), or the shortfall when fewer than two
 * were eligible (no team then: 执法人员不得少于两人, 行政处罚法 §42).
 */
export const inspectorDrawBusinesses = pgTable(
  'inspector_draw_businesses',
  {
    // Written with its draw in one transaction (receiveDraw); no foreign key, as for conflicts.
    drawId: uuid('draw_id').notNull(),
    uscc: text('uscc').notNull(),
    /** 0-based place in the draw: businesses in ascending HMAC-SHA256(seed, uscc). */
    position: integer('position').notNull(),
    businessHmac: text('business_hmac').notNull(),
    items: text('items').array().notNull(),
    taskId: uuid('task_id').notNull(),
    eligible: jsonb('eligible').$type<DrawCandidate[]>().notNull(),
    funnel: jsonb('funnel').$type<DrawFunnel>().notNull(),
    team: uuid('team').array().notNull(),
    shortfall: text('shortfall', { enum: INSPECTOR_SHORTFALLS }),
    /** The business's 重点 items of this department, the eligible experts in order, and the expert drawn. */
    keyItems: text('key_items')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    expertEligible: jsonb('expert_eligible').$type<DrawCandidate[]>().notNull().default([]),
    experts: uuid('experts')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
  },
  (t) => [
    primaryKey({ columns: [t.drawId, t.uscc] }),
    index('inspector_draw_businesses_position_idx').on(t.drawId, t.position),
  ],
);
export type InspectorDrawRow = typeof inspectorDraws.$inferSelect;
export type InspectorDrawBusinessRow = typeof inspectorDrawBusinesses.$inferSelect;

// ── 赋码检查 (issue 11; seed 004 (十二) 无码不检查): codes in, checks outside plans, results ──────

/** One member of a check team, as the office's code carries it (contracts `teamMember`). */
export type TeamMemberData = EventData<'onecheck.visit.coded.v1'>['departments'][number]['team'][number];
/** One department's part of a coded visit: its items, its team, 互帮代查 (seed 004 (六)). */
export type CodedPart = EventData<'onecheck.visit.coded.v1'>['departments'][number];

/**
 * The department's own copy of a coded visit (onecheck.visit.coded.v1) that names it, in its parts
 * or as a delegate (互帮代查): the highest version wins. A result is recorded only against a
 * copy held here (无码不检查), and only while it is VALID and today is inside its validity.
 */
export const visitCodes = pgTable(
  'visit_codes',
  {
    visitId: uuid('visit_id').primaryKey(),
    code: text('code').notNull().unique(),
    version: integer('version').notNull(),
    uscc: text('uscc').notNull(),
    businessName: text('business_name').notNull(),
    reason: text('reason', { enum: VISIT_REASONS }).notNull(),
    reasonDetail: text('reason_detail'),
    planIds: uuid('plan_ids').array().notNull(),
    /** A check outside plans: this department's request (code_requests.id), when it asked. */
    requestId: uuid('request_id'),
    plannedOn: date('planned_on', { mode: 'string' }).notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }).notNull(),
    /** Every department's part as the code carries it (a delegate's team checks another's items). */
    departments: jsonb('departments').$type<CodedPart[]>().notNull(),
    mergedFrom: uuid('merged_from').array().notNull(),
    /**
     * Who may record on it or see it among this department's inspectors: `${department}|${inspectorId}`
     * of every team that checks this department's items, or that this department lends as a delegate.
     */
    members: text('members').array().notNull(),
    /** This department's INSPECTION tasks for the business the code covers (planId ∈ planIds, or the request's). */
    taskIds: uuid('task_ids').array().notNull(),
    status: text('status', { enum: VISIT_CODE_STATUSES }).notNull().default('VALID'),
    mergedInto: uuid('merged_into'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('visit_codes_members_idx').using('gin', t.members),
    index('visit_codes_tasks_idx').using('gin', t.taskIds),
    index('visit_codes_request_idx').on(t.requestId),
  ],
);
export type VisitCodeRow = typeof visitCodes.$inferSelect;

/**
 * A check outside plans (seed 001: 投诉举报, 专项行动, 重点领域) the department asked the office to
 * code, with its named officers; the office answers with a code carrying the request id.
 */
export const codeRequests = pgTable(
  'code_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    uscc: text('uscc').notNull(),
    reason: text('reason', { enum: VISIT_REASONS }).notNull(),
    reasonDetail: text('reason_detail').notNull(),
    items: text('items').array().notNull(),
    team: jsonb('team').$type<TeamMemberData[]>().notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }).notNull(),
    /** The department's task for the check (kind INSPECTION, no plan). */
    taskId: uuid('task_id').notNull(),
    requestedBy: text('requested_by').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    /**
     * The office refused to code it (onecheck.inspection.code-refused.v1), as a fact (the words are
     * rendered when read: catalogue `codeRefusal.*`), and when it did, by its own clock.
     */
    refusedBecause: text('refused_because', { enum: CODE_REFUSAL_REASONS }),
    refusedAt: timestamp('refused_at', { withTimezone: true }),
  },
  (t) => [index('code_requests_requested_idx').on(t.requestedAt)],
);
export type CodeRequestRow = typeof codeRequests.$inferSelect;

/** One answer to a point of an item's check form. */
export interface CheckAnswer {
  point: string;
  answer: string;
}

/**
 * A result recorded on a coded visit, per item (行政处罚法 §42, §55; seed 004 (十二)): its national
 * result categories, the check form's answers, evidence references, the officers (two or more of
 * the code's team) and experts apart. Stored by the department that owns the item; a delegate
 * team's record (互帮代查) names its department. `resultId` groups the items of one recording.
 */
export const inspectionResults = pgTable(
  'inspection_results',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    resultId: uuid('result_id').notNull(),
    visitId: uuid('visit_id').notNull(),
    code: text('code').notNull(),
    uscc: text('uscc').notNull(),
    itemCode: text('item_code').notNull(),
    categories: text('categories', { enum: RESULT_CATEGORIES }).array().notNull(),
    answers: jsonb('answers').$type<CheckAnswer[]>().notNull(),
    evidence: text('evidence').array().notNull(),
    /** The officers' inspector ids in the team's directory and their certificate numbers, in the same order. */
    officers: text('officers').array().notNull(),
    officerCertificates: text('officer_certificates').array().notNull(),
    experts: text('experts').array().notNull(),
    /** The day of the inspection (a business date) and when it was recorded (the system's time). */
    inspectedOn: date('inspected_on', { mode: 'string' }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    lateEntry: boolean('late_entry').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedByDepartment: text('recorded_by_department').notNull(),
    taskId: uuid('task_id'),
  },
  (t) => [
    // Each item once per visit: a second recording is refused (and a concurrent one fails here).
    unique('inspection_results_item_once').on(t.visitId, t.itemCode),
    index('inspection_results_result_idx').on(t.resultId),
  ],
);
export type InspectionResultRow = typeof inspectionResults.$inferSelect;
export type ConflictRow = typeof inspectorConflicts.$inferSelect;

/** What the domain returns and the resolvers receive as parent (the generated resolver types map to these). */
export type ItemRow = typeof supervisionItems.$inferSelect;
export type InspectorRow = typeof inspectors.$inferSelect;
/** A task as every task query reads it: the row and its overdue flags as of today (domain/deadlines.ts `taskColumns`). */
export type TaskRow = typeof supervisionTasks.$inferSelect & { claimOverdue: boolean; checkOverdue: boolean };
export type FindingRow = typeof findings.$inferSelect;

// ── 牵头 (谁主管谁牵头; issue 11 item 4): the lead department follows the findings on its plans' visits ──

/** The joint plans this department leads, as the office's plan events (published, adjusted) state them. */
export const ledPlans = pgTable('led_plans', {
  planId: uuid('plan_id').primaryKey(),
  name: text('name').notNull(),
  year: integer('year').notNull(),
  status: text('status', { enum: PLAN_STATUSES }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});
export type LedPlanRow = typeof ledPlans.$inferSelect;

/**
 * Which plans each coded plan visit carries (onecheck.visit.coded.v1, highest version), for every
 * plan visit the office codes — also those without this department's items, which its own copies
 * (visit_codes) do not hold: the visit a finding names is mapped to its plans here.
 */
export const planVisits = pgTable(
  'plan_visits',
  {
    visitId: uuid('visit_id').primaryKey(),
    planIds: uuid('plan_ids').array().notNull(),
    version: integer('version').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('plan_visits_plans_idx').using('gin', t.planIds)],
);

/**
 * Another department's finding on a visit of a plan this department leads, from its
 * onecheck.finding.recorded.v1 (one row per finding id), its handling followed by
 * onecheck.finding.handled.v1. `awaitingVisit`: the finding came before the visit's code did (the
 * visit consumer lagging); the code decides, when it comes, whether it is kept.
 */
export const ledFindings = pgTable(
  'led_findings',
  {
    findingId: uuid('finding_id').primaryKey(),
    department: text('department').notNull(),
    uscc: text('uscc').notNull(),
    visitId: uuid('visit_id').notNull(),
    code: text('code'),
    itemCode: text('item_code'),
    description: text('description').notNull(),
    severity: text('severity', { enum: FINDING_SEVERITIES }).notNull(),
    handling: text('handling', { enum: FINDING_HANDLINGS }).notNull(),
    recordedOn: date('recorded_on', { mode: 'string' }).notNull(),
    dueOn: date('due_on', { mode: 'string' }),
    transferTo: text('transfer_to'),
    status: text('status', { enum: FINDING_STATUSES }).notNull().default('OPEN'),
    lastStep: text('last_step', { enum: FINDING_STEPS }),
    lastStepOn: date('last_step_on', { mode: 'string' }),
    awaitingVisit: boolean('awaiting_visit').notNull().default(false),
    eventId: text('event_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('led_findings_visit_idx').on(t.visitId, t.recordedOn)],
);
export type LedFindingRow = typeof ledFindings.$inferSelect;
