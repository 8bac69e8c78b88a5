import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

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

/**
 * 全程留痕 (DESIGN.md §5; seed 003 第二条 "全程留痕", 第九条 审批过程全面、系统、规范记录): every state
 * change of the service, appended in the same transaction as the change (audit.ts). `seq` runs
 * 1, 2, 3 … without gaps; `hash` = sha-256 over `prev_hash` and the entry's canonical form, so a
 * changed or removed row breaks the chain, and the published anchors catch a rewritten chain.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** Who: { kind: 'user', sub, role, department? } or { kind: 'service', principal, event? | timer? }. */
    actor: jsonb('actor').notNull(),
    /** What: an `action.*` key of the catalogue, without the prefix. */
    action: text('action').notNull(),
    /** On what: an `entity.*` key of the catalogue (without the prefix) and the entity's id. */
    entityKind: text('entity_kind').notNull(),
    entityId: text('entity_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_log_entity_idx').on(t.entityKind, t.entityId, t.seq)],
);

/**
 * The chain's head, one row (id 1): the last entry's seq and hash. Appending updates it in the
 * same transaction, so its row lock serialises appends: two transactions can never both link to
 * the same previous entry. `anchored_seq`: the last seq published as an anchor (only to skip
 * publishing nothing new; the verifier trusts the published anchors, not this).
 */
export const auditHead = pgTable('audit_head', {
  id: integer('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
  anchoredSeq: bigint('anchored_seq', { mode: 'number' }).notNull().default(0),
});

/**
 * Durable timers (timers.ts): a job due at an instant of the service clock, kept in the service's
 * own database so it survives restarts and runs once whatever the number of instances.
 */
export const timers = pgTable(
  'timers',
  {
    /** Chosen by the scheduler, e.g. `licence-expiry:<id>`: scheduling the same id again moves the job. */
    id: text('id').primaryKey(),
    /** Which handler runs it. */
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    /** Recurring jobs: the period; null = once. */
    everyMs: bigint('every_ms', { mode: 'number' }),
    /** Failed runs since the last success; the next try waits longer each time. */
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    /** A one-off job that ran; null while pending (recurring jobs stay pending). */
    doneAt: timestamp('done_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('timers_due_idx').on(t.doneAt, t.dueAt)],
);
