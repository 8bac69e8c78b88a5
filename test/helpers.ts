import { expect } from 'vitest';
import type { Identity } from '@onecheck/auth';
import { fixtureYears } from '@onecheck/calendar';
import { systemClock, testClock } from '@onecheck/clock';
import { startSystem, type RunningSystem, type SystemOptions } from '../scripts/system';
import { testEnv } from './env';

/** The database the suite runs on: PGlite unless TEST_DATABASE_URL names a PostgreSQL server. */
export function testDatabase(): Pick<SystemOptions, 'databaseUrl' | 'schemaPrefix'> {
  const url = testEnv.databaseUrl;
  if (!url) return {};
  // Unique per run (real time, not the pinned clock): runs sharing a server never meet.
  return {
    databaseUrl: url,
    schemaPrefix: `t${systemClock.millis().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
  };
}

/**
 * The instant every test system lives at unless a test moves its clock: after every date the tests
 * enter, inside the fixture calendar's years.
 */
export const TEST_NOW = '2026-11-25T09:00:00+08:00';

/** Short group timings, so a test never waits on kafkajs's production defaults. */
export const FAST_CONSUMERS = {
  sessionTimeout: 6000,
  heartbeatInterval: 500,
  rebalanceTimeout: 10000,
  maxWaitTimeInMs: 200,
};

export async function startTestSystem(opts: SystemOptions = {}): Promise<RunningSystem> {
  const database = testDatabase();
  const sys = await startSystem({
    ...database,
    consumerOptions: FAST_CONSUMERS,
    // Pinned: the suite passes on any date, and with any future calendar package.
    clock: testClock(TEST_NOW),
    calendarBase: fixtureYears,
    logLevel: testEnv.logLevel,
    // The pinned clock never refills a rate-limit budget: tests making many requests would run dry.
    // test/gateway-hardening.test.ts turns the limits on with its own settings.
    rateLimit: false,
    ...opts,
  });
  if (!database.databaseUrl) return sys;
  // On a shared server, each run's schemas go when the run stops.
  const stop = sys.stop;
  sys.stop = async () => {
    await stop();
    await dropSchemas(database.databaseUrl!, database.schemaPrefix!);
  };
  return sys;
}

export async function dropSchemas(url: string, prefix: string) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>('select nspname from pg_namespace where nspname like $1', [
      `${prefix}\\_%`,
    ]);
    for (const { nspname } of rows) await client.query(`drop schema "${nspname}" cascade`);
  } finally {
    await client.end();
  }
}

export interface GraphQLResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: {
    message: string;
    path?: (string | number)[];
    extensions?: { code?: string; field?: string } & Record<string, unknown>;
  }[];
}

/** A real HTTP client call, as a department system would make it. */
export async function gql<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  headers: Record<string, string> = {},
): Promise<GraphQLResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as GraphQLResult<T>;
  return { ...body, status: res.status };
}

/**
 * The gateway as a test's caller uses it, `sys` being known only once the system started: `ask`
 * gives the answer as it is, `must` expects no error and gives the data.
 */
export function gatewayClient(url: () => string) {
  const ask = (token: string | undefined, query: string, variables: Record<string, unknown> = {}) =>
    gql(url(), query, variables, token);
  const must = async (token: string | undefined, query: string, variables: Record<string, unknown> = {}) => {
    const r = await ask(token, query, variables);
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    return r.data!;
  };
  return { ask, must };
}

export const roles = {
  office: { sub: 'office-1', role: 'office', name: '双随机办公室' } satisfies Identity,
  approver: { sub: 'approver-1', role: 'approver', name: '审批局' } satisfies Identity,
  staff: (department: string): Identity => ({ sub: `staff-${department}`, role: 'staff', department }),
};

/** Polls until `probe` gives something truthy; fails naming what it waited for. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
  everyMs = 50,
): Promise<T> {
  // Waiting is real time, whatever time the system under test lives at.
  const deadline = systemClock.millis() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (systemClock.millis() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A port free on 127.0.0.1 right now, for a server that must come back on the same one. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
