import type { Identity } from '@onecheck/auth';
import {
  badInput,
  forbidden,
  requireOwnDepartment,
  requireRole,
  requireSignedIn,
  targetDepartment,
  type Action,
} from '@onecheck/kit';

/**
 * Every access rule of a department instance (DESIGN.md §5), in one place. `serves` is the
 * department the instance serves; `department` the one a request is about.
 */

/**
 * The department a root field is about: its argument, else the caller's own (kit's
 * `targetDepartment`, the rule the gateway routes by). An instance asked about another
 * department was misrouted, and says so rather than answer with its own data.
 */
export function servedDepartment(identity: Identity, argument: string | null | undefined, serves: string): string {
  const target = targetDepartment(argument, identity);
  if (target !== serves) throw badInput('department', 'department.wrongInstance', { serves, target });
  return target;
}

/** Items, the inspector directory and which items apply to a business: any signed-in caller reads them. */
export const requireReader = (identity: Identity) => requireSignedIn(identity);

/**
 * Entity references name their department; an instance answers only for its own (a reference to
 * another department's entity resolves to nothing here).
 */
export function answersFor(identity: Identity, refDepartment: string, serves: string): boolean {
  requireSignedIn(identity);
  return refDepartment === serves;
}

/** A department writes only its own data: its own staff publish and withdraw items, claim tasks, add inspectors. */
export function requireOwnWriter(identity: Identity, department: string, action: Action): void {
  requireOwnDepartment(identity, department, action);
}

/** Tasks are the department's own work: its staff and inspectors see them, the office and the approval bureau follow them. */
export function requireTaskReader(identity: Identity, department: string): void {
  requireSignedIn(identity);
  const { role } = identity;
  if (role === 'office' || role === 'approver') return;
  if ((role === 'staff' || role === 'inspector') && identity.department === department) return;
  throw forbidden('auth.tasksForbidden', { who: identity.department ?? role, department });
}

/** 谁检查、谁录入: the department's inspectors (or its staff, entering a paper record) record results. */
export function requireResultRecorder(identity: Identity, department: string): void {
  requireRole(identity, ['inspector', 'staff'], 'recordResults');
  if (identity.department !== department)
    throw forbidden('auth.resultsForbidden', { who: identity.department ?? identity.role, department });
}

/**
 * Who oversees the 双随机 draws (seed 001): the office, and the supervising 纪检 auditor where a
 * deployment has that role. They read every department's inspector draw and its proof.
 */
const DRAW_OVERSEERS: readonly string[] = ['office', 'auditor'];

/**
 * A department's inspector draw (which businesses have a team, which not and why): the overseers
 * and the department's own staff and inspectors. Another department's people are refused.
 */
export function requireDrawReader(identity: Identity, department: string): void {
  requireSignedIn(identity);
  if (DRAW_OVERSEERS.includes(identity.role)) return;
  if ((identity.role === 'staff' || identity.role === 'inspector') && identity.department === department) return;
  throw forbidden('auth.inspectorDrawForbidden', { who: identity.department ?? identity.role, department });
}

/** The draw's proof, for re-deriving it: the overseers and the department's own staff. */
export function requireDrawProofReader(identity: Identity, department: string): void {
  requireSignedIn(identity);
  if (DRAW_OVERSEERS.includes(identity.role)) return;
  if (identity.role === 'staff' && identity.department === department) return;
  throw forbidden('auth.inspectorDrawForbidden', { who: identity.department ?? identity.role, department });
}

/**
 * Who the department's people are: its staff and inspectors see who is in its teams and what
 * conflicts its inspectors declared; for everyone else that is personal data that stays inside.
 */
export const isOwnPeople = (identity: Identity, department: string) =>
  (identity.role === 'staff' || identity.role === 'inspector') && identity.department === department;

/**
 * A task's trail (全程留痕, issue 9 item 2): who claimed, checked, closed it and when. For the
 * office, which oversees the 双随机 work, and the task's own department's staff (its keepers,
 * as market's register trail is for market's staff); inspectors, the bureau and other
 * departments are refused.
 */
export function requireTaskTrailReader(identity: Identity, department: string): void {
  if (identity.role === 'office') return;
  requireOwnDepartment(identity, department, 'readAuditTrail');
}
