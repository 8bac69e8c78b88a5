/**
 * Who may read what of the credit platform's subgraph (DESIGN.md §5): every access rule of the
 * service, in one place. Resolvers call these before they call the domain.
 */
import type { Identity } from '@onecheck/auth';
import { requireSignedIn } from '@onecheck/kit';

/** The class stays internal to government users (不评价、不公开): never for the public. */
export function requireProfileReader(identity: Identity): void {
  requireSignedIn(identity);
}
