/**
 * Outside consumers validate with the published JSON Schemas, OneCheck with zod: both come from
 * the same contract, and this checks they agree — every generated schema compiles under a strict
 * JSON Schema 2020-12 validator (ajv), and accepts and refuses the same events as validateEvent.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, cloudEvent, validateEvent, type EventType } from '../src/index';
import { changedData, clock, usccFor } from './helpers';

const DIR = fileURLToPath(new URL('../../../schema/events/', import.meta.url));
const ajv = new Ajv2020({ strict: true, allErrors: true });
(addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
const schema = (file: string) => JSON.parse(readFileSync(`${DIR}${file}`, 'utf8'));
const envelope = ajv.compile(schema('cloudevent.json'));
const data = new Map(Object.keys(EVENT_TYPES).map((t) => [t, ajv.compile(schema(`${t}.json`))]));

/** The verdict of an outside consumer using only schema/events/. */
const jsonSchemaAccepts = (event: { type: string; data: unknown }) =>
  envelope(event) && (data.get(event.type)?.(event.data) ?? false);
const zodAccepts = (event: unknown) => {
  try {
    validateEvent(event);
    return true;
  } catch {
    return false;
  }
};

const licence = {
  licenceId: '0b6f3c2e-8a1d-4c55-9e0f-2b7a6d4c1e90',
  licenceNumber: 'WS6204222026001',
  uscc: usccFor(7),
  approvalItem: '公共场所卫生许可',
  supervisingDepartment: 'HEALTH',
  scope: '住宿',
  validFrom: '2026-09-30',
  validUntil: '2031-09-29',
  grantedOn: '2026-09-30',
  status: 'VALID',
};
const event = (type: EventType, d: unknown, extra: object = {}) => ({
  ...cloudEvent({ source: 'test', type, subject: usccFor(7), data: d as never, clock }),
  ...extra,
});

describe('the published JSON Schemas and the zod contracts', () => {
  it.each<[string, ReturnType<typeof event>, boolean]>([
    ['a valid enterprise event', event('onecheck.enterprise.changed.v1', changedData(usccFor(7), 3)), true],
    ['a valid licence event', event('onecheck.licence.granted.v1', licence), true],
    [
      'with a traceparent',
      event('onecheck.licence.granted.v1', licence, { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` }),
      true,
    ],
    [
      'a field it does not know (a later optional field)',
      event('onecheck.licence.granted.v1', { ...licence, later: 1 }),
      true,
    ],
    ['a bad credit code', event('onecheck.licence.granted.v1', { ...licence, uscc: 'nope' }), false],
    ['a status outside the enum', event('onecheck.licence.granted.v1', { ...licence, status: 'LOST' }), false],
    ['a missing required field', event('onecheck.licence.granted.v1', { ...licence, scope: undefined }), false],
    ['an impossible date', event('onecheck.licence.granted.v1', { ...licence, grantedOn: '2026-02-30' }), false],
    ['a malformed traceparent', event('onecheck.licence.granted.v1', licence, { traceparent: 'x' }), false],
    ['a wrong specversion', event('onecheck.licence.granted.v1', licence, { specversion: '0.3' }), false],
  ])('agree on %s', (_what, e, valid) => {
    const plain = JSON.parse(JSON.stringify(e));
    expect(jsonSchemaAccepts(plain)).toBe(valid);
    expect(zodAccepts(plain)).toBe(valid);
  });
});
