/**
 * Producers and consumers validate with the same zod contracts the published JSON Schemas are
 * generated from (@onecheck/contracts): one source, so the two can never disagree.
 */
import { z } from 'zod';
import { EVENT_PAYLOADS, cloudEventEnvelope, isEventType } from '@onecheck/contracts';
import type { AnyCloudEvent } from './cloudevent';

export class InvalidEventError extends Error {}

/**
 * Checks an event against the envelope and its type's versioned payload; returns it with `data`
 * as the contract reads it (fields this version does not know are dropped: readers tolerate
 * additions). Throws InvalidEventError.
 */
export function validateEvent(value: unknown): AnyCloudEvent {
  const envelope = cloudEventEnvelope.safeParse(value);
  if (!envelope.success) throw new InvalidEventError(`not a OneCheck CloudEvent: ${z.prettifyError(envelope.error)}`);
  const { type } = envelope.data;
  if (!isEventType(type)) throw new InvalidEventError(`unknown event type ${type}`);
  const data = EVENT_PAYLOADS[type].safeParse(envelope.data.data);
  if (!data.success) throw new InvalidEventError(`${type} data: ${z.prettifyError(data.error)}`);
  return { ...envelope.data, data: data.data } as AnyCloudEvent;
}
