import { randomUUID } from 'node:crypto';
import type { Clock } from '@onecheck/clock';
import type { EventData, EventType } from '@onecheck/contracts';

/**
 * CloudEvents 1.0, structured JSON mode (the whole envelope is the Kafka message value), its
 * `data` typed by the event type. `traceparent`/`tracestate` are the CloudEvents
 * distributed-tracing extension: the trace of the change that produced the event.
 */
export interface CloudEvent<T extends EventType = EventType> {
  specversion: '1.0';
  id: string;
  source: string;
  type: T;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  dataschema: string;
  traceparent?: string;
  tracestate?: string;
  data: EventData<T>;
}

/** Any one event, narrowed by `type`: `if (e.type === 'onecheck.licence.granted.v1') e.data.licenceId`. */
export type AnyCloudEvent = { [T in EventType]: CloudEvent<T> }[EventType];

/** When an event happened: the act's own timestamp, or the service's clock. */
export type EventTime = { time: Date; clock?: undefined } | { clock: Clock; time?: undefined };

export function cloudEvent<T extends EventType>(
  opts: {
    source: string;
    type: T;
    subject: string;
    data: EventData<T>;
    traceparent?: string;
    tracestate?: string;
  } & EventTime,
): CloudEvent<T> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: opts.source,
    type: opts.type,
    subject: opts.subject,
    time: (opts.time ?? opts.clock.now()).toISOString(),
    datacontenttype: 'application/json',
    dataschema: `schema/events/${opts.type}.json`,
    ...(opts.traceparent ? { traceparent: opts.traceparent } : {}),
    ...(opts.tracestate ? { tracestate: opts.tracestate } : {}),
    data: opts.data,
  };
}
