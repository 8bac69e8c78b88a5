/** Produce/consume round trips with kafkajs: record features, compression, big batches, seek. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CompressionTypes,
  type Admin,
  type Consumer,
  type EachMessagePayload,
  type Kafka,
  type Producer,
} from 'kafkajs';
import { Condition, fastConsumer, kafkaFor, startTestBroker, uid, type TestBroker } from './helpers';

let broker: TestBroker;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
const consumers: Consumer[] = [];

beforeAll(async () => {
  // The 2 MB message below needs frames above the 1 MiB default.
  broker = await startTestBroker({ limits: { maxFrameBytes: 8 * 1024 * 1024 } });
  kafka = kafkaFor(broker.brokers);
  admin = kafka.admin();
  producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
});

afterAll(async () => {
  await Promise.allSettled(consumers.map((c) => c.disconnect()));
  await Promise.allSettled([admin?.disconnect(), producer?.disconnect()]);
  await broker?.stop();
});

/** Starts a consumer and returns what it receives plus a way to wait on it. */
async function collect(topic: string, opts: { fromBeginning?: boolean; maxBytesPerPartition?: number } = {}) {
  const consumer = kafka.consumer({ ...fastConsumer(uid('g')), maxBytesPerPartition: opts.maxBytesPerPartition });
  consumers.push(consumer);
  const got: EachMessagePayload[] = [];
  const changed = new Condition();
  let fetched = false;
  // The first completed fetch means the start offset (e.g. "latest") is resolved.
  consumer.on(consumer.events.FETCH, () => {
    fetched = true;
    changed.notify();
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: opts.fromBeginning ?? true });
  await consumer.run({
    eachMessage: async (m) => {
      got.push(m);
      changed.notify();
    },
  });
  return {
    consumer,
    got,
    untilCount: (n: number, timeoutMs = 15_000) =>
      changed.wait(() => got.length >= n, `${n} messages on ${topic}`, timeoutMs),
    untilFetching: () => changed.wait(() => fetched, 'the consumer to fetch'),
  };
}

describe('records', { timeout: 30_000 }, () => {
  it('keeps keys, null values, repeated headers and timestamps; gzip batches are stored opaque', async () => {
    const topic = uid('rt');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await producer.send({
      topic,
      messages: [
        { key: 'k1', value: 'plain', headers: { h: ['x', 'y'], other: 'z' }, timestamp: '1700000000000' },
        { key: null, value: null },
      ],
    });
    await producer.send({
      topic,
      compression: CompressionTypes.GZIP,
      messages: Array.from({ length: 50 }, (_, i) => ({ key: `gz${i}`, value: `compressed ${i}`.repeat(20) })),
    });
    await producer.send({ topic, acks: 0, messages: [{ value: 'fire and forget' }] });

    const c = await collect(topic);
    await c.untilCount(53);
    const [first, second] = c.got;
    expect(first!.message.key?.toString()).toBe('k1');
    expect(first!.message.value?.toString()).toBe('plain');
    expect(first!.message.timestamp).toBe('1700000000000');
    expect((first!.message.headers?.h as Buffer[]).map(String)).toEqual(['x', 'y']);
    expect(first!.message.headers?.other?.toString()).toBe('z');
    expect(second!.message.key).toBeNull();
    expect(second!.message.value).toBeNull();
    expect(c.got.slice(2, 52).map((m) => m.message.value?.toString())).toEqual(
      Array.from({ length: 50 }, (_, i) => `compressed ${i}`.repeat(20)),
    );
    expect(c.got[52]!.message.value?.toString()).toBe('fire and forget');
    expect(c.got.map((m) => Number(m.message.offset))).toEqual(Array.from({ length: 53 }, (_, i) => i));
  });

  it('delivers a 2 MB message even with maxBytesPerPartition 1 MB', async () => {
    const topic = uid('big');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const big = Buffer.alloc(2 * 1024 * 1024, 'a');
    await producer.send({ topic, messages: [{ value: 'small' }, { value: big }] });
    await producer.send({ topic, messages: [{ value: 'after' }] });
    const c = await collect(topic, { maxBytesPerPartition: 1024 * 1024 });
    await c.untilCount(3);
    expect(c.got[1]!.message.value?.length).toBe(big.length);
    expect(c.got[2]!.message.value?.toString()).toBe('after');
  });

  it('fromBeginning false only sees new messages; seek moves the position', async () => {
    const topic = uid('seek');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `old${i}` })) });

    const latest = await collect(topic, { fromBeginning: false });
    await latest.untilFetching();
    await producer.send({ topic, messages: [{ value: 'new0' }] });
    await latest.untilCount(1);
    expect(latest.got.map((m) => m.message.value?.toString())).toEqual(['new0']);

    latest.consumer.seek({ topic, partition: 0, offset: '7' });
    await latest.untilCount(1 + 4);
    expect(latest.got.slice(1).map((m) => m.message.value?.toString())).toEqual(['old7', 'old8', 'old9', 'new0']);
  });

  it('refuses idempotent producers up front (no InitProducerId advertised)', async () => {
    const idempotent = kafka.producer({ idempotent: true });
    await expect(
      idempotent.connect().then(() => idempotent.send({ topic: uid('idem'), messages: [{ value: 'x' }] })),
    ).rejects.toThrow(/does not support/);
    await idempotent.disconnect();
  });

  it('reports offsets via admin (earliest, latest, by timestamp)', async () => {
    const topic = uid('lo');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    await producer.send({ topic, messages: [{ partition: 0, value: 'a', timestamp: '1000' }] });
    await producer.send({ topic, messages: [{ partition: 0, value: 'b', timestamp: '5000' }] });
    const offsets = await admin.fetchTopicOffsets(topic);
    const byPartition = Object.fromEntries(offsets.map((o) => [o.partition, [o.low, o.high]]));
    expect(byPartition).toEqual({ 0: ['0', '2'], 1: ['0', '0'] });
    const byTs = await admin.fetchTopicOffsetsByTimestamp(topic, 3000);
    expect(byTs.find((o) => o.partition === 0)?.offset).toBe('1');
  });
});
