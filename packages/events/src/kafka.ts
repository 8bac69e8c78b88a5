/**
 * The only module that touches kafkajs. kafkajs is unmaintained, so the relay, the consumer and
 * the services use this small interface; replacing the client later means rewriting this file
 * alone. Production points it at real Kafka (KAFKA_BROKERS); tests and single-machine runs point
 * it at the project's own broker (@onecheck/broker).
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ConnectionOptions } from 'node:tls';
import type { Logger } from 'pino';
import kafkajs from 'kafkajs';
import { systemClock } from '@onecheck/clock';
import type { Admin, Consumer, EachBatchPayload, IHeaders, LogEntry, Producer } from 'kafkajs';

// kafkajs is CommonJS: take the runtime values from its module object.
const { Kafka, Partitioners, logLevel: KafkaLogLevel } = kafkajs;

/** What of kafkajs's request queue (one per broker connection) the idle fix below touches. */
interface KafkajsRequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/**
 * kafkajs 2.2.4, its last release, re-arms a timer of 1 ms for ever on every broker connection
 * that has sent a request, with nothing waiting (tulios/kafkajs#1556, #1604, #1704; the fix of
 * #1667 was never released): idle, each service woke some 1,200 times a second and spent 5 % of
 * a core on it, and an idle `npm start` 0.4 of a core (issue 7). As that fix does, the check is
 * armed only while requests wait: a request that has to wait arms it, and every answer checks the
 * waiting ones again (fulfillRequest). Only 2.2.4 is changed; a later kafkajs keeps its own.
 */
export function fixKafkajsIdleTimer(): boolean {
  const require = createRequire(import.meta.url);
  if ((require('kafkajs/package.json') as { version: string }).version !== '2.2.4') return false;
  const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as {
    prototype: KafkajsRequestQueue;
  };
  // As kafkajs's own CHECK_PENDING_REQUESTS_INTERVAL: how soon requests held by an in-flight limit are looked at again.
  const retryMs = 10;
  RequestQueue.prototype.scheduleCheckPendingRequests = function (this: KafkajsRequestQueue) {
    if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
    // kafkajs keeps throttledUntil in wall-clock milliseconds, whatever clock the service is given.
    const throttledFor = this.throttledUntil - systemClock.millis();
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      throttledFor > 0 ? throttledFor : retryMs,
    );
  };
  return true;
}
fixKafkajsIdleTimer();

/** Header values as they go out; incoming headers are always Buffers (raw bytes). */
export type BusHeaders = Record<string, string | Buffer>;

export interface OutgoingMessage {
  key: string | Buffer | null;
  value: string | Buffer | null;
  headers?: BusHeaders;
  /** Normally omitted: the default (Java-compatible murmur2) partitioner places the key. */
  partition?: number;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer>;
}

export interface BusProducer {
  /**
   * Sends to one or more topics and resolves only when every message is acknowledged by all
   * in-sync replicas (acks = -1). Messages of one key keep their order (same partition, one
   * record batch per partition, one request in flight).
   */
  send(batches: { topic: string; messages: OutgoingMessage[] }[]): Promise<void>;
  disconnect(): Promise<void>;
}

/** One fetched batch of one partition, with the controls a careful handler needs. */
export interface BatchContext {
  topic: string;
  partition: number;
  messages: IncomingMessage[];
  /** Marks a message done: its offset + 1 becomes committable. Call only after its effect committed. */
  resolveOffset(offset: string): void;
  /** Keeps the group membership alive during long batches; cheap (sends only when due). */
  heartbeat(): Promise<void>;
  /** Commits resolved offsets when the auto-commit interval is due. */
  commit(): Promise<void>;
  /** False once the consumer is stopping or the partition was revoked: stop handling this batch. */
  isActive(): boolean;
}

export interface ConsumerOptions {
  /** Where a group with no committed offset starts. Default true: a new service sees the whole history. */
  fromBeginning?: boolean;
  sessionTimeout?: number;
  heartbeatInterval?: number;
  rebalanceTimeout?: number;
  maxWaitTimeInMs?: number;
  maxBytesPerPartition?: number;
  partitionsConsumedConcurrently?: number;
  /** Commit resolved offsets at least this often inside long batches (ms). Default 2000. */
  autoCommitInterval?: number;
  /**
   * Not kafkajs's: most events the consumer applies in one database transaction (see
   * consumer.ts). Here so a service's consumer tuning reaches it; 1 = one event per transaction.
   */
  maxBatch?: number;
}

export interface BusConsumer {
  /** Connects, subscribes and joins the group; resolves once joined. Throws if the broker is unreachable. */
  run(topics: string[], eachBatch: (batch: BatchContext) => Promise<void>): Promise<void>;
  /**
   * Called when kafkajs gives up on this consumer (a crash it will not restart from itself);
   * the owner should stop it and build a new one.
   */
  onFatal(listener: (error: Error) => void): void;
  /** Finishes the current message, leaves the group, closes connections. Idempotent. */
  stop(): Promise<void>;
}

export interface Bus {
  producer(): Promise<BusProducer>;
  consumer(groupId: string, opts?: ConsumerOptions): BusConsumer;
  /** Creates the topics that do not exist yet (real Kafka may have auto-creation disabled). */
  ensureTopics(topics: string[], partitions?: number): Promise<void>;
  /** Disconnects every producer and consumer this bus made. */
  disconnect(): Promise<void>;
}

export interface BusOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** kafkajs's own log level; default 'warn' (kafkajs is chatty at info). */
  kafkaLogLevel?: 'error' | 'warn' | 'info' | 'debug';
  /** TCP connect timeout (ms). Default 3000. */
  connectionTimeout?: number;
  /**
   * SASL/SCRAM credentials of this process's principal (DESIGN §5: the bus is not trusted by
   * default; infra/kafka/access.json names the principals). Omitted: an unauthenticated client,
   * which a broker with users refuses on connect.
   */
  sasl?: KafkaSasl;
  /** TLS to the broker: true = the system's CAs; an object adds e.g. `{ ca: [pem] }`. Omitted: plaintext. */
  ssl?: KafkaSsl;
}

export type SaslMechanism = 'scram-sha-256' | 'scram-sha-512';
export type KafkaSasl = { [M in SaslMechanism]: { mechanism: M; username: string; password: string } }[SaslMechanism];
export type KafkaSsl = boolean | Pick<ConnectionOptions, 'ca' | 'servername' | 'rejectUnauthorized'>;

/**
 * The Kafka error types a broker answers when the principal lacks a right (kafkajs's `type`).
 * Services have no CreateTopics right: setup creates the topics as the admin (infra/kafka/access.json).
 */
const AUTHORIZATION_ERRORS = new Set(['TOPIC_AUTHORIZATION_FAILED', 'CLUSTER_AUTHORIZATION_FAILED']);
export function isAuthorizationError(err: unknown): boolean {
  // kafkajs wraps a refusal it will not retry (originalError) or several at once (errors).
  const e = err as { type?: string; originalError?: unknown; errors?: unknown[] } | null;
  if (!e) return false;
  return (
    AUTHORIZATION_ERRORS.has(e.type ?? '') ||
    isAuthorizationError(e.originalError) ||
    (Array.isArray(e.errors) && e.errors.some(isAuthorizationError))
  );
}

/** `KAFKA_BROKERS=host1:9092,host2:9092` → ['host1:9092', 'host2:9092']; undefined when unset or empty. */
export function brokersFromEnv(env: Record<string, string | undefined>): string[] | undefined {
  const list = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  return list.length ? list : undefined;
}

const LEVELS = {
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.INFO,
  debug: KafkaLogLevel.DEBUG,
};

/** kafkajs logCreator → pino, keeping kafkajs's structured fields. */
function pinoLogCreator(logger: Logger) {
  const log = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log: entry }: LogEntry) => {
      const { message, timestamp: _ts, ...extra } = entry;
      const fields = { namespace, ...extra };
      if (level <= KafkaLogLevel.ERROR) log.error(fields, message);
      else if (level === KafkaLogLevel.WARN) log.warn(fields, message);
      else if (level === KafkaLogLevel.INFO) log.info(fields, message);
      else log.debug(fields, message);
    };
}

function toBuffers(headers: IHeaders | undefined): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    // Repeated headers arrive as arrays; the last one wins (we never send repeats).
    const v = Array.isArray(value) ? value[value.length - 1] : value;
    if (v !== undefined) out[name] = Buffer.isBuffer(v) ? v : Buffer.from(v);
  }
  return out;
}

export function createBus(opts: BusOptions): Bus {
  const logger = opts.logger;
  const kafka = new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    connectionTimeout: opts.connectionTimeout ?? 3000,
    // Short client-level retries (connects, metadata): the relay and the consumer supervisor
    // do their own longer backoff, and a broker outage must surface quickly to them.
    retry: { initialRetryTime: 100, retries: 3, maxRetryTime: 2000 },
    logLevel: LEVELS[opts.kafkaLogLevel ?? 'warn'],
    logCreator: pinoLogCreator(logger),
    sasl: opts.sasl,
    ssl: opts.ssl,
  });
  const producers = new Set<Producer>();
  const consumers = new Set<BusConsumer>();

  async function producer(): Promise<BusProducer> {
    const p = kafka.producer({
      // Explicit partitioner: same placement as the Java client (and no kafkajs v2 warning).
      createPartitioner: Partitioners.DefaultPartitioner,
      // One request in flight keeps a key's messages in order even when kafkajs retries.
      maxInFlightRequests: 1,
      // Few quick retries: callers (the relay) do their own backoff and record the failure.
      retry: { initialRetryTime: 100, retries: 3, maxRetryTime: 2000 },
    });
    producers.add(p);
    try {
      await p.connect();
    } catch (err) {
      producers.delete(p);
      await p.disconnect().catch(() => {});
      throw err;
    }
    return {
      async send(batches) {
        const topicMessages = batches
          .filter((b) => b.messages.length > 0)
          .map((b) => ({
            topic: b.topic,
            messages: b.messages.map((m) => ({
              key: m.key,
              value: m.value,
              headers: m.headers,
              partition: m.partition,
            })),
          }));
        if (topicMessages.length) await p.sendBatch({ topicMessages, acks: -1 });
      },
      async disconnect() {
        producers.delete(p);
        await p.disconnect();
      },
    };
  }

  function consumer(groupId: string, o: ConsumerOptions = {}): BusConsumer {
    const c: Consumer = kafka.consumer({
      groupId,
      sessionTimeout: o.sessionTimeout,
      heartbeatInterval: o.heartbeatInterval,
      rebalanceTimeout: o.rebalanceTimeout,
      maxWaitTimeInMs: o.maxWaitTimeInMs,
      maxBytesPerPartition: o.maxBytesPerPartition,
    });
    const fatalListeners: ((e: Error) => void)[] = [];
    c.on(c.events.CRASH, ({ payload }) => {
      // kafkajs restarts itself after retriable crashes; only the others are ours to handle.
      if (!payload.restart) for (const l of fatalListeners) l(payload.error);
    });
    let stopping: Promise<void> | undefined;
    const handle: BusConsumer = {
      async run(topics, eachBatch) {
        await c.connect();
        await c.subscribe({ topics, fromBeginning: o.fromBeginning ?? true });
        await c.run({
          autoCommit: true,
          autoCommitInterval: o.autoCommitInterval ?? 2000,
          // We resolve each message ourselves, after its effect is committed.
          eachBatchAutoResolve: false,
          // The catalogue's topics have 3 partitions: each applies its batches on its own (order is
          // per partition), so on a PostgreSQL server three transactions run side by side.
          partitionsConsumedConcurrently: o.partitionsConsumedConcurrently ?? 3,
          eachBatch: async (p: EachBatchPayload) => {
            const { batch } = p;
            await eachBatch({
              topic: batch.topic,
              partition: batch.partition,
              messages: batch.messages.map((m) => ({
                topic: batch.topic,
                partition: batch.partition,
                offset: m.offset,
                key: m.key ?? null,
                value: m.value ?? null,
                headers: toBuffers(m.headers),
              })),
              resolveOffset: (offset) => p.resolveOffset(offset),
              heartbeat: () => p.heartbeat(),
              commit: () => p.commitOffsetsIfNecessary(),
              isActive: () => p.isRunning() && !p.isStale(),
            });
          },
        });
      },
      onFatal(listener) {
        fatalListeners.push(listener);
      },
      stop() {
        stopping ??= (async () => {
          consumers.delete(handle);
          await c.disconnect().catch((err: unknown) => logger.warn({ err, groupId }, 'consumer disconnect failed'));
        })();
        return stopping;
      },
    };
    consumers.add(handle);
    return handle;
  }

  let admin: Admin | undefined;
  /**
   * Creates missing topics. A principal without the right (every service: only `admin` creates
   * topics, and setup has done so) is refused by the broker; that is expected and not an error.
   */
  async function ensureTopics(topics: string[], partitions = 3): Promise<void> {
    if (!topics.length) return;
    const a = kafka.admin({ retry: { initialRetryTime: 100, retries: 3 } });
    await a.connect();
    admin = a;
    try {
      const existing = new Set(await a.listTopics());
      const missing = [...new Set(topics)].filter((t) => !existing.has(t));
      if (missing.length) {
        await a.createTopics({
          topics: missing.map((topic) => ({ topic, numPartitions: partitions })),
          waitForLeaders: true,
        });
      }
    } catch (err) {
      // Another process creating the same topic at the same moment is fine.
      if (isAuthorizationError(err)) logger.debug({ topics }, 'not allowed to create topics: setup creates them');
      else if ((err as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw err;
    } finally {
      admin = undefined;
      await a.disconnect();
    }
  }

  async function disconnect(): Promise<void> {
    await Promise.all([
      ...[...consumers].map((c) => c.stop()),
      ...[...producers].map((p) => p.disconnect().catch(() => {})),
      admin?.disconnect().catch(() => {}),
    ]);
    producers.clear();
  }

  return { producer, consumer, ensureTopics, disconnect };
}

/**
 * Every record of a topic as it stands now, from the first offset to each partition's end, read
 * without a consumer group (nothing is committed): what a verifier outside the services reads,
 * e.g. `npm run verify-audit` the audit anchors.
 */
export async function readWholeTopic(opts: BusOptions, topic: string): Promise<IncomingMessage[]> {
  const kafka = new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    connectionTimeout: opts.connectionTimeout ?? 3000,
    logLevel: LEVELS[opts.kafkaLogLevel ?? 'warn'],
    logCreator: pinoLogCreator(opts.logger),
    sasl: opts.sasl,
    ssl: opts.ssl,
  });
  const admin = kafka.admin();
  await admin.connect();
  let ends: { partition: number; high: string; low: string }[];
  try {
    ends = await admin.fetchTopicOffsets(topic);
  } finally {
    await admin.disconnect();
  }
  const pending = new Map(ends.filter((e) => BigInt(e.high) > BigInt(e.low)).map((e) => [e.partition, BigInt(e.high)]));
  const out: IncomingMessage[] = [];
  if (!pending.size) return out;
  // A group of its own that is never committed: kafkajs needs one to fetch, the read leaves no trace.
  const consumer = kafka.consumer({ groupId: `${opts.clientId}.${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            out.push({
              topic,
              partition,
              offset: message.offset,
              key: message.key,
              value: message.value,
              headers: toBuffers(message.headers),
            });
            if (BigInt(message.offset) + 1n >= (pending.get(partition) ?? 0n)) pending.delete(partition);
            if (!pending.size) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return out;
}
