/**
 * A service behind PgBouncer in transaction mode (DatabaseOptions.preparedStatements): there, each
 * transaction of a client may run on another server connection, and PgBouncer before 1.21 carries
 * no prepared statement across them. With the statements prepared (the default), the same load
 * fails (a name parsed on one server connection is missing on the next, or parsed twice on one);
 * with `preparedStatements: false` (DATABASE_PREPARED_STATEMENTS=0) every statement goes unnamed
 * and all of it works. A real PgBouncer (Debian's package; CI installs it) in front of an embedded
 * server this test owns; skipped where no pgbouncer is installed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, provisionServiceDatabase, startPostgresServer, type PostgresServer } from '@onecheck/pgserver';
import { openDatabase, type Database } from '../src/index';
import * as schema from './fixtures/schema';

const PGBOUNCER = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => existsSync(p));
const migrationsFolder = fileURLToPath(new URL('./fixtures/drizzle', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'onecheck-db-pgbouncer-'));
chmodSync(dataDir, 0o755); // as root both servers run as user postgres, which must enter this folder
let server: PostgresServer | undefined;
let bouncer: ChildProcess | undefined;
let bouncerUrl: string;
const opened: Database<typeof schema>[] = [];

/** Resolves once something listens on the port (PgBouncer has read its configuration). */
async function listening(port: number, timeoutMs = 15_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      }).on('error', () => resolve(false));
    });
    if (up) return;
    if (performance.now() > until) throw new Error(`pgbouncer did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  if (!PGBOUNCER) return;
  server = await startPostgresServer({ dataDir: join(dataDir, 'server') });
  const target = new URL(await provisionServiceDatabase(server.adminUrl, 'notes'));
  const port = await freePort();
  const ini = join(dataDir, 'pgbouncer.ini');
  // Transaction mode with fewer server connections than the service opens: its transactions move
  // between server connections, as behind any busy pooler. auth_type any: every client logs in as
  // the database entry's own user (the service's role).
  writeFileSync(
    ini,
    [
      '[databases]',
      `notes = host=127.0.0.1 port=${target.port} dbname=${target.pathname.slice(1)} ` +
        `user=${decodeURIComponent(target.username)} password=${decodeURIComponent(target.password)}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = any',
      'pool_mode = transaction',
      'default_pool_size = 2',
      'max_client_conn = 50',
    ].join('\n'),
  );
  chmodSync(ini, 0o644);
  // PgBouncer refuses to run as root; -u drops to the user the embedded server runs as.
  const asUser = process.getuid?.() === 0 ? ['-u', 'postgres'] : [];
  bouncer = spawn(PGBOUNCER, [...asUser, ini], { stdio: 'ignore' });
  // Stopped in afterAll, or else when this process exits however it does (short of SIGKILL).
  process.once('exit', () => bouncer?.kill('SIGTERM'));
  await listening(port);
  bouncerUrl = `postgres://notes@127.0.0.1:${port}/notes`;
}, 60_000);

afterAll(async () => {
  for (const database of opened) await database.close().catch(() => undefined);
  bouncer?.kill('SIGTERM');
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The service's usual load through PgBouncer: the same few statements, four connections at once. */
async function load(preparedStatements: boolean | undefined): Promise<PromiseSettledResult<unknown>[]> {
  const database = await openDatabase({
    name: 'notes',
    schema,
    migrationsFolder,
    databaseUrl: bouncerUrl,
    poolSize: 4,
    ...(preparedStatements === undefined ? {} : { preparedStatements }),
  });
  opened.push(database);
  const { db } = database;
  const [first] = await db.insert(schema.notes).values({ body: '一业一查' }).returning();
  const round = (i: number) =>
    i % 2
      ? db.select().from(schema.notes).where(eq(schema.notes.id, first!.id))
      : db.transaction(async (tx) => {
          await tx.insert(schema.notes).values({ body: `双随机 ${i}` });
          return tx.select().from(schema.notes).where(eq(schema.notes.id, first!.id));
        });
  const settled: PromiseSettledResult<unknown>[] = [];
  await Promise.all(
    Array.from({ length: 4 }, async (_, worker) => {
      // One at a time per connection, each outcome kept: a failure must not stop the load.
      for (let i = 0; i < 30; i++) settled.push((await Promise.allSettled([round(worker + i)]))[0]!);
    }),
  );
  return settled;
}

describe.skipIf(!PGBOUNCER)('behind PgBouncer in transaction mode', () => {
  it('prepared statements off: every statement of the load succeeds and answers as it should', async () => {
    const settled = await load(false);
    const failed = settled.filter((s) => s.status === 'rejected');
    expect(failed).toEqual([]);
    for (const s of settled) expect((s as PromiseFulfilledResult<{ body: string }[]>).value[0]?.body).toBe('一业一查');
  });

  it('prepared statements on (the default): the same load fails, which is what the setting is for', async () => {
    const settled = await load(undefined);
    // drizzle wraps the server's error: its cause says what PostgreSQL said.
    const reasons = settled.flatMap((s) =>
      s.status === 'rejected' ? [String(((s.reason as Error).cause as Error | undefined)?.message)] : [],
    );
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.some((r) => /prepared statement "oc_\w+" (does not exist|already exists)/.test(r))).toBe(true);
  });
});
