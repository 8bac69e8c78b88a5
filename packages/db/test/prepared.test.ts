/**
 * Statements prepared once per connection (PreparingClient): a parameterized text the process sees
 * again is parsed once on each connection and then only bound and executed — the server's
 * pg_prepared_statements shows it, with how often it ran — while texts seen once and texts without
 * parameters stay unnamed, a connection prepares no more than its bound, and neither a failed
 * statement nor a changed table breaks the ones prepared. On a server this test owns (the embedded
 * one), a pool of one connection, so that every statement meets the same session.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionServiceDatabase, startPostgresServer, type PostgresServer } from '@onecheck/pgserver';
import { openDatabase, reusable, type Database } from '../src/index';
import { PREPARED_MAX } from '../src/prepared';
import * as schema from './fixtures/schema';

const migrationsFolder = fileURLToPath(new URL('./fixtures/drizzle', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'onecheck-db-prepared-'));
chmodSync(dataDir, 0o755); // as root the server runs as user postgres, which must enter this folder
let server: PostgresServer;
let database: Database<typeof schema>;

beforeAll(async () => {
  server = await startPostgresServer({ dataDir });
  const url = await provisionServiceDatabase(server.adminUrl, 'notes');
  database = await openDatabase({ name: 'notes', schema, migrationsFolder, databaseUrl: url, poolSize: 1 });
  await database.db.insert(schema.notes).values([{ body: '一业一查' }, { body: '双随机' }]);
}, 60_000);
afterAll(async () => {
  await database?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Prepared {
  statement: string;
  runs: number;
}

/** The statements prepared on the pool's one connection, and how often each has run since. */
async function prepared(): Promise<Prepared[]> {
  const result = await database.db.execute(
    sql`select statement, (generic_plans + custom_plans)::int as runs from pg_prepared_statements order by prepare_time`,
  );
  return (result as unknown as { rows: Prepared[] }).rows;
}

const bodyOf = (id: number) =>
  database.db.select({ body: schema.notes.body }).from(schema.notes).where(eq(schema.notes.id, id));

describe('statements prepared once per connection', () => {
  it('prepares a parameterized text the second time it is sent and runs it from then on without parsing it', async () => {
    expect(await bodyOf(1)).toEqual([{ body: '一业一查' }]);
    // Seen once: still unnamed.
    expect((await prepared()).filter((p) => p.statement.includes('"notes"."id" = $1'))).toEqual([]);
    expect(await bodyOf(2)).toEqual([{ body: '双随机' }]);
    expect(await bodyOf(1)).toEqual([{ body: '一业一查' }]);
    expect(await bodyOf(3)).toEqual([]);
    const mine = (await prepared()).filter((p) => p.statement.includes('"notes"."id" = $1'));
    // Parsed once (the second time), then executed three times.
    expect(mine).toHaveLength(1);
    expect(mine[0]!.runs).toBe(3);
  });

  it('leaves texts seen once and texts without parameters unnamed', async () => {
    const before = (await prepared()).length;
    for (let n = 1; n <= 3; n++) {
      // A list's length in the text: each text is new.
      const ids = Array.from({ length: n }, (_, i) => i + 1);
      await database.db.execute(sql`select count(*) from notes where id in (${sql.join(ids, sql`, `)}) /* once */`);
    }
    for (let i = 0; i < 3; i++) await database.db.execute(sql`select count(*) from notes /* no parameters */`);
    expect((await prepared()).length).toBe(before);
  });

  it('keeps a prepared statement whose run failed, and forgets one whose parse the server refused', async () => {
    const insert = (id: number) => database.db.insert(schema.notes).values({ id, body: `note ${id}` });
    await insert(100);
    await insert(101); // the second sighting: prepared now
    // A run that fails (the key is taken) inside a transaction: it rolls back, the statement stays.
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(schema.notes).values({ id: 102, body: 'note 102' });
        await tx.insert(schema.notes).values({ id: 100, body: 'again' });
      }),
    ).rejects.toThrow();
    expect(await bodyOf(102)).toEqual([]);
    await insert(103);
    expect(await bodyOf(103)).toEqual([{ body: 'note 103' }]);

    // A text's second sighting inside a transaction the server has already aborted: its parse is
    // refused, and the next sighting, outside, prepares it.
    const probe = (tx: Pick<typeof database.db, 'execute'>, id: number) =>
      tx.execute(sql`select body from notes where id = ${id} /* parse refused */`);
    // Refused the same way and never sent again: it must not take a place under the bound (the last test).
    const never = (tx: Pick<typeof database.db, 'execute'>) => tx.execute(sql`select ${1}::int as once /* refused */`);
    await probe(database.db, 1);
    await never(database.db);
    const refused = await database.db
      .transaction(async (tx) => {
        await tx.execute(sql`select 1 / 0`).catch(() => undefined);
        await never(tx).catch(() => undefined);
        await probe(tx, 1);
      })
      .catch((err: Error) => err);
    expect(String((refused as Error & { cause?: Error }).cause?.message)).toMatch(/aborted/);
    const rows = await probe(database.db, 2);
    expect((rows as unknown as { rows: unknown[] }).rows).toEqual([{ body: '双随机' }]);
    expect((await prepared()).filter((p) => p.statement.includes('parse refused'))).toMatchObject([{ runs: 1 }]);
  });

  it('runs a prepared statement on after its table changed', async () => {
    expect(await bodyOf(1)).toEqual([{ body: '一业一查' }]);
    await database.db.execute(sql`alter table notes add column remark text`);
    expect(await bodyOf(1)).toEqual([{ body: '一业一查' }]);
    await database.db.execute(sql`alter table notes drop column remark`);
    expect(await bodyOf(2)).toEqual([{ body: '双随机' }]);
  });

  it('builds a reusable statement once per handle, and the connection still decides whether it is prepared', async () => {
    let builds = 0;
    const byId = reusable((db: Database<typeof schema>['db']) => {
      builds++;
      return db
        .select({ id: schema.notes.id, body: schema.notes.body })
        .from(schema.notes)
        .where(eq(schema.notes.id, sql.placeholder('id')));
    });
    const ranOn = async (db: Database<typeof schema>['db']) => {
      expect(await byId(db).execute({ id: 1 })).toEqual([{ id: 1, body: '一业一查' }]);
      expect(await byId(db).execute({ id: 2 })).toEqual([{ id: 2, body: '双随机' }]);
      expect(await byId(db).execute({ id: 2 })).toEqual([{ id: 2, body: '双随机' }]);
      const result = await db.execute(
        sql`select (generic_plans + custom_plans)::int as runs from pg_prepared_statements where statement like 'select "id", "body" from "notes"%'`,
      );
      return (result as unknown as { rows: { runs: number }[] }).rows;
    };
    // This pool's connection prepares a text the second time it sees it (then runs it twice), built once or not.
    expect(await ranOn(database.db)).toEqual([{ runs: 2 }]);
    expect(builds).toBe(1);
    // One told not to (behind a transaction pooler) sends it unnamed every time.
    const unprepared = await openDatabase({
      name: 'notes',
      schema,
      migrationsFolder,
      databaseUrl: await provisionServiceDatabase(server.adminUrl, 'notes'),
      poolSize: 1,
      preparedStatements: false,
    });
    try {
      expect(await ranOn(unprepared.db)).toEqual([]);
      expect(builds).toBe(2);
    } finally {
      await unprepared.close();
    }
  });

  it('prepares no more than its bound on one connection and answers every text past it', async () => {
    const texts = PREPARED_MAX + 20;
    for (let round = 0; round < 2; round++)
      for (let i = 0; i < texts; i++) {
        const result = await database.db.execute(sql`select ${round}::int + ${sql.raw(String(i))} as v /* bound */`);
        expect((result as unknown as { rows: { v: number }[] }).rows).toEqual([{ v: round + i }]);
      }
    expect((await prepared()).length).toBe(PREPARED_MAX);
  });
});
