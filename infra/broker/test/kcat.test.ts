/**
 * A second, independent client: kcat (librdkafka), with its default settings.
 * librdkafka probes with ApiVersions v3, falls back to v0 on our error, then
 * enables features from the advertised version ranges.
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompressionTypes, type Admin, type Kafka, type Producer } from 'kafkajs';
import { Condition, kafkaFor, fastConsumer, startTestBroker, uid, type TestBroker } from './helpers';

const kcatMissing = spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status !== 0;
const SKIP_REASON = 'kcat is not installed (apt-get install -y kcat); skipping the librdkafka interop tests';
if (kcatMissing) console.warn(SKIP_REASON);

/** Runs kcat asynchronously (a sync call would block this process — and the broker in it). */
function kcat(
  args: string[],
  input?: string,
  timeoutMs = 20_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn('kcat', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`kcat ${args.join(' ')} timed out after ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    proc.on('error', reject);
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    proc.stdin.end(input ?? '');
  });
}

describe.skipIf(kcatMissing)(
  `kcat interop${kcatMissing ? ` — skipped: ${SKIP_REASON}` : ''}`,
  { timeout: 40_000 },
  () => {
    let broker: TestBroker;
    let kafka: Kafka;
    let admin: Admin;
    let producer: Producer;

    beforeAll(async () => {
      broker = await startTestBroker();
      kafka = kafkaFor(broker.brokers);
      admin = kafka.admin();
      producer = kafka.producer();
      await Promise.all([admin.connect(), producer.connect()]);
    });

    afterAll(async () => {
      await Promise.allSettled([admin?.disconnect(), producer?.disconnect()]);
      await broker?.stop();
    });

    it('kcat -L lists the topics', async () => {
      const topic = uid('listed');
      await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
      const res = await kcat(['-b', broker.brokers, '-L']);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toContain(`broker 0 at ${broker.brokers}`);
      expect(res.stdout).toContain(`topic "${topic}" with 3 partitions`);
    });

    it('kcat produce → kcat consume round trip', async () => {
      const topic = uid('kk');
      const lines = Array.from({ length: 20 }, (_, i) => `key${i}:value${i}`);
      const prod = await kcat(['-b', broker.brokers, '-P', '-t', topic, '-K:'], `${lines.join('\n')}\n`);
      expect(prod.code, prod.stderr).toBe(0);
      const cons = await kcat([
        '-b',
        broker.brokers,
        '-C',
        '-t',
        topic,
        '-o',
        'beginning',
        '-e',
        '-q',
        '-f',
        '%k:%s\n',
      ]);
      expect(cons.code, cons.stderr).toBe(0);
      expect(cons.stdout.trim().split('\n').sort()).toEqual([...lines].sort());
    });

    it('kcat reads what kafkajs produced, gzip included', async () => {
      const topic = uid('jk');
      await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
      await producer.send({ topic, messages: [{ partition: 0, key: 'a', value: 'plain' }] });
      await producer.send({
        topic,
        compression: CompressionTypes.GZIP,
        messages: [
          { partition: 1, key: 'b', value: 'zipped1' },
          { partition: 1, key: 'c', value: 'zipped2' },
        ],
      });
      const cons = await kcat([
        '-b',
        broker.brokers,
        '-C',
        '-t',
        topic,
        '-o',
        'beginning',
        '-e',
        '-q',
        '-f',
        '%p %o %k=%s\n',
      ]);
      expect(cons.code, cons.stderr).toBe(0);
      expect(cons.stdout.trim().split('\n').sort()).toEqual(['0 0 a=plain', '1 0 b=zipped1', '1 1 c=zipped2']);
    });

    it('kcat -G consumes as a group and commits; kafkajs reads kcat-produced data', async () => {
      const topic = uid('kg');
      const groupId = uid('g');
      await kcat(['-b', broker.brokers, '-P', '-t', topic], 'm1\nm2\nm3\n');
      const groupArgs = [
        '-b',
        broker.brokers,
        '-G',
        groupId,
        topic,
        '-e',
        '-q',
        '-f',
        '%s\n',
        '-X',
        'auto.offset.reset=earliest',
      ];
      const first = await kcat(groupArgs);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout.trim().split('\n').sort()).toEqual(['m1', 'm2', 'm3']);

      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      expect(committed!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0)).toBe(3);

      await kcat(['-b', broker.brokers, '-P', '-t', topic], 'm4\n');
      const second = await kcat(groupArgs);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout.trim()).toBe('m4');

      const consumer = kafka.consumer(fastConsumer(uid('js')));
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
      await changed.wait(() => values.length >= 4, 'kafkajs to read 4 kcat messages');
      await consumer.disconnect();
      expect(values.sort()).toEqual(['m1', 'm2', 'm3', 'm4']);
    });
  },
);
