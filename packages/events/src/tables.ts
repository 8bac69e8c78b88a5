import { bigserial, customType, integer, pgTable, primaryKey, text, timestamp, index } from 'drizzle-orm/pg-core';

/**
 * JSON kept as the text it was written as: read through drizzle it is the parsed value, and
 * written, a string is taken as that text already (outbox rows carry the JSON their event was
 * serialised to once, recordEvent's).
 */
const jsonText = customType<{ data: unknown; driverData: string }>({
  dataType: () => 'text',
  toDriver: (value) => (typeof value === 'string' ? value : JSON.stringify(value)),
  fromDriver: (value) => JSON.parse(value) as unknown,
});

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
    /** The event's type, so the relay can name it in the record's header without parsing the event. */
    type: text('type').notNull(),
    /**
     * The whole CloudEvent as the exact JSON text that goes on the wire: the relay sends these
     * bytes as they are, with no parse or serialisation between the commit and the broker, and
     * PostgreSQL stores them without converting them to jsonb and back (provincial volume, issue 7).
     */
    event: jsonText('event').notNull(),
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
