/**
 * Acceptance test: 10,000 messages over 3 partitions, a group of two
 * consumers, one of them (a child process) SIGKILLed mid-stream. The group as
 * a whole must see every message with per-partition order kept, and a later
 * consumer must resume exactly from the committed offsets.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { inheritedEnv } from './env';
import { Condition, fastConsumer, kafkaFor, startTestBroker, uid, waitFor, type TestBroker } from './helpers';

const TOTAL = 10_000;
const PARTITIONS = 3;
const MORE = 300;

interface Seen {
  partition: number;
  offset: number;
  value: number;
}

let broker: TestBroker;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
let child: ChildProcess | null = null;
const consumers: Consumer[] = [];

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = kafkaFor(broker.brokers);
  admin = kafka.admin();
  producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.allSettled(consumers.map((c) => c.disconnect()));
  await Promise.allSettled([admin?.disconnect(), producer?.disconnect()]);
  await broker?.stop();
});

/** Message i goes to partition i % 3, so its offset there is floor(i / 3). */
async function produceRange(topic: string, from: number, to: number): Promise<void> {
  const CHUNK = 500;
  for (let start = from; start < to; start += CHUNK) {
    const messages = [];
    for (let i = start; i < Math.min(to, start + CHUNK); i++) {
      messages.push({ partition: i % PARTITIONS, key: `k${i}`, value: String(i) });
    }
    await producer.send({ topic, messages });
  }
}

/** Runs the fixture with node + the tsx loader directly (no tsx CLI wrapper),
 * so SIGKILL hits the consumer process itself and not a parent launcher. */
function spawnChildConsumer(topic: string, groupId: string, progress: Condition) {
  const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'groupConsumer.ts');
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const reportFile = path.join(os.tmpdir(), `group-consumer-${process.pid}-${groupId}.log`);
  const proc = spawn(process.execPath, ['--import', tsxLoader, fixture], {
    env: inheritedEnv({
      BROKERS: broker.brokers,
      GROUP: groupId,
      TOPIC: topic,
      REPORT_FILE: reportFile,
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
    }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const state = { seen: [] as Seen[], assignments: [] as number[][], closed: false };
  const apply = (target: typeof state, line: string) => {
    const [kind, a, b, c] = line.split(' ');
    if (kind === 'M') target.seen.push({ partition: Number(a), offset: Number(b), value: Number(c) });
    if (kind === 'J') target.assignments.push(JSON.parse(a!) as number[]);
  };
  // stdout only shows progress while the child runs: a SIGKILL loses what Node still buffered.
  readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
    apply(state, line);
    progress.notify();
  });
  // Once it has exited, its report file is the record of everything it acknowledged.
  proc.on('close', () => {
    state.seen = [];
    state.assignments = [];
    const lines = fs.existsSync(reportFile) ? fs.readFileSync(reportFile, 'utf8').split('\n').filter(Boolean) : [];
    for (const line of lines) apply(state, line);
    fs.rmSync(reportFile, { force: true });
    state.closed = true;
    progress.notify();
  });
  return { proc, state };
}

/**
 * Per partition, a member's deliveries advance one offset at a time. Going
 * back is a redelivery (after a rebalance, from the last commit); going
 * forward past offsets is only fine if the other member consumed those
 * (the partition was theirs meanwhile). Anything else is a lost message.
 */
function expectNoGaps(seen: Seen[], other: Seen[], who: string): void {
  for (let p = 0; p < PARTITIONS; p++) {
    const offsets = seen.filter((s) => s.partition === p).map((s) => s.offset);
    const otherHas = new Set(other.filter((s) => s.partition === p).map((s) => s.offset));
    for (let i = 1; i < offsets.length; i++) {
      const prev = offsets[i - 1]!;
      const cur = offsets[i]!;
      for (let o = prev + 1; o < cur; o++) {
        if (!otherHas.has(o)) throw new Error(`${who}: partition ${p} jumped from ${prev} to ${cur}; ${o} never seen`);
      }
    }
  }
}

/** What a failure report shows: counts, missing values, the broker's group view, its log tail. */
interface Progress {
  topic: string;
  groupId: string;
  seen: () => Seen[];
  countA: () => number;
  countB: () => number;
}

async function diagnostics(p: Progress): Promise<string> {
  const group = await admin.describeGroups([p.groupId]).catch((e: unknown) => String(e));
  const committed = await admin
    .fetchOffsets({ groupId: p.groupId, topics: [p.topic] })
    .catch((e: unknown) => String(e));
  const union = new Set(p.seen().map((s) => s.value)); // taken after the awaits: not older than `committed`
  const missing: number[] = [];
  for (let i = 0; i < TOTAL && missing.length < 10; i++) if (!union.has(i)) missing.push(i);
  const hideBytes = (key: string, v: unknown) =>
    key === 'memberMetadata' || key === 'memberAssignment' ? '<bytes>' : v;
  return [
    `committed: ${JSON.stringify(committed)}`,
    `distinct values seen ${union.size}, by A ${p.countA()}, by the child ${p.countB()}; first missing: ${missing.join(', ')}`,
    `group: ${JSON.stringify(group, hideBytes)}`,
    'broker log tail:',
    ...broker.logger.lines.slice(-40),
  ].join('\n');
}

async function scenario(p: Progress): Promise<void> {
  const { topic, groupId } = p;
  expect(await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] })).toBe(true);

  // Re-evaluated on every message from either member.
  const progress = new Condition();

  // In-process member A.
  const seenA: Seen[] = [];
  const a = kafka.consumer(fastConsumer(groupId));
  consumers.push(a);
  await a.connect();
  await a.subscribe({ topic, fromBeginning: true });
  await a.run({
    eachMessage: async ({ partition, message }) => {
      seenA.push({ partition, offset: Number(message.offset), value: Number(message.value!.toString()) });
      progress.notify();
    },
  });

  // Child member B, then wait until the broker has a stable group of two
  // with partitions for both, so B really owns part of the stream.
  const b = spawnChildConsumer(topic, groupId, progress);
  child = b.proc;
  p.seen = () => [...seenA, ...b.state.seen];
  p.countA = () => seenA.length;
  p.countB = () => b.state.seen.length;
  await waitFor(
    async () => {
      const { groups } = await admin.describeGroups([groupId]);
      const g = groups[0]!;
      return g.state === 'Stable' && g.members.length === 2 && g.members.every((m) => m.memberAssignment.length > 8);
    },
    'a stable group of two members',
    20_000,
  );

  // First half; kill B once it has consumed some of it.
  await produceRange(topic, 0, TOTAL / 2);
  await progress.wait(() => b.state.seen.length >= 200, 'the child to consume messages', 15_000);
  b.proc.kill('SIGKILL');
  await progress.wait(() => b.state.closed, 'the child to exit', 5000);
  const childCount = b.state.seen.length;

  // Second half is produced after the kill: A must take over B's partitions
  // (after B's 6 s session expires) and consume everything.
  await produceRange(topic, TOTAL / 2, TOTAL);
  const union = () => new Set(p.seen().map((s) => s.value));
  await progress.wait(() => union().size === TOTAL, 'the group to consume all messages', 40_000);

  expect(childCount).toBeGreaterThan(0);
  // Broker kept production order within each partition.
  const misplaced = p
    .seen()
    .filter((s) => s.partition !== s.value % PARTITIONS || s.offset !== Math.floor(s.value / PARTITIONS));
  expect(misplaced).toEqual([]);
  expectNoGaps(seenA, b.state.seen, 'consumer A');
  expectNoGaps(b.state.seen, seenA, 'consumer B');
  expect(new Set(seenA.map((s) => s.partition)).size).toBe(PARTITIONS); // A took over B's partitions

  // Everything is committed once A has processed it all.
  const committedAt = async (total: number) => {
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return t!.partitions.every((x) => Number(x.offset) === Math.ceil((total - x.partition) / PARTITIONS));
  };
  await waitFor(() => committedAt(TOTAL), 'offsets committed up to the end of the log', 15_000);
  await a.disconnect();

  // Resume: M more messages, a fresh member of the same group gets exactly those.
  await produceRange(topic, TOTAL, TOTAL + MORE);
  const seenC: Seen[] = [];
  const c = kafka.consumer(fastConsumer(groupId));
  consumers.push(c);
  await c.connect();
  await c.subscribe({ topic, fromBeginning: true });
  await c.run({
    eachMessage: async ({ partition, message }) => {
      seenC.push({ partition, offset: Number(message.offset), value: Number(message.value!.toString()) });
      progress.notify();
    },
  });
  await progress.wait(() => seenC.length >= MORE, `the restarted consumer to get ${MORE} messages`, 20_000);
  await waitFor(() => committedAt(TOTAL + MORE), 'offsets committed after the resume', 15_000);
  await c.disconnect();
  expect(seenC).toHaveLength(MORE);
  expect(seenC.map((s) => s.value).sort((x, y) => x - y)).toEqual(Array.from({ length: MORE }, (_, i) => TOTAL + i));
}

describe('consumer group with a killed member', { timeout: 60_000 }, () => {
  it('delivers all 10,000 messages in partition order and resumes from committed offsets', async () => {
    const p: Progress = { topic: uid('crash'), groupId: uid('g'), seen: () => [], countA: () => 0, countB: () => 0 };
    try {
      await scenario(p);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${await diagnostics(p)}`, { cause: err });
    }
  });
});
