/**
 * A consumer killed (SIGKILL) in the middle of a batch, in a child process; another consumer in
 * the same group takes over: no event lost, none applied twice, order per key kept.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBroker } from '@onecheck/broker';
import { createBus, outboxMessage, startConsumer, TOPICS, type Bus, type EventConsumer } from '../src/index';
import { inheritedEnv } from './env';
import {
  FAST,
  brokerLogger,
  changedEvent,
  dropTestDb,
  effectCounts,
  effectHandler,
  openTestDb,
  testDbSpec,
  testLogger,
  usccFor,
  versionsByKey,
  waitFor,
  clock,
} from './helpers';

type Broker = Awaited<ReturnType<typeof startBroker>>;
type TestDb = Awaited<ReturnType<typeof openTestDb>>;

const GROUP = 'crash-consumer';
const KEYS = 6;
const VERSIONS = 100; // 600 events
const CHILD = fileURLToPath(new URL('./fixtures/consumer-child.ts', import.meta.url));

const dataDir = mkdtempSync(join(tmpdir(), 'onecheck-events-crash-'));
const spec = testDbSpec('crash', { dataDir }); // PGlite on disk (or a PG schema): both processes open it
const logger = testLogger();
let broker: Broker;
let bus: Bus;
let child: ChildProcess | undefined;
let db: TestDb | undefined;
let consumer: EventConsumer | undefined;

beforeAll(async () => {
  broker = await startBroker({ port: 0, logger: brokerLogger });
  bus = createBus({ brokers: [broker.brokers], clientId: 'crash-test', logger });
  // All events are on the topic before the first consumer starts, so its first batches are big.
  const messages = [];
  for (let v = 1; v <= VERSIONS; v++) {
    for (let k = 0; k < KEYS; k++) {
      const key = usccFor(k);
      const event = changedEvent(key, v);
      messages.push(outboxMessage({ key, event }));
    }
  }
  await bus.ensureTopics([TOPICS.enterprise]);
  const p = await bus.producer();
  await p.send([{ topic: TOPICS.enterprise, messages }]);
  await p.disconnect();
}, 90_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await consumer?.stop();
  await bus?.disconnect();
  await broker?.stop();
  await db?.close();
  await dropTestDb(spec);
  rmSync(dataDir, { recursive: true, force: true });
});

it('a consumer killed mid-batch loses nothing and applies nothing twice', async () => {
  child = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    env: inheritedEnv({
      CHILD_DB_SPEC: JSON.stringify(spec),
      CHILD_BROKERS: broker.brokers,
      CHILD_GROUP: GROUP,
      CHILD_DELAY_MS: '10',
      // Batches of 25 (a quarter of a second each): the kill after 50 lands mid-way, never after
      // the lot — on a fast server one default batch could hold all 600.
      CHILD_MAX_BATCH: '25',
    }),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
  let handledByChild = 0;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('child never handled 50 events')), 100_000);
    child!.on('message', (m: { handled?: number }) => {
      handledByChild = m.handled ?? handledByChild;
      if (handledByChild >= 50) {
        clearTimeout(timer);
        resolve();
      }
    });
    child!.once('exit', (code, signal) => reject(new Error(`child exited early: ${code ?? signal}`)));
  });
  child.kill('SIGKILL');
  await exited;
  expect(handledByChild).toBeLessThan(KEYS * VERSIONS); // really mid-way

  // A new member of the same group, on the same database, takes over once the dead one's
  // session expires.
  db = await openTestDb(spec);
  const before = await effectCounts(db.db);
  expect(before.n).toBe(before.distinct);
  expect(before.n).toBeGreaterThanOrEqual(handledByChild);
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
  await waitFor('every event applied', async () => (await effectCounts(db!.db)).n >= KEYS * VERSIONS, 45_000);

  expect(await effectCounts(db.db)).toEqual({ n: KEYS * VERSIONS, distinct: KEYS * VERSIONS });
  // Whatever the dead consumer applied but had not yet committed offsets for comes again and the
  // inbox skips it (how many depends on where the kill fell). On a PostgreSQL server the dead
  // child's last COMMIT may still land after `before` was read, so the new member applies at most
  // what was left; the effects table above is what proves each event took effect exactly once.
  expect(consumer.stats.handled).toBeLessThanOrEqual(KEYS * VERSIONS - before.n);
  expect(consumer.stats.handled).toBeGreaterThan(0);
  const byKey = await versionsByKey(db.db);
  expect(byKey.size).toBe(KEYS);
  for (const versions of byKey.values()) expect(versions).toEqual(Array.from({ length: VERSIONS }, (_, i) => i + 1));
}, 180_000);
