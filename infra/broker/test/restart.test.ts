/** Persistence: a broker restarted on the same dataDir keeps topics, log and committed offsets. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CompressionTypes, type Consumer, type Kafka } from 'kafkajs';
import { startBroker } from '../src/index';
import {
  Condition,
  fastConsumer,
  kafkaFor,
  memoryLogger,
  startTestBroker,
  tempDir,
  uid,
  waitFor,
  type TestBroker,
} from './helpers';

const brokers: TestBroker[] = [];
const consumers: Consumer[] = [];

afterAll(async () => {
  await Promise.allSettled(consumers.map((c) => c.disconnect()));
  await Promise.allSettled(brokers.map((b) => b.stop()));
});

async function consumeValues(kafka: Kafka, topic: string, groupId: string, expected: number) {
  const consumer = kafka.consumer(fastConsumer(groupId));
  consumers.push(consumer);
  const values: string[] = [];
  const changed = new Condition();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      values.push(message.value!.toString());
      changed.notify();
    },
  });
  await changed.wait(() => values.length >= expected, `${expected} messages for ${groupId}`);
  return { consumer, values };
}

describe('broker restart', { timeout: 45_000 }, () => {
  it('keeps the log and committed offsets across stop/start on the same dataDir', async () => {
    const dataDir = tempDir();
    const topic = uid('persist');
    const groupId = uid('g');

    // --- first life: 100 messages (one batch gzip), consume and commit all of them
    const first = await startTestBroker({ dataDir });
    brokers.push(first);
    let kafka = kafkaFor(first.brokers);
    const producer = kafka.producer();
    await producer.connect();
    const admin1 = kafka.admin();
    await admin1.connect();
    await admin1.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    await producer.send({ topic, messages: Array.from({ length: 50 }, (_, i) => ({ value: `v${i}` })) });
    await producer.send({
      topic,
      compression: CompressionTypes.GZIP,
      messages: Array.from({ length: 50 }, (_, i) => ({ value: `v${50 + i}` })),
    });
    const one = await consumeValues(kafka, topic, groupId, 100);
    await waitFor(async () => {
      const [t] = await admin1.fetchOffsets({ groupId, topics: [topic] });
      return t!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0) === 100;
    }, 'all 100 offsets committed');
    await one.consumer.disconnect();
    // 30 more that the group has not consumed yet
    await producer.send({ topic, messages: Array.from({ length: 30 }, (_, i) => ({ value: `w${i}` })) });
    await producer.disconnect();
    await admin1.disconnect();
    const port = first.port;
    await first.stop();

    // --- second life on the same port and dataDir
    const second = await startTestBroker({ dataDir, port });
    brokers.push(second);
    kafka = kafkaFor(second.brokers);
    const admin2 = kafka.admin();
    await admin2.connect();
    const md = await admin2.fetchTopicMetadata({ topics: [topic] });
    expect(md.topics[0]!.partitions).toHaveLength(3);
    const offsets = await admin2.fetchTopicOffsets(topic);
    expect(offsets.reduce((n, o) => n + Number(o.high), 0)).toBe(130);

    // The group resumes after its committed offsets: exactly the 30 new ones.
    const resumed = await consumeValues(kafka, topic, groupId, 30);
    await waitFor(async () => {
      const [t] = await admin2.fetchOffsets({ groupId, topics: [topic] });
      return t!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0) === 130;
    }, 'all 130 offsets committed');
    expect(resumed.values.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `w${i}`).sort());

    // A new group reads the whole log back, compressed batch included.
    const all = await consumeValues(kafka, topic, uid('fresh'), 130);
    expect(new Set(all.values).size).toBe(130);
    expect(all.values).toEqual(expect.arrayContaining(['v0', 'v49', 'v50', 'v99', 'w29']));
    await admin2.disconnect();
    await Promise.all(consumers.map((c) => c.disconnect()));
    await second.stop();
  });

  it('drops a torn write at the end of a segment on start', async () => {
    const dataDir = tempDir();
    const topic = uid('torn');
    const b1 = await startTestBroker({ dataDir });
    brokers.push(b1);
    const kafka = kafkaFor(b1.brokers);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ partition: 0, value: 'kept' }] });
    await producer.disconnect();
    await b1.stop();

    // Simulate a crash mid-append: half a batch header after the good batch.
    const segment = path.join(dataDir, 'logs', topic, '0.log');
    const goodSize = fs.statSync(segment).size;
    fs.appendFileSync(segment, Buffer.alloc(30, 7));

    const logger = memoryLogger();
    const b2 = await startBroker({ dataDir, logger });
    brokers.push({ ...b2, dataDir, logger });
    expect(fs.statSync(segment).size).toBe(goodSize);
    expect(logger.lines.some((l) => l.includes('discarding 30 bytes'))).toBe(true);
    const admin = kafkaFor(b2.brokers).admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.find((o) => o.partition === 0)?.high).toBe('1');
    await admin.disconnect();
    await b2.stop();
  });

  it('refuses a dataDir that another running broker holds', async () => {
    const dataDir = tempDir();
    const b = await startTestBroker({ dataDir });
    brokers.push(b);
    await expect(startBroker({ dataDir, logger: memoryLogger() })).rejects.toThrow(/in use/);
    await b.stop();
  });
});
