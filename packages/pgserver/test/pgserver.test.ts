import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { provisionServiceDatabase, startPostgresServer, type PostgresServer } from '../src/index';

// As root the server runs as user "postgres", which must be able to enter the temp folder.
const dataDir = mkdtempSync(join(tmpdir(), 'onecheck-pgserver-'));
chmodSync(dataDir, 0o755);
let server: PostgresServer | undefined;

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

describe('embedded PostgreSQL server', () => {
  let marketUrl = '';
  let healthUrl = '';

  it('initialises data/postgres on first start and answers on 127.0.0.1', async () => {
    server = await startPostgresServer({ dataDir, port: 0 });
    expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(statSync(join(dataDir, 'keys', 'postgres.key')).mode & 0o077).toBe(0);
    expect(new URL(server.adminUrl).hostname).toBe('127.0.0.1');
    const [row] = (await query(server.adminUrl, 'show server_version')) as { server_version: string }[];
    expect(row!.server_version).toMatch(/^18\./);
  });

  it('provisions one database and one role per service, idempotently', async () => {
    marketUrl = await provisionServiceDatabase(server!.adminUrl, 'market');
    healthUrl = await provisionServiceDatabase(server!.adminUrl, 'department_health');
    expect(await provisionServiceDatabase(server!.adminUrl, 'market')).toBe(marketUrl);
    expect(new URL(marketUrl).pathname).toBe('/onecheck_market');
    expect(new URL(healthUrl).username).toBe('onecheck_department_health');

    await query(marketUrl, 'create table notes (id int primary key, body text)');
    await query(marketUrl, `insert into notes values (1, '一业一查')`);
    expect(await query(marketUrl, 'select body from notes')).toEqual([{ body: '一业一查' }]);
    await query(healthUrl, 'create table notes (id int primary key)');

    const [owner] = (await query(
      server!.adminUrl,
      `select pg_get_userbyid(datdba) as owner from pg_database where datname = 'onecheck_market'`,
    )) as { owner: string }[];
    expect(owner!.owner).toBe('onecheck_market');
  });

  it("refuses a service's role on another service's database and on the server's own", async () => {
    await expect(query(withDatabase(marketUrl, 'onecheck_department_health'), 'select 1')).rejects.toMatchObject({
      code: '42501', // permission denied for database
    });
    await expect(query(withDatabase(healthUrl, 'onecheck_market'), 'select 1')).rejects.toMatchObject({
      code: '42501',
    });
    await expect(query(withDatabase(healthUrl, 'postgres'), 'select 1')).rejects.toMatchObject({ code: '42501' });
    const wrong = new URL(marketUrl);
    wrong.password = 'not-the-password';
    await expect(query(wrong.toString(), 'select 1')).rejects.toMatchObject({ code: '28P01' });
  });

  it('stops and starts again on the same data', async () => {
    const port = server!.port;
    await server!.stop();
    await server!.stop(); // idempotent
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    server = await startPostgresServer({ dataDir, port });
    expect(await query(marketUrl, 'select body from notes')).toEqual([{ body: '一业一查' }]);
  });

  it('starts after an unclean stop (a stale postmaster.pid is left behind)', async () => {
    const port = server!.port;
    process.kill(server!.pid, 'SIGKILL');
    await server!.exited;
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(true);
    server = await startPostgresServer({ dataDir, port });
    expect(await query(marketUrl, 'select count(*)::int as n from notes')).toEqual([{ n: 1 }]);
  });
});
