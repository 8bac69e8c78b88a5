/**
 * openDatabase on both drivers: the checked-in migrations applied (in order, once), ping, the
 * statement count tests use to prove batching, close; on PostgreSQL in the service's own schema.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/index';
import { testEnv } from './env';
import * as schema from './fixtures/schema';

const migrationsFolder = fileURLToPath(new URL('./fixtures/drizzle', import.meta.url));
type Notes = Database<typeof schema>;

/** What every driver must do once open: both migrations applied, drizzle usable, statements counted. */
async function checkOpenDatabase(database: Notes) {
  const { db, stats } = database;
  await expect(database.ping()).resolves.toBeUndefined();

  const before = stats.queries;
  // `stars` (with its default) comes from the second migration: both ran, in order.
  const [note] = await db.insert(schema.notes).values({ body: '一业一查' }).returning();
  expect(note).toMatchObject({ body: '一业一查', stars: 0 });
  expect(await db.select().from(schema.notes)).toEqual([note]);
  await db.execute(sql`select 1`);
  expect(stats.queries - before).toBe(3);
}

/** The migrations drizzle recorded as applied, from its bookkeeping table in `migrationsSchema`. */
async function appliedMigrations(database: Notes, migrationsSchema: string) {
  const result = await database.db.execute(
    sql`select count(*)::int as n from ${sql.identifier(migrationsSchema)}.__drizzle_migrations`,
  );
  return (result as unknown as { rows: { n: number }[] }).rows[0]!.n;
}

describe('openDatabase on PGlite', () => {
  it('in memory: applies the migrations, answers ping, counts statements, closes', async () => {
    const database = await openDatabase({ name: 'notes', schema, migrationsFolder });
    expect(database.kind).toBe('pglite');
    await checkOpenDatabase(database);
    expect(await appliedMigrations(database, 'drizzle')).toBe(2);
    await database.close();
    await expect(database.ping()).rejects.toThrow();
  });

  it('in memory: databases opened together (from one copied empty cluster) start empty and stay apart', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => openDatabase({ name: 'notes', schema, migrationsFolder })));
    try {
      await a!.db.insert(schema.notes).values({ body: 'only in a' });
      expect(await a!.db.select({ body: schema.notes.body }).from(schema.notes)).toEqual([{ body: 'only in a' }]);
      expect(await b!.db.select().from(schema.notes)).toEqual([]);
      expect(await appliedMigrations(b!, 'drizzle')).toBe(2);
      const c = await openDatabase({ name: 'notes', schema, migrationsFolder });
      expect(await c.db.select().from(schema.notes)).toEqual([]);
      await c.close();
    } finally {
      await Promise.all([a!.close(), b!.close()]);
    }
  });

  it('in a data folder: keeps the rows under pglite/<name> and applies migrations only once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'onecheck-db-'));
    try {
      const first = await openDatabase({ name: 'notes', schema, migrationsFolder, dataDir });
      await first.db.insert(schema.notes).values({ body: 'kept', stars: 3 });
      await first.close();
      expect(existsSync(join(dataDir, 'pglite', 'notes'))).toBe(true);

      const again = await openDatabase({ name: 'notes', schema, migrationsFolder, dataDir });
      expect(await again.db.select().from(schema.notes)).toEqual([{ id: 1, body: 'kept', stars: 3 }]);
      expect(await appliedMigrations(again, 'drizzle')).toBe(2);
      await again.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!testEnv.databaseUrl)('openDatabase on PostgreSQL (TEST_DATABASE_URL)', () => {
  const databaseUrl = testEnv.databaseUrl!;
  const schemas: string[] = [];
  /** A schema of this test's own, dropped afterwards: the server is shared (CI runs many suites on it). */
  const newSchema = () => {
    const name = `db_test_${randomUUID().slice(0, 8)}`;
    schemas.push(name);
    return name;
  };

  afterAll(async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      for (const name of schemas) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    } finally {
      await client.end();
    }
  });

  it('creates its schema, migrates inside it, answers ping, counts statements, closes', async () => {
    const databaseSchema = newSchema();
    const database = await openDatabase({ name: 'notes', schema, migrationsFolder, databaseUrl, databaseSchema });
    expect(database.kind).toBe('postgres');
    await checkOpenDatabase(database);
    // The tables and drizzle's bookkeeping are in the service's schema, not in public or drizzle.
    const tables = await database.db.execute(
      sql`select table_name from information_schema.tables where table_schema = ${databaseSchema} order by 1`,
    );
    expect((tables as unknown as { rows: { table_name: string }[] }).rows.map((r) => r.table_name)).toEqual([
      '__drizzle_migrations',
      'notes',
    ]);
    expect(await appliedMigrations(database, databaseSchema)).toBe(2);
    await database.close();
    await expect(database.ping()).rejects.toThrow();
  });

  it('opens an existing schema again without re-applying migrations or losing rows', async () => {
    const databaseSchema = newSchema();
    const first = await openDatabase({ name: 'notes', schema, migrationsFolder, databaseUrl, databaseSchema });
    await first.db.insert(schema.notes).values({ body: 'kept', stars: 5 });
    await first.close();
    const again = await openDatabase({ name: 'notes', schema, migrationsFolder, databaseUrl, databaseSchema });
    expect(await again.db.select().from(schema.notes)).toEqual([{ id: 1, body: 'kept', stars: 5 }]);
    expect(await appliedMigrations(again, databaseSchema)).toBe(2);
    await again.close();
  });

  it('keeps two services on one server apart, one schema each', async () => {
    const [a, b] = await Promise.all(
      [newSchema(), newSchema()].map((databaseSchema) =>
        openDatabase({ name: 'notes', schema, migrationsFolder, databaseUrl, databaseSchema }),
      ),
    );
    await a!.db.insert(schema.notes).values({ body: 'a only' });
    expect(await b!.db.select().from(schema.notes)).toEqual([]);
    await Promise.all([a!.close(), b!.close()]);
  });

  it("gives the relay connections of its own: it works while requests hold every one of the pool's", async () => {
    const database = await openDatabase({
      name: 'notes',
      schema,
      migrationsFolder,
      databaseUrl,
      databaseSchema: newSchema(),
      poolSize: 1,
      connectTimeoutMs: 1000,
    });
    try {
      let finish!: () => void;
      const held = new Promise<void>((resolve) => (finish = resolve));
      let inside!: () => void;
      const entered = new Promise<void>((resolve) => (inside = resolve));
      // A request's transaction holds the pool's only connection.
      const request = database.db.transaction(async (tx) => {
        await tx.insert(schema.notes).values({ body: 'a request' });
        inside();
        await held;
      });
      try {
        await entered;
        // drizzle's error, caused by the pool's connect timeout.
        await expect(database.db.execute(sql`select 1`)).rejects.toMatchObject({
          cause: { message: expect.stringMatching(/timeout/i) },
        });
        // The relay's connections reach the same tables meanwhile, in the service's schema.
        await database.relayDb.insert(schema.notes).values({ body: 'from the relay' });
        expect(await database.relayDb.select({ body: schema.notes.body }).from(schema.notes)).toEqual([
          { body: 'from the relay' },
        ]);
      } finally {
        finish();
        await request;
      }
      expect(await database.db.select({ body: schema.notes.body }).from(schema.notes).orderBy(schema.notes.id)).toEqual(
        [{ body: 'a request' }, { body: 'from the relay' }],
      );
    } finally {
      await database.close();
    }
  });
});
