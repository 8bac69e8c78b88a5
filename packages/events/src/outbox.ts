import { EVENT_TYPES, type EventType } from './catalogue';
import { cloudEvent, type CloudEvent } from './cloudevent';
import { outbox } from './tables';
import { validateEvent } from './validate';

type Writer = { insert: (table: typeof outbox) => { values: (v: typeof outbox.$inferInsert) => PromiseLike<any> } };

/**
 * Records an event in the outbox. Call it with the transaction that makes the change, so the
 * event exists exactly when the change does (DESIGN.md §3). `key` orders one business's events.
 */
export async function recordEvent<D>(
  tx: Writer,
  opts: { source: string; type: EventType; key: string; subject?: string; data: D; time?: Date },
): Promise<CloudEvent<D>> {
  const event = cloudEvent({
    source: opts.source,
    type: opts.type,
    subject: opts.subject ?? opts.key,
    data: opts.data,
    time: opts.time,
  });
  validateEvent(event);
  await tx.insert(outbox).values({ id: event.id, topic: EVENT_TYPES[opts.type], key: opts.key, event });
  return event as CloudEvent<D>;
}
