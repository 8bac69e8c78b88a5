import { badInput } from '@onecheck/kit';
import type { knownEnterprises } from '../db/schema';

/** The bureau's copy of a business (from market regulation's events). */
export type KnownEnterprise = typeof knownEnterprises.$inferSelect;

/**
 * A business that may be granted something, as the bureau knows it: registered, not deregistered,
 * its 营业执照 not revoked. A grant asks it, and so does the pre-approval credit check.
 */
export function requireTrading(known: KnownEnterprise | undefined, uscc: string): KnownEnterprise {
  if (!known) throw badInput('uscc', 'business.unknownToBureau', { uscc });
  if (known.status === 'DEREGISTERED') throw badInput('uscc', 'business.deregistered', { uscc });
  // 吊销营业执照: the business may not trade, so it is granted nothing to trade under.
  if (known.status === 'REVOKED') throw badInput('uscc', 'business.revoked', { uscc });
  return known;
}
