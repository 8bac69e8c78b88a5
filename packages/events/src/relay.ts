/**
 * The outbox relay (DESIGN.md §3): publishes the rows `recordEvent` wrote, in `seq` order, and
 * marks each published only after the broker acknowledged it. Nothing is lost while the broker
 * is down: rows simply stay unpublished (with attempts / last_error recorded) until it is back.
 *
 * Delivery is at least once: a crash between the ack and the marking publishes those rows again
 * on restart; consumers recognise the repeats through their inbox.
 *
 * Exactly ONE relay per database. Two relays on the same outbox would both publish the same rows
 * (harmless, the inbox dedupes) but could interleave them and break per-key order. Services run
 * one relay per service database, started next to the HTTP server.
 *
 * Per-key order holds because (a) a batch is published in seq order with one send, the producer
 * keeps one request in flight, and a key always maps to the same partition; (b) the next batch is
 * read only after the previous one was acknowledged and marked. It also needs the producer side
 * to serialise transactions that write events with the same key (they do when each first updates
 * the business's row, which locks it), so that seq order is commit order for one key.
 */
import { asc, inArray, isNull, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '@onecheck/db';
import type { BusProducer, Bus, OutgoingMessage } from './kafka';
import { outbox } from './tables';

export interface RelayOptions {
  db: Db<any>;
  bus: Bus;
  logger: Logger;
  /** How often to look for new rows when idle (ms). Default 150. `notify()` wakes it at once. */
  pollMs?: number;
  /** Rows per publish. Default 500. */
  batchSize?: number;
  /** Longest pause between attempts while the broker fails (ms). Default 5000. */
  maxBackoffMs?: number;
}

export interface Relay {
  /** Wakes the relay now (call after committing a transaction that recorded events). */
  notify(): void;
  /** Publishes everything pending; resolves when a look at the outbox finds nothing unpublished. */
  drain(): Promise<void>;
  /** Finishes the publish in progress (if any), then stops. Unpublished rows stay for the next start. */
  stop(): Promise<void>;
  readonly stats: { published: number; failures: number };
}

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

/** Builds the Kafka message of an outbox row: structured-mode CloudEvent plus routing headers. */
export function outboxMessage(row: { key: string; event: unknown }): OutgoingMessage {
  const event = row.event as { type?: string; id?: string };
  return {
    key: row.key,
    value: JSON.stringify(row.event),
    headers: {
      ce_type: String(event.type ?? ''),
      ce_id: String(event.id ?? ''),
      'content-type': CLOUDEVENTS_CONTENT_TYPE,
    },
  };
}

export function startRelay(opts: RelayOptions): Relay {
  const { db, bus } = opts;
  const logger = opts.logger.child({ component: 'outbox-relay' });
  const pollMs = opts.pollMs ?? 150;
  const batchSize = opts.batchSize ?? 500;
  const maxBackoffMs = opts.maxBackoffMs ?? 5000;
  const stats = { published: 0, failures: 0 };

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

  async function publishOnce(): Promise<number> {
    const rows = await db
      .select({ seq: outbox.seq, topic: outbox.topic, key: outbox.key, event: outbox.event })
      .from(outbox)
      .where(isNull(outbox.publishedAt))
      .orderBy(asc(outbox.seq))
      .limit(batchSize);
    if (!rows.length) return 0;

    // Group by topic keeping seq order inside each topic; different topics never share a key's order.
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const row of rows) {
      let list = byTopic.get(row.topic);
      if (!list) byTopic.set(row.topic, (list = []));
      list.push(outboxMessage(row));
    }
    const seqs = rows.map((r) => r.seq);
    try {
      producer ??= await bus.producer();
      await producer.send([...byTopic].map(([topic, messages]) => ({ topic, messages })));
    } catch (err) {
      // Drop the producer: a fresh one reconnects cleanly once the broker is back.
      const p = producer;
      producer = undefined;
      void p?.disconnect().catch(() => {});
      const message = err instanceof Error ? err.message : String(err);
      await db
        .update(outbox)
        .set({ attempts: sql`${outbox.attempts} + 1`, lastError: message.slice(0, 2000) })
        .where(inArray(outbox.seq, seqs))
        .catch((e: unknown) => logger.error({ err: e }, 'could not record the publish failure'));
      throw err;
    }
    // Acknowledged: only now is the row published. A crash before this line republishes it.
    await db.update(outbox).set({ publishedAt: new Date() }).where(inArray(outbox.seq, seqs));
    stats.published += rows.length;
    return rows.length;
  }

  const loop = (async () => {
    let failures = 0;
    while (running) {
      let count: number;
      try {
        count = await publishOnce();
        if (failures) logger.info({ failures }, 'publishing again');
        failures = 0;
      } catch (err) {
        failures++;
        stats.failures++;
        const backoff = Math.min(maxBackoffMs, 100 * 2 ** Math.min(failures - 1, 16));
        // Warn on the first failure and then now and then, not on every retry of a long outage.
        if (failures === 1 || failures % 10 === 0)
          logger.warn({ err, failures, backoffMs: backoff }, 'publish failed; will retry');
        await pause(backoff, false);
        continue;
      }
      if (count === 0) {
        const waiters = drainWaiters;
        drainWaiters = [];
        for (const w of waiters) w.resolve();
        await pause(pollMs, true);
      } else if (count < batchSize) {
        // A partial batch: what was pending is out; look again soon without spinning.
        await pause(0, true);
      }
    }
  })();

  return {
    stats,
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
      await loop;
      for (const w of drainWaiters) w.reject(new Error('relay stopped'));
      drainWaiters = [];
      await producer?.disconnect().catch(() => {});
      producer = undefined;
    },
  };
}
