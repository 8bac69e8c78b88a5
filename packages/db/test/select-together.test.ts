/**
 * selectTogether answers each select exactly as the select alone does — every column type the
 * services use, nulls, order, limits, nested and computed fields, joins, no rows — in one
 * statement; on PGlite and, with TEST_DATABASE_URL, on PostgreSQL in a schema of its own.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { asc, desc, eq, gt, isNotNull, sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  date,
  doublePrecision,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyOf, openDatabase, selectTogether, type Database } from '../src/index';
import { testEnv } from './env';
import * as schema from './fixtures/schema';

const migrationsFolder = fileURLToPath(new URL('./fixtures/drizzle', import.meta.url));
const { notes } = schema;

// JSON kept as text, as the outbox keeps its events.
const jsonText = customType<{ data: unknown; driverData: string }>({
  dataType: () => 'text',
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) => JSON.parse(value) as unknown,
});

const kinds = pgTable('kinds', {
  seq: bigserial('seq', { mode: 'number' }).primaryKey(),
  id: uuid('id').notNull(),
  name: text('name').notNull(),
  status: text('status', { enum: ['ACTIVE', 'CLOSED'] }).notNull(),
  count: integer('count'),
  big: bigint('big', { mode: 'number' }),
  ratio: doublePrecision('ratio'),
  amount: numeric('amount', { precision: 12, scale: 2 }),
  flag: boolean('flag'),
  on: date('on', { mode: 'string' }),
  at: timestamp('at', { withTimezone: true }),
  local: timestamp('local'),
  atText: timestamp('at_text', { withTimezone: true, mode: 'string' }),
  doc: jsonb('doc'),
  items: text('items').array(),
  event: jsonText('event'),
});

const CREATE = `create table kinds (
  seq bigserial primary key, id uuid not null, name text not null, status text not null, count integer,
  big bigint, ratio double precision, amount numeric(12, 2), flag boolean, "on" date, at timestamptz,
  local timestamp, at_text timestamptz, doc jsonb, items text[], event text)`;

const rows = [
  {
    id: randomUUID(),
    name: '会宁县 "宾馆", {1}',
    status: 'ACTIVE' as const,
    count: 3,
    big: 9_007_199_254_740_991,
    ratio: 0.125,
    amount: '1234.50',
    flag: true,
    on: '2026-02-28',
    at: new Date('2026-03-01T08:09:10.123Z'),
    local: new Date('2026-03-01T08:09:10.456Z'),
    atText: '2026-03-01 16:09:10.789+08',
    doc: { a: [1, 'two', null], nested: { yes: true } },
    items: ['a,b', 'say "hi"', 'NULL', ''],
    event: { type: 'x', data: { n: 1 } },
  },
  { id: randomUUID(), name: 'plain', status: 'CLOSED' as const },
  { id: randomUUID(), name: 'third', status: 'ACTIVE' as const, count: -7, flag: false, items: [], doc: [] },
];

function suite(open: () => Promise<Database<typeof schema>>) {
  let database: Database<typeof schema>;
  beforeAll(async () => {
    database = await open();
    await database.db.execute(sql.raw(CREATE));
    await database.db.insert(kinds).values(rows);
    await database.db.insert(notes).values([{ body: 'b' }, { body: 'a', stars: 2 }, { body: 'c', stars: 1 }]);
  });
  afterAll(() => database.close());

  it('answers each select as the select alone does, in one statement', async () => {
    const { db } = database;
    const selects = () => ({
      all: db.select().from(kinds).orderBy(asc(kinds.seq)),
      some: db
        .select({ name: kinds.name, at: kinds.at })
        .from(kinds)
        .where(anyOf(kinds.name, ['plain', 'third'], 'text')),
      none: db.select().from(kinds).where(eq(kinds.name, 'absent')),
      newest: db.select({ body: notes.body }).from(notes).orderBy(desc(notes.stars)).limit(2),
      nested: db
        .select({
          note: { id: notes.id, body: notes.body },
          longer: sql<number>`length(${notes.body}) + 1`.mapWith(Number),
        })
        .from(notes)
        .where(gt(notes.stars, 0))
        .orderBy(asc(notes.body)),
      joined: db
        .select({ noteId: notes.id, kindSeq: kinds.seq, flag: kinds.flag })
        .from(notes)
        .innerJoin(kinds, isNotNull(kinds.flag))
        .orderBy(asc(notes.id), asc(kinds.seq)),
    });
    const alone = Object.fromEntries(
      await Promise.all(Object.entries(selects()).map(async ([key, select]) => [key, await select])),
    );
    const before = database.stats.queries;
    const together = await selectTogether(db, selects());
    expect(database.stats.queries - before).toBe(1);
    expect(together).toEqual(alone);
    // What the comparison rests on: the values came back typed, not as text.
    const [first] = together.all;
    expect(first!.at).toEqual(rows[0]!.at);
    expect(first!.doc).toEqual(rows[0]!.doc);
    expect(first!.items).toEqual(rows[0]!.items);
    expect(first!.event).toEqual(rows[0]!.event);
    expect(first!.big).toBe(rows[0]!.big);
    expect(together.newest.map((r) => r.body)).toEqual(['a', 'c']);
    expect(together.none).toEqual([]);
  });

  it('runs inside a transaction and sees its writes', async () => {
    await database.db
      .transaction(async (tx) => {
        await tx.insert(notes).values({ body: 'in the transaction', stars: 9 });
        const { top } = await selectTogether(tx, {
          top: tx.select({ body: notes.body }).from(notes).orderBy(desc(notes.stars)).limit(1),
        });
        expect(top).toEqual([{ body: 'in the transaction' }]);
        tx.rollback();
      })
      .catch((err: unknown) => {
        if (!(err instanceof Error && err.message.includes('Rollback'))) throw err;
      });
  });
}

describe('selectTogether on PGlite', () => {
  suite(() => openDatabase({ name: 'select-together', schema, migrationsFolder }));
});

describe.skipIf(!testEnv.databaseUrl)('selectTogether on PostgreSQL (TEST_DATABASE_URL)', () => {
  const databaseSchema = `db_together_${randomUUID().slice(0, 8)}`;
  afterAll(async () => {
    const client = new pg.Client({ connectionString: testEnv.databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${databaseSchema}" CASCADE`).finally(() => client.end());
  });
  suite(() =>
    openDatabase({
      name: 'select-together',
      schema,
      migrationsFolder,
      databaseUrl: testEnv.databaseUrl,
      databaseSchema,
    }),
  );
});
