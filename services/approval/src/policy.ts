/**
 * Who may do what in the approval bureau's subgraph (DESIGN.md §5): every access rule of the
 * service, in one place. Resolvers call these before they call the domain.
 */
import type { Identity } from '@onecheck/auth';
import { requireRole, requireSignedIn, type Action } from '@onecheck/kit';

/** Licences are for government users, not the public. */
export function requireReader(identity: Identity): void {
  requireSignedIn(identity);
}

/** Only the approval bureau grants and changes licences (相对集中行政许可, seed 003). */
export function requireApprover(
  identity: Identity,
  action: Extract<
    Action,
    'grantLicences' | 'changeLicences' | 'claimLicenceActs' | 'setApprovalItems' | 'settlePromises'
  >,
): void {
  requireRole(identity, ['approver'], action);
}

/**
 * What departments pushed to the bureau: the bureau and the office follow all of it; a
 * department sees what it pushed itself (its own list is on its subgraph).
 */
export function requirePushedActsReader(identity: Identity): void {
  requireRole(identity, ['approver', 'office'], 'readLicenceActs');
}

/**
 * A licence's trail (全程留痕, issue 9 item 2): every change the bureau's system made to it — the
 * grant, amendments, acts and expiry — with who did it. For the bureau, whose acts these are, and
 * the office that oversees them; a supervising department sees the outcome on the licence itself
 * and its own acts on its own subgraph.
 */
export function requireTrailReader(identity: Identity): void {
  requireRole(identity, ['approver', 'office'], 'readAuditTrail');
}

/**
 * 告知承诺 (seed 003 第二十三条): the bureau's own work, followed by the office; a supervising
 * department hears of a promise with the push.
 */
export function requirePromiseReader(identity: Identity): void {
  requireRole(identity, ['approver', 'office'], 'readPromises');
}

/** The pre-approval credit check (seed 003 第十二条): the bureau's, and the office's, as 告知承诺. */
export function requireCreditChecker(identity: Identity): void {
  requireRole(identity, ['approver', 'office'], 'checkCredit');
}
