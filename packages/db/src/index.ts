import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Logger as DrizzleLogger } from 'drizzle-orm';

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
}

export interface Database<S extends Record<string, unknown>> {
  db: Db<S>;
  kind: 'pglite' | 'postgres';
  /** SQL statements run through drizzle since start: lets tests prove batching. */
  readonly stats: { queries: number };
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the service's own database and applies its checked-in drizzle-kit migrations. */
export async function openDatabase<S extends Record<string, unknown>>(opts: DatabaseOptions<S>): Promise<Database<S>> {
  const stats = { queries: 0 };
  const logger: DrizzleLogger = { logQuery: () => void stats.queries++ };

  if (opts.databaseUrl) {
    const { default: pg } = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    const schemaName = opts.databaseSchema;
    if (schemaName) {
      const admin = new pg.Client({ connectionString: opts.databaseUrl });
      await admin.connect();
      await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schemaName}"`);
      await admin.end();
    }
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 10,
      // The service's tables live in its own schema; unqualified names resolve there.
      ...(schemaName ? { options: `-c search_path="${schemaName}"` } : {}),
    });
    const db = drizzle({ client: pool, schema: opts.schema, logger }) as unknown as Db<S>;
    await migrate(db as never, { migrationsFolder: opts.migrationsFolder, migrationsSchema: schemaName ?? 'drizzle' });
    return {
      db,
      kind: 'postgres',
      stats,
      ping: async () => void (await pool.query('select 1')),
      close: () => pool.end(),
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
    client = new PGlite();
  }
  await client.waitReady;
  const db = drizzle({ client, schema: opts.schema, logger }) as unknown as Db<S>;
  await migrate(db as never, { migrationsFolder: opts.migrationsFolder });
  return {
    db,
    kind: 'pglite',
    stats,
    ping: async () => void (await client.query('select 1')),
    close: () => client.close(),
  };
}
