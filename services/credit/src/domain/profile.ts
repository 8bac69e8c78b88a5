import type { creditProfiles } from '../db/schema';

export type ProfileRow = typeof creditProfiles.$inferSelect;

/**
 * Until the credit model arrives, every business is general risk (B): the platform has no
 * records that would justify a lower or higher sampling ratio.
 */
export const DEFAULT_PROFILE = {
  riskClass: 'B' as const,
  reason: 'No credit records yet: general risk (B) by default.',
  updatedAt: null,
};

export function profileOf(row: ProfileRow | undefined) {
  return row ? { riskClass: row.riskClass, reason: row.reason, updatedAt: row.updatedAt } : DEFAULT_PROFILE;
}
