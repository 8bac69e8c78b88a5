/**
 * The relay lingers while events flow (relay.ts, lingerMs): the events committed just after a
 * publish go out together in the next one, instead of one publish each; a first event after a
 * quiet spell is not held back, and stop() does not wait for the linger to end. Against the real
 * broker and a real database.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBroker } from '@onecheck/broker';
import { createBus, startRelay, TOPICS, type Bus, type Relay } from '../src/index';
import {
  brokerLogger,
  clock,
  dropTestDb,
  openTestDb,
  recordChange,
  testDbSpec,
  testLogger,
  usccFor,
  waitFor,
} from './helpers';

type Broker = Awaited<ReturnType<typeof startBroker>>;

const LINGER_MS = 1500;
const spec = testDbSpec('linger');
const logger = testLogger();
let broker: Broker;
let bus: Bus;
let db: Awaited<ReturnType<typeof openTestDb>>;
let relay: Relay | undefined;

beforeAll(async () => {
  broker = await startBroker({ port: 0, logger: brokerLogger });
  bus = createBus({ brokers: [broker.brokers], clientId: 'linger-test', logger });
  await bus.ensureTopics([TOPICS.enterprise]);
  db = await openTestDb(spec);
}, 60_000);

afterAll(async () => {
  await relay?.stop();
  await bus?.disconnect();
  await broker?.stop();
  await db?.close();
  await dropTestDb(spec);
});

it('publishes what commits during the linger in one publish, the first event at once, and stops without waiting', async () => {
  relay = startRelay({ db: db.db, bus, logger, clock, pollMs: 1, lingerMs: LINGER_MS });
  const first = performance.now();
  await recordChange(db.db, usccFor(1), 1);
  await waitFor('the first event published', () => relay!.stats.published === 1);
  // Looked for every millisecond while idle (pollMs): out at once, not after a linger.
  expect(performance.now() - first).toBeLessThan(LINGER_MS);

  // Committed one by one, 100 ms apart, while the relay lingers after the first publish (a relay
  // that looked again at once would publish each alone).
  const key = usccFor(2);
  for (let version = 1; version <= 5; version++) {
    await recordChange(db.db, key, version);
    await new Promise((r) => setTimeout(r, 100));
  }
  await waitFor('the five published', () => relay!.stats.published === 6, 10_000);
  expect(relay.stats.publishes).toBe(2);

  // A stop during the linger after that publish ends it.
  const stopping = performance.now();
  await relay.stop();
  expect(performance.now() - stopping).toBeLessThan(LINGER_MS);
});
