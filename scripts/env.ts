/**
 * The environment of the repository's scripts (`npm start`, `npm run token`, `npm run bench`): the
 * only module here that reads process.env. Each script asks for its own settings, parsed and
 * checked once, and hands them down; nothing below a script reads the environment.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { clockFromSetting } from '@onecheck/clock';
import { brokersFromEnv } from '@onecheck/events';
import { baseConfig, loadConfig, REPO_ROOT } from '@onecheck/kit';

/**
 * A port the scripts listen on or connect to: named, never 0 (what an empty `PORT=` coerces to),
 * for npm start waits on each port it names: 0 would have it wait for nothing, then fail far away.
 */
const port = z.coerce.number().int().min(1).max(65535);
const logLevel = baseConfig.shape.LOG_LEVEL.unwrap();

/** Settings every script shares: where the data folder is, the demo secrets, the clock. */
const common = z.object({
  DATA_DIR: z.string().default(resolve(REPO_ROOT, 'data')),
  AUTH_DEMO_SECRET: z.string().optional(),
  GATEWAY_SECRET: z.string().optional(),
  /** Runs the process as if it were then (see @onecheck/clock's clockFromSetting). */
  ONECHECK_CLOCK: z.string().optional(),
});

function commonSettings(env: z.infer<typeof common>) {
  return { dataDir: resolve(env.DATA_DIR), clock: clockFromSetting(env.ONECHECK_CLOCK) };
}

/**
 * `npm run verify-audit`: npm start's settings, and the prefix of the services' schemas on
 * DATABASE_URL (npm start's `onecheck`; a test system's own prefix when it checks one).
 */
export function verifyAuditEnv() {
  const env = loadConfig(
    z.object({
      DATABASE_SCHEMA_PREFIX: z
        .string()
        .regex(/^[a-z_][a-z0-9_]*$/)
        .default('onecheck'),
    }),
    process.env,
  );
  return { ...startEnv(), schemaPrefix: env.DATABASE_SCHEMA_PREFIX };
}

/** `npm start`: DATABASE_URL and KAFKA_BROKERS point it at real servers; PORT is the gateway's. */
export function startEnv() {
  // Apollo's telemetry and kafkajs's partitioner notice are noise here; the services started as
  // child processes inherit these.
  process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  const env = loadConfig(
    common.extend({
      DATABASE_URL: z.url().optional(),
      BROKER_PORT: port.default(9092),
      /** BROKER_TLS=1: the stand-in listens with TLS (a local CA under data/keys/kafka-tls); default plaintext on loopback. */
      BROKER_TLS: z.enum(['0', '1']).default('0'),
      /** The embedded PostgreSQL server's port (5433: 5432 is often a system server's). */
      POSTGRES_PORT: port.default(5433),
      PORT: port.default(4000),
      LOG_LEVEL: logLevel.optional(),
    }),
    process.env,
  );
  return {
    ...commonSettings(env),
    databaseUrl: env.DATABASE_URL,
    kafkaBrokers: brokersFromEnv(process.env),
    brokerPort: env.BROKER_PORT,
    brokerTls: env.BROKER_TLS === '1',
    postgresPort: env.POSTGRES_PORT,
    gatewayPort: env.PORT,
    issuerSecretEnv: env.AUTH_DEMO_SECRET,
    gatewaySecretEnv: env.GATEWAY_SECRET,
    /** The launcher's own log level; the services log at `LOG_LEVEL ?? 'warn'`. */
    logLevel: env.LOG_LEVEL,
    /** ONECHECK_CLOCK as given, passed on to every process `npm start` runs. */
    clockSetting: env.ONECHECK_CLOCK,
    /** The user's environment, the base of every child's (PATH, HOME, proxies …). */
    inherited: { ...process.env } as Record<string, string | undefined>,
  };
}

/** `npm run token`: signs with the demo issuer's key of the same data folder `npm start` uses. */
export function tokenEnv() {
  const env = loadConfig(common, process.env);
  return { ...commonSettings(env), issuerSecretEnv: env.AUTH_DEMO_SECRET };
}

/**
 * `npm run verify-draw`: the gateway to ask (npm start's by default) and the token to ask with
 * (minted as the demo auditor from the data folder when none is given).
 */
export function verifyDrawEnv() {
  const env = loadConfig(
    common.extend({
      PORT: port.default(4000),
      GATEWAY_URL: z.string().url().optional(),
      ONECHECK_TOKEN: z.string().optional(),
    }),
    process.env,
  );
  return {
    ...commonSettings(env),
    issuerSecretEnv: env.AUTH_DEMO_SECRET,
    gatewayUrl: env.GATEWAY_URL ?? `http://127.0.0.1:${env.PORT}/graphql`,
    token: env.ONECHECK_TOKEN,
  };
}

/** `npm run signing-keys`: the data folder whose keys/ it manages. */
export function keysEnv() {
  return commonSettings(loadConfig(common, process.env));
}

/** `npm run bench`: TEST_DATABASE_URL adds a PostgreSQL server to the sections that measure on one. */
export function benchEnv() {
  const env = loadConfig(
    z.object({
      /** A PostgreSQL server the events section also measures on (as the tests' TEST_DATABASE_URL). */
      TEST_DATABASE_URL: z.string().optional(),
    }),
    process.env,
  );
  // The memory section runs `npm start` as a child with this environment (PATH, HOME …).
  return { databaseUrl: env.TEST_DATABASE_URL || undefined, baseEnv: { ...process.env } };
}

/** `scripts/postgres.ts`, run by `npm start`'s supervisor: the embedded server's data folder and port. */
export function postgresEnv() {
  const env = loadConfig(common.extend({ POSTGRES_PORT: port }), process.env);
  return { dataDir: resolve(env.DATA_DIR), port: env.POSTGRES_PORT };
}

/**
 * `scripts/demo/main.ts`, run by `npm start`'s supervisor: DEMO_DATABASES is a JSON object of each
 * service's database (`{ "market": { "url": "postgres://…", "schema": "…" }, … }`).
 */
export function demoEnv() {
  const target = z.object({ url: z.string(), schema: z.string().optional() });
  const env = loadConfig(
    common.extend({
      DEMO_DATABASES: z.string().transform((s, ctx) => {
        const parsed = z.record(z.string(), target).safeParse(JSON.parse(s));
        if (parsed.success) return parsed.data;
        ctx.addIssue({ code: 'custom', message: 'not a JSON object of { url, schema? } by service' });
        return z.NEVER;
      }),
      DEMO_BUSINESSES: z.coerce.number().int().min(1).default(2000),
    }),
    process.env,
  );
  return { ...commonSettings(env), databases: env.DEMO_DATABASES, businesses: env.DEMO_BUSINESSES };
}
