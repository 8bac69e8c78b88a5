import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { EVENT_TYPES, type EventType } from './catalogue';
import type { CloudEvent } from './cloudevent';

const SCHEMA_DIR = fileURLToPath(new URL('../../../schema/events/', import.meta.url));

const ajv = new Ajv2020({ allErrors: false, strict: true });
(addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);

const envelope = ajv.compile(JSON.parse(readFileSync(`${SCHEMA_DIR}cloudevent.json`, 'utf8')));
const dataValidators = new Map(
  Object.keys(EVENT_TYPES).map((type) => [
    type,
    ajv.compile(JSON.parse(readFileSync(`${SCHEMA_DIR}${type}.json`, 'utf8'))),
  ]),
);

export class InvalidEventError extends Error {}

/** Checks an event against the envelope and its type's versioned schema; producers and consumers both call it. */
export function validateEvent(value: unknown): CloudEvent {
  if (!envelope(value)) throw new InvalidEventError(`not a OneCheck CloudEvent: ${ajv.errorsText(envelope.errors)}`);
  const event = value as unknown as CloudEvent;
  const check = dataValidators.get(event.type as EventType);
  if (!check) throw new InvalidEventError(`unknown event type ${event.type}`);
  if (!check(event.data))
    throw new InvalidEventError(`${event.type} data: ${ajv.errorsText(check.errors, { dataVar: 'data' })}`);
  return event;
}
