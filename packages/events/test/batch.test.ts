/**
 * Batched consumers (issue 7): many events per transaction, without giving up what one event per
 * transaction guaranteed.
 *  - A batch with bad events in the middle: the invalid one and the one whose handler always
 *    fails go to the dead-letter topic alone; every other event of the batch is applied once, in
 *    order per key, in a handful of transactions.
 *  - A consumer killed inside a batch's transaction (before its commit): nothing of the batch is
 *    applied, and the whole batch, redelivered to the next member of the group, is applied once.
 *  - A batch handler (one call, one INSERT, for a run of events of its type): every event applied
 *    once and in order per key; when it throws for a run, only the event to blame is
 *    dead-lettered, the run's others are applied one at a time.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countDistinct, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker } from '@onecheck/broker';
import {
  createBus,
  deadLetterTopic,
  outboxMessage,
  startConsumer,
  TOPICS,
  type Bus,
  type EventConsumer,
  type IncomingMessage,
  type OutgoingMessage,
} from '../src/index';
import { inheritedEnv } from './env';
import {
  FAST,
  brokerLogger,
  changedEvent,
  clock,
  dropTestDb,
  effectCounts,
  effectHandler,
  openTestDb,
  schema,
  testDbSpec,
  testLogger,
  usccFor,
  versionsByKey,
  waitFor,
} from './helpers';

type Broker = Awaited<ReturnType<typeof startBroker>>;
type TestDb = Awaited<ReturnType<typeof openTestDb>>;

/** The killed child consumes the catalogue's topic; the poison test has a topic of its own. */
const TOPIC = TOPICS.enterprise;
const POISON_TOPIC = 'test.batch.poison';
const MANY_TOPIC = 'test.batch.many';
const CHILD = fileURLToPath(new URL('./fixtures/consumer-child.ts', import.meta.url));
const logger = testLogger();
let broker: Broker;
let bus: Bus;

/** Puts messages on the topic in one send, before any consumer of the test's group runs. */
async function produce(topic: string, messages: OutgoingMessage[]): Promise<void> {
  const p = await bus.producer();
  try {
    await p.send([{ topic, messages }]);
  } finally {
    await p.disconnect();
  }
}

beforeAll(async () => {
  broker = await startBroker({ port: 0, logger: brokerLogger });
  bus = createBus({ brokers: [broker.brokers], clientId: 'batch-test', logger });
  await bus.ensureTopics([TOPIC, POISON_TOPIC, deadLetterTopic(POISON_TOPIC), MANY_TOPIC, deadLetterTopic(MANY_TOPIC)]);
}, 60_000);

afterAll(async () => {
  await bus?.disconnect();
  await broker?.stop();
});

describe('a batch with bad events in the middle', () => {
  const GROUP = 'batch-poison';
  const KEYS = 4;
  const VERSIONS = 10;
  const BAD_KEY = usccFor(1);
  const spec = testDbSpec('batchpoison');
  let db: TestDb;
  let consumer: EventConsumer;
  const calls = new Map<string, number>();

  afterAll(async () => {
    await consumer?.stop();
    await db?.close();
    await dropTestDb(spec);
  });

  it('dead-letters the bad ones alone and applies every other event once, in order, in few transactions', async () => {
    db = await openTestDb(spec);
    const messages: OutgoingMessage[] = [];
    let failing: ReturnType<typeof changedEvent> | undefined;
    for (let v = 1; v <= VERSIONS; v++) {
      for (let k = 0; k < KEYS; k++) {
        const key = usccFor(k);
        const event = changedEvent(key, v);
        messages.push(outboxMessage({ key, event }));
        if (key === BAD_KEY && v === 5) {
          failing = event; // its handler always throws
          messages.push({ key, value: '{not json' }); // and an invalid message right after it
        }
      }
    }
    await produce(POISON_TOPIC, messages);

    consumer = startConsumer({
      db: db.db,
      bus,
      logger,
      clock,
      groupId: GROUP,
      topics: [POISON_TOPIC],
      maxAttempts: 3,
      retryBackoffMs: 20,
      handlers: {
        'onecheck.enterprise.changed.v1': effectHandler(GROUP, (e) => {
          calls.set(e.id, (calls.get(e.id) ?? 0) + 1);
          if (e.id === failing!.id) throw new Error('handler always fails on this one');
        }),
      },
      kafka: FAST,
    });
    const good = KEYS * VERSIONS - 1;
    await waitFor('the good events applied', async () => (await effectCounts(db.db)).n >= good, 30_000);
    await waitFor('both dead letters', () => consumer.stats.deadLettered >= 2, 10_000);

    expect(await effectCounts(db.db)).toEqual({ n: good, distinct: good });
    expect(consumer.stats).toMatchObject({ handled: good, duplicates: 0, deadLettered: 2, retries: 2 });
    expect(calls.get(failing!.id)).toBe(3); // the failed batch was its first attempt
    const byKey = await versionsByKey(db.db);
    for (let k = 0; k < KEYS; k++) {
      const all = Array.from({ length: VERSIONS }, (_, i) => i + 1);
      expect(byKey.get(usccFor(k))).toEqual(usccFor(k) === BAD_KEY ? all.filter((v) => v !== 5) : all);
    }
    // Batched: effects written in one transaction share its now(). One event per transaction
    // would give 39; three partitions and one split around the failing event give far fewer.
    const [tx] = await db.db.select({ n: countDistinct(schema.effects.appliedAt) }).from(schema.effects);
    expect(tx!.n).toBeLessThanOrEqual(8);

    const dead: IncomingMessage[] = [];
    const reader = bus.consumer(`${GROUP}-dlq-reader`, FAST);
    await reader.run([deadLetterTopic(POISON_TOPIC)], async (b) => {
      for (const m of b.messages) {
        dead.push(m);
        b.resolveOffset(m.offset);
      }
    });
    try {
      await waitFor('two dead letters', () => dead.length >= 2, 20_000);
    } finally {
      await reader.stop();
    }
    const mine = dead.filter((m) => m.headers['x-consumer-group']?.toString() === GROUP);
    expect(mine.map((m) => m.headers['x-error']?.toString())).toEqual([
      expect.stringMatching(/not JSON/),
      'handler always fails on this one',
    ]);
    expect(JSON.parse(mine[1]!.value!.toString()).id).toBe(failing!.id);
    expect(mine[1]!.headers['x-attempts']?.toString()).toBe('3');
    expect(await db.db.select().from(schema.effects).where(eq(schema.effects.eventId, failing!.id))).toEqual([]);
  }, 60_000);
});

describe('a batch handler', () => {
  const GROUP = 'batch-many';
  const KEYS = 4;
  const VERSIONS = 25;
  const spec = testDbSpec('batchmany');
  let db: TestDb;
  let consumer: EventConsumer;

  afterAll(async () => {
    await consumer?.stop();
    await db?.close();
    await dropTestDb(spec);
  });

  it('applies runs in one call each, in order per key; a run that throws costs only its culprit', async () => {
    db = await openTestDb(spec);
    const messages: OutgoingMessage[] = [];
    let failing: ReturnType<typeof changedEvent> | undefined;
    for (let v = 1; v <= VERSIONS; v++)
      for (let k = 0; k < KEYS; k++) {
        const event = changedEvent(usccFor(k), v);
        if (k === 2 && v === 12) failing = event;
        messages.push(outboxMessage({ key: usccFor(k), event }));
      }
    await produce(MANY_TOPIC, messages);

    const runs: number[] = [];
    consumer = startConsumer({
      db: db.db,
      bus,
      logger,
      clock,
      groupId: GROUP,
      topics: [MANY_TOPIC],
      maxAttempts: 2,
      retryBackoffMs: 20,
      handlers: {},
      batchHandlers: {
        'onecheck.enterprise.changed.v1': async (events, tx) => {
          runs.push(events.length);
          if (events.some((e) => e.id === failing!.id)) throw new Error('this run holds the bad one');
          await tx.insert(schema.effects).values(
            events.map((e) => ({
              handler: GROUP,
              eventId: e.id,
              type: e.type,
              key: e.data.uscc,
              version: e.data.version,
            })),
          );
        },
      },
      kafka: FAST,
    });
    const good = KEYS * VERSIONS - 1;
    await waitFor('the good events applied', async () => (await effectCounts(db.db)).n >= good, 30_000);
    await waitFor('the culprit dead-lettered', () => consumer.stats.deadLettered >= 1, 10_000);

    expect(await effectCounts(db.db)).toEqual({ n: good, distinct: good });
    expect(consumer.stats).toMatchObject({ handled: good, duplicates: 0, deadLettered: 1 });
    const byKey = await versionsByKey(db.db);
    for (let k = 0; k < KEYS; k++) {
      const all = Array.from({ length: VERSIONS }, (_, i) => i + 1);
      expect(byKey.get(usccFor(k))).toEqual(k === 2 ? all.filter((v) => v !== 12) : all);
    }
    // Runs, not events: the first calls took many events each (a partition's fetch), and the
    // run that threw was retried event by event — far fewer calls than one per event and retry.
    expect(Math.max(...runs)).toBeGreaterThanOrEqual(VERSIONS);
    expect(runs.length).toBeLessThan(KEYS * VERSIONS);
    expect(await db.db.select().from(schema.effects).where(eq(schema.effects.eventId, failing!.id))).toEqual([]);
  }, 60_000);
});

describe('a consumer killed inside a batch, before its commit', () => {
  const GROUP = 'batch-crash';
  const KEYS = 4;
  const VERSIONS = 30;
  const dataDir = mkdtempSync(join(tmpdir(), 'onecheck-events-batch-'));
  const spec = testDbSpec('batchcrash', { dataDir }); // both processes open it
  let child: ChildProcess | undefined;
  let db: TestDb | undefined;
  let consumer: EventConsumer | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await consumer?.stop();
    await db?.close();
    await dropTestDb(spec);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves nothing of the batch applied, and the redelivered batch is applied once', async () => {
    const messages: OutgoingMessage[] = [];
    for (let v = 1; v <= VERSIONS; v++)
      for (let k = 0; k < KEYS; k++)
        messages.push(outboxMessage({ key: usccFor(k), event: changedEvent(usccFor(k), v) }));
    await produce(TOPIC, messages);

    // Every partition holds at least one key's 30 events, all in the child's first batch; at
    // 25 ms an event, 10 handler calls are well inside that batch's transaction.
    child = fork(CHILD, [], {
      execArgv: ['--import', 'tsx'],
      env: inheritedEnv({
        CHILD_DB_SPEC: JSON.stringify(spec),
        CHILD_BROKERS: broker.brokers,
        CHILD_GROUP: GROUP,
        CHILD_DELAY_MS: '25',
        CHILD_MAX_BATCH: '500',
      }),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
    let seen = { handled: 0, calls: 0 };
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('child never called its handler 10 times')), 100_000);
      child!.on('message', (m: { handled?: number; calls?: number }) => {
        if (m.calls === undefined) return;
        seen = { handled: m.handled ?? 0, calls: m.calls };
        if (seen.calls >= 10) {
          clearTimeout(timer);
          resolve();
        }
      });
      child!.once('exit', (code, signal) => reject(new Error(`child exited early: ${code ?? signal}`)));
    });
    child.kill('SIGKILL');
    await exited;
    expect(seen.handled).toBe(0); // killed inside the first batch's transaction

    db = await openTestDb(spec);
    expect(await effectCounts(db.db)).toEqual({ n: 0, distinct: 0 }); // nothing of it committed
    consumer = startConsumer({
      db: db.db,
      bus,
      logger,
      clock,
      groupId: GROUP,
      topics: [TOPIC],
      handlers: { 'onecheck.enterprise.changed.v1': effectHandler(GROUP) },
      kafka: FAST,
    });
    const total = KEYS * VERSIONS;
    await waitFor('every event applied', async () => (await effectCounts(db!.db)).n >= total, 45_000);
    expect(await effectCounts(db.db)).toEqual({ n: total, distinct: total });
    expect(consumer.stats).toMatchObject({ handled: total, duplicates: 0 });
    const byKey = await versionsByKey(db.db);
    expect(byKey.size).toBe(KEYS);
    for (const versions of byKey.values()) expect(versions).toEqual(Array.from({ length: VERSIONS }, (_, i) => i + 1));
  }, 180_000);
});
