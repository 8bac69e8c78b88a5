/**
 * insertRows writes what drizzle's insert writes (defaults, JSON, dates, arrays, nulls), in the
 * order given, in one statement per set of columns; on PGlite and, with TEST_DATABASE_URL, on
 * PostgreSQL in a schema of its own.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { asc, sql } from 'drizzle-orm';
import { bigserial, boolean, date, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRows, openDatabase, type Database } from '../src/index';
import { testEnv } from './env';
import * as schema from './fixtures/schema';

const migrationsFolder = fileURLToPath(new URL('./fixtures/drizzle', import.meta.url));

let made = 0;
/** Two tables alike: one written by insertRows, the other by drizzle, to compare. */
const probe = (name: string) =>
  pgTable(name, {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull().defaultRandom(),
    code: text('code').notNull().unique(),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'`),
    doc: jsonb('doc'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    day: date('day'),
    n: integer('n').notNull().default(7),
    flag: boolean('flag').notNull().default(false),
    token: text('token')
      .notNull()
      .$defaultFn(() => `made-${++made}`),
  });
const ours = probe('probe_ours');
const theirs = probe('probe_theirs');
const create = (name: string) => `create table ${name} (
  seq bigserial primary key, id uuid not null default gen_random_uuid(), code text not null unique,
  tags text[] not null default '{}', doc jsonb, at timestamptz not null default now(), day date,
  n integer not null default 7, flag boolean not null default false, token text not null)`;

const at = new Date('2026-11-30T08:00:00.123Z');
const rows = (prefix: string): (typeof ours.$inferInsert)[] => [
  {
    code: `${prefix}-a`,
    tags: ['食品', 'a,b', 'say "hi"', '{x}', 'back\\slash'],
    doc: { 名称: '会宁县宾馆', nested: [1, { deep: null }], quote: '"\'' },
    at,
    day: '2026-12-01',
    n: 3,
    flag: true,
  },
  // These two leave out tags, day, n and flag: their SQL defaults, from a statement of their own.
  { code: `${prefix}-b`, doc: ['a', 'list'], at, token: 'given' },
  { code: `${prefix}-c`, doc: 'a JSON string', at },
  // All the columns again (nulls are values): a third statement, still in order.
  { code: `${prefix}-d`, tags: [], doc: null, at, day: null, n: 0, flag: false },
];

/** The fields that do not depend on which table or when: not seq, id, or a now() default. */
const comparable = (r: typeof ours.$inferSelect, prefix: string) => ({
  ...r,
  code: r.code.slice(prefix.length),
  seq: undefined,
  id: typeof r.id,
  at: r.at.getTime() === at.getTime() ? 'given' : 'default',
  token: r.token.startsWith('made-') ? 'made' : r.token,
});

function suite(open: () => Promise<Database<typeof schema>>) {
  let database: Database<typeof schema>;
  beforeAll(async () => {
    database = await open();
    await database.db.execute(sql.raw(create('probe_ours')));
    await database.db.execute(sql.raw(create('probe_theirs')));
  });
  afterAll(() => database.close());

  it('writes and answers the rows drizzle would, one statement per set of columns given', async () => {
    const { db, stats } = database;
    const before = stats.queries;
    const written = await insertRows(db, ours, rows('x'), { returning: true });
    // a, then b and c (the same columns given), then d.
    expect(stats.queries - before).toBe(3);
    const expected = await db.insert(theirs).values(rows('y')).returning();
    expect(written.map((r) => comparable(r, 'x'))).toEqual(expected.map((r) => comparable(r, 'y')));
    // As stored, read back by drizzle: the same as insertRows answered.
    expect(await db.select().from(ours).orderBy(asc(ours.seq))).toEqual(written);
    expect(written[0]).toMatchObject({ tags: ['食品', 'a,b', 'say "hi"', '{x}', 'back\\slash'], n: 3, flag: true });
    expect(written[1]).toMatchObject({ tags: [], day: null, n: 7, flag: false, token: 'given', doc: ['a', 'list'] });
    expect(written[2]!.doc).toBe('a JSON string');
    expect(written.map((r) => r.code)).toEqual(['x-a', 'x-b', 'x-c', 'x-d']);
  });

  it('keeps the order given: the serial key follows it', async () => {
    const codes = Array.from({ length: 300 }, (_, i) => `order-${(i * 7919) % 300}`);
    await insertRows(
      database.db,
      ours,
      codes.map((code) => ({ code })),
    );
    const stored = await database.db
      .select({ code: ours.code })
      .from(ours)
      .where(sql`${ours.code} like 'order-%'`)
      .orderBy(asc(ours.seq));
    expect(stored.map((r) => r.code)).toEqual(codes);
  });

  it('on conflict does nothing when asked, answering only the rows it wrote', async () => {
    const { db } = database;
    await insertRows(db, ours, [{ code: 'taken', n: 1 }]);
    const written = await insertRows(
      db,
      ours,
      [
        { code: 'taken', n: 2 },
        { code: 'free', n: 3 },
      ],
      { onConflictDoNothing: { target: ours.code }, returning: true },
    );
    expect(written.map((r) => [r.code, r.n])).toEqual([['free', 3]]);
    const [kept] = await db
      .select({ n: ours.n })
      .from(ours)
      .where(sql`${ours.code} = 'taken'`);
    expect(kept).toEqual({ n: 1 });
    // Without it, the conflict fails the statement.
    await expect(insertRows(db, ours, [{ code: 'taken' }])).rejects.toThrow();
  });

  it('on conflict updates the columns named, from the row given, when asked', async () => {
    const { db } = database;
    await insertRows(db, ours, [{ code: 'moved', n: 1, day: '2026-01-05' }]);
    const written = await insertRows(db, ours, [{ code: 'moved', n: 5, day: '2027-01-05', flag: true }], {
      onConflictDoUpdate: { target: ours.code, set: [ours.n, ours.day] },
      returning: true,
    });
    expect(written.map((r) => [r.code, r.n, r.day, r.flag])).toEqual([['moved', 5, '2027-01-05', false]]);
  });

  it('refuses a row that gives no value at all, writing nothing', async () => {
    const { db } = database;
    await expect(insertRows(db, schema.notes, [{ body: 'kept out' }, {} as never])).rejects.toThrow(
      /at least one value/,
    );
    expect(
      await db
        .select()
        .from(schema.notes)
        .where(sql`${schema.notes.body} = 'kept out'`),
    ).toEqual([]);
  });

  it('refuses a SQL value rather than writing it as text', async () => {
    await expect(insertRows(database.db, ours, [{ code: 'sql', day: sql`now()` as never }])).rejects.toThrow(/not SQL/);
    expect(
      await database.db
        .select()
        .from(ours)
        .where(sql`${ours.code} = 'sql'`),
    ).toEqual([]);
  });
}

describe('insertRows on PGlite', () => {
  suite(() => openDatabase({ name: 'rows', schema, migrationsFolder }));
});

describe.skipIf(!testEnv.databaseUrl)('insertRows on PostgreSQL (TEST_DATABASE_URL)', () => {
  const databaseSchema = `db_rows_${randomUUID().slice(0, 8)}`;
  afterAll(async () => {
    const client = new pg.Client({ connectionString: testEnv.databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${databaseSchema}" CASCADE`).finally(() => client.end());
  });
  suite(() =>
    openDatabase({ name: 'rows', schema, migrationsFolder, databaseUrl: testEnv.databaseUrl, databaseSchema }),
  );
});
