/**
 * Retention: the relay deletes published outbox rows 7 days after publication, each consumer its
 * inbox rows 30 days after handling — counted from the injected clock, in small batches, never
 * touching an unpublished row or another handler's rows.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { count, eq, isNull } from 'drizzle-orm';
import { testClock } from '@onecheck/clock';
import { startConsumer, startRelay, type Bus } from '../src/index';
import { dropTestDb, openTestDb, recordChange, schema, testDbSpec, testLogger, usccFor } from './helpers';

const DAY = 86_400_000;
const logger = testLogger();
const spec = testDbSpec('retention');
let db: Awaited<ReturnType<typeof openTestDb>>;

/** A bus that acknowledges every send and delivers nothing: only the database matters here. */
const quietBus: Bus = {
  producer: async () => ({ send: async () => {}, disconnect: async () => {} }),
  consumer: () => ({ run: async () => {}, onFatal: () => {}, stop: async () => {} }),
  ensureTopics: async () => {},
  disconnect: async () => {},
};

beforeAll(async () => {
  db = await openTestDb(spec);
});
afterAll(async () => {
  await db?.close();
  await dropTestDb(spec);
});

const outboxRows = async () => (await db.db.select({ n: count() }).from(schema.outbox))[0]!.n;

it('deletes published outbox rows a week after publication, never unpublished ones', async () => {
  const clock = testClock('2026-03-02');
  const relay = startRelay({ db: db.db, bus: quietBus, logger, clock, pollMs: 20, retention: { batchSize: 2 } });
  for (let v = 1; v <= 5; v++) await recordChange(db.db, usccFor(1), v);
  await relay.drain(); // published now
  clock.advance(6 * DAY);
  for (let v = 6; v <= 8; v++) await recordChange(db.db, usccFor(1), v);
  await relay.drain(); // published six days later
  await relay.stop();
  await recordChange(db.db, usccFor(1), 9); // never published

  clock.advance(DAY);
  expect(await relay.housekeep()).toBe(0); // the first five are exactly a week old: kept
  clock.advance(1);
  expect(await relay.housekeep()).toBe(5); // in batches of two
  expect(await outboxRows()).toBe(4);
  clock.advance(365 * DAY);
  expect(await relay.housekeep()).toBe(3);
  const [pending] = await db.db.select({ n: count() }).from(schema.outbox).where(isNull(schema.outbox.publishedAt));
  expect(pending!.n).toBe(1);
  expect(await outboxRows()).toBe(1);
});

it("deletes a handler's inbox rows 30 days after handling, not another handler's", async () => {
  const clock = testClock('2026-03-02');
  const consumer = startConsumer({
    db: db.db,
    bus: quietBus,
    logger,
    clock,
    groupId: 'retention',
    topics: [],
    handlers: {},
    retention: { batchSize: 3 },
  });
  const row = (handler: string, i: number, daysAgo: number) => ({
    handler,
    eventId: `${handler}-${i}`,
    topic: 't',
    handledAt: new Date(clock.millis() - daysAgo * DAY),
  });
  await db.db
    .insert(schema.inbox)
    .values([
      ...Array.from({ length: 7 }, (_, i) => row('retention', i, 31)),
      ...Array.from({ length: 2 }, (_, i) => row('retention', 10 + i, 29)),
      ...Array.from({ length: 4 }, (_, i) => row('other', i, 90)),
    ]);
  expect(await consumer.housekeep()).toBe(7);
  const left = await db.db.select().from(schema.inbox).where(eq(schema.inbox.handler, 'retention'));
  expect(left.map((r) => r.eventId).sort()).toEqual(['retention-10', 'retention-11']);
  const [others] = await db.db.select({ n: count() }).from(schema.inbox).where(eq(schema.inbox.handler, 'other'));
  expect(others!.n).toBe(4);
  await consumer.stop();
});
