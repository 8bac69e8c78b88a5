/**
 * The outbox relay (DESIGN.md §3): publishes the rows `recordEvent` wrote, in `seq` order, and
 * marks each published only after the broker acknowledged it. Nothing is lost while the broker
 * is down: rows simply stay unpublished (with attempts / last_error recorded) until it is back.
 *
 * Delivery is at least once: a crash between the ack and the marking publishes those rows again
 * on restart; consumers recognise the repeats through their inbox.
 *
 * One relay per database at a time: two relays on the same outbox would both publish the same
 * rows and could interleave them, breaking per-key order. So each batch runs in a transaction
 * that first takes a transaction-scoped advisory lock on this schema's outbox
 * (`pg_try_advisory_xact_lock`); a relay that does not get it publishes nothing and looks again
 * later. Running a spare relay (a second replica of a service) is therefore safe.
 *
 * Per-key order holds because (a) a batch is published in seq order with one send, the producer
 * keeps one request in flight, and a key always maps to the same partition; (b) the next batch is
 * read only after the previous one was acknowledged and marked, under the same lock. It also
 * needs the producer side to serialise transactions that write events with the same key (they do
 * when each first updates the business's row, which locks it), so that seq order is commit order
 * for one key.
 *
 * Housekeeping: published rows older than the retention (default 7 days after publication) are
 * deleted in small batches (retention.ts).
 */
import { asc, inArray, isNull, sql, type SQLWrapper } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Clock } from '@onecheck/clock';
import { anyOf, type Db, type Tx } from '@onecheck/db';
import type { BusProducer, Bus, OutgoingMessage } from './kafka';
import { DEFAULT_RETENTION, deletePublishedOutbox, every, type Retention } from './retention';
import { SIGNATURE_HEADER, type EventSigner } from './signing';
import { outbox } from './tables';

export interface RelayOptions {
  db: Db<any>;
  bus: Bus;
  logger: Logger;
  /** Stamps publication (and so retention): the service's clock. */
  clock: Clock;
  /**
   * Longest wait between looks at an idle outbox (ms). Default 150. `notify()` wakes it at once.
   * After a publish it looks again once `lingerMs` has passed, then, while it finds nothing, after
   * 2, 4, 8 … ms up to this: a steady flow is picked up within milliseconds, an idle outbox costs a
   * look every `pollMs`.
   */
  pollMs?: number;
  /**
   * How long the relay waits after a publish that took every pending row before it looks again
   * (ms). Default 10. While events flow, the rows committed meanwhile then go out together, in
   * one transaction and one produce request, instead of one look, one transaction and one request
   * each (Kafka's producer lingers likewise, `linger.ms`). A row therefore waits at most this much
   * longer while events flow; a first row after a quiet spell is not held back.
   */
  lingerMs?: number;
  /** Rows per publish. Default 500. */
  batchSize?: number;
  /**
   * Bytes of one produce request at most (its messages' keys, values and headers); a publish
   * whose rows are larger goes out as several requests, in order. Default 512 KiB: under the
   * stand-in's 1 MiB frame limit and Kafka's 1 MiB default `max.request.size`, which a batch of
   * large events (500 bulk-granted licences: 1.1–1.8 MB) would pass and then be refused whole,
   * again and again.
   */
  maxRequestBytes?: number;
  /** Longest pause between attempts while the broker fails (ms). Default 5000. */
  maxBackoffMs?: number;
  /** Keeping of published rows; see DEFAULT_RETENTION. */
  retention?: Partial<Pick<Retention, 'publishedOutboxMs' | 'batchSize' | 'everyMs'>>;
  /**
   * The service's signing key (signing.ts): every record goes out with a detached JWS over its
   * value, topic and key in the `onecheck-signature` header. Consumers with a verifier refuse
   * records without one.
   */
  signer?: EventSigner;
}

export interface Relay {
  /** Wakes the relay now (call after committing a transaction that recorded events). */
  notify(): void;
  /** Publishes everything pending; resolves when a look at the outbox finds nothing unpublished. */
  drain(): Promise<void>;
  /** Deletes published rows past their retention now; resolves to how many. (Also runs by itself.) */
  housekeep(): Promise<number>;
  /** Finishes the publish in progress (if any), then stops. Unpublished rows stay for the next start. */
  stop(): Promise<void>;
  readonly stats: {
    /** rows published */ published: number;
    /** batches published (each one transaction) */ publishes: number;
    failures: number;
    /** looks skipped: another relay held the lock */ locked: number;
  };
}

/**
 * The advisory lock's first key ("OBOX"); the second is the hash of the schema, so the services
 * sharing one PostgreSQL database in separate schemas each have their own relay.
 */
const RELAY_LOCK_CLASS = 0x4f424f58;

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';
/** The header naming the event's type, so a consumer can pass over a record without parsing it. */
export const TYPE_HEADER = 'ce_type';

/** An outbox row as the relay reads it: the event's JSON text as stored, with its id and type. */
interface StoredEvent {
  topic: string;
  key: string;
  id: string;
  type: string;
  /** The event's JSON, sent as the record's value byte for byte. */
  json: string;
}

/** A stored event's Kafka message, unsigned: structured-mode CloudEvent plus routing headers. */
function messageOf(row: Omit<StoredEvent, 'topic'>): OutgoingMessage {
  const headers: Record<string, string> = {
    [TYPE_HEADER]: row.type,
    ce_id: row.id,
    'content-type': CLOUDEVENTS_CONTENT_TYPE,
  };
  return { key: row.key, value: row.json, headers };
}

/**
 * Builds the Kafka message of an event (an outbox row's, as tests and tools send by hand):
 * structured-mode CloudEvent plus routing headers and, with a signer, the signature over the
 * exact value bytes sent, the topic and the key.
 */
export function outboxMessage(
  row: { topic?: string; key: string; event: unknown },
  signer?: EventSigner,
): OutgoingMessage {
  const event = row.event as { type?: string; id?: string };
  const message = messageOf({
    key: row.key,
    id: String(event.id ?? ''),
    type: String(event.type ?? ''),
    json: JSON.stringify(row.event),
  });
  if (signer) {
    if (!row.topic) throw new Error('a signed message needs its topic');
    message.headers![SIGNATURE_HEADER] = signer.sign(row.topic, row.key, message.value as string);
  }
  return message;
}

/** The messages of stored events, in order; their signatures made together (EventSigner.signAll). */
async function outboxMessages(rows: readonly StoredEvent[], signer?: EventSigner): Promise<OutgoingMessage[]> {
  const messages = rows.map(messageOf);
  if (!signer) return messages;
  const signatures = await signer.signAll(rows.map((row) => ({ topic: row.topic, key: row.key, value: row.json })));
  for (const [i, m] of messages.entries()) m.headers![SIGNATURE_HEADER] = signatures[i]!;
  return messages;
}

type TopicMessages = { topic: string; messages: OutgoingMessage[] };

/** A record's own framing in a produce request (lengths, offsets, attributes), near enough. */
const RECORD_OVERHEAD_BYTES = 64;
const bytes = (x: string | Buffer | null | undefined) => (x == null ? 0 : Buffer.byteLength(x));
const sizeOf = (m: OutgoingMessage) =>
  RECORD_OVERHEAD_BYTES +
  bytes(m.key) +
  bytes(m.value) +
  Object.entries(m.headers ?? {}).reduce((n, [name, value]) => n + bytes(name) + bytes(value), 0);

/**
 * Messages in outbox order cut into produce requests of at most `maxBytes` (a message larger on
 * its own goes alone), each request grouped by topic. Sent one after another, they keep every
 * key's order; different topics never share a key's order.
 */
export function produceRequests(messages: { topic: string; message: OutgoingMessage }[], maxBytes: number) {
  const requests: TopicMessages[][] = [];
  let current = new Map<string, OutgoingMessage[]>();
  let size = 0;
  const flush = () => {
    if (current.size) requests.push([...current].map(([topic, list]) => ({ topic, messages: list })));
    current = new Map();
    size = 0;
  };
  for (const { topic, message } of messages) {
    const n = sizeOf(message);
    if (size > 0 && size + n > maxBytes) flush();
    let list = current.get(topic);
    if (!list) current.set(topic, (list = []));
    list.push(message);
    size += n;
  }
  flush();
  return requests;
}

export function startRelay(opts: RelayOptions): Relay {
  const { db, bus } = opts;
  const logger = opts.logger.child({ component: 'outbox-relay' });
  const pollMs = opts.pollMs ?? 150;
  const lingerMs = opts.lingerMs ?? 10;
  const batchSize = opts.batchSize ?? 500;
  const maxRequestBytes = opts.maxRequestBytes ?? 512 * 1024;
  const maxBackoffMs = opts.maxBackoffMs ?? 5000;
  const retention = { ...DEFAULT_RETENTION, ...opts.retention };
  const stats = { published: 0, publishes: 0, failures: 0, locked: 0 };

  let running = true;
  let producer: BusProducer | undefined;
  let wake: (() => void) | undefined;
  let drainWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];

  /** Sleeps up to `ms`; `notify()` (if interruptible) and `stop()` cut it short. */
  const pause = (ms: number, interruptible: boolean) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = interruptible ? done : () => (running ? undefined : done());
    });

  // A look at an idle outbox is this one statement, built once: the connect, the transaction and
  // its lock only when rows wait. (Idle, each service spent 5 % of a core on its relay's looks,
  // 4 statements every 150 ms; issue 7.)
  const pendingRows = db
    .select({ seq: outbox.seq })
    .from(outbox)
    .where(isNull(outbox.publishedAt))
    .limit(1)
    .prepare('onecheck_outbox_pending');

  /**
   * One batch under the relay lock: how many rows went out, or null if another relay holds the
   * lock. `flowing`: the last round published rows, so rows are likely waiting and the idle look
   * is skipped (a round trip less per batch while events flow).
   */
  async function publishOnce(flowing: boolean): Promise<number | null> {
    if (!flowing && !(await pendingRows.execute()).length) return 0;
    // Connect before the transaction: while the broker is down, the failing connect must not keep
    // a transaction open (on embedded PGlite that would hold up the whole service's database).
    try {
      producer ??= await bus.producer();
    } catch (err) {
      const pending = db
        .select({ seq: outbox.seq })
        .from(outbox)
        .where(isNull(outbox.publishedAt))
        .orderBy(asc(outbox.seq))
        .limit(batchSize);
      await recordFailure(db, pending, err);
      throw err;
    }
    const result = await db.transaction(async (tx): Promise<number | null | { failed: unknown }> => {
      const lock = await tx.execute(
        sql`select pg_try_advisory_xact_lock(${RELAY_LOCK_CLASS}, hashtext(current_schema())) as locked`,
      );
      if (!(lock as unknown as { rows: { locked: boolean }[] }).rows[0]?.locked) return null;
      const rows = await tx
        .select({
          seq: outbox.seq,
          topic: outbox.topic,
          key: outbox.key,
          id: outbox.id,
          type: outbox.type,
          // The stored text as it is: not parsed by the column's mapping.
          json: sql<string>`${outbox.event}`,
        })
        .from(outbox)
        .where(isNull(outbox.publishedAt))
        .orderBy(asc(outbox.seq))
        .limit(batchSize);
      if (!rows.length) return 0;

      const messages = await outboxMessages(rows, opts.signer);
      const requests = produceRequests(
        rows.map((row, i) => ({ topic: row.topic, message: messages[i]! })),
        maxRequestBytes,
      );
      const seqs = rows.map((r) => r.seq);
      try {
        // A failure after some requests went out publishes those again on the next attempt: the
        // consumers' inboxes make the effect once (DESIGN.md §3).
        for (const request of requests) await producer!.send(request);
      } catch (err) {
        // Drop the producer: a fresh one reconnects cleanly once the broker is back.
        const p = producer;
        producer = undefined;
        void p?.disconnect().catch(() => {});
        // Recorded in this transaction, which then commits: the failure is kept, the rows stay unpublished.
        await recordFailure(tx, seqs, err);
        // Returned, not thrown: the transaction must commit so the recorded attempt is kept.
        return { failed: err };
      }
      // Acknowledged: only now is the row published. A crash before the commit republishes it.
      await tx
        .update(outbox)
        .set({ publishedAt: opts.clock.now() })
        .where(anyOf(outbox.seq, seqs, 'bigint'));
      return rows.length;
    });
    if (result !== null && typeof result === 'object') throw result.failed;
    if (result) {
      stats.published += result;
      stats.publishes++;
    }
    return result;
  }

  /** Counts a failed attempt on the rows it concerned, with the error, for operators. */
  async function recordFailure(on: Db<any> | Tx<any>, seqs: number[] | SQLWrapper, err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    await on
      .update(outbox)
      .set({ attempts: sql`${outbox.attempts} + 1`, lastError: message.slice(0, 2000) })
      .where(inArray(outbox.seq, seqs as never))
      .catch((e: unknown) => logger.error({ err: e }, 'could not record the publish failure'));
  }

  const loop = (async () => {
    let failures = 0;
    /** The wait after an empty look: doubles while the outbox stays empty, back to 2 ms after rows. */
    let idleMs = 2;
    let flowing = false;
    while (running) {
      let count: number | null;
      try {
        count = await publishOnce(flowing);
        flowing = !!count;
        if (failures) logger.info({ failures }, 'publishing again');
        failures = 0;
      } catch (err) {
        flowing = false;
        failures++;
        stats.failures++;
        const backoff = Math.min(maxBackoffMs, 100 * 2 ** Math.min(failures - 1, 16));
        // Warn on the first failure and then now and then, not on every retry of a long outage.
        if (failures === 1 || failures % 10 === 0)
          logger.warn({ err, failures, backoffMs: backoff }, 'publish failed; will retry');
        await pause(backoff, false);
        continue;
      }
      if (count === null) {
        // Another relay publishes this outbox; stand by.
        stats.locked++;
        await pause(pollMs, true);
      } else if (count === 0) {
        const waiters = drainWaiters;
        drainWaiters = [];
        for (const w of waiters) w.resolve();
        await pause(Math.min(idleMs, pollMs), true);
        idleMs = Math.min(idleMs * 2, pollMs);
      } else {
        idleMs = 2;
        // A partial batch: what was pending is out. Linger (only stop() cuts it short), so that
        // what commits meanwhile goes out together; a full batch means more wait: go on at once.
        if (count < batchSize) await pause(lingerMs, false);
      }
    }
  })();

  const housekeep = () =>
    deletePublishedOutbox(db, new Date(opts.clock.millis() - retention.publishedOutboxMs), retention.batchSize);
  const stopHousekeeping = every(retention.everyMs, housekeep, (err) =>
    logger.warn({ err }, 'could not delete old published outbox rows'),
  );

  return {
    stats,
    housekeep,
    notify() {
      wake?.();
    },
    drain() {
      if (!running) return Promise.reject(new Error('relay stopped'));
      return new Promise<void>((resolve, reject) => {
        drainWaiters.push({ resolve, reject });
        wake?.();
      });
    },
    async stop() {
      if (!running) return loop;
      running = false;
      wake?.();
      await Promise.all([loop, stopHousekeeping()]);
      for (const w of drainWaiters) w.reject(new Error('relay stopped'));
      drainWaiters = [];
      await producer?.disconnect().catch(() => {});
      producer = undefined;
    },
  };
}
