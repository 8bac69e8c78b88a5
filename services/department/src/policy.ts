import type { Identity } from '@onecheck/auth';
import {
  badInput,
  forbidden,
  notFound,
  requireOwnDepartment,
  requireRole,
  requireSignedIn,
  targetDepartment,
  type Action,
} from '@onecheck/kit';
import { memberKey } from './domain/visit-codes';

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

// ── 赋码检查 (issue 11): codes, checks outside plans, results on coded visits ──────────────────

/** Checks outside plans are asked for by the department's own staff (seed 001 exemptions, seed 004 (十二)). */
export const requireCodeRequester = (identity: Identity, department: string) =>
  requireOwnDepartment(identity, department, 'requestCodes');

/** 谁检查、谁录入: a result on a coded visit is recorded by an inspector (their token's `sub` is their Inspector id). */
export const requireVisitRecorder = (identity: Identity) => requireRole(identity, ['inspector'], 'recordResults');

/**
 * …and only by an officer on the team that checks the items (行政处罚法 §42, §55): the department's
 * own team, or under 互帮代查 (seed 004 (六)) the delegate department's, whose inspectors' tokens
 * name that department. An expert of the team advises, and records nothing.
 */
export function requireOnCheckTeam(
  identity: Identity,
  checking: { department: string; team: readonly { inspectorId: string; kind: string }[] },
  code: string,
): void {
  const member =
    identity.role === 'inspector' && identity.department === checking.department
      ? checking.team.find((m) => m.inspectorId === identity.sub)
      : undefined;
  if (!member) throw forbidden('auth.notOnCheckTeam', { who: identity.department ?? identity.role, code });
  if (member.kind !== 'INSPECTOR') throw forbidden('auth.expertRecords', { code });
}

/**
 * Inspectors see only the visits they are on: a department's codes and results are for its staff
 * (all of them) and for the inspectors of the codes' teams (the member key they are filtered by:
 * department and Inspector id). Everyone else is refused.
 */
export function visitCodeReader(identity: Identity, department: string): { member: string | null } {
  requireSignedIn(identity);
  if (identity.role === 'staff' && identity.department === department) return { member: null };
  if (identity.role === 'inspector') return { member: memberKey(identity.department, identity.sub) };
  throw forbidden('auth.visitCodesForbidden', { who: identity.department ?? identity.role, department });
}

/**
 * Findings and their handling (issue 11 item 4): the office and the department's own staff and
 * inspectors read them; so does the staff of a department a finding was transferred to (that one
 * finding, given as `transferTo`). Everyone else is refused.
 */
export function requireFindingReader(identity: Identity, department: string, transferTo?: string | null): void {
  requireSignedIn(identity);
  if (identity.role === 'office') return;
  if (isOwnPeople(identity, department)) return;
  if (identity.role === 'staff' && transferTo && identity.department === transferTo) return;
  throw forbidden('auth.findingsForbidden', { who: identity.department ?? identity.role, department });
}

/** 复查: the department's inspectors go back on site, or its staff enter the record. */
export function requireRechecker(identity: Identity, department: string): void {
  requireRole(identity, ['inspector', 'staff'], 'recheckFindings');
  if (identity.department !== department)
    throw forbidden('auth.findingsForbidden', { who: identity.department ?? identity.role, department });
}

/**
 * A penalty decision is sent to the finding's home by the staff of the deciding department (any
 * configured one); whether that department holds the finding is the home's rule (finding-handling.ts).
 */
export function requirePenaltyDecider(identity: Identity): void {
  requireRole(identity, ['staff'], 'decidePenalties');
}

/**
 * 牵头 (谁主管谁牵头, issue 11 item 4): every department's findings on a joint plan's visits are read
 * by the lead department's staff and by the office. A department that does not lead the plan is
 * refused; the office asking a department about a plan it does not lead learns that it is not one.
 */
export function requirePlanFindingsReader(identity: Identity, department: string, planId: string, leads: boolean) {
  requireSignedIn(identity);
  if (identity.role === 'office') {
    if (!leads) throw notFound('plan', planId, 'planId');
    return;
  }
  if (identity.role === 'staff' && identity.department === department && leads) return;
  throw forbidden('auth.planFindingsForbidden', { who: identity.department ?? identity.role });
}
