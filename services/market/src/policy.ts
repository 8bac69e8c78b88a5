/**
 * Who may do what in market regulation's subgraph (DESIGN.md §5): every access rule of the
 * service, in one place. Resolvers call these before they call the domain.
 */
import type { Identity } from '@onecheck/auth';
import { REGISTRAR_DEPARTMENT, requireOwnDepartment, requireRole, requireSignedIn, type Action } from '@onecheck/kit';
import type { VisitScope } from './domain/visits';

/** The registry, the industry catalogue and the calendar are for government users, not the public. */
export function requireReader(identity: Identity): void {
  requireSignedIn(identity);
}

/** Registration is market regulation's own work: its staff, or the 双随机 office inside it. */
export function requireRegistrar(
  identity: Identity,
  action: Extract<Action, 'registerBusinesses' | 'changeBusinesses'>,
): void {
  if (identity.role === 'office') return;
  requireOwnDepartment(identity, REGISTRAR_DEPARTMENT, action);
}

/** The office enters the official calendar (published by the State Council each November). */
export function requireCalendarKeeper(identity: Identity): void {
  requireRole(identity, ['office'], 'setCalendar');
}

/**
 * A business's trail (全程留痕, issue 9) shows who changed the register and the personal data it
 * held: for the register's keepers, the office and market regulation's own staff.
 */
export function requireTrailReader(identity: Identity): void {
  if (identity.role === 'office') return;
  requireOwnDepartment(identity, REGISTRAR_DEPARTMENT, 'readAuditTrail');
}

/** 一业一单's lead and cooperating departments are set by the office (seed 000 §二, 004 (一)). */
export function requireListKeeper(identity: Identity): void {
  requireRole(identity, ['office'], 'setJointListDepartments');
}

/** 一业一册 is told to businesses in advance (seed 000 ⑴, 004 (九)): anyone may read it, without a token. */
export function allowGuideReader(_identity: Identity): void {}

// ── 一业一查: plans and the draw (issue 10) ──────────────────────────────────────────────────

/** The office publishes plans and freezes and draws them (seed 000 §二(二), 001 §三). */
export function requireOffice(identity: Identity, action: Extract<Action, 'publishPlans' | 'drawPlans'>): void {
  requireRole(identity, ['office'], action);
}

/** The observing 纪检 officer enters the draw's public value (seed 001); the office may, from a lottery result. */
export function requireObserver(identity: Identity): void {
  requireRole(identity, ['auditor', 'office'], 'observeDraws');
}

/** The whole pool with classes (信用风险分类 results stay internal): the office and the 纪检 role. */
export function requireDrawAuditor(identity: Identity): void {
  requireRole(identity, ['auditor', 'office'], 'readDrawAudit');
}

/** A department tags businesses for its own 重点 supervision: its staff. */
export function requireTagger(identity: Identity): string {
  requireRole(identity, ['staff'], 'tagTargets');
  return identity.department!;
}

/** Plans in the making are for government users; published plans and draw proofs are public (一公开). */
export const seesUnpublishedPlans = (identity: Identity) => identity.role !== 'public';

/**
 * 检查对象名录库 (classes and tags): the office and the departments' staff who plan and check;
 * not inspectors in the field, not the bureau (信用风险分类 results stay internal to supervision).
 */
export function requireTargetReader(identity: Identity): void {
  requireRole(identity, ['office', 'staff', 'auditor'], 'readTargets');
}

// ── 一业一查: visits and inspection codes (issue 11) ──────────────────────────────────────────

/**
 * Whose visits a caller sees: the office all; a department's staff those with their department;
 * an inspector only those whose team (any department's) includes them — their login subject is
 * their Inspector id. No token: UNAUTHENTICATED; other roles: FORBIDDEN.
 */
export function visitScope(identity: Identity): VisitScope {
  requireRole(identity, ['office', 'staff', 'inspector'], 'readVisits');
  if (identity.role === 'office') return { all: true };
  if (identity.role === 'staff') return { department: identity.department! };
  return { inspector: identity.sub };
}

/** The office merges visits (seed 000 §二(二)6) and moves their planned dates. */
export function requireVisitOffice(identity: Identity, action: Extract<Action, 'mergeVisits' | 'rescheduleVisits'>) {
  requireRole(identity, ['office'], action);
}

/** 互帮代查 (seed 004 (六)): the delegating department's staff, or the office. */
export function requireDelegator(identity: Identity, department: string): void {
  if (identity.role === 'office') return;
  requireOwnDepartment(identity, department, 'delegateVisitItems');
}

/** A visit's audit trail (全程留痕): the office. */
export function requireVisitTrailReader(identity: Identity): void {
  requireRole(identity, ['office'], 'readAuditTrail');
}

/** 赋码检查 is checked by anyone holding the code (the business at its door): no token needed. */
export function allowCodeCheck(_identity: Identity): void {}

// ── 一公开 and measures (issue 11 items 5 and 6) ────────────────────────────────────────────────

/** 谁检查、谁公示 (seed 000 §二(二)9; domain-notes §5): the department's staff publish its results; the office may for it. */
export function requirePublisher(identity: Identity, department: string): void {
  if (identity.role === 'office') return;
  requireOwnDepartment(identity, department, 'publishResults');
}

/** Overdue publications: the office sees every department's (null), a department's staff their own. */
export function publicationScope(identity: Identity): string | null {
  requireRole(identity, ['office', 'staff'], 'readPublicationDeadlines');
  return identity.role === 'office' ? null : identity.department!;
}

/** Inspection tasks and their due dates, the burden per business: government users, not the public. */
export function requireTaskReader(identity: Identity): void {
  requireSignedIn(identity);
}

/** The measures (seed 001 §五 考核, 002 六(四)): the office and government users who plan and oversee. */
export function requireMeasureReader(identity: Identity): void {
  requireRole(identity, ['office', 'staff', 'auditor'], 'readMeasures');
}

/** 一公开: published results are for anyone, without a token. */
export function allowPublicationReader(_identity: Identity): void {}
