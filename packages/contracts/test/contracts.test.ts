import { describe, expect, it } from 'vitest';
import { EVENT_PAYLOADS, FINDING_HANDLINGS, compatibilityProblems, eventSchemaFiles, nextVersion } from '../src/index';

describe('event contracts', () => {
  it('take their enums from the one constant', () => {
    const schema = eventSchemaFiles().get('onecheck.finding.recorded.v1.json')!;
    expect((schema.properties as any).handling.enum).toEqual([...FINDING_HANDLINGS]);
  });

  it('give every type a JSON Schema with $id and title', () => {
    for (const type of Object.keys(EVENT_PAYLOADS)) {
      const schema = eventSchemaFiles().get(`${type}.json`)!;
      expect(schema.$id).toBe(`https://onecheck.example/schema/events/${type}.json`);
      expect(schema.title).toEqual(expect.any(String));
    }
  });

  it('name the next version', () => {
    expect(nextVersion('onecheck.finding.recorded.v1')).toBe('onecheck.finding.recorded.v2');
  });
});

describe('compatibilityProblems', () => {
  const v1 = {
    type: 'object',
    properties: { a: { type: 'string' }, e: { type: 'string', enum: ['X', 'Y'] }, o: { type: 'integer' } },
    required: ['a', 'e'],
    title: 'old words',
  };
  const change = (f: (s: any) => void) => {
    const s = structuredClone(v1) as any;
    f(s);
    return compatibilityProblems(v1, s);
  };

  it('accepts an added optional field and new words', () => {
    expect(change((s) => (s.properties.n = { type: 'string' }))).toEqual([]);
    expect(change((s) => ((s.title = 'new'), (s.properties.a.description = 'x')))).toEqual([]);
  });

  it.each([
    ['a removed field', (s: any) => delete s.properties.o, /"o" was removed/],
    [
      'a renamed field',
      (s: any) => ((s.properties.b = s.properties.a), delete s.properties.a, (s.required = ['b', 'e'])),
      /"a" was removed/,
    ],
    [
      'a new required field',
      (s: any) => ((s.properties.n = { type: 'string' }), s.required.push('n')),
      /"n" is required/,
    ],
    ['a type change', (s: any) => (s.properties.o = { type: 'string' }), /"o" changed/],
    ['a narrowed enum', (s: any) => (s.properties.e.enum = ['X']), /"e" changed/],
    ['a widened enum', (s: any) => s.properties.e.enum.push('Z'), /"e" changed/],
    ['a field made optional', (s: any) => (s.required = ['a']), /"e" is no longer required/],
    ['closed to extra fields', (s: any) => (s.additionalProperties = false), /object itself/],
  ])('refuses %s', (_what, f, message) => {
    expect(change(f).join('\n')).toMatch(message);
  });
});
