/**
 * Two relays on one database (as when a service runs two replicas): the advisory lock lets one
 * publish at a time, so no event goes out twice and each key's events keep their order.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBroker } from '@onecheck/broker';
import { createBus, startRelay, TOPICS, type Bus, type BusConsumer, type Relay } from '../src/index';
import {
  FAST,
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
type TestDb = Awaited<ReturnType<typeof openTestDb>>;

const KEYS = 4;
const VERSIONS = 30;
const logger = testLogger();
const spec = testDbSpec('relays');
let broker: Broker;
let bus: Bus;
let first: TestDb;
let second: TestDb;
let relays: Relay[] = [];
let reader: BusConsumer;
/** Every message as it arrived: event id, key and version. */
const seen: { id: string; key: string; version: number }[] = [];

beforeAll(async () => {
  broker = await startBroker({ port: 0, logger: brokerLogger });
  bus = createBus({ brokers: [broker.brokers], clientId: 'relays-test', logger });
  // Two connections to the same database (on PGlite, the one in-memory database twice).
  first = await openTestDb(spec);
  second = spec.databaseUrl ? await openTestDb(spec) : first;
  await bus.ensureTopics([TOPICS.enterprise]);
  // A raw reader, without an inbox: a duplicate would show here.
  reader = bus.consumer('relays-reader', FAST);
  await reader.run([TOPICS.enterprise], async (batch) => {
    for (const m of batch.messages) {
      const event = JSON.parse(m.value!.toString('utf8'));
      seen.push({ id: event.id, key: m.key!.toString(), version: event.data.version });
      batch.resolveOffset(m.offset);
    }
    await batch.commit();
  });
}, 90_000);

afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()));
  await reader?.stop();
  await bus?.disconnect();
  await broker?.stop();
  if (second !== first) await second?.close();
  await first?.close();
  await dropTestDb(spec);
});

it('publishes each event once, in order per key, with two relays on one database', async () => {
  // Small batches, so the two relays take turns many times while events keep coming.
  relays = [first, second].map((d) => startRelay({ db: d.db, bus, logger, clock, pollMs: 20, batchSize: 7 }));
  for (let v = 1; v <= VERSIONS; v++) {
    await Promise.all(Array.from({ length: KEYS }, (_, k) => recordChange(first.db, usccFor(k), v)));
    relays[v % 2]!.notify();
  }
  await Promise.all(relays.map((r) => r.drain()));
  await waitFor('every event read', () => seen.length >= KEYS * VERSIONS, 30_000);
  await new Promise((r) => setTimeout(r, 500)); // room for a duplicate to arrive, if there were one

  expect(seen).toHaveLength(KEYS * VERSIONS);
  expect(new Set(seen.map((s) => s.id)).size).toBe(KEYS * VERSIONS);
  for (let k = 0; k < KEYS; k++) {
    const versions = seen.filter((s) => s.key === usccFor(k)).map((s) => s.version);
    expect(versions).toEqual(Array.from({ length: VERSIONS }, (_, i) => i + 1));
  }
  const [a, b] = relays.map((r) => r.stats);
  expect(a!.published + b!.published).toBe(KEYS * VERSIONS);
}, 120_000);
