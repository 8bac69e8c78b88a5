/**
 * Every enum of the domain, defined once (issue 6). The SDL enums, the drizzle `text(…, { enum })`
 * columns, the zod inputs and the event payloads all take their values from here; a test compares
 * each SDL enum with its constant. Names follow DESIGN.md's glossary; each constant is the list
 * of values, each type the union of them.
 */

/** How serious a problem found in a check is (发现问题). */
export const FINDING_SEVERITIES = ['MINOR', 'GENERAL', 'SERIOUS'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/**
 * How a finding is handled: 责令整改, 立案处罚, 移交其他部门, 移送司法 (行刑衔接), 提请吊销许可.
 */
export const FINDING_HANDLINGS = [
  'RECTIFICATION',
  'PENALTY',
  'TRANSFER',
  'JUDICIAL_TRANSFER',
  'LICENCE_REVOCATION_REQUEST',
] as const;
export type FindingHandling = (typeof FINDING_HANDLINGS)[number];

/** The outcome of one check (检查结果). */
export const CHECK_OUTCOMES = ['NO_PROBLEM', 'PROBLEMS_FOUND'] as const;
export type CheckOutcome = (typeof CHECK_OUTCOMES)[number];

/** A supervision task's life (审管联动: pushed, claimed within 3 working days, checked within 30). */
export const TASK_STATUSES = ['PENDING_CLAIM', 'CLAIMED', 'CHECKED', 'CLOSED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** A licence that ended: 吊销, 注销, 撤销, 撤回 (行政许可法 §69, §70, §8) or expired (§70(一)). */
const LICENCE_ENDINGS = [
  'LICENCE_REVOKED',
  'LICENCE_CANCELLED',
  'LICENCE_ANNULLED',
  'LICENCE_WITHDRAWN',
  'LICENCE_EXPIRED',
] as const;

/**
 * Why a supervision task closed without a check: the licence it supervised ended; or, for a check
 * outside plans, the office refused to code it (CODE_REFUSED: 未经赋码备案的，不得实施, seed 004
 * (十二)). In no event schema: a department-side value only.
 */
export const TASK_CLOSED_REASONS = [...LICENCE_ENDINGS, 'CODE_REFUSED'] as const;
export type TaskClosedReason = (typeof TASK_CLOSED_REASONS)[number];

/**
 * A licence's status, one per legal act (each has its own owner, issue 9): SUSPENDED 责令停产停业
 * and REVOKED 吊销 are penalties the supervising department decides (行政处罚法 §9, §63);
 * WITHDRAWN 撤回 (行政许可法 §8), ANNULLED 撤销 (§69) and CANCELLED 注销 (§70) are the bureau's;
 * EXPIRED is the end of its validity (§70(一)), reached by itself.
 */
export const LICENCE_STATUSES = [
  'VALID',
  'SUSPENDED',
  'REVOKED',
  'WITHDRAWN',
  'ANNULLED',
  'CANCELLED',
  'EXPIRED',
] as const;
export type LicenceStatus = (typeof LICENCE_STATUSES)[number];

/**
 * The kinds the first contracts published: licence events' `act` and onecheck.licence-act.pushed.v1.
 * Frozen with them (a published enum neither narrows nor widens): RESUME came with pushed.v2.
 */
export const LICENCE_ACT_KINDS_V1 = ['SUSPEND', 'REVOKE', 'CHANGE', 'WITHDRAW', 'ANNUL', 'CANCEL'] as const;

/**
 * What a department pushes to the bureau about a licence it supervises (seed 003 第二十条(二)):
 * its own decisions SUSPEND (责令停产停业), REVOKE (吊销) and RESUME (解除责令停产停业: the
 * department that ordered the suspension lifts it, 行政处罚法 §9, §63), or a request (函告) that
 * the bureau CHANGE (变更), WITHDRAW (撤回), ANNUL (撤销) or CANCEL (注销) it.
 */
export const LICENCE_ACT_KINDS = [...LICENCE_ACT_KINDS_V1, 'RESUME'] as const;
export type LicenceActKind = (typeof LICENCE_ACT_KINDS)[number];

/** The kinds a department decides itself; the others are requests the bureau decides. */
export const DEPARTMENT_DECIDED_ACTS = ['SUSPEND', 'REVOKE', 'RESUME'] as const satisfies readonly LicenceActKind[];

/**
 * A pushed act at the bureau: waiting to be claimed (3 working days, 第二十条(二)), claimed, and
 * for a request the bureau's answer (ACCEPTED: it made the act; REJECTED).
 */
export const LICENCE_ACT_STATUSES = ['PENDING_CLAIM', 'CLAIMED', 'ACCEPTED', 'REJECTED'] as const;
export type LicenceActStatus = (typeof LICENCE_ACT_STATUSES)[number];

/**
 * 告知承诺 (seed 003 第二十三条; domain-notes §7): how an approval item granted on the applicant's
 * promise is followed up — DEFERRED_MATERIALS 材料延期 (the licence is issued when the promised
 * materials arrive), MATERIALS_VERIFICATION 材料核验 (checked against e-licences after the grant),
 * POST_CHECK 事后核查 (the supervising department checks on site).
 */
export const PROMISE_MODES = ['DEFERRED_MATERIALS', 'MATERIALS_VERIFICATION', 'POST_CHECK'] as const;
export type PromiseMode = (typeof PROMISE_MODES)[number];

/**
 * A promise's life: waiting for its materials, its verification or its on-site check; RECTIFYING
 * (the check found it untrue and ordered 限期整改, seed 003 (三)9: settled by the re-check); OVERDUE (the
 * promised materials did not arrive in time: listed for the bureau); KEPT; UNTRUE (承诺不实, a
 * dishonesty record went to the credit platform); ANNULLED (the bureau annulled the approval, 撤销);
 * CLOSED (unsettled: what was promised for ended first, PROMISE_CLOSED_REASONS).
 */
export const PROMISE_STATUSES = [
  'AWAITING_MATERIALS',
  'AWAITING_VERIFICATION',
  'AWAITING_CHECK',
  'RECTIFYING',
  'OVERDUE',
  'KEPT',
  'UNTRUE',
  'ANNULLED',
  'CLOSED',
] as const;
export type PromiseStatus = (typeof PROMISE_STATUSES)[number];

/**
 * Why a promise closed unsettled: its licence ended before the verification, the check or the
 * re-check; or its business deregistered (注销登记) before the promised materials came. In no
 * event schema: the bureau's value only.
 */
export const PROMISE_CLOSED_REASONS = [...LICENCE_ENDINGS, 'BUSINESS_DEREGISTERED'] as const;
export type PromiseClosedReason = (typeof PROMISE_CLOSED_REASONS)[number];

/** Why a promise was found broken (the fact a dishonesty record carries). */
export const PROMISE_BREACHES = ['MATERIALS_OVERDUE', 'MATERIALS_UNTRUE', 'CHECK_UNTRUE'] as const;
export type PromiseBreach = (typeof PROMISE_BREACHES)[number];

/** How a period is counted: working days (the default of the seeds) or calendar days. */
export const DAY_COUNTS = ['WORKING_DAYS', 'CALENDAR_DAYS'] as const;
export type DayCount = (typeof DAY_COUNTS)[number];

/** 信用风险分类: A low, B general, C higher, D high risk. */
export const RISK_CLASSES = ['A', 'B', 'C', 'D'] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];

/**
 * The class of a business until its records say otherwise: general risk (B; 国市监信发〔2022〕6号
 * treats the unknown as 一般). A lower class (A) needs positive records the platform does not hold
 * yet, and no class exempts a business from the draw. The credit platform classifies by it, and
 * those who hear its classes (the office, the bureau) read it for a business it has published none for.
 */
export const DEFAULT_RISK_CLASS: RiskClass = 'B';

/**
 * Which rule decided a business's risk class (stored with the counts behind it; the words are the
 * catalogue's `credit.rule.*`): DEFAULT the platform holds nothing on it, NEW just registered,
 * then the interim rules over the look-back window; LEGACY classed before the rule was stored.
 */
export const CREDIT_RULES = [
  'DEFAULT',
  'NEW',
  'NO_FINDINGS',
  'SOME_FINDINGS',
  'PENALTIES_OR_GENERAL',
  'SERIOUS',
  'LEGACY',
] as const;
export type CreditRule = (typeof CREDIT_RULES)[number];

/** A business's registry status: 存续, 停业, 吊销, 注销. */
export const ENTERPRISE_STATUSES = ['ACTIVE', 'SUSPENDED', 'REVOKED', 'DEREGISTERED'] as const;
export type EnterpriseStatus = (typeof ENTERPRISE_STATUSES)[number];

/** The level of government a supervision item (监管事项) is defined at. */
export const SUPERVISION_LEVELS = ['PROVINCE', 'CITY', 'COUNTY'] as const;
export type SupervisionLevel = (typeof SUPERVISION_LEVELS)[number];

/** How a supervision item is checked. */
export const CHECK_METHODS = ['ON_SITE', 'DOCUMENT', 'ONLINE'] as const;
export type CheckMethod = (typeof CHECK_METHODS)[number];

/**
 * 重点 or 一般 检查事项 (国市监信〔2019〕38号; seed 004): a KEY item's sampling ratio has no cap, a
 * GENERAL item's is capped by the county's configured maximum.
 */
export const ITEM_EMPHASES = ['KEY', 'GENERAL'] as const;
export type ItemEmphasis = (typeof ITEM_EMPHASES)[number];

/** A department's place on an industry's joint list (一业一单): 牵头, 配合, or items without being named. */
export const JOINT_LIST_ROLES = ['LEAD', 'COOPERATING', 'OTHER'] as const;
export type JointListRole = (typeof JOINT_LIST_ROLES)[number];

/**
 * Who is in an inspector directory (执法检查人员名录库): an INSPECTOR holds an enforcement
 * certificate and counts toward the two officers (行政处罚法 §42); an EXPERT (专家) joins a team
 * but never counts.
 */
export const INSPECTOR_KINDS = ['INSPECTOR', 'EXPERT'] as const;
export type InspectorKind = (typeof INSPECTOR_KINDS)[number];

/**
 * An annual joint plan's life (seed 000 §二(二)5, 001 §三): drafted by the lead department, filed
 * (备案) with the office, published, drawn once, in progress, completed — or cancelled by a filed
 * adjustment.
 */
export const PLAN_STATUSES = ['DRAFT', 'FILED', 'PUBLISHED', 'DRAWN', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** A filed and published change to a plan (seed 001: 增设, 延迟, 取消, 调整比例). */
export const PLAN_ADJUSTMENTS = ['ADD', 'DELAY', 'CANCEL', 'RATIO'] as const;
export type PlanAdjustment = (typeof PLAN_ADJUSTMENTS)[number];

/**
 * Where a department's task came from: LICENCE a granted licence pushed by 审管联动 (seed 003),
 * INSPECTION a business of the department's part of a joint plan's draw (双随机, seed 001).
 */
export const TASK_KINDS = ['LICENCE', 'INSPECTION'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/**
 * Why a department could not field two officers for a drawn business (行政处罚法 §42): the first
 * filter of its inspector draw after which fewer than two were left (docs/draw.md).
 */
export const INSPECTOR_SHORTFALLS = [
  'NO_ACTIVE_INSPECTORS',
  'CERTIFICATES_EXPIRED',
  'NO_QUALIFIED_INSPECTORS',
  'ALL_CONFLICTED',
] as const;
export type InspectorShortfall = (typeof INSPECTOR_SHORTFALLS)[number];

/** Whether a supervision item is on the department's published list. */
export const ITEM_STATUSES = ['PUBLISHED', 'WITHDRAWN'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** GB/T 4754-2017's levels: section (letter), division (2 digits), group (3), class (4). */
export const INDUSTRY_LEVELS = ['SECTION', 'DIVISION', 'GROUP', 'CLASS'] as const;
export type IndustryLevel = (typeof INDUSTRY_LEVELS)[number];

/** What kind of day a date is in the official calendar (ADJUSTED_WORKDAY: 调休). */
export const DAY_KINDS = ['WEEKDAY', 'WEEKEND', 'HOLIDAY', 'ADJUSTED_WORKDAY'] as const;
export type DayKind = (typeof DAY_KINDS)[number];

/** Where a year of the working calendar comes from: the office, the shipped data, or nothing yet. */
export const CALENDAR_COVERAGES = ['OFFICE', 'SHIPPED', 'WEEKENDS_ONLY'] as const;
export type CalendarCoverage = (typeof CALENDAR_COVERAGES)[number];

// ── 一业一查, part 2 (issue 11): visits, codes, results, findings' handling, publication ──────

/**
 * 抽查检查结果 (the national result categories, domain-notes §5): more than one may apply to an
 * item, except NO_PROBLEM, which stands alone. UNREACHABLE_AT_ADDRESS puts the business on the
 * 经营异常名录 (企业信息公示暂行条例 §17).
 */
export const RESULT_CATEGORIES = [
  'NO_PROBLEM', // 未发现问题
  'INFO_NOT_DISCLOSED', // 未按规定公示应当公示的信息
  'INFO_FALSIFIED', // 公示信息隐瞒真实情况、弄虚作假
  'UNREACHABLE_AT_ADDRESS', // 通过登记的住所（经营场所）无法联系
  'PROBLEM_CORRECTED', // 发现问题已责令改正
  'PROBLEM_PENDING', // 发现问题待后续处理
  'OBSTRUCTED', // 不配合检查情节严重
  'NO_RELEVANT_ACTIVITY', // 未发现开展本次抽查涉及的经营活动
  'CLOSED_OR_LIQUIDATING', // 已关闭停业或正在组织清算
  'DEREGISTERED_OR_REVOKED', // 注销 / 吊销 / 撤销 / 迁出
  'DEPARTMENT_RULE_VIOLATED', // 违反XX部门相关规定
] as const;
export type ResultCategory = (typeof RESULT_CATEGORIES)[number];

/**
 * The categories that say a problem was found. The others say nothing was wrong, or that there
 * was nothing to check (no activity, closed, deregistered).
 */
export const PROBLEM_RESULT_CATEGORIES = [
  'INFO_NOT_DISCLOSED',
  'INFO_FALSIFIED',
  'UNREACHABLE_AT_ADDRESS',
  'PROBLEM_CORRECTED',
  'PROBLEM_PENDING',
  'OBSTRUCTED',
  'DEPARTMENT_RULE_VIOLATED',
] as const satisfies readonly ResultCategory[];

/** Whether a result category says a problem was found (PROBLEM_RESULT_CATEGORIES). */
export const isProblemCategory = (c: ResultCategory): boolean =>
  (PROBLEM_RESULT_CATEGORIES as readonly ResultCategory[]).includes(c);

/**
 * Why market regulation lists a business in its 经营异常名录 from a check (企业信息公示暂行条例 §17):
 * 通过登记的住所（经营场所）无法联系, a result category of its own.
 */
export const ABNORMAL_LISTING_CAUSES = ['UNREACHABLE_AT_ADDRESS'] as const satisfies readonly ResultCategory[];

/** Why a visit is coded (赋码): a joint plan's draw, or a check outside plans (seed 001 exemptions). */
export const VISIT_REASONS = ['PLAN', 'COMPLAINT', 'SPECIAL_ACTION', 'KEY_AREA', 'REFERRAL'] as const;
export type VisitReason = (typeof VISIT_REASONS)[number];

/** A visit's life: waiting for the departments' teams, coded (赋码), results all in, or merged into another / cancelled. */
export const VISIT_STATUSES = ['AWAITING_TEAMS', 'CODED', 'RECORDED', 'MERGED', 'CANCELLED'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

/**
 * What the public code check (赋码检查, seed 004 (十二)) says of a known code: valid today (China
 * time), its window not begun or over, or revoked (merged into another visit, or cancelled).
 */
export const INSPECTION_CODE_STATUSES = ['VALID', 'NOT_YET_VALID', 'EXPIRED', 'REVOKED'] as const;
export type InspectionCodeStatus = (typeof INSPECTION_CODE_STATUSES)[number];

/**
 * Why the office refused to code a department's check outside plans (赋码, seed 004 (十二); market
 * regulation is the registration authority): it never registered the business (NOT_REGISTERED), or
 * the business is deregistered (DEREGISTERED, 注销: it no longer exists to be checked). One whose
 * business licence was revoked (REVOKED, 吊销营业执照: it exists until 注销, and may be checked for
 * trading on) or that suspended business (SUSPENDED, 停业) is coded as usual.
 */
export const CODE_REFUSAL_REASONS = ['NOT_REGISTERED', 'DEREGISTERED'] as const;
export type CodeRefusalReason = (typeof CODE_REFUSAL_REASONS)[number];

/**
 * A department's request for the code of a check outside plans: waiting for the office's answer,
 * CODED (its code arrived), or REFUSED (onecheck.inspection.code-refused.v1; its task is closed).
 */
export const CODE_REQUEST_STATUSES = ['PENDING', 'CODED', 'REFUSED'] as const;
export type CodeRequestStatus = (typeof CODE_REQUEST_STATUSES)[number];

/**
 * A department's copy of a visit's code (赋码, seed 004 (十二)): VALID (a result may be recorded
 * while today is inside its validity), or revoked by the office: MERGED into another visit, or
 * CANCELLED (onecheck.visit.code-revoked.v1).
 */
export const VISIT_CODE_STATUSES = ['VALID', 'MERGED', 'CANCELLED'] as const;
export type VisitCodeStatus = (typeof VISIT_CODE_STATUSES)[number];

/** 行政处罚的种类 (行政处罚法 §9), and 不予处罚 as a case's outcome. */
export const PENALTY_KINDS = [
  'WARNING', // 警告、通报批评
  'FINE', // 罚款
  'CONFISCATION', // 没收违法所得、没收非法财物
  'LICENCE_SUSPENSION', // 暂扣许可证件、降低资质等级
  'LICENCE_REVOCATION', // 吊销许可证件
  'BUSINESS_RESTRICTION', // 限制开展生产经营活动、责令停产停业、责令关闭、限制从业
  'NO_PENALTY', // 不予行政处罚
] as const;
export type PenaltyKind = (typeof PENALTY_KINDS)[number];

/**
 * The records on a business's credit record that 信用修复 applies to: a false promise under 告知承诺
 * (the bureau's dishonesty record) and a penalty decision (行政处罚信息). The others end by
 * themselves: a finding leaves the look-back window, a revocation (吊销) is not repaired early.
 */
export const CREDIT_REPAIR_RECORDS = ['FALSE_PROMISE', 'PENALTY'] as const;
export type CreditRepairRecord = (typeof CREDIT_REPAIR_RECORDS)[number];

/**
 * 联合惩戒 measures (seed 000 ¶10, 《全国失信惩戒措施基础清单》(2024年版)): 市场或行业禁入
 * (INDUSTRY_BAN), 限制申请财政性资金项目 (FISCAL_FUNDS), 限制享受优惠政策和便利措施
 * (PREFERENTIAL_POLICIES: 告知承诺 is such a 便利措施, so the bureau refuses it), 纳入重点监管范围
 * (KEY_SUPERVISION).
 */
export const JOINT_MEASURES = ['INDUSTRY_BAN', 'FISCAL_FUNDS', 'PREFERENTIAL_POLICIES', 'KEY_SUPERVISION'] as const;
export type JointMeasure = (typeof JOINT_MEASURES)[number];

/** A finding's life, whatever its handling: open with its owner, or closed. */
export const FINDING_STATUSES = ['OPEN', 'CLOSED'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** A transfer (移交/抄告) as the finding's home department sees it: waiting for, or given, the receiver's answer. */
export const TRANSFER_STATUSES = ['PENDING', 'ACCEPTED', 'REFUSED'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/** What happened to a finding after it was recorded (each goes out as onecheck.finding.handled.v1). */
export const FINDING_STEPS = [
  'RECHECKED', // 复查: rectified (closes it) or not
  'CASE_OPENED', // 立案
  'PENALTY_DECIDED', // 处罚决定 (accepted by the finding's home department)
  'TRANSFER_ACCEPTED', // 移交/抄告: the receiving department accepted it
  'TRANSFER_REFUSED', // … or refused it, with its reason
  'JUDICIAL_FEEDBACK', // 移送司法: the receiving organ's feedback
  'LICENCE_ACT_PUSHED', // 反向推送 of a licence decision or request
  'CLOSED',
] as const;
export type FindingStep = (typeof FINDING_STEPS)[number];

/**
 * Each GraphQL enum by its SDL name, with the constant that defines it: the SDL check reads
 * this map, so an SDL enum without an entry here (or one that differs) fails a test.
 */
export const DOMAIN_ENUMS = {
  FindingSeverity: FINDING_SEVERITIES,
  FindingHandling: FINDING_HANDLINGS,
  CheckOutcome: CHECK_OUTCOMES,
  TaskStatus: TASK_STATUSES,
  TaskClosedReason: TASK_CLOSED_REASONS,
  LicenceStatus: LICENCE_STATUSES,
  LicenceActKind: LICENCE_ACT_KINDS,
  LicenceActStatus: LICENCE_ACT_STATUSES,
  PromiseMode: PROMISE_MODES,
  PromiseStatus: PROMISE_STATUSES,
  PromiseBreach: PROMISE_BREACHES,
  PromiseClosedReason: PROMISE_CLOSED_REASONS,
  CreditRepairRecord: CREDIT_REPAIR_RECORDS,
  JointMeasure: JOINT_MEASURES,
  DayCount: DAY_COUNTS,
  ItemEmphasis: ITEM_EMPHASES,
  JointListRole: JOINT_LIST_ROLES,
  InspectorKind: INSPECTOR_KINDS,
  TaskKind: TASK_KINDS,
  InspectorShortfall: INSPECTOR_SHORTFALLS,
  PlanStatus: PLAN_STATUSES,
  PlanAdjustment: PLAN_ADJUSTMENTS,
  RiskClass: RISK_CLASSES,
  CreditRule: CREDIT_RULES,
  EnterpriseStatus: ENTERPRISE_STATUSES,
  SupervisionLevel: SUPERVISION_LEVELS,
  CheckMethod: CHECK_METHODS,
  ItemStatus: ITEM_STATUSES,
  IndustryLevel: INDUSTRY_LEVELS,
  DayKind: DAY_KINDS,
  CalendarCoverage: CALENDAR_COVERAGES,
  ResultCategory: RESULT_CATEGORIES,
  VisitReason: VISIT_REASONS,
  VisitStatus: VISIT_STATUSES,
  InspectionCodeStatus: INSPECTION_CODE_STATUSES,
  VisitCodeStatus: VISIT_CODE_STATUSES,
  CodeRefusalReason: CODE_REFUSAL_REASONS,
  CodeRequestStatus: CODE_REQUEST_STATUSES,
  PenaltyKind: PENALTY_KINDS,
  FindingStatus: FINDING_STATUSES,
  FindingStep: FINDING_STEPS,
  TransferStatus: TRANSFER_STATUSES,
} as const satisfies Record<string, readonly string[]>;
export type DomainEnumName = keyof typeof DOMAIN_ENUMS;
