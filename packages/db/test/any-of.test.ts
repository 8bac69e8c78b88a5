/**
 * anyOf matches exactly the values given, whatever text they hold (commas, quotes, braces,
 * backslashes, spaces, the word NULL, the empty string, Chinese), as inArray does; on PGlite and,
 * with TEST_DATABASE_URL, on PostgreSQL in a schema of its own.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { asc, inArray, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyOf, arrayLiteral, arrayOf, openDatabase, reusable, type Database } from '../src/index';
import { testEnv } from './env';
import * as schema from './fixtures/schema';

const migrationsFolder = fileURLToPath(new URL('./fixtures/drizzle', import.meta.url));
const { notes } = schema;

const awkward = ['a,b', 'say "hi"', '{x}', 'back\\slash', 'NULL', '', '  padded ', '会宁县,宾馆', 'end\\'];
const plain = ['plain', 'other'];

function suite(open: () => Promise<Database<typeof schema>>) {
  let database: Database<typeof schema>;
  beforeAll(async () => {
    database = await open();
    await database.db.insert(notes).values([...awkward, ...plain, 'not asked'].map((body) => ({ body })));
  });
  afterAll(() => database.close());

  const bodies = async (where: ReturnType<typeof anyOf>) =>
    (await database.db.select({ body: notes.body }).from(notes).where(where).orderBy(asc(notes.body))).map(
      (r) => r.body,
    );

  it('finds each text value given, and only those, as inArray does', async () => {
    const asked = [...awkward, ...plain, 'absent'];
    const found = await bodies(anyOf(notes.body, asked, 'text'));
    expect(found).toEqual(await bodies(inArray(notes.body, asked)));
    expect([...found].sort()).toEqual([...awkward, ...plain].sort());
  });

  it('takes numbers, and an empty list matches nothing', async () => {
    const all = await database.db.select({ body: notes.body }).from(notes);
    expect(await bodies(anyOf(sql`length(${notes.body})`, [3, 5], 'bigint'))).toEqual(
      await bodies(inArray(sql`length(${notes.body})`, [3, 5])),
    );
    expect(await bodies(anyOf(notes.body, [], 'text'))).toEqual([]);
    expect(all).toHaveLength(awkward.length + plain.length + 1);
  });

  it('takes the placeholder of a reusable statement, each run given its list as arrayLiteral', async () => {
    const byBodies = reusable((db: Database<typeof schema>['db']) =>
      db
        .select({ body: notes.body })
        .from(notes)
        .where(anyOf(notes.body, sql.placeholder('bodies'), 'text'))
        .orderBy(asc(notes.body)),
    );
    const run = async (asked: string[]) =>
      (await byBodies(database.db).execute({ bodies: arrayLiteral(asked) })).map((r) => r.body);
    expect(await run([...awkward, 'absent'])).toEqual(await bodies(anyOf(notes.body, awkward, 'text')));
    expect(await run(plain)).toEqual([...plain].sort());
    expect(await run([])).toEqual([]);
  });

  it('gives a list as one typed array, in order', async () => {
    const days = ['2026-01-02', '2026-03-04'];
    const result = await database.db.execute(
      sql`select (${arrayOf(days, 'date')})[2]::text as second, array_length(${arrayOf(awkward, 'text')}, 1) as n`,
    );
    expect((result as unknown as { rows: unknown[] }).rows[0]).toEqual({ second: '2026-03-04', n: awkward.length });
  });
}

describe('anyOf on PGlite', () => {
  suite(() => openDatabase({ name: 'any-of', schema, migrationsFolder }));
});

describe.skipIf(!testEnv.databaseUrl)('anyOf on PostgreSQL (TEST_DATABASE_URL)', () => {
  const databaseSchema = `db_any_${randomUUID().slice(0, 8)}`;
  afterAll(async () => {
    const client = new pg.Client({ connectionString: testEnv.databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${databaseSchema}" CASCADE`).finally(() => client.end());
  });
  suite(() =>
    openDatabase({ name: 'any-of', schema, migrationsFolder, databaseUrl: testEnv.databaseUrl, databaseSchema }),
  );
});
