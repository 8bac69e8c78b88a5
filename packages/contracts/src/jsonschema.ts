/**
 * The JSON Schemas outside consumers read (`schema/events/`), generated from the zod contracts,
 * and the rule that keeps a published version stable.
 */
import { z } from 'zod';
import { EVENT_PAYLOADS, type EventType } from './events/index';
import { cloudEventEnvelope } from './events/envelope';

/** Where the published schemas live, relative to the repository root, and their `$id` base. */
export const EVENT_SCHEMA_DIR = 'schema/events';
export const SCHEMA_ID_BASE = 'https://onecheck.example/schema/events/';
export const ENVELOPE_SCHEMA_FILE = 'cloudevent.json';

export type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema of one zod contract. Generated for the *input* side, so an object does not
 * forbid extra properties: readers ignore fields they do not know, which is what lets a published
 * version gain an optional field without breaking anyone.
 */
export function toEventJsonSchema(schema: z.ZodType, file: string): JsonSchema {
  const { $schema, title, description, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
  }) as JsonSchema;
  const head = { $schema, $id: `${SCHEMA_ID_BASE}${file}`, title, description };
  return JSON.parse(JSON.stringify({ ...head, ...rest })) as JsonSchema; // drops absent (undefined) words
}

/** Every file of schema/events/ by name: the envelope and one per event type. */
export function eventSchemaFiles(): Map<string, JsonSchema> {
  const files = new Map<string, JsonSchema>();
  files.set(ENVELOPE_SCHEMA_FILE, toEventJsonSchema(cloudEventEnvelope, ENVELOPE_SCHEMA_FILE));
  for (const [type, schema] of Object.entries(EVENT_PAYLOADS)) {
    files.set(`${type}.json`, toEventJsonSchema(schema, `${type}.json`));
  }
  return files;
}

/** The file text compose writes (stable: two-space JSON and a final newline). */
export const schemaFileText = (schema: JsonSchema) => `${JSON.stringify(schema, null, 2)}\n`;

/** The next version's type name: `onecheck.finding.recorded.v1` → `onecheck.finding.recorded.v2`. */
export function nextVersion(type: string): string {
  const m = /^(.*)\.v(\d+)$/.exec(type);
  if (!m) throw new RangeError(`not a versioned event type: ${type}`);
  return `${m[1]}.v${Number(m[2]) + 1}`;
}

/** Words only: a change to a title or description does not change what is valid. */
const ANNOTATIONS = new Set(['title', 'description', '$id', '$schema', 'examples']);

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !ANNOTATIONS.has(k))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, strip(v)]),
    );
  }
  return value;
}
const same = (a: unknown, b: unknown) => JSON.stringify(strip(a)) === JSON.stringify(strip(b));

/**
 * What makes `next` incompatible with the published schema `published` of the same version:
 * a field removed (or renamed), a new required field, a field whose schema changed (type,
 * format, pattern, an enum narrowed or widened), or any other change to the object's rules.
 * Adding an optional field is the one compatible change. Empty when compatible.
 */
export function compatibilityProblems(published: JsonSchema, next: JsonSchema): string[] {
  const problems: string[] = [];
  const oldProps = (published.properties ?? {}) as Record<string, unknown>;
  const newProps = (next.properties ?? {}) as Record<string, unknown>;
  const oldRequired = new Set((published.required ?? []) as string[]);
  const newRequired = new Set((next.required ?? []) as string[]);
  for (const [name, schema] of Object.entries(oldProps)) {
    if (!(name in newProps)) problems.push(`field "${name}" was removed or renamed`);
    else if (!same(schema, newProps[name])) problems.push(`field "${name}" changed its type or values`);
    if (oldRequired.has(name) && !newRequired.has(name)) problems.push(`field "${name}" is no longer required`);
  }
  for (const name of newRequired) {
    if (!oldRequired.has(name)) problems.push(`new field "${name}" is required (only optional fields may be added)`);
  }
  const { properties: _op, required: _or, ...oldRest } = published;
  const { properties: _np, required: _nr, ...newRest } = next;
  if (!same(oldRest, newRest)) problems.push('the rules of the object itself changed');
  return problems;
}

/** The message a test and compose give for an incompatible change. */
export function incompatibleMessage(type: EventType | string, problems: string[]): string {
  if (!/\.v\d+$/.test(type)) return `${type} is published and this change is incompatible (${problems.join('; ')})`;
  return (
    `${type} is published and this change is incompatible (${problems.join('; ')}): ` +
    `keep ${type} as it is and add the new shape as ${nextVersion(type)}`
  );
}

/**
 * The record of what has been published: per event type (and the envelope), the schema as last
 * published, kept in `schema/events/published.json`. Compose adds new types and takes in
 * compatible changes; an incompatible change leaves the record as it was, so the test that
 * compares the contracts with it keeps failing until the change is made a new version.
 */
export const PUBLISHED_RECORD_FILE = 'published.json';
export type PublishedRecord = Record<string, JsonSchema>;

/** The published form of a schema: only what decides validity (no words, no ids). */
export const publishedForm = (schema: JsonSchema) => strip(schema) as JsonSchema;

/** Every incompatibility between the contracts and the published record, by type; and the record compose should keep. */
export function checkPublished(record: PublishedRecord): { problems: Map<string, string[]>; next: PublishedRecord } {
  const problems = new Map<string, string[]>();
  const next: PublishedRecord = {};
  const files = eventSchemaFiles();
  for (const name of Object.keys(record)) {
    if (!files.has(`${name}.json`))
      problems.set(name, ['a published type was removed: keep it (consumers may still read it)']);
  }
  for (const [file, schema] of files) {
    const name = file.replace(/\.json$/, '');
    const current = publishedForm(schema);
    const published = record[name];
    const found = published ? compatibilityProblems(published, current) : [];
    if (found.length) problems.set(name, found);
    next[name] = found.length ? published! : current;
  }
  for (const [name, published] of Object.entries(record)) if (!(name in next)) next[name] = published;
  return { problems, next };
}
