/**
 * The checked-in schema/events/ is what outside consumers read: it must be exactly what
 * `npm run compose` generates from the zod contracts (staleness), and the contracts must stay
 * compatible with what was published (a published vN only gains optional fields).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PUBLISHED_RECORD_FILE, checkPublished, eventSchemaFiles, incompatibleMessage } from '../src/index';

const DIR = fileURLToPath(new URL('../../../schema/events/', import.meta.url));
const read = (file: string) => readFileSync(`${DIR}${file}`, 'utf8');

describe('schema/events', () => {
  const generated = eventSchemaFiles();

  // Compared as JSON: compose lays the files out with Prettier, the content is what counts.
  it.each([...generated.keys()])('%s is what npm run compose generates', (file) => {
    expect(JSON.parse(read(file)), `schema/events/${file} is stale: run npm run compose`).toStrictEqual(
      generated.get(file),
    );
  });

  it('holds no schema that compose would not write', () => {
    const extra = readdirSync(DIR).filter((f) => f !== PUBLISHED_RECORD_FILE && !generated.has(f));
    expect(extra, 'schemas without a contract: a published type stays, its zod contract too').toEqual([]);
  });

  it('changes no published version incompatibly', () => {
    const { problems } = checkPublished(JSON.parse(read(PUBLISHED_RECORD_FILE)));
    const messages = [...problems].map(([type, found]) => incompatibleMessage(type, found));
    expect(messages, messages.join('\n')).toEqual([]);
  });
});
