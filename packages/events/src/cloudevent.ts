import { randomUUID } from 'node:crypto';
import type { EventType } from './catalogue';

/** CloudEvents 1.0, structured JSON mode (the whole envelope is the Kafka message value). */
export interface CloudEvent<D = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: EventType;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  dataschema: string;
  data: D;
}

export function cloudEvent<D>(opts: {
  source: string;
  type: EventType;
  subject: string;
  data: D;
  time?: Date;
}): CloudEvent<D> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: opts.source,
    type: opts.type,
    subject: opts.subject,
    time: (opts.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    dataschema: `schema/events/${opts.type}.json`,
    data: opts.data,
  };
}
