import { bigserial, integer, jsonb, pgTable, primaryKey, text, timestamp, index } from 'drizzle-orm/pg-core';

/**
 * Transactional outbox (DESIGN.md §3): a service writes its event here in the same transaction
 * as the state change; the relay publishes rows in `seq` order and marks them published.
 * Every service's drizzle schema re-exports this table so its migrations create it.
 */
export const outbox = pgTable(
  'outbox',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: text('id').notNull().unique(),
    topic: text('topic').notNull(),
    key: text('key').notNull(),
    /** The whole CloudEvent, as it goes on the wire. */
    event: jsonb('event').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [index('outbox_unpublished_idx').on(t.publishedAt, t.seq)],
);

/**
 * Inbox: the ids of events a handler has applied, written in the same transaction as the
 * effect, so a redelivered event is recognised and skipped.
 */
export const inbox = pgTable(
  'inbox',
  {
    handler: text('handler').notNull(),
    eventId: text('event_id').notNull(),
    topic: text('topic').notNull(),
    handledAt: timestamp('handled_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.handler, t.eventId] })],
);
