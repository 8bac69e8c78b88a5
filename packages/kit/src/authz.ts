import type { Identity, Role } from '@onecheck/auth';
import { forbidden, unauthenticated } from './errors';

/** A caller with no token reads nothing but what is published (DESIGN.md §5). */
export function requireSignedIn(identity: Identity): void {
  if (identity.role === 'public') throw unauthenticated();
}

export function requireRole(identity: Identity, roles: readonly Role[], action: string): void {
  requireSignedIn(identity);
  if (!roles.includes(identity.role)) throw forbidden(`${identity.role} may not ${action}`);
}

/** A department writes only its own data. */
export function requireOwnDepartment(identity: Identity, department: string, action: string): void {
  requireRole(identity, ['staff'], action);
  if (identity.department !== department) {
    throw forbidden(`${identity.department} staff may not ${action} for ${department}`);
  }
}
