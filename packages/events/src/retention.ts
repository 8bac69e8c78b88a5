/**
 * Retention of the outbox and inbox (issue 6): published outbox rows and old inbox rows are only
 * history, so they are deleted after a while — in small batches, so housekeeping never holds
 * many row locks or a long transaction beside the live traffic. The cut-off comes from the
 * service's clock, like every other time.
 */
import { and, eq, inArray, isNotNull, lt } from 'drizzle-orm';
import type { Db } from '@onecheck/db';
import { inbox, outbox } from './tables';

const DAY_MS = 86_400_000;

export interface Retention {
  /** How long a published outbox row is kept after its publication (ms). Default 7 days. */
  publishedOutboxMs: number;
  /** How long an inbox row is kept after its event was handled (ms). Default 30 days. */
  inboxMs: number;
  /** Rows per delete statement. Default 500. */
  batchSize: number;
  /** How often the relay and each consumer look (ms, real time). Default 10 minutes. */
  everyMs: number;
}

export const DEFAULT_RETENTION: Retention = {
  publishedOutboxMs: 7 * DAY_MS,
  inboxMs: 30 * DAY_MS,
  batchSize: 500,
  everyMs: 10 * 60_000,
};

/**
 * Inbox rows can go once redelivery is no longer possible: 30 days is far beyond any Kafka
 * retention a deployment keeps for these topics and any consumer downtime we would replay.
 */
export async function deleteOldInbox(db: Db<any>, handler: string, before: Date, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = db
      .select({ eventId: inbox.eventId })
      .from(inbox)
      .where(and(eq(inbox.handler, handler), lt(inbox.handledAt, before)))
      .limit(batchSize);
    const deleted = await db
      .delete(inbox)
      .where(and(eq(inbox.handler, handler), inArray(inbox.eventId, batch)))
      .returning({ eventId: inbox.eventId });
    total += deleted.length;
    if (deleted.length < batchSize) return total;
  }
}

/** Published outbox rows older than `before` (by publication). Unpublished rows are never touched. */
export async function deletePublishedOutbox(db: Db<any>, before: Date, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = db
      .select({ seq: outbox.seq })
      .from(outbox)
      .where(and(isNotNull(outbox.publishedAt), lt(outbox.publishedAt, before)))
      .limit(batchSize);
    const deleted = await db.delete(outbox).where(inArray(outbox.seq, batch)).returning({ seq: outbox.seq });
    total += deleted.length;
    if (deleted.length < batchSize) return total;
  }
}

/** Runs `job` every `everyMs` (first after one interval) until the returned stop is awaited; a failure is only logged. */
export function every(everyMs: number, job: () => Promise<unknown>, onError: (err: unknown) => void) {
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = running.then(job).catch(onError);
  };
  const timer = setInterval(run, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
