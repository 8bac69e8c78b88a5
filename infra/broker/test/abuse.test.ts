/**
 * A broker that holds under abuse (issue 8): from a separate process, CreateTopics with
 * 1,000,000 partitions, three 95 MiB partial frames held open, a stalled frame and 10,000
 * connections, all refused or closed, while a normal kafkajs client keeps producing and
 * consuming through the attack. The broker runs without users here, so its limits alone are
 * what protects it (npm start's broker also requires SCRAM: test/kafka-abuse.test.ts attacks that).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Consumer, Producer } from 'kafkajs';
import { systemClock } from '@onecheck/clock';
import { DEFAULT_LIMITS, usersFromPasswords } from '../src/index';
import { Writer } from '../src/protocol/codec';
import { ApiKey, ErrorCode } from '../src/protocol/constants';
import {
  Condition,
  encodeRequest,
  fastConsumer,
  kafkaFor,
  RawClient,
  startTestBroker,
  uid,
  type TestBroker,
} from './helpers';
import { inheritedEnv } from './env';

interface AttackReport {
  partitions: { huge: number[] | null; total: number[] | null };
  bigPartialFramesClosedAfterMs: (number | null)[];
  stalledFrameClosedAfterMs: number | null;
  flood: { attempted: number; opened: number; closedByBroker: number; stillOpen: number };
  tookMs: number;
}

const PARTIAL_FRAME_TIMEOUT_MS = 1000;

function runAttacker(port: number): Promise<AttackReport> {
  const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'attacker.ts');
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const proc = spawn(process.execPath, ['--import', tsxLoader, fixture], {
    env: inheritedEnv({
      BROKER_PORT: String(port),
      SOURCE_ADDRESS: '127.0.0.2',
      CONNECTIONS: '10000',
      HOLD_MS: '3000',
    }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) => {
      if (code !== 0) reject(new Error(`attacker exited with ${code}: ${out}`));
      else resolve(JSON.parse(out) as AttackReport);
    });
  });
}

let broker: TestBroker;
let producer: Producer;
let consumer: Consumer;
const received = new Set<string>();
const arrived = new Condition();
const topic = uid('alive');

beforeAll(async () => {
  broker = await startTestBroker({ limits: { partialFrameTimeoutMs: PARTIAL_FRAME_TIMEOUT_MS } });
  const kafka = kafkaFor(broker.brokers);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
  await admin.disconnect();
  producer = kafka.producer();
  await producer.connect();
  consumer = kafka.consumer(fastConsumer(uid('alive-group')));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      received.add(message.value!.toString());
      arrived.notify();
    },
  });
  await producer.send({ topic, messages: [{ value: 'before' }] });
  await arrived.wait(() => received.has('before'), 'the first message');
}, 30_000);

afterAll(async () => {
  await Promise.allSettled([producer?.disconnect(), consumer?.disconnect()]);
  await broker?.stop();
});

describe('abuse from a separate process', () => {
  it(
    'refuses or closes every attempt while a normal client keeps producing and consuming',
    { timeout: 90_000 },
    async () => {
      const attack = runAttacker(broker.port);
      let done = false;
      void attack.finally(() => (done = true));
      // The normal client's round trips during the attack.
      const sent: string[] = [];
      let maxConnections = 0;
      while (!done) {
        const value = `during-${sent.length}`;
        const t0 = systemClock.millis();
        await producer.send({ topic, messages: [{ value }] });
        sent.push(value);
        await arrived.wait(() => received.has(value), `${value} to be consumed during the attack`, 10_000);
        expect(systemClock.millis() - t0).toBeLessThan(8_000);
        maxConnections = Math.max(maxConnections, broker.stats().connections);
        await new Promise((r) => setTimeout(r, 100));
      }
      const report = await attack;

      expect(sent.length).toBeGreaterThan(3);
      // 1,000,000 partitions: INVALID_PARTITIONS; 30 topics × 100 partitions: POLICY_VIOLATION once past the total.
      expect(report.partitions.huge).toEqual([ErrorCode.INVALID_PARTITIONS]);
      expect(report.partitions.total).toContain(ErrorCode.POLICY_VIOLATION);
      expect(broker.stats()).toBeDefined();
      // 95 MiB declared: closed on the length prefix, before any of it is buffered.
      for (const ms of report.bigPartialFramesClosedAfterMs) expect(ms).not.toBeNull();
      // …on the length prefix (the log names the declared size), not by the partial-frame timeout.
      const onPrefix = broker.logger.lines.filter((l) => l.includes(`bad frame size ${95 * 1024 * 1024}`));
      expect(onPrefix).toHaveLength(3);
      // A frame within the limit that stalls: closed by the partial-frame timeout.
      expect(report.stalledFrameClosedAfterMs).not.toBeNull();
      expect(report.stalledFrameClosedAfterMs!).toBeGreaterThanOrEqual(PARTIAL_FRAME_TIMEOUT_MS - 50);
      // 10,000 connections: beyond the per-address limit each is closed at once.
      expect(report.flood.attempted).toBe(10_000);
      expect(report.flood.stillOpen).toBeLessThanOrEqual(DEFAULT_LIMITS.maxConnectionsPerAddress);
      expect(report.flood.closedByBroker).toBeGreaterThanOrEqual(10_000 - DEFAULT_LIMITS.maxConnectionsPerAddress);
      expect(broker.stats().refusedConnections).toBeGreaterThanOrEqual(
        10_000 - DEFAULT_LIMITS.maxConnectionsPerAddress,
      );
      expect(maxConnections).toBeLessThanOrEqual(DEFAULT_LIMITS.maxConnections);

      // Nothing the attacker asked for exists, and the client still works afterwards.
      const admin = kafkaFor(broker.brokers).admin();
      await admin.connect();
      const topics = await admin.listTopics();
      expect(topics).not.toContain('attack.huge');
      expect(topics.filter((t) => t.startsWith('attack.many.')).length).toBeLessThan(10);
      await admin.disconnect();
      await producer.send({ topic, messages: [{ value: 'after' }] });
      await arrived.wait(() => received.has('after'), 'a message after the attack');
    },
  );

  it('with users configured, an unauthenticated CreateTopics closes the connection; a large pre-auth frame too', async () => {
    const locked = await startTestBroker({ users: usersFromPasswords({ admin: 'secret' }) });
    const a = await RawClient.connect(locked.port);
    const body = new Writer().int32(1).string('x').int32(1_000_000).int16(-1).int32(0).int32(0).int32(1000).bool(false);
    a.send(encodeRequest(ApiKey.CreateTopics, 1, 1, body.toBuffer()));
    await a.waitClosed();
    const b = await RawClient.connect(locked.port);
    const head = Buffer.alloc(4);
    head.writeInt32BE(DEFAULT_LIMITS.maxUnauthenticatedFrameBytes + 1);
    b.send(head);
    await b.waitClosed();
    await locked.stop();
  });

  it('answers a Fetch listing one partition many times, with no limit of its own, within maxFetchBytes', async () => {
    const cap = 64 * 1024;
    const b = await startTestBroker({ limits: { maxFetchBytes: cap } });
    const topic = uid('fetch-amp');
    const producer = kafkaFor(b.brokers).producer();
    await producer.connect();
    // 256 KiB in 64 batches of 4 KiB: four times the cap in one partition.
    for (let i = 0; i < 64; i++)
      await producer.send({ topic, messages: [{ partition: 0, value: Buffer.alloc(4096, i % 256) }] });
    await producer.disconnect();
    const raw = await RawClient.connect(b.port);
    const body = new Writer().int32(-1).int32(0).int32(1).int32(0x7fffffff).int8(0);
    body.int32(1).string(topic).int32(50);
    for (let i = 0; i < 50; i++) body.int32(0).int64(0).int32(0x7fffffff);
    raw.send(encodeRequest(ApiKey.Fetch, 4, 1, body.toBuffer()));
    const answer = await raw.nextFrame();
    // Without the cap: 50 × 256 KiB. With it: the cap and at most one batch beyond (a whole batch is never cut).
    expect(answer.length).toBeLessThan(cap + 8 * 1024);
    expect(answer.length).toBeGreaterThan(cap / 2);
    raw.close();

    // A consumer still reads the whole partition, answer after answer.
    const consumer = kafkaFor(b.brokers).consumer(fastConsumer(uid('g')));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    const all = new Condition();
    await consumer.run({
      eachMessage: async () => {
        seen += 1;
        all.notify();
      },
    });
    await all.wait(() => seen === 64, 'every record through the capped fetches');
    await consumer.disconnect();
    await b.stop();
  });

  it('closes idle connections and throttles a connection over its request rate', async () => {
    const b = await startTestBroker({ limits: { idleTimeoutMs: 300, maxRequestsPerSecond: 20 } });
    const idle = await RawClient.connect(b.port);
    await idle.waitClosed(3000);
    expect(b.logger.lines.some((l) => l.includes('idle, closing'))).toBe(true);

    const busy = await RawClient.connect(b.port);
    const t0 = systemClock.millis();
    for (let i = 0; i < 60; i++) busy.send(encodeRequest(ApiKey.ApiVersions, 0, i, Buffer.alloc(0)));
    for (let i = 0; i < 60; i++) await busy.nextFrame();
    // 20 in the bucket, then 20 per second: about two seconds for 60.
    expect(systemClock.millis() - t0).toBeGreaterThan(1500);
    busy.close();
    await b.stop();
  });
});
