/**
 * node-postgres through a PostgreSQL restart: the process lives, the queries that meet the outage
 * fail, and the pool is whole again afterwards (no connection leaked, close() returns). The
 * server is one this test owns (the embedded one, in a temp folder).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionServiceDatabase, startPostgresServer, type PostgresServer } from '@onecheck/pgserver';
import { isDatabaseUnavailable, openDatabase, type Database } from '../src/index';
import * as schema from './fixtures/schema';

const migrationsFolder = fileURLToPath(new URL('./fixtures/drizzle', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'onecheck-db-restart-'));
chmodSync(dataDir, 0o755); // as root the server runs as user postgres, which must enter this folder
const POOL = 3;
let server: PostgresServer;
let database: Database<typeof schema>;
const lost: unknown[] = [];

beforeAll(async () => {
  server = await startPostgresServer({ dataDir });
  const url = await provisionServiceDatabase(server.adminUrl, 'notes');
  database = await openDatabase({
    name: 'notes',
    schema,
    migrationsFolder,
    databaseUrl: url,
    poolSize: POOL,
    connectTimeoutMs: 1000,
    logger: { warn: (obj) => lost.push(obj) },
  });
});
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** One write in a transaction, as services do; resolves to whether it committed. */
const write = (body: string) =>
  database.db
    .transaction(async (tx) => {
      await tx.insert(schema.notes).values({ body });
    })
    .then(
      () => true,
      (err: unknown) => {
        // An outage, never something else (a leaked pool would show as connection timeouts: also "unavailable",
        // so the check after the restarts is what proves the pool whole).
        expect(isDatabaseUnavailable(err)).toBe(true);
        return false;
      },
    );

describe('node-postgres through a server restart', () => {
  it('fails the queries that meet the outage, keeps the process, and serves again with the whole pool', async () => {
    let running = true;
    let committed = 0;
    let failed = 0;
    const writers = Array.from({ length: POOL * 2 }, async (_, w) => {
      for (let i = 0; running; i++) {
        if (await write(`w${w}-${i}`)) committed++;
        else {
          failed++;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    });
    const until = async (n: number) => {
      const target = committed + n;
      while (committed < target) await new Promise((r) => setTimeout(r, 10));
    };

    await until(20);
    for (const crash of [false, true]) {
      // Transactions in flight and idle connections both meet the end of the server.
      if (crash) {
        process.kill(server.pid, 'SIGKILL');
        await server.exited;
      } else await server.stop();
      await new Promise((r) => setTimeout(r, 300));
      server = await startPostgresServer({ dataDir, port: server.port });
      await until(20);
    }
    running = false;
    await Promise.all(writers);
    expect(failed).toBeGreaterThan(0);
    expect(lost.length).toBeGreaterThan(0); // reported, not thrown

    // Every connection back in service: more concurrent transactions than the pool holds all commit.
    const results = await Promise.all(Array.from({ length: POOL * 5 }, (_, i) => write(`after-${i}`)));
    expect(results.every(Boolean)).toBe(true);
    const [row] = await database.db.select({ n: count() }).from(schema.notes);
    // Every acknowledged commit is there (a failed one may have committed too: its answer was lost).
    expect(row!.n).toBeGreaterThanOrEqual(committed + POOL * 5);
    // No client left checked out: end() waits for every one.
    await database.close();
  });

  it('gets back a connection whose `begin` met the end of its server session (drizzle would leak it)', async () => {
    const url = await provisionServiceDatabase(server.adminUrl, 'notes');
    const single = await openDatabase({
      name: 'notes',
      schema,
      migrationsFolder,
      databaseUrl: url,
      poolSize: 1,
      connectTimeoutMs: 1000,
    });
    await single.ping(); // the pool's one connection, now idle
    // Ended by the server while this process is blocked (a synchronous child), so the pool cannot
    // notice before the next transaction takes the connection and sends `begin` on it.
    const terminate = `import pg from 'pg'; const c = new pg.Client(${JSON.stringify(server.adminUrl)}); await c.connect();
      await c.query("select pg_terminate_backend(pid) from pg_stat_activity where usename = 'onecheck_notes'"); await c.end();`;
    execFileSync(process.execPath, ['--input-type=module', '-e', terminate], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    await expect(
      single.db.transaction(async (tx) => void (await tx.select().from(schema.notes).limit(1))),
    ).rejects.toSatisfy(isDatabaseUnavailable);
    // The one connection came back to the pool (destroyed and replaced): the next transaction gets one.
    await single.db.transaction(
      async (tx) => void (await tx.insert(schema.notes).values({ body: 'after begin failed' })),
    );
    await single.close();
  });

  it('tells an outage from a wrong statement', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(true);
    expect(
      isDatabaseUnavailable(new Error('Failed query', { cause: new Error('Connection terminated unexpectedly') })),
    ).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('handler bug'))).toBe(false);
  });
});
