/**
 * An idle service must not keep the machine busy (issue 7): kafkajs 2.2.4 re-arms a 1 ms timer
 * for ever on every broker connection that has sent a request (kafka.ts, fixKafkajsIdleTimer).
 * Counted here through the real broker and kafkajs: how often an idle consumer's connections look
 * at their waiting requests in one second.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBroker } from '@onecheck/broker';
import { createBus, TOPICS, type Bus, type BusConsumer } from '../src/index';
import { brokerLogger, FAST, testLogger } from './helpers';

type Broker = Awaited<ReturnType<typeof startBroker>>;
const RequestQueue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js') as {
  prototype: { checkPendingRequests(): void };
};

let broker: Broker;
let bus: Bus;
let consumer: BusConsumer;

beforeAll(async () => {
  broker = await startBroker({ port: 0, logger: brokerLogger });
  bus = createBus({ brokers: [broker.brokers], clientId: 'idle-test', logger: testLogger() });
  await bus.ensureTopics([TOPICS.calendar]);
  consumer = bus.consumer('idle-test', FAST);
  await consumer.run([TOPICS.calendar], async () => {});
}, 60_000);

afterAll(async () => {
  await consumer?.stop();
  await bus?.disconnect();
  await broker?.stop();
});

it('an idle consumer does not spin: its connections look at waiting requests only when some wait', async () => {
  const original = RequestQueue.prototype.checkPendingRequests;
  let looks = 0;
  RequestQueue.prototype.checkPendingRequests = function (this: unknown) {
    looks++;
    return original.call(this);
  };
  try {
    // Joined, fetching every 200 ms (FAST), heart beating every 500 ms: a handful of answers a second.
    await new Promise((r) => setTimeout(r, 1000));
    looks = 0;
    await new Promise((r) => setTimeout(r, 1000));
  } finally {
    RequestQueue.prototype.checkPendingRequests = original;
  }
  // Each answer looks once (about 10 a second here); the 1 ms loop made it hundreds per connection.
  expect(looks).toBeGreaterThan(0);
  expect(looks).toBeLessThan(60);
});
