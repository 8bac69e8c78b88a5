/**
 * Canonical JSON (canonical.ts): what idempotency fingerprints and the audit chain hash. Equal
 * values give equal text whatever their keys' order; canonicalJson gives what JSON would carry.
 */
import { describe, expect, it } from 'vitest';
import { canonical, canonicalJson } from '../src/canonical';

const at = new Date('2026-03-02T01:00:00.000Z');
/** Values a service hands the audit chain: rows with Dates, optional members, text of every kind. */
const samples: unknown[] = [
  null,
  0,
  -0,
  1e21,
  Number.NaN,
  '会宁县 "宾馆" \\ \n \u2028 😀',
  [1, undefined, () => 1, Symbol('s'), at, null],
  { b: 1, a: { d: [at, { y: undefined, x: '甲' }], c: undefined }, f: () => 1, s: Symbol('t'), z: null },
  { toJSON: () => ({ b: 2, a: 1 }) },
  { nested: { toJSON: (key: string) => `key:${key}` } },
  { '': 1, é: 2, e: 3, Z: 4, '10': 5, '9': 6, '\u{1F600}': 7, '\uFFFF': 8 },
  { licence: { id: 'x', validFrom: '2026-03-02', createdAt: at, scope: ['住宿', '餐饮'], promiseId: null } },
];

describe('canonical JSON', () => {
  it('canonicalJson gives, in one pass, what canonical gives of the value as JSON carries it', () => {
    for (const value of samples)
      expect(canonicalJson(value)).toBe(canonical(JSON.parse(JSON.stringify(value) ?? 'null')));
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson({ at })).toBe('{"at":"2026-03-02T01:00:00.000Z"}');
  });

  it('sorts keys and leaves undefined members out, so equal values give equal text', () => {
    expect(canonical({ b: [1, { d: 1, c: 2 }], a: 'x', u: undefined })).toBe('{"a":"x","b":[1,{"c":2,"d":1}]}');
    expect(canonical({ a: 1, b: 2 })).toBe(canonical({ b: 2, a: 1 }));
    expect(canonical(undefined)).toBe('null');
  });

  it('every text is JSON that reads back as the value', () => {
    for (const value of samples) {
      const text = canonicalJson(value);
      expect(canonicalJson(JSON.parse(text))).toBe(text);
    }
  });
});
