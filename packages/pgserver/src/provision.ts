import { createHmac } from 'node:crypto';
import pg from 'pg';

export interface ProvisionOptions {
  /**
   * The secret the service's password is derived from. Default: the admin URL's password, which
   * is random per deployment (data/keys/postgres.key), so the same service gets the same password
   * on every start without storing one more file.
   */
  secret?: string;
}

/** `market` → `onecheck_market`; `department_health` / `department-health` → `onecheck_department_health`. */
export function serviceDatabaseName(serviceName: string): string {
  const name = serviceName.toLowerCase().replace(/-/g, '_');
  if (!/^[a-z][a-z0-9_]*$/.test(name) || name.length > 50) {
    throw new Error(`service name ${JSON.stringify(serviceName)} cannot name a database (letters, digits, _ and -)`);
  }
  return `onecheck_${name}`;
}

/**
 * Gives a service its own database and a LOGIN role that owns it and can connect to nothing else,
 * and returns that role's URL. Idempotent: run it on every start; it also puts a drifted password
 * or privilege back.
 */
export async function provisionServiceDatabase(
  adminUrl: string,
  serviceName: string,
  opts: ProvisionOptions = {},
): Promise<string> {
  const name = serviceDatabaseName(serviceName);
  const admin = new URL(adminUrl);
  const secret = opts.secret ?? decodeURIComponent(admin.password);
  if (!secret) throw new Error('provisionServiceDatabase: the admin URL has no password; pass opts.secret');
  const password = createHmac('sha256', secret).update(`onecheck-role:${name}`).digest('base64url');

  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => {}); // a dropped admin session fails the awaited query below
  await client.connect();
  try {
    const ident = client.escapeIdentifier(name);
    const role = await client.query('select 1 from pg_roles where rolname = $1', [name]);
    if (role.rowCount === 0) await ignoreDuplicate(client.query(`CREATE ROLE ${ident} LOGIN`));
    // Utility statements take no parameters; escapeLiteral quotes the password. The server stores
    // a SCRAM verifier (password_encryption defaults to scram-sha-256), never the password.
    await client.query(
      `ALTER ROLE ${ident} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS ` +
        `PASSWORD ${client.escapeLiteral(password)}`,
    );
    const db = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (db.rowCount === 0) await ignoreDuplicate(client.query(`CREATE DATABASE ${ident} OWNER ${ident}`));
    await client.query(`ALTER DATABASE ${ident} OWNER TO ${ident}`);

    // PUBLIC may connect to every database by default: take that away from the service databases
    // and the server's own (postgres, template1), then give each role back only its own.
    const all = await client.query<{ datname: string }>(
      `select datname from pg_database where datallowconn and (datname like 'onecheck\\_%' or datname in ('postgres', 'template1'))`,
    );
    for (const { datname } of all.rows) {
      await client.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${client.escapeIdentifier(datname)} FROM PUBLIC`);
    }
    await client.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${ident} TO ${ident}`);
  } finally {
    await client.end();
  }

  const url = new URL(adminUrl);
  url.username = name;
  url.password = encodeURIComponent(password);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Two starts provisioning at once: the loser of a CREATE race carries on. */
async function ignoreDuplicate(q: Promise<unknown>): Promise<void> {
  try {
    await q;
  } catch (e) {
    const code = (e as { code?: string }).code;
    // duplicate_object, duplicate_database, unique_violation (catalog race)
    if (code !== '42710' && code !== '42P04' && code !== '23505') throw e;
  }
}
