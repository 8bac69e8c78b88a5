/**
 * Who may do what in market regulation's subgraph (DESIGN.md §5): every access rule of the
 * service, in one place. Resolvers call these before they call the domain.
 */
import type { Identity } from '@onecheck/auth';
import { REGISTRAR_DEPARTMENT, requireOwnDepartment, requireRole, requireSignedIn, type Action } from '@onecheck/kit';

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
