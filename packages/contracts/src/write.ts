/**
 * Writes schema/events/ from the contracts (`npm run compose` calls it): one JSON Schema per
 * event type and the envelope, and the record of what is published. `format` lays the text out
 * as the repository's formatter would (compose passes Prettier). Returns the incompatible changes
 * found, by type; the caller reports them (each needs a new version).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { PUBLISHED_RECORD_FILE, checkPublished, eventSchemaFiles, schemaFileText, type JsonSchema } from './jsonschema';

export async function writeEventSchemas(
  dir: string,
  format: (path: string, text: string) => Promise<string> = async (_path, text) => text,
): Promise<Map<string, string[]>> {
  const write = async (file: string, value: JsonSchema) => {
    const path = `${dir}/${file}`;
    writeFileSync(path, await format(path, schemaFileText(value)));
  };
  for (const [file, schema] of eventSchemaFiles()) await write(file, schema);
  const recordPath = `${dir}/${PUBLISHED_RECORD_FILE}`;
  const { problems, next } = checkPublished(existsSync(recordPath) ? JSON.parse(readFileSync(recordPath, 'utf8')) : {});
  await write(PUBLISHED_RECORD_FILE, next);
  return problems;
}
