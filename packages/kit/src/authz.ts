import type { Identity, Role } from '@onecheck/auth';
import type { MessageKey } from '@onecheck/i18n';
import { forbidden, unauthenticated } from './errors';

/**
 * What a caller is trying to do: the catalogue's `action.*` entries, so an action without its
 * words in both languages cannot be named here.
 */
export type Action = MessageKey extends infer K ? (K extends `action.${infer A}` ? A : never) : never;

/** A caller with no token reads nothing but what is published (DESIGN.md §5). */
export function requireSignedIn(identity: Identity): void {
  if (identity.role === 'public') throw unauthenticated();
}

export function requireRole(identity: Identity, roles: readonly Role[], action: Action): void {
  requireSignedIn(identity);
  if (!roles.includes(identity.role)) throw forbidden('auth.roleForbidden', { role: identity.role, action });
}

/** A department writes only its own data. */
export function requireOwnDepartment(identity: Identity, department: string, action: Action): void {
  requireRole(identity, ['staff'], action);
  if (identity.department !== department) {
    throw forbidden('auth.departmentForbidden', { department: identity.department, target: department, action });
  }
}
