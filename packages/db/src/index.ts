import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Logger as DrizzleLogger } from 'drizzle-orm';

export { isDatabaseUnavailable } from './unavailable';
export { isDeadlock, retryOnDeadlock } from './deadlock';
export { anyOf, arrayLiteral, arrayOf } from './any-of';
export { reusable } from './reusable';
export { selectTogether } from './select-together';
export { insertRows, type InsertRowsOptions } from './insert-rows';

/** One drizzle database type for both drivers, so service code never knows which it runs on. */

export type Db<S extends Record<string, unknown> = Record<string, any>> = PgDatabase<PgQueryResultHKT, S>;
export type Tx<S extends Record<string, unknown>> = Parameters<Parameters<Db<S>['transaction']>[0]>[0];

export interface DatabaseOptions<S extends Record<string, unknown>> {
  /** Service name: names the PGlite folder under dataDir. */
  name: string;
  schema: S;
  migrationsFolder: string;
  /** node-postgres when set, else embedded PGlite. */
  databaseUrl?: string;
  /** Postgres schema on a shared server; created if missing. */
  databaseSchema?: string;
  /** PGlite data folder root; omitted = in memory (tests). */
  dataDir?: string;
  /** Most connections this service holds on a server (node-postgres). Default 10. */
  poolSize?: number;
  /** How long a request waits for a connection before it fails (ms). Default 5000. */
  connectTimeoutMs?: number;
  /**
   * Whether each connection prepares the statements the service sends again and again
   * (PreparingClient, node-postgres only). Default true. False where a connection pooler hands a
   * client's statements to different server connections and does not carry prepared statements
   * across them: PgBouncer in transaction mode before 1.21, or with `max_prepared_statements = 0`.
   */
  preparedStatements?: boolean;
  /** Where a lost connection is reported (pino fits); the queries on it fail on their own. */
  logger?: DatabaseLogger;
}

/** The part of a logger the database reports to (pino's `warn(obj, msg)`). */
export interface DatabaseLogger {
  warn(obj: object, msg: string): void;
}

export interface Database<S extends Record<string, unknown>> {
  db: Db<S>;
  /**
   * The same database through connections of its own (two, on a server): for the outbox relay,
   * so that events keep flowing while requests hold every connection of `db`'s pool. (In the
   * events benchmark, a relay round took 120–150 ms while grants held the pool, most of it
   * waiting for a connection; 45 ms with its own.) On PGlite, which has one connection, it is `db`.
   */
  relayDb: Db<S>;
  kind: 'pglite' | 'postgres';
  /** SQL statements run through drizzle since start: lets tests prove batching. */
  readonly stats: { queries: number };
  ping(): Promise<void>;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);
type PGliteClass = typeof import('@electric-sql/pglite').PGlite;
let blank: Promise<Blob> | undefined;

/**
 * A new, empty PGlite cluster as its data folder's tarball. A PGlite database in memory runs initdb
 * inside WebAssembly (about 1.3 s here); loading this copy takes a quarter of that, and a test system
 * opens nine databases. Made once per process, and kept beside PGlite's own package (per version, in
 * node_modules/.cache) for the next process: each test file runs in one.
 */
function blankCluster(PGlite: PGliteClass): Promise<Blob> {
  blank ??= (async () => {
    const pkg = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
    const { version } = JSON.parse(readFileSync(pkg, 'utf8')) as { version: string };
    const file = join(dirname(pkg), '..', '..', '.cache', 'onecheck', `pglite-${version}-blank.tar`);
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    const client = new PGlite();
    try {
      await client.waitReady; // a dump asked for before the cluster is ready never answers
      const dump = await client.dumpDataDir('none');
      try {
        // Written whole under another name first: a process reading it never sees half a file.
        const part = `${file}.${process.pid}`;
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(part, Buffer.from(await dump.arrayBuffer()));
        renameSync(part, file);
      } catch {
        // A read-only node_modules: every process makes its own copy, as the first one did.
      }
      return dump;
    } finally {
      await client.close();
    }
  })();
  blank.catch(() => (blank = undefined)); // a failed first try is not cached
  return blank;
}

/** Opens the service's own database and applies its checked-in drizzle-kit migrations. */
export async function openDatabase<S extends Record<string, unknown>>(opts: DatabaseOptions<S>): Promise<Database<S>> {
  const stats = { queries: 0 };
  const logger: DrizzleLogger = { logQuery: () => void stats.queries++ };

  if (opts.databaseUrl) {
    const { default: pg } = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    const { ResilientPool } = await import('./pool');
    const { PreparingClient } = await import('./prepared');
    const schemaName = opts.databaseSchema;
    const onLost = (err: Error) => opts.logger?.warn({ err }, 'database connection lost');
    if (schemaName) {
      const admin = new pg.Client({ connectionString: opts.databaseUrl });
      admin.on('error', onLost);
      await admin.connect();
      try {
        await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schemaName}"`);
      } finally {
        await admin.end();
      }
    }
    const newPool = (max: number) => {
      const pool = new ResilientPool({
        connectionString: opts.databaseUrl,
        // Each connection prepares the statements the service sends again and again (unless told not to).
        Client: opts.preparedStatements === false ? pg.Client : PreparingClient,
        // Bounded: a server restart or a slow query never makes a service open connections without end.
        max,
        // While the server is down a request fails after this instead of waiting for ever.
        connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
        idleTimeoutMillis: 30_000,
        // TCP keep-alive: a connection whose server vanished (host down, no FIN) is noticed and dropped.
        keepAlive: true,
        keepAliveInitialDelayMillis: 10_000,
        // The service's tables live in its own schema; unqualified names resolve there.
        ...(schemaName ? { options: `-c search_path="${schemaName}"` } : {}),
      });
      // A PostgreSQL restart ends every connection. node-postgres reports it as an 'error' event on
      // the pool (idle connections) and on each checked-out client; with no listener, Node turns
      // that into an uncaught exception and the whole process dies. Listen on both: the queries
      // running on those connections fail (and so their request or transaction), the pool drops the
      // broken connections and opens new ones once the server is back.
      pool.on('error', onLost);
      pool.on('connect', (client) => client.on('error', onLost));
      return pool;
    };
    const pool = newPool(opts.poolSize ?? 10);
    // The relay's: one look or batch at a time, and its housekeeping.
    const relayPool = newPool(2);
    const db = drizzle({ client: pool, schema: opts.schema, logger }) as unknown as Db<S>;
    try {
      await migrate(db as never, {
        migrationsFolder: opts.migrationsFolder,
        migrationsSchema: schemaName ?? 'drizzle',
      });
    } catch (err) {
      // A failed start leaves no connections behind.
      await Promise.all([pool.end(), relayPool.end()]).catch(() => {});
      throw err;
    }
    return {
      db,
      relayDb: drizzle({ client: relayPool, schema: opts.schema, logger }) as unknown as Db<S>,
      kind: 'postgres',
      stats,
      ping: async () => void (await pool.query('select 1')),
      close: async () => void (await Promise.all([pool.end(), relayPool.end()])),
    };
  }

  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  let client: InstanceType<typeof PGlite>;
  if (opts.dataDir) {
    const dir = join(opts.dataDir, 'pglite', opts.name);
    mkdirSync(dir, { recursive: true });
    client = new PGlite(dir);
  } else {
    client = new PGlite({ loadDataDir: await blankCluster(PGlite) });
  }
  await client.waitReady;
  const db = drizzle({ client, schema: opts.schema, logger }) as unknown as Db<S>;
  await migrate(db as never, { migrationsFolder: opts.migrationsFolder });
  return {
    db,
    relayDb: db,
    kind: 'pglite',
    stats,
    ping: async () => void (await client.query('select 1')),
    close: () => client.close(),
  };
}
