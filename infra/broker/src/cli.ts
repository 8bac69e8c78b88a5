/**
 * `npm run broker`: runs the stand-in broker on 127.0.0.1:9092 with its data
 * under <repo>/data/broker. Env (read by ./env): BROKER_PORT, BROKER_DATA_DIR.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brokerEnv } from './env';
import { startBroker } from './index';

// This file lives at <repo>/infra/broker/src/cli.ts.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
let settings: ReturnType<typeof brokerEnv>;
try {
  settings = brokerEnv(repoRoot);
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
const { port, dataDir } = settings;

const broker = await startBroker({ port, dataDir });
console.log(`[broker] Kafka stand-in listening on ${broker.brokers} (data: ${dataDir})`);

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`[broker] ${signal}: stopping`);
  broker.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error('[broker] error while stopping', err);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
