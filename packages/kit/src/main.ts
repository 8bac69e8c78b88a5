import { loadSecret } from '@onecheck/auth';
import { clockFromSetting } from '@onecheck/clock';
import { brokersFromEnv, loadJwksFile, loadSigningKeyFile } from '@onecheck/events';
import { readFileSync } from 'node:fs';
import { baseConfig, ConfigError, loadConfig, type Env } from './config';
import { createLogger, type Logger } from './logger';
import type { ServiceSettings } from './service';

/**
 * Settings for a service run on its own (docker-compose, `tsx services/x/src/main.ts`), from the
 * environment its env.ts hands in.
 */
export function settingsFromEnv(name: string, env: Env): ServiceSettings & { logger: Logger } {
  const config = loadConfig(baseConfig, env);
  return {
    host: config.HOST,
    port: config.PORT,
    dataDir: config.DATA_DIR,
    databaseUrl: config.DATABASE_URL,
    databaseSchema: config.DATABASE_SCHEMA,
    databasePreparedStatements: config.DATABASE_PREPARED_STATEMENTS,
    gatewaySecret: loadSecret('gateway', { env: config.GATEWAY_SECRET, dataDir: config.DATA_DIR }),
    production: config.NODE_ENV === 'production',
    logger: createLogger(name, config.LOG_LEVEL),
    // KAFKA_BROKERS: without it the service still records events in its outbox, to publish once set.
    kafkaBrokers: brokersFromEnv(env),
    ...kafkaAuth(config),
    eventSigning: config.EVENT_SIGNING_KEY_FILE
      ? { privateJwk: loadSigningKeyFile(config.EVENT_SIGNING_KEY_FILE) }
      : undefined,
    eventKeys: config.EVENT_JWKS_FILE ? loadJwksFile(config.EVENT_JWKS_FILE) : undefined,
    clock: clockFromSetting(config.ONECHECK_CLOCK),
  };
}

/** SASL/SCRAM and TLS settings for the bus from KAFKA_USERNAME, KAFKA_PASSWORD(_FILE), KAFKA_SSL, KAFKA_CA_FILE. */
function kafkaAuth(
  config: ReturnType<typeof loadConfig<typeof baseConfig.shape>>,
): Pick<ServiceSettings, 'kafkaSasl' | 'kafkaSsl'> {
  const read = (name: string, file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`invalid configuration:\n  ${name}: cannot read ${file} (${(err as Error).message})`);
    }
  };
  const password =
    config.KAFKA_PASSWORD ??
    (config.KAFKA_PASSWORD_FILE ? read('KAFKA_PASSWORD_FILE', config.KAFKA_PASSWORD_FILE).trim() : undefined);
  if (config.KAFKA_USERNAME && !password)
    throw new ConfigError('invalid configuration:\n  KAFKA_PASSWORD: required with KAFKA_USERNAME');
  return {
    kafkaSasl: config.KAFKA_USERNAME
      ? { mechanism: config.KAFKA_SASL_MECHANISM, username: config.KAFKA_USERNAME, password: password! }
      : undefined,
    kafkaSsl: config.KAFKA_CA_FILE
      ? { ca: [read('KAFKA_CA_FILE', config.KAFKA_CA_FILE)] }
      : config.KAFKA_SSL || undefined,
  };
}

/** Runs until SIGINT/SIGTERM, then stops cleanly; a bad configuration exits 1 with its message. */
export async function runMain(start: () => Promise<{ stop(): Promise<void> }>): Promise<void> {
  let running: { stop(): Promise<void> };
  try {
    running = await start();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
  const shutdown = async () => {
    await running.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
