/**
 * outbox → relay → topic → consumer against the real broker and a real database:
 * validated, in order per key, applied once; redeliveries are harmless; producers validate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker } from '@onecheck/broker';
import { count, countDistinct, eq, isNull, asc } from 'drizzle-orm';
import {
  createBus,
  startConsumer,
  startRelay,
  recordEvent,
  InvalidEventError,
  TOPICS,
  brokersFromEnv,
  type Bus,
  type IncomingMessage,
  type Relay,
  type EventConsumer,
} from '../src/index';
import {
  FAST,
  brokerLogger,
  changedData,
  dropTestDb,
  effectHandler,
  openTestDb,
  recordChange,
  schema,
  testDbSpec,
  testLogger,
  usccFor,
  waitFor,
  clock,
} from './helpers';

type Broker = Awaited<ReturnType<typeof startBroker>>;
type TestDb = Awaited<ReturnType<typeof openTestDb>>;

const KEYS = 8;
const VERSIONS = 25; // 200 events
const GROUP = 'pipeline-consumer';

let broker: Broker;
let bus: Bus;
// One database plays both services (producer tables: changes/outbox; consumer: inbox/effects).
const spec = testDbSpec('pipeline');
let db: TestDb;
let relay: Relay;
let consumer: EventConsumer;
const logger = testLogger();

beforeAll(async () => {
  broker = await startBroker({ port: 0, logger: brokerLogger });
  bus = createBus({ brokers: [broker.brokers], clientId: 'pipeline-test', logger });
  db = await openTestDb(spec);
  relay = startRelay({ db: db.db, bus, logger, clock, pollMs: 100 });
  consumer = startConsumer({
    db: db.db,
    bus,
    logger,
    clock,
    groupId: GROUP,
    topics: [TOPICS.enterprise],
    handlers: { 'onecheck.enterprise.changed.v1': effectHandler(GROUP) },
    kafka: FAST,
  });
  await consumer.ready;
}, 90_000);

afterAll(async () => {
  await consumer?.stop();
  await relay?.stop();
  await bus?.disconnect();
  await broker?.stop();
  await db?.close();
  await dropTestDb(spec);
});

async function effectCounts() {
  const [row] = await db.db
    .select({ n: count(), distinct: countDistinct(schema.effects.eventId) })
    .from(schema.effects);
  return row!;
}

describe('outbox → relay → Kafka → consumer', () => {
  it('delivers every event validated, in order per key, applied once', async () => {
    // Interleave keys so order per key is not an accident of insertion order.
    const recorded: string[] = [];
    for (let v = 1; v <= VERSIONS; v++) {
      for (let k = 0; k < KEYS; k++) recorded.push((await recordChange(db.db, usccFor(k), v)).id);
      relay.notify();
    }
    await relay.drain();
    const [pending] = await db.db.select({ n: count() }).from(schema.outbox).where(isNull(schema.outbox.publishedAt));
    expect(pending!.n).toBe(0);

    const total = KEYS * VERSIONS;
    await waitFor('all effects', async () => (await effectCounts()).n >= total, 30_000);
    expect(await effectCounts()).toEqual({ n: total, distinct: total });

    // Per key, the effects were applied in version order 1..VERSIONS.
    const rows = await db.db.select().from(schema.effects).orderBy(asc(schema.effects.id));
    const byKey = new Map<string, number[]>();
    for (const r of rows) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r.version]);
    expect(byKey.size).toBe(KEYS);
    for (const versions of byKey.values()) expect(versions).toEqual(Array.from({ length: VERSIONS }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => r.eventId))).toEqual(new Set(recorded));
    expect(consumer.stats.handled).toBe(total);
  }, 60_000);

  it('puts CloudEvents on the wire: key = uscc, structured JSON value, ce_* headers', async () => {
    const seen: IncomingMessage[] = [];
    const reader = bus.consumer('pipeline-wire-reader', FAST);
    await reader.run([TOPICS.enterprise], async (b) => {
      for (const m of b.messages) {
        seen.push(m);
        b.resolveOffset(m.offset);
      }
    });
    try {
      await waitFor('wire messages', () => seen.length >= KEYS * VERSIONS, 20_000);
    } finally {
      await reader.stop();
    }
    const m = seen[0]!;
    const event = JSON.parse(m.value!.toString()) as {
      id: string;
      type: string;
      specversion: string;
      data: { uscc: string };
    };
    expect(event.specversion).toBe('1.0');
    expect(m.key!.toString()).toBe(event.data.uscc);
    expect(m.headers['ce_type']!.toString()).toBe('onecheck.enterprise.changed.v1');
    expect(m.headers['ce_id']!.toString()).toBe(event.id);
    expect(m.headers['content-type']!.toString()).toBe('application/cloudevents+json');
    // One key, one partition: every message of a key sits on the same partition.
    const partitionOf = new Map<string, Set<number>>();
    for (const x of seen)
      partitionOf.set(x.key!.toString(), (partitionOf.get(x.key!.toString()) ?? new Set()).add(x.partition));
    for (const parts of partitionOf.values()) expect(parts.size).toBe(1);
  }, 30_000);

  it('redelivery is harmless: republished outbox rows and raw re-sends have no second effect', async () => {
    const before = await effectCounts();
    const handledBefore = consumer.stats.handled;
    const dupBefore = consumer.stats.duplicates;

    // 1. As after a relay crash between ack and marking: every row goes out again.
    await db.db.update(schema.outbox).set({ publishedAt: null });
    await relay.drain();
    await waitFor(
      'republished events seen as duplicates',
      () => consumer.stats.duplicates >= dupBefore + before.n,
      30_000,
    );

    // 2. The very same bytes sent twice more by hand.
    const [row] = await db.db.select().from(schema.outbox).limit(1);
    const p = await bus.producer();
    const raw = { key: row!.key, value: JSON.stringify(row!.event) };
    await p.send([{ topic: TOPICS.enterprise, messages: [raw, raw] }]);
    await p.disconnect();
    await waitFor(
      'raw re-sends seen as duplicates',
      () => consumer.stats.duplicates >= dupBefore + before.n + 2,
      20_000,
    );

    expect(await effectCounts()).toEqual(before);
    expect(consumer.stats.handled).toBe(handledBefore);
  }, 60_000);

  it('records publish failures on the row and keeps it pending (bad bootstrap address)', async () => {
    const deadBus = createBus({ brokers: ['127.0.0.1:1'], clientId: 'dead', logger, connectionTimeout: 500 });
    // The working relay must not take this row: stop it first.
    await relay.stop();
    const e = await recordChange(db.db, usccFor(99), 1);
    const dead = startRelay({ db: db.db, bus: deadBus, logger, clock, pollMs: 50, maxBackoffMs: 200 });
    try {
      const row = await waitFor(
        'a recorded failure',
        async () => {
          const [r] = await db.db.select().from(schema.outbox).where(eq(schema.outbox.id, e.id));
          return r && r.attempts >= 2 ? r : undefined;
        },
        20_000,
      );
      expect(row.publishedAt).toBeNull();
      expect(row.lastError).toBeTruthy();
    } finally {
      await dead.stop();
      await deadBus.disconnect();
    }
    // A working relay then publishes it; nothing was lost.
    relay = startRelay({ db: db.db, bus, logger, clock, pollMs: 100 });
    await relay.drain();
    await waitFor('the late event applied', async () => {
      const r = await db.db.select().from(schema.effects).where(eq(schema.effects.eventId, e.id));
      return r.length === 1;
    });
  }, 60_000);
});

describe('producer validation', () => {
  it('recordEvent with data violating the schema throws and writes nothing', async () => {
    const [before] = await db.db.select({ n: count() }).from(schema.outbox);
    const [changesBefore] = await db.db.select({ n: count() }).from(schema.changes);
    const bad = db.db.transaction(async (tx) => {
      await tx.insert(schema.changes).values({ key: 'bad', version: 1 });
      await recordEvent(tx, {
        source: 'test/events',
        type: 'onecheck.enterprise.changed.v1',
        key: 'bad',
        data: { ...changedData('not-a-uscc', 1), extra: true } as never,
        clock,
      });
    });
    await expect(bad).rejects.toBeInstanceOf(InvalidEventError);
    const [after] = await db.db.select({ n: count() }).from(schema.outbox);
    const [changesAfter] = await db.db.select({ n: count() }).from(schema.changes);
    expect(after!.n).toBe(before!.n);
    expect(changesAfter!.n).toBe(changesBefore!.n); // the state change rolled back with it
  });
});

describe('brokersFromEnv', () => {
  it('reads KAFKA_BROKERS as a comma-separated list', () => {
    expect(brokersFromEnv({ KAFKA_BROKERS: ' a:9092, b:9093 ,' })).toEqual(['a:9092', 'b:9093']);
    expect(brokersFromEnv({})).toBeUndefined();
  });
});
