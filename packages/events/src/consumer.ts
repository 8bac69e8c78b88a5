/**
 * The consuming side of DESIGN.md §3: validated events, applied exactly once in effect.
 *
 * Kafka delivers at least once (the relay may republish, a consumer may die before committing
 * its offset). So events are applied in database transactions that also insert
 * (handler, event id) into the inbox: a redelivered event finds its inbox row and is skipped,
 * and a crash before commit leaves neither the effect nor the inbox row. Offsets are resolved
 * only after that transaction committed, so nothing is skipped either.
 *
 * Batches (provincial volume, issue 7): kafkajs hands over one partition's fetched messages at a
 * time; up to `maxBatch` of them are applied in ONE transaction: one multi-row
 * `insert … on conflict do nothing returning` into the inbox both checks and records the whole
 * batch (the ids it returns are the fresh ones; the others are redeliveries), then the handlers
 * run in partition order (so in order per key), then the commit, then the offsets. A type with a
 * batch handler has each run of its consecutive fresh events applied in one call (set-wise SQL).
 * A batch is all or nothing, so a crash before its commit redelivers the whole batch and the inbox
 * finds none of it applied.
 *
 * Signed events (signing.ts, DESIGN.md §5): with a `verifier`, a message whose signature does not
 * verify with a trusted key for its topic and key, or whose signer does not own its topic, type,
 * source or (for a finding) department, is dead-lettered like an invalid one, before any handler
 * sees it: the version checks of the handlers (the enterprise version) only ever see verified events.
 *
 * Messages that cannot be handled go to `<topic>.dlq` (original key, value and headers, plus
 * x-error, x-original-topic, x-original-partition, x-original-offset, x-consumer-group,
 * x-handler, x-attempts) and the partition moves on:
 *  - not JSON, or not a valid event (envelope or the type's JSON Schema): dead-lettered at once;
 *    validation is deterministic, so retrying cannot help.
 *  - the handler throws: the batch rolls back; the events before the failing one are applied
 *    again as a batch, the failing one alone is retried up to `maxAttempts` times in all (the
 *    failed batch was its first) with exponential backoff (the partition waits, keeping per-key
 *    order), then dead-lettered; the events after it go on as a batch. (A batch handler that
 *    throws for a run cannot say which event is to blame: the run's events go one at a time.)
 *    One bad event never takes its neighbours to the dead-letter topic, and none is skipped.
 * Envelopes of a type this consumer has no handler for (another service's concern on a shared
 * topic, or a newer version), or that `concerns` says are not its own (another department's
 * licence), are skipped without an inbox row, and before their signature is checked (a record
 * whose `ce_type` header names such a type, before its value is parsed): skipping is
 * idempotent, and nothing is acted on unverified. Only a type the catalogue puts on the record's
 * topic is passed over so: a type it does not know there (a newer version, or a forger's invention
 * to slip past every consumer) is verified first, skipped when the topic's owner signed it, and
 * dead-lettered with the reason when not. (A forgery naming a known type that only a consumer
 * skipping it would have seen is dead-lettered by none; the one it is aimed at still refuses it.)
 *
 * Each handler runs inside a span whose parent is the event's `traceparent`, so the trace of the
 * change that produced the event goes on in the consuming service (and its logs).
 *
 * Housekeeping: the handler's inbox rows older than the retention (default 30 days) are deleted
 * in small batches (retention.ts).
 */
import type { Logger } from 'pino';
import type { Clock } from '@onecheck/clock';
import { insertRows, isDatabaseUnavailable, type Db, type Tx } from '@onecheck/db';
import { SpanKind, contextFromTraceparent, inSpan, linkFromTraceparent, setupTelemetry } from '@onecheck/telemetry';
import type { AnyCloudEvent, CloudEvent } from './cloudevent';
import type { EventType } from './catalogue';
import { deadLetterTopic, EVENT_TYPES } from './catalogue';
import type { BatchContext, Bus, BusConsumer, BusProducer, ConsumerOptions, IncomingMessage } from './kafka';
import { DEFAULT_RETENTION, deleteOldInbox, every, type Retention } from './retention';
import { TYPE_HEADER } from './relay';
import { checkProducer, publishesOn, type EventVerifier, type VerifiedSignature } from './signing';
import { inbox } from './tables';
import { validateEvent } from './validate';

/** Applies one event of type T inside the consumer's transaction; `event.data` is T's contract. */
export type EventHandler<S extends Record<string, unknown> = Record<string, any>, T extends EventType = EventType> = (
  event: CloudEvent<T>,
  tx: Tx<S>,
) => Promise<void>;

/** Handlers by event type, each given its own type's event. */
export type EventHandlers<S extends Record<string, unknown> = Record<string, any>> = {
  [T in EventType]?: EventHandler<S, T>;
};

/**
 * Applies consecutive fresh events of type T (in partition order, so in order per key) together,
 * inside the consumer's transaction: for an effect written set-wise, one statement for many events
 * instead of one each (provincial volume, issue 7). It must do for the list exactly what applying
 * each in turn would do.
 */
export type BatchEventHandler<
  S extends Record<string, unknown> = Record<string, any>,
  T extends EventType = EventType,
> = (events: CloudEvent<T>[], tx: Tx<S>) => Promise<void>;

/** Batch handlers by event type; a type here needs no one-event handler. */
export type BatchEventHandlers<S extends Record<string, unknown> = Record<string, any>> = {
  [T in EventType]?: BatchEventHandler<S, T>;
};

export interface ConsumerOptionsFull<S extends Record<string, unknown> = Record<string, any>> {
  db: Db<S>;
  bus: Bus;
  logger: Logger;
  groupId: string;
  topics: string[];
  handlers: EventHandlers<S>;
  /** Types applied a run at a time (BatchEventHandler); they take precedence over `handlers`. */
  batchHandlers?: BatchEventHandlers<S>;
  /** Stamps the inbox (and so retention): the service's clock. */
  clock: Clock;
  /** Keeping of inbox rows; see DEFAULT_RETENTION. */
  retention?: Partial<Pick<Retention, 'inboxMs' | 'batchSize' | 'everyMs'>>;
  /** Name under which the inbox records handled events. Default: groupId. */
  handlerName?: string;
  /** Tries of a throwing handler before the message is dead-lettered. Default 5. */
  maxAttempts?: number;
  /** First retry delay (ms); doubles each try, capped at 5 s. Default 200. */
  retryBackoffMs?: number;
  /**
   * Most events applied in one transaction. Default `kafka.maxBatch`, else 500. 1 applies each
   * event in its own transaction (the one-at-a-time consumer, kept as the benchmark's baseline).
   */
  maxBatch?: number;
  /** kafkajs tuning (timeouts, fromBeginning…); tests use short ones. */
  kafka?: ConsumerOptions;
  /**
   * The trusted signing keys (signing.ts). Given, only events signed by the topic's owner, for
   * this topic and key, with the signer's own source and department, reach a handler; anything
   * else is dead-lettered. Omitted (unit tests of the pipeline only): nothing is checked.
   */
  verifier?: EventVerifier;
  /**
   * Which events of the handled types concern this consumer, judged on the envelope as it came,
   * before it is verified (the department of a licence, say): the others are skipped like a type
   * without a handler — not verified, validated, recorded or acted on. Provincial volume (issue 7):
   * every department hears every licence, and verifying each one's signature in every department
   * cost more than all the rest of its consumer. Omitted: every event of a handled type concerns it.
   */
  concerns?: EventConcern;
}

/** See ConsumerOptionsFull.concerns. `event` is the parsed value, unverified: only ever a reason to skip. */
export type EventConcern = (event: { type: string; data?: Record<string, unknown> }) => boolean;

export interface ConsumerStats {
  /** Events applied (inbox row + effect committed). */
  handled: number;
  /** Redeliveries recognised by the inbox and skipped. */
  duplicates: number;
  /** Events of a type without a handler, or that do not concern this consumer (`concerns`). */
  skipped: number;
  deadLettered: number;
  /** Handler failures that were retried. */
  retries: number;
}

export interface EventConsumer {
  /** Resolves when the consumer first joined its group (it keeps retrying until then). */
  readonly ready: Promise<void>;
  readonly stats: ConsumerStats;
  /** Deletes this handler's inbox rows past their retention now; resolves to how many. (Also runs by itself.) */
  housekeep(): Promise<number>;
  /** Finishes the message in progress, leaves the group, disconnects. */
  stop(): Promise<void>;
}

const MAX_BACKOFF_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class PoisonMessage extends Error {}

/** Whether the catalogue puts events of `type` on `topic`. */
const travelsOn = (type: string, topic: string) => (EVENT_TYPES as Record<string, string>)[type] === topic;

/**
 * Starts consuming in the background and returns at once; `ready` tells when the group is
 * joined. If the broker is unreachable, it keeps retrying (with backoff) until `stop()`.
 */

export function startConsumer<S extends Record<string, unknown> = Record<string, any>>(
  opts: ConsumerOptionsFull<S>,
): EventConsumer {
  const { db, bus, groupId, topics, handlers } = opts;
  const batchHandlers: BatchEventHandlers<S> = opts.batchHandlers ?? {};
  const handles = (type: EventType) =>
    typeof batchHandlers[type] === 'function' || typeof handlers[type] === 'function';
  const handlerName = opts.handlerName ?? groupId;
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 5);
  const retryBackoffMs = opts.retryBackoffMs ?? 200;
  const maxBatch = Math.max(1, opts.maxBatch ?? opts.kafka?.maxBatch ?? 500);
  const logger = opts.logger.child({ component: 'event-consumer', groupId });
  const stats: ConsumerStats = { handled: 0, duplicates: 0, skipped: 0, deadLettered: 0, retries: 0 };
  const retention = { ...DEFAULT_RETENTION, ...opts.retention };
  setupTelemetry();

  let running = true;
  let current: BusConsumer | undefined;
  let dlqProducer: Promise<BusProducer> | undefined;
  let restart: (() => void) | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  let markStopped: () => void = () => {};
  const stopped = new Promise<void>((r) => (markStopped = r));

  /**
   * The message's value, parsed: null for an event of a type this consumer has no handler for, or
   * one its `concerns` says is not its own. Those are skipped unverified: nothing is done with
   * them, and the signature (the costly part) is checked only for what a handler will act on.
   */
  function parse(m: IncomingMessage): { value: unknown; unknownType?: true } | null {
    // The relay names the type in a header too (outboxMessage): a type without a handler here is
    // skipped before its value is even parsed (credit hears every licence granted and acts on none).
    const named = m.headers[TYPE_HEADER]?.toString();
    if (named && travelsOn(named, m.topic) && !handles(named as EventType)) return null;
    if (!m.value) throw new PoisonMessage('empty message value');
    let parsed: unknown;
    try {
      parsed = JSON.parse(m.value.toString('utf8'));
    } catch (err) {
      throw new PoisonMessage(`not JSON: ${(err as Error).message}`);
    }
    const envelope = parsed as { type?: unknown; id?: unknown; data?: unknown } | null;
    // Skipped only with a sane envelope, so garbage does not pass silently as "skipped".
    if (typeof envelope?.type === 'string' && typeof envelope.id === 'string') {
      const data = typeof envelope.data === 'object' && envelope.data !== null ? envelope.data : undefined;
      if (!handles(envelope.type as EventType)) {
        // Not known on this topic: skipped only once its signature shows the topic's owner sent it (decodeAll).
        return opts.verifier && !travelsOn(envelope.type, m.topic) ? { value: parsed, unknownType: true } : null;
      }
      if (opts.concerns && !opts.concerns({ type: envelope.type, data: data as Record<string, unknown> | undefined }))
        return null;
    }
    return { value: parsed };
  }

  /** A type not known on the topic: passed over (null) when the topic's owner signed it, else poison with the reason. */
  function passOver(m: IncomingMessage, signer: VerifiedSignature | Error | undefined): null | PoisonMessage {
    if (signer instanceof Error) return new PoisonMessage(signer.message);
    if (signer && !publishesOn(signer.principal, m.topic))
      return new PoisonMessage(`producer: ${signer.principal} does not publish on ${m.topic}`);
    return null;
  }

  /** A parsed message as its event: valid, and produced by the topic's owner (`signer`: who signed it). */
  function accept(m: IncomingMessage, parsed: unknown, signer: VerifiedSignature | Error | undefined): AnyCloudEvent {
    if (signer instanceof Error) throw new PoisonMessage(signer.message);
    let event: AnyCloudEvent;
    try {
      event = validateEvent(parsed);
    } catch (err) {
      throw new PoisonMessage((err as Error).message);
    }
    if (signer) {
      try {
        checkProducer(signer.principal, m.topic, event);
      } catch (err) {
        throw new PoisonMessage((err as Error).message);
      }
    }
    return event;
  }

  /**
   * The run's messages decoded, in order: each its event, null (skipped), or the reason it is
   * poison. The signatures of those the consumer acts on are verified together (verifyAll).
   */
  async function decodeAll(messages: IncomingMessage[]): Promise<(AnyCloudEvent | null | PoisonMessage)[]> {
    const parsed = messages.map((m) => {
      try {
        return parse(m);
      } catch (err) {
        return err as PoisonMessage;
      }
    });
    const toVerify = parsed.flatMap((p, i) => (p && !(p instanceof Error) ? [i] : []));
    const signers = opts.verifier ? await opts.verifier.verifyAll(toVerify.map((i) => messages[i]!)) : [];
    const signerOf = new Map(toVerify.map((i, n) => [i, signers[n]]));
    return parsed.map((p, i) => {
      if (p === null || p instanceof Error) return p;
      if (p.unknownType) return passOver(messages[i]!, signerOf.get(i));
      try {
        return accept(messages[i]!, p.value, signerOf.get(i));
      } catch (err) {
        return err as PoisonMessage;
      }
    });
  }

  /** One event to apply: the message it came in and what it decoded to. */
  type Item = { m: IncomingMessage; event: AnyCloudEvent };
  /** How a batch went: applied (and committed), or rolled back with the failing event's index if a handler threw. */
  type Outcome = { ok: true } | { ok: false; failedAt: number | undefined; failedEnd: number; err: unknown };

  /** Applies a run of fresh events of one type: its batch handler once, else each event's handler in turn. */
  function runHandlers(run: Item[], tx: Tx<S>): Promise<void> {
    const first = run[0]!;
    const type = first.event.type;
    const attributes = {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.destination.name': first.m.topic,
      'messaging.consumer.group.name': groupId,
      'messaging.message.id': first.event.id,
      'messaging.batch.message_count': run.length,
      'cloudevents.event_type': type,
      'cloudevents.event_subject': first.event.subject,
      'onecheck.handler': handlerName,
    };
    // The run continues the trace of its first event and links the others' (OpenTelemetry's batch processing).
    const parent = contextFromTraceparent(first.event.traceparent, first.event.tracestate);
    const links = run.slice(1).flatMap((i) => linkFromTraceparent(i.event.traceparent, i.event.tracestate) ?? []);
    return inSpan(`process ${type}`, { kind: SpanKind.CONSUMER, attributes, parent, links }, async () => {
      // The map gives each type its own handler; TypeScript cannot follow that through a union.
      const many = batchHandlers[type] as BatchEventHandler<S, EventType> | undefined;
      if (many) return many(run.map((i) => i.event) as CloudEvent<EventType>[], tx);
      const one = handlers[type] as EventHandler<S, EventType>;
      for (const item of run) await one(item.event as CloudEvent<EventType>, tx);
    });
  }

  /** The fresh items cut into runs for runHandlers: consecutive events of one batch-handled type together, others alone. */
  function runsOf(fresh: { item: Item; index: number }[]): { items: Item[]; index: number; end: number }[] {
    const runs: { items: Item[]; index: number; end: number }[] = [];
    for (const { item, index } of fresh) {
      const last = runs.at(-1);
      const type = item.event.type;
      if (last && batchHandlers[type] && last.items[0]!.event.type === type) {
        last.items.push(item);
        last.end = index + 1;
      } else runs.push({ items: [item], index, end: index + 1 });
    }
    return runs;
  }

  /**
   * ONE transaction for the batch: the inbox rows of all its events in one statement (the ids
   * it returns are the fresh ones), then the fresh events' handlers in partition order.
   * All or nothing; never throws.
   */
  async function applyBatch(items: Item[]): Promise<Outcome> {
    let failedAt: number | undefined;
    let failedEnd = 0;
    try {
      const handledAt = opts.clock.now();
      const ids = [...new Set(items.map((i) => i.event.id))];
      const fresh = await db.transaction(async (tx) => {
        const inserted = await insertRows(
          tx,
          inbox,
          ids.map((eventId) => ({ handler: handlerName, eventId, topic: items[0]!.m.topic, handledAt })),
          { onConflictDoNothing: {}, returning: true },
        );
        const unseen = new Set(inserted.map((r) => r.eventId));
        // Taken out of the set once met: the same event twice in one batch is applied once.
        const fresh = items.flatMap((item, index) => (unseen.delete(item.event.id) ? [{ item, index }] : []));
        let applied = 0;
        for (const run of runsOf(fresh)) {
          failedAt = run.index;
          failedEnd = run.end;
          await runHandlers(run.items, tx);
          applied += run.items.length;
        }
        failedAt = undefined; // from here on a failure (the commit) is the batch's, not an event's
        return applied;
      });
      stats.handled += fresh;
      stats.duplicates += items.length - fresh;
      return { ok: true };
    } catch (err) {
      return { ok: false, failedAt, failedEnd, err };
    }
  }

  /** Waits `ms` while keeping the group membership alive; false if the batch must be abandoned. */
  async function wait(ms: number, ctx: BatchContext): Promise<boolean> {
    // In steps of at most 250 ms (timers, not the clock: a pinned test clock must not stall it).
    for (let left = ms; left > 0; left -= 250) {
      if (!ctx.isActive()) return false;
      await sleep(Math.min(250, left));
      await ctx.heartbeat();
    }
    return ctx.isActive();
  }

  /** Dead-letters messages of one partition in one send; throws (so kafkajs retries) if the broker refuses. */
  async function deadLetter(letters: { m: IncomingMessage; error: string; attempts: number }[]): Promise<void> {
    if (!letters.length) return;
    // One shared producer, created on first need (a promise, so concurrent partitions share it).
    dlqProducer ??= bus.producer();
    const messages = letters.map(({ m, error, attempts }) => ({
      key: m.key,
      value: m.value,
      headers: {
        ...m.headers,
        'x-error': error.slice(0, 4000),
        'x-original-topic': m.topic,
        'x-original-partition': String(m.partition),
        'x-original-offset': m.offset,
        'x-consumer-group': groupId,
        'x-handler': handlerName,
        'x-attempts': String(attempts),
      } as Record<string, string | Buffer>,
    }));
    const producer = dlqProducer;
    try {
      await (await producer).send([{ topic: deadLetterTopic(letters[0]!.m.topic), messages }]);
    } catch (err) {
      // Not dead-lettered, so not resolved: throwing makes kafkajs retry from these messages.
      if (dlqProducer === producer) dlqProducer = undefined;
      void producer.then((p) => p.disconnect()).catch(() => {});
      throw err;
    }
    for (const { m, error, attempts } of letters) {
      stats.deadLettered++;
      logger.warn(
        { topic: m.topic, partition: m.partition, offset: m.offset, error, attempts },
        'message dead-lettered',
      );
    }
  }

  /**
   * One event whose handler failed `failed` times already (`err` the last failure): retried alone
   * with backoff until it applies or has had `maxAttempts`, then dead-lettered. False if abandoned.
   */
  async function retryAlone(item: Item, failed: number, err: unknown, ctx: BatchContext): Promise<boolean> {
    for (let attempt = failed; ; attempt++) {
      const message = err instanceof Error ? err.message : String(err);
      // The database down (a restart) is not the event's fault: wait for it, never dead-letter for it.
      if (attempt >= maxAttempts && !isDatabaseUnavailable(err)) {
        await deadLetter([{ m: item.m, error: message, attempts: attempt }]);
        return true;
      }
      stats.retries++;
      const backoff = Math.min(MAX_BACKOFF_MS, retryBackoffMs * 2 ** Math.min(attempt - 1, 16));
      logger.warn(
        { err, eventId: item.event.id, type: item.event.type, attempt, backoffMs: backoff },
        'handler failed; retrying',
      );
      if (!(await wait(backoff, ctx))) return false;
      const outcome = await applyBatch([item]);
      if (outcome.ok) return true;
      err = outcome.err;
    }
  }

  /**
   * Applies events in order, as few transactions as failures allow: on a handler failure the
   * events before the failing one go again as a batch, the failing one is retried alone, and the
   * rest go on as a batch. A failure no event is to blame for (the commit, the connection) is
   * retried event by event. False if abandoned (stopping / partition revoked).
   */
  async function applyInOrder(items: Item[], ctx: BatchContext): Promise<boolean> {
    let rest = items;
    while (rest.length) {
      if (!ctx.isActive()) return false;
      const outcome = await applyBatch(rest);
      if (outcome.ok) return true;
      const { failedAt, failedEnd, err } = outcome;
      if (failedAt === undefined) {
        if (rest.length === 1) return retryAlone(rest[0]!, 1, err, ctx);
        for (const item of rest) if (!(await applyInOrder([item], ctx))) return false;
        return true;
      }
      if (failedAt > 0 && !(await applyInOrder(rest.slice(0, failedAt), ctx))) return false;
      if (failedEnd - failedAt > 1) {
        // A batch handler threw for a run: which of its events is to blame is unknown, so each goes alone.
        for (const item of rest.slice(failedAt, failedEnd)) if (!(await applyInOrder([item], ctx))) return false;
        rest = rest.slice(failedEnd);
        continue;
      }
      if (!(await retryAlone(rest[failedAt]!, 1, err, ctx))) return false;
      rest = rest.slice(failedAt + 1);
    }
    return true;
  }

  /** Handles a run of one partition's messages to completion; false if abandoned. */
  async function handleRun(messages: IncomingMessage[], ctx: BatchContext): Promise<boolean> {
    const items: Item[] = [];
    const poison: { m: IncomingMessage; error: string; attempts: number }[] = [];
    for (const [i, decoded] of (await decodeAll(messages)).entries()) {
      const m = messages[i]!;
      if (decoded === null) stats.skipped++;
      else if (decoded instanceof Error) poison.push({ m, error: decoded.message, attempts: 1 });
      else items.push({ m, event: decoded });
    }
    // Invalid messages never reach a handler, so they need not wait for the transaction.
    await deadLetter(poison);
    return items.length ? applyInOrder(items, ctx) : true;
  }

  async function eachBatch(ctx: BatchContext): Promise<void> {
    for (let start = 0; start < ctx.messages.length; start += maxBatch) {
      if (!ctx.isActive()) return;
      const run = ctx.messages.slice(start, start + maxBatch);
      if (!(await handleRun(run, ctx))) return;
      // The effects (or dead letters) are durable: only now may the offset move past them.
      ctx.resolveOffset(run.at(-1)!.offset);
      await ctx.heartbeat();
      await ctx.commit();
    }
  }

  // Supervisor: (re)builds the kafkajs consumer until stop(), so a broker that is down at start
  // or a crash kafkajs does not recover from itself never leaves the service deaf.
  const supervisor = (async () => {
    let failures = 0;
    while (running) {
      const c = bus.consumer(groupId, opts.kafka);
      current = c;
      const fatal = new Promise<Error>((resolve) => {
        c.onFatal(resolve);
        restart = () => resolve(new Error('stopping'));
      });
      try {
        // Best effort: where topic creation is not allowed, operations create them beforehand.
        await bus.ensureTopics([...topics, ...topics.map(deadLetterTopic)]).catch((err: unknown) => {
          if (failures === 0) logger.warn({ err }, 'could not ensure topics exist; subscribing anyway');
        });
        await c.run(topics, eachBatch);
        failures = 0;
        markReady();
        const err = await fatal;
        if (running) logger.error({ err }, 'consumer crashed; rebuilding it');
      } catch (err) {
        failures++;
        if (running && (failures === 1 || failures % 10 === 0))
          logger.warn({ err, failures }, 'consumer could not start; retrying');
      }
      await c.stop();
      if (running) await Promise.race([stopped, sleep(Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(failures, 8)))]);
    }
  })();

  const housekeep = () =>
    deleteOldInbox(db, handlerName, new Date(opts.clock.millis() - retention.inboxMs), retention.batchSize);
  const stopHousekeeping = every(retention.everyMs, housekeep, (err) =>
    logger.warn({ err }, 'could not delete old inbox rows'),
  );

  return {
    ready,
    stats,
    housekeep,
    async stop() {
      if (!running) return supervisor;
      running = false;
      markStopped();
      restart?.();
      await current?.stop();
      await Promise.all([supervisor, stopHousekeeping()]);
      await dlqProducer?.then((p) => p.disconnect()).catch(() => {});
      dlqProducer = undefined;
    },
  };
}
