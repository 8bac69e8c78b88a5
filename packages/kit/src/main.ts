import { loadSecret } from '@onecheck/auth';
import { clockFromSetting } from '@onecheck/clock';
import { brokersFromEnv } from '@onecheck/events';
import { baseConfig, loadConfig, type Env } from './config';
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
    gatewaySecret: loadSecret('gateway', { env: config.GATEWAY_SECRET, dataDir: config.DATA_DIR }),
    production: config.NODE_ENV === 'production',
    logger: createLogger(name, config.LOG_LEVEL),
    // KAFKA_BROKERS: without it the service still records events in its outbox, to publish once set.
    kafkaBrokers: brokersFromEnv(env),
    clock: clockFromSetting(config.ONECHECK_CLOCK),
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
