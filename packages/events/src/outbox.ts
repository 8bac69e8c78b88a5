import type { EventData, EventType } from '@onecheck/contracts';
import { insertRows, type Db } from '@onecheck/db';
import { currentTraceparent } from '@onecheck/telemetry';
import { EVENT_TYPES } from './catalogue';
import { cloudEvent, type CloudEvent, type EventTime } from './cloudevent';
import { outbox } from './tables';
import { validateEvent } from './validate';

type Writer = Pick<Db, 'execute'>;

/** Events per INSERT of recordEvents: a statement's JSON stays a few megabytes at most. */
const OUTBOX_INSERT_BATCH = 1_000;

/**
 * The largest event the outbox takes, as JSON. Kafka refuses a record over its `message.max.bytes`
 * (1 MiB by default, and the stand-in's whole request); an event past it would be sent again and
 * again, holding up every later event of the service. It is refused here instead, in the
 * transaction of the change, which then fails and writes nothing. Lists that can grow go out in
 * parts (the drawn list: onecheck.draw.made.v2).
 */
export const MAX_EVENT_BYTES = 900 * 1024;

/** An event larger than MAX_EVENT_BYTES: a fault of the code that built it, not of the caller's input. */
export class EventTooLargeError extends Error {
  constructor(
    readonly type: EventType,
    readonly bytes: number,
  ) {
    super(`event ${type} is ${bytes} bytes as JSON, over the outbox's ${MAX_EVENT_BYTES}`);
    this.name = 'EventTooLargeError';
  }
}

/**
 * Records an event in the outbox. Call it with the transaction that makes the change, so the
 * event exists exactly when the change does (DESIGN.md §3). `key` orders one business's events.
 * `data` must match the type's contract (checked by TypeScript, then by zod before it is written).
 * The active trace (if any) travels with the event as its `traceparent`.
 */
export async function recordEvent<T extends EventType>(
  tx: Writer,
  opts: { source: string; type: T; key: string; subject?: string; data: EventData<T> } & EventTime,
): Promise<CloudEvent<T>> {
  const time = opts.time ?? opts.clock.now();
  const { row, event } = outboxRow(opts.type, opts, time, currentTraceparent());
  await insertRows(tx, outbox, [row]);
  return event;
}

/** An event built, validated against its contract, and its outbox row (the event as JSON text). */
function outboxRow<T extends EventType>(
  type: T,
  e: { source: string; key: string; subject?: string; data: EventData<T> },
  time: Date,
  traceparent: ReturnType<typeof currentTraceparent>,
) {
  const event = validateEvent(
    cloudEvent<T>({ source: e.source, type, subject: e.subject ?? e.key, data: e.data, traceparent, time }),
  ) as CloudEvent<T>;
  // Serialised once: the text is what the outbox keeps and the relay sends.
  const text = JSON.stringify(event);
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_EVENT_BYTES) throw new EventTooLargeError(type, bytes);
  return { row: { id: event.id, topic: EVENT_TYPES[type], type, key: e.key, event: text, createdAt: time }, event };
}

/**
 * recordEvent for many events of one change (a department's teams coding a whole draw's visits):
 * each built and validated alike, written a thousand rows per statement, in the given order.
 */
export async function recordEvents<T extends EventType>(
  tx: Writer,
  type: T,
  events: readonly { source: string; key: string; subject?: string; data: EventData<T> }[],
  time: Date,
): Promise<CloudEvent<T>[]> {
  const traceparent = currentTraceparent();
  const built = events.map((e) => outboxRow(type, e, time, traceparent));
  for (let i = 0; i < built.length; i += OUTBOX_INSERT_BATCH)
    await insertRows(
      tx,
      outbox,
      built.slice(i, i + OUTBOX_INSERT_BATCH).map((b) => b.row),
    );
  return built.map((b) => b.event);
}
