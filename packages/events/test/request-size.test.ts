/**
 * A publish larger than one produce request may be (issue 7's bench: 500 bulk-granted licences
 * came to 1.1–1.8 MB against the broker's 1 MiB frame limit, and the relay sent the same refused
 * request again and again): the relay cuts it into requests under its `maxRequestBytes`, in
 * outbox order, so every event goes out once and each key keeps its order. One event too large for
 * any request is refused where it is recorded, in the transaction of its change.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker } from '@onecheck/broker';
import {
  createBus,
  EventTooLargeError,
  MAX_EVENT_BYTES,
  outbox,
  produceRequests,
  recordEvent,
  startRelay,
  TOPICS,
  type Bus,
  type BusConsumer,
  type Relay,
} from '../src/index';
import {
  FAST,
  brokerLogger,
  changedData,
  clock,
  dropTestDb,
  openTestDb,
  recordChange,
  schema,
  testDbSpec,
  testLogger,
  usccFor,
  waitFor,
} from './helpers';

describe('produceRequests', () => {
  const message = (key: string, bytes: number) => ({ key, value: 'x'.repeat(bytes) });
  it('cuts messages into requests under the limit, in order, a message over it alone', () => {
    const input = [
      { topic: 'a', message: message('k1', 300) },
      { topic: 'b', message: message('k2', 300) },
      { topic: 'a', message: message('k1', 300) },
      { topic: 'a', message: message('k3', 5000) },
      { topic: 'b', message: message('k2', 10) },
    ];
    // Each 300-byte message is about 370 bytes with its key and framing: three fit in 1,200.
    const requests = produceRequests(input, 1200);
    expect(requests.map((r) => r.map((t) => [t.topic, t.messages.map((m) => m.value!.length)]))).toEqual([
      [
        ['a', [300, 300]],
        ['b', [300]],
      ],
      [['a', [5000]]],
      [['b', [10]]],
    ]);
    // Every message exactly once, and each topic's messages in their order.
    const flat = requests.flat().flatMap((t) => t.messages.map((m) => [t.topic, m] as const));
    expect(flat).toHaveLength(input.length);
    for (const topic of ['a', 'b'])
      expect(flat.filter(([t]) => t === topic).map(([, m]) => m)).toEqual(
        input.filter((i) => i.topic === topic).map((i) => i.message),
      );
  });
});

type TestDb = Awaited<ReturnType<typeof openTestDb>>;
const KEYS = 5;
const VERSIONS = 40;
const logger = testLogger();
const spec = testDbSpec('request_size');
let broker: Awaited<ReturnType<typeof startBroker>>;
let bus: Bus;
let db: TestDb;
let relay: Relay | undefined;
let reader: BusConsumer;
const seen: { key: string; version: number }[] = [];

beforeAll(async () => {
  // A broker that takes frames of 16 KiB at most; the 200 events together are several times that.
  broker = await startBroker({ port: 0, logger: brokerLogger, limits: { maxFrameBytes: 16 * 1024 } });
  bus = createBus({ brokers: [broker.brokers], clientId: 'request-size-test', logger });
  db = await openTestDb(spec);
  await bus.ensureTopics([TOPICS.enterprise]);
  reader = bus.consumer('request-size-reader', FAST);
  await reader.run([TOPICS.enterprise], async (batch) => {
    for (const m of batch.messages) {
      const event = JSON.parse(m.value!.toString('utf8'));
      seen.push({ key: m.key!.toString(), version: event.data.version });
      batch.resolveOffset(m.offset);
    }
    await batch.commit();
  });
}, 90_000);

afterAll(async () => {
  await relay?.stop();
  await reader?.stop();
  await bus?.disconnect();
  await broker?.stop();
  await db?.close();
  await dropTestDb(spec);
});

it('publishes a batch larger than a request as several, every event once, in order per key', async () => {
  for (let v = 1; v <= VERSIONS; v++)
    await Promise.all(Array.from({ length: KEYS }, (_, k) => recordChange(db.db, usccFor(k), v)));
  // All 200 rows in one look, cut into requests of 8 KiB.
  relay = startRelay({ db: db.db, bus, logger, clock, pollMs: 20, batchSize: 500, maxRequestBytes: 8 * 1024 });
  await relay.drain();
  await waitFor('every event read', () => seen.length >= KEYS * VERSIONS, 30_000);
  expect(seen).toHaveLength(KEYS * VERSIONS);
  for (let k = 0; k < KEYS; k++)
    expect(seen.filter((s) => s.key === usccFor(k)).map((s) => s.version)).toEqual(
      Array.from({ length: VERSIONS }, (_, i) => i + 1),
    );
  expect(relay.stats).toMatchObject({ published: KEYS * VERSIONS, failures: 0 });
}, 120_000);

it('refuses an event over MAX_EVENT_BYTES in the transaction of its change, which then writes nothing', async () => {
  // Nothing publishes here: the event that fits below would only be refused by this small-framed broker.
  await relay?.stop();
  relay = undefined;
  /** A change whose event carries a name of `bytes` bytes (a CJK character is three in UTF-8). */
  const change = (key: string, bytes: number) =>
    db.db.transaction(async (tx) => {
      await tx.insert(schema.changes).values({ key, version: 1 });
      return recordEvent(tx, {
        source: 'test/events',
        type: 'onecheck.enterprise.changed.v1',
        key,
        data: { ...changedData(key, 1), name: '大'.repeat(Math.floor(bytes / 3)) },
        clock,
      });
    });
  const key = usccFor(99);
  const attempt = change(key, MAX_EVENT_BYTES);
  await expect(attempt).rejects.toBeInstanceOf(EventTooLargeError);
  await expect(attempt).rejects.toMatchObject({ type: 'onecheck.enterprise.changed.v1' });
  expect(await db.db.select().from(schema.changes).where(eq(schema.changes.key, key))).toEqual([]);
  expect(await db.db.select().from(outbox).where(eq(outbox.key, key))).toEqual([]);
  // A little under the limit, it goes in.
  await change(usccFor(98), MAX_EVENT_BYTES - 2048);
  expect(
    await db.db
      .select()
      .from(outbox)
      .where(eq(outbox.key, usccFor(98))),
  ).toHaveLength(1);
});
