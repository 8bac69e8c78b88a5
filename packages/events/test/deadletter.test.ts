/**
 * Poison messages: not JSON, or JSON failing the schema, go to `<topic>.dlq` with the original
 * bytes and headers plus x-error / x-original-*; the partition moves on to the good messages.
 * A throwing handler is retried with backoff, then dead-lettered; a transient failure is not.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBroker } from '@onecheck/broker';
import { eq } from 'drizzle-orm';
import {
  createBus,
  deadLetterTopic,
  startConsumer,
  TOPICS,
  type Bus,
  type EventConsumer,
  type IncomingMessage,
} from '../src/index';
import {
  FAST,
  brokerLogger,
  changedData,
  changedEvent,
  dropTestDb,
  effectHandler,
  openTestDb,
  schema,
  testDbSpec,
  testLogger,
  usccFor,
  waitFor,
  clock,
} from './helpers';

type Broker = Awaited<ReturnType<typeof startBroker>>;
type TestDb = Awaited<ReturnType<typeof openTestDb>>;

const GROUP = 'dlq-consumer';
const TOPIC = TOPICS.enterprise;
const KEY = usccFor(7); // one key: every message below lands on the same partition, in this order

const spec = testDbSpec('dlq');
const logger = testLogger();
let broker: Broker;
let bus: Bus;
let db: TestDb;
let consumer: EventConsumer;
const calls = new Map<string, number>();

const event = (version: number) => changedEvent(KEY, version);

beforeAll(async () => {
  broker = await startBroker({ port: 0, logger: brokerLogger });
  bus = createBus({ brokers: [broker.brokers], clientId: 'dlq-test', logger });
  db = await openTestDb(spec);
  consumer = startConsumer({
    db: db.db,
    bus,
    logger,
    clock,
    groupId: GROUP,
    topics: [TOPIC],
    maxAttempts: 3,
    retryBackoffMs: 50,
    handlers: {
      'onecheck.enterprise.changed.v1': effectHandler(GROUP, (e) => {
        const n = (calls.get(e.id) ?? 0) + 1;
        calls.set(e.id, n);
        if (e.data.version === 900) throw new Error('handler always fails on version 900');
        if (e.data.version === 800 && n < 3) throw new Error(`transient failure ${n}`);
      }),
    },
    kafka: FAST,
  });
  await consumer.ready;
}, 90_000);

afterAll(async () => {
  await consumer?.stop();
  await bus?.disconnect();
  await broker?.stop();
  await db?.close();
  await dropTestDb(spec);
});

it('dead-letters malformed messages and handles the good ones after them', async () => {
  const good = [event(1), event(2), event(3), event(800)];
  const schemaBad = { ...event(4), data: { ...changedData(KEY, 4), region: 'nowhere' } };
  const alwaysFails = event(900);
  const unknownType = { ...event(5), type: 'onecheck.enterprise.merged.v9' }; // not handled here: skipped
  const header = { 'x-trace': 'abc' };
  const p = await bus.producer();
  await p.send([
    {
      topic: TOPIC,
      messages: [
        { key: KEY, value: JSON.stringify(good[0]) },
        { key: KEY, value: '{not json', headers: header },
        { key: KEY, value: JSON.stringify(good[1]) },
        { key: KEY, value: JSON.stringify(schemaBad), headers: header },
        { key: KEY, value: JSON.stringify(unknownType) },
        { key: KEY, value: JSON.stringify(alwaysFails) },
        { key: KEY, value: JSON.stringify(good[2]) },
        { key: KEY, value: JSON.stringify(good[3]) },
      ],
    },
  ]);
  await p.disconnect();

  await waitFor(
    'the good events applied',
    async () => (await db.db.select().from(schema.effects)).length >= good.length,
    30_000,
  );
  const effects = await db.db.select().from(schema.effects).orderBy(schema.effects.id);
  expect(effects.map((e) => e.version)).toEqual([1, 2, 3, 800]);
  expect(calls.get(good[3]!.id)).toBe(3); // failed twice, then succeeded: not dead-lettered
  expect(calls.get(alwaysFails.id)).toBe(3); // maxAttempts
  expect(await db.db.select().from(schema.effects).where(eq(schema.effects.eventId, alwaysFails.id))).toEqual([]);
  expect(consumer.stats).toMatchObject({ handled: 4, deadLettered: 3, skipped: 1, retries: 4 });

  // Read the dead-letter topic with an ordinary consumer.
  const dead: IncomingMessage[] = [];
  const reader = bus.consumer('dlq-reader', FAST);
  await reader.run([deadLetterTopic(TOPIC)], async (b) => {
    for (const m of b.messages) {
      dead.push(m);
      b.resolveOffset(m.offset);
    }
  });
  try {
    await waitFor('three dead letters', () => dead.length >= 3, 20_000);
  } finally {
    await reader.stop();
  }
  const h = (m: IncomingMessage, name: string) => m.headers[name]?.toString();
  const [notJson, failsSchema, handlerFailed] = dead;
  expect(notJson!.value!.toString()).toBe('{not json');
  expect(notJson!.key!.toString()).toBe(KEY);
  expect(h(notJson!, 'x-error')).toMatch(/not JSON/);
  expect(h(notJson!, 'x-trace')).toBe('abc'); // original headers kept
  expect(h(notJson!, 'x-original-topic')).toBe(TOPIC);
  expect(h(notJson!, 'x-original-offset')).toBe('1');
  expect(Number(h(notJson!, 'x-original-partition'))).toBeGreaterThanOrEqual(0);
  expect(h(notJson!, 'x-consumer-group')).toBe(GROUP);

  expect(JSON.parse(failsSchema!.value!.toString())).toEqual(schemaBad);
  expect(h(failsSchema!, 'x-error')).toMatch(/region/);
  expect(h(failsSchema!, 'x-original-offset')).toBe('3');

  expect(JSON.parse(handlerFailed!.value!.toString()).id).toBe(alwaysFails.id);
  expect(h(handlerFailed!, 'x-error')).toBe('handler always fails on version 900');
  expect(h(handlerFailed!, 'x-attempts')).toBe('3');
  expect(h(handlerFailed!, 'x-original-offset')).toBe('5');
}, 60_000);

it('passes over a record whose type header names a type it does not handle, without reading its value', async () => {
  const before = { ...consumer.stats };
  const next = event(6);
  const p = await bus.producer();
  await p.send([
    {
      topic: TOPIC,
      messages: [
        // Not JSON, but its header names a type of this topic that is not this consumer's: skipped, not dead-lettered.
        { key: KEY, value: '{not json either', headers: { ce_type: 'onecheck.enterprise.registered.v1' } },
        // A handled type in the header: read, validated and applied as ever.
        { key: KEY, value: JSON.stringify(next), headers: { ce_type: next.type } },
        // A handled type in the header and garbage in the value: read, so dead-lettered.
        { key: KEY, value: '{garbage', headers: { ce_type: next.type } },
      ],
    },
  ]);
  await p.disconnect();
  await waitFor('the last two records dealt with', () => consumer.stats.deadLettered > before.deadLettered, 30_000);
  expect(await db.db.select().from(schema.effects).where(eq(schema.effects.eventId, next.id))).toHaveLength(1);
  expect(consumer.stats.skipped - before.skipped).toBe(1);
  expect(consumer.stats.deadLettered - before.deadLettered).toBe(1);
  expect(consumer.stats.handled - before.handled).toBe(1);
}, 60_000);
