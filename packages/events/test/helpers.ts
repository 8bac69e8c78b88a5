/** Shared test plumbing: real databases (PGlite or TEST_DATABASE_URL), a quiet logger, bounded waits. */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { asc, count, countDistinct, eq } from 'drizzle-orm';
import { pino } from 'pino';
import pg from 'pg';
import { testClock } from '@onecheck/clock';
import { openDatabase, type Database } from '@onecheck/db';
import { cloudEvent, recordEvent, type CloudEvent, type EventHandler } from '../src/index';
import { testEnv } from './env';
import * as schema from './fixtures/schema';

export { schema };
export type TestSchema = typeof schema;

/** The tests' clock: events and inbox rows are stamped with it, retention counts from it. */
export const clock = testClock('2026-02-10');

export const MIGRATIONS = fileURLToPath(new URL('./fixtures/drizzle', import.meta.url));

/** Silent unless LOG_LEVEL is set (broker outages make kafkajs log errors on purpose). */
export const testLogger = () => pino({ level: testEnv.logLevel ?? 'silent' });

/** The broker's own logger: quiet by default. */
export const brokerLogger = {
  info: () => {},
  warn: (...a: unknown[]) => testEnv.logLevel && console.warn('[broker]', ...a),
  error: (...a: unknown[]) => testEnv.logLevel && console.error('[broker]', ...a),
};

/** Fast kafkajs consumer settings (the values the brief asks tests to use). */
export const FAST = { sessionTimeout: 6000, heartbeatInterval: 500, rebalanceTimeout: 10000, maxWaitTimeInMs: 200 };

/**
 * Where a test database lives; serialisable so a child process can open the same one.
 * Real PostgreSQL when TEST_DATABASE_URL is set (one schema per database), else PGlite
 * (in memory, or in `dataDir` when another process must open it too).
 */
export interface TestDbSpec {
  name: string;
  databaseUrl?: string;
  databaseSchema?: string;
  dataDir?: string;
}

export function testDbSpec(name: string, opts: { dataDir?: string } = {}): TestDbSpec {
  const url = testEnv.databaseUrl;
  if (url) return { name, databaseUrl: url, databaseSchema: `events_test_${name}_${randomUUID().slice(0, 8)}` };
  return { name, dataDir: opts.dataDir };
}

export function openTestDb(spec: TestDbSpec): Promise<Database<TestSchema>> {
  return openDatabase({ ...spec, schema, migrationsFolder: MIGRATIONS });
}

/** Drops the PostgreSQL schema of a spec (PGlite needs nothing: memory, or a temp dir the test removes). */
export async function dropTestDb(spec: TestDbSpec): Promise<void> {
  if (!spec.databaseUrl || !spec.databaseSchema) return;
  const client = new pg.Client({ connectionString: spec.databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${spec.databaseSchema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Polls until `check` returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 20_000,
): Promise<NonNullable<T>> {
  const until = performance.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (performance.now() > until)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A valid GB 32100 shaped code for business number i. */
export const usccFor = (i: number) => `91110000${String(i).padStart(10, '0')}`;

export const changedData = (key: string, version: number) => ({
  uscc: key,
  name: `Test Co ${key}`,
  industry: 'C1310',
  region: '110000',
  status: 'ACTIVE' as const,
  registeredOn: '2020-01-01',
  version,
});

/** The event of business `key`'s change to `version`, as its producer would build it. */
export const changedEvent = (key: string, version: number) =>
  cloudEvent({
    source: 'test/events',
    type: 'onecheck.enterprise.changed.v1',
    subject: key,
    data: changedData(key, version),
    clock,
  });

/** The producer side: one transaction writes the state change and its event. */
export function recordChange(
  db: Database<TestSchema>['db'],
  key: string,
  version: number,
): Promise<CloudEvent<'onecheck.enterprise.changed.v1'>> {
  return db.transaction(async (tx) => {
    await tx.insert(schema.changes).values({ key, version });
    return recordEvent(tx, {
      source: 'test/events',
      type: 'onecheck.enterprise.changed.v1',
      key,
      data: changedData(key, version),
      clock,
    });
  });
}

/** The consumer side: a handler whose effect is one `effects` row. */
export function effectHandler(
  handler: string,
  before?: (event: CloudEvent<'onecheck.enterprise.changed.v1'>) => Promise<void> | void,
): EventHandler<TestSchema, 'onecheck.enterprise.changed.v1'> {
  return async (event, tx) => {
    await before?.(event);
    await tx
      .insert(schema.effects)
      .values({ handler, eventId: event.id, type: event.type, key: event.data.uscc, version: event.data.version });
  };
}

/** Fails after `ms` instead of hanging the file. */
export function withTimeout<T>(what: string, p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Versions applied per key, in the order the effects were written. */
export async function versionsByKey(db: Database<TestSchema>['db'], handler?: string): Promise<Map<string, number[]>> {
  const rows = await db
    .select()
    .from(schema.effects)
    .where(handler ? eq(schema.effects.handler, handler) : undefined)
    .orderBy(asc(schema.effects.id));
  const byKey = new Map<string, number[]>();
  for (const r of rows) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r.version]);
  return byKey;
}

export async function effectCounts(
  db: Database<TestSchema>['db'],
  handler?: string,
): Promise<{ n: number; distinct: number }> {
  const [row] = await db
    .select({ n: count(), distinct: countDistinct(schema.effects.eventId) })
    .from(schema.effects)
    .where(handler ? eq(schema.effects.handler, handler) : undefined);
  return row!;
}
