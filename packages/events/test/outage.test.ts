/**
 * Broker down while the service keeps working: 1,000 transactions each write a state change and
 * its event; all commit. When the broker comes back (same port, same data) the relay drains and
 * the consumer applies exactly 1,000 effects, none twice, in order per key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBroker } from '@onecheck/broker';
import { count, gt, isNull } from 'drizzle-orm';
import { createBus, startConsumer, startRelay, TOPICS, type Bus, type EventConsumer, type Relay } from '../src/index';
import {
  FAST,
  brokerLogger,
  dropTestDb,
  effectCounts,
  effectHandler,
  freePort,
  openTestDb,
  recordChange,
  schema,
  testDbSpec,
  testLogger,
  usccFor,
  versionsByKey,
  waitFor,
  withTimeout,
  clock,
} from './helpers';

type Broker = Awaited<ReturnType<typeof startBroker>>;
type TestDb = Awaited<ReturnType<typeof openTestDb>>;

const EVENTS = 1000;
const KEYS = 20;
const GROUP = 'outage-consumer';
const LATE_GROUP = 'outage-late-consumer';

const dataDir = mkdtempSync(join(tmpdir(), 'onecheck-events-outage-'));
// One database plays both services (producer tables: changes/outbox; consumer: inbox/effects).
const spec = testDbSpec('outage');
const logger = testLogger();
let port: number;
let broker: Broker | undefined;
let bus: Bus;
let db: TestDb;
let relay: Relay;
let consumer: EventConsumer;
let late: EventConsumer | undefined;

beforeAll(async () => {
  port = await freePort();
  broker = await startBroker({ port, dataDir, logger: brokerLogger });
  bus = createBus({ brokers: [`127.0.0.1:${port}`], clientId: 'outage-test', logger });
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
  await late?.stop();
  await consumer?.stop();
  await relay?.stop();
  await bus?.disconnect();
  await broker?.stop();
  await db?.close();
  await dropTestDb(spec);
  rmSync(dataDir, { recursive: true, force: true });
});

it('loses nothing while the broker is down and drains exactly once when it returns', async () => {
  // Warm up: the pipeline works and the group has committed offsets in the broker's data.
  await recordChange(db.db, usccFor(0), 1);
  await relay.drain();
  await waitFor('the warm-up effect', async () => (await effectCounts(db.db, GROUP)).n === 1);

  await broker!.stop();
  broker = undefined;

  // A service that starts while Kafka is down: its consumer keeps trying and catches up later.
  late = startConsumer({
    db: db.db,
    bus,
    logger,
    clock,
    groupId: LATE_GROUP,
    topics: [TOPICS.enterprise],
    handlers: { 'onecheck.enterprise.changed.v1': effectHandler(LATE_GROUP) },
    kafka: FAST,
  });

  // 1,000 transactions, each a state change + its outbox row; none may fail.
  const started = performance.now();
  for (let i = 0; i < EVENTS; i++) {
    const k = i % KEYS;
    await recordChange(db.db, usccFor(k), (k === 0 ? 2 : 1) + Math.floor(i / KEYS));
    if (i % 100 === 0) relay.notify();
  }
  const [changes] = await db.db.select({ n: count() }).from(schema.changes);
  expect(changes!.n).toBe(EVENTS + 1);
  const [pending] = await db.db.select({ n: count() }).from(schema.outbox).where(isNull(schema.outbox.publishedAt));
  expect(pending!.n).toBe(EVENTS);
  // The relay tried meanwhile and recorded why it could not publish.
  await waitFor('a recorded publish failure', async () => {
    const [r] = await db.db.select({ n: count() }).from(schema.outbox).where(gt(schema.outbox.attempts, 0));
    return r!.n > 0;
  });
  expect((await effectCounts(db.db, GROUP)).n).toBe(1);
  logger.info({ ms: performance.now() - started }, 'recorded while down');

  broker = await startBroker({ port, dataDir, logger: brokerLogger });
  await withTimeout('relay drain after restart', relay.drain(), 30_000);
  await waitFor('all effects after restart', async () => (await effectCounts(db.db, GROUP)).n >= EVENTS + 1, 45_000);

  expect(await effectCounts(db.db, GROUP)).toEqual({ n: EVENTS + 1, distinct: EVENTS + 1 });
  await waitFor(
    'the late consumer caught up',
    async () => (await effectCounts(db.db, LATE_GROUP)).n >= EVENTS + 1,
    30_000,
  );
  expect(await effectCounts(db.db, LATE_GROUP)).toEqual({ n: EVENTS + 1, distinct: EVENTS + 1 });
  for (const group of [GROUP, LATE_GROUP]) {
    const byKey = await versionsByKey(db.db, group);
    expect(byKey.size).toBe(KEYS);
    for (const versions of byKey.values()) {
      expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
    }
  }
}, 85_000);
