import { index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Idempotency keys of mutations (issue 8; idempotency.ts): one row per caller and key, written
 * in the same transaction as the mutation's work, so a key is recorded exactly when the work is.
 * Every service's drizzle schema re-exports this table so its migrations create it.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    /** Who asked: role, department and subject of the verified identity. Keys are per caller. */
    principal: text('principal').notNull(),
    key: text('key').notNull(),
    /** The mutation field, for people reading the table. */
    operation: text('operation').notNull(),
    /** SHA-256 of the mutation's name and arguments (key excluded), canonical JSON. */
    fingerprint: text('fingerprint').notNull(),
    /** What the mutation resolver answered, returned again on a retry. */
    response: jsonb('response'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.principal, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)],
);
