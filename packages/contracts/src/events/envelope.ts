/**
 * The CloudEvents 1.0 envelope every OneCheck event travels in (structured JSON mode), with the
 * distributed-tracing extension (`traceparent`, `tracestate`: W3C Trace Context) so one trace
 * follows a change across Kafka. Other extension attributes are allowed, as CloudEvents says.
 */
import { z } from 'zod';

export const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

export const cloudEventEnvelope = z
  .looseObject({
    specversion: z.literal('1.0'),
    id: z.string().min(1),
    source: z.string().min(1),
    type: z
      .string()
      .regex(/^onecheck\.[a-z-]+\.[a-z-]+\.v[0-9]+$/)
      .meta({ description: 'the event type; its data schema is schema/events/<type>.json' }),
    subject: z.string().min(1).meta({ description: "the business's uscc (or the Kafka key)" }),
    time: z.iso.datetime({ offset: true }),
    datacontenttype: z.literal('application/json'),
    dataschema: z.string().optional(),
    traceparent: z.string().regex(TRACEPARENT).optional().meta({
      description: 'W3C Trace Context of the change that produced the event (CloudEvents distributed tracing)',
    }),
    tracestate: z.string().optional().meta({ description: 'W3C Trace Context vendor state' }),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({
    title: 'OneCheck CloudEvents 1.0 envelope (structured JSON)',
    description:
      'The value of every OneCheck Kafka message; data has the schema of its type: schema/events/<type>.json.',
  });
