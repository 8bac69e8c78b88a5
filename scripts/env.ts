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

const port = z.coerce.number().int().min(0).max(65535);
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
    gatewayPort: env.PORT,
    issuerSecretEnv: env.AUTH_DEMO_SECRET,
    gatewaySecretEnv: env.GATEWAY_SECRET,
    /** The launcher's own log level; the services log at `LOG_LEVEL ?? 'warn'`. */
    logLevel: env.LOG_LEVEL,
  };
}

/** `npm run token`: signs with the demo issuer's key of the same data folder `npm start` uses. */
export function tokenEnv() {
  const env = loadConfig(common, process.env);
  return { ...commonSettings(env), issuerSecretEnv: env.AUTH_DEMO_SECRET };
}

/** `npm run bench`: BENCH_EVENTS sets how many licences the burst grants. */
export function benchEnv() {
  const env = loadConfig(z.object({ BENCH_EVENTS: z.coerce.number().int().min(1).default(2000) }), process.env);
  return { events: env.BENCH_EVENTS };
}
