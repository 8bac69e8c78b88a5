/**
 * `npm run broker`: runs the stand-in broker on 127.0.0.1:9092 with its data
 * under <repo>/data/broker. Env: BROKER_PORT, BROKER_DATA_DIR.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBroker } from './index';

// This file lives at <repo>/infra/broker/src/cli.ts.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const port = Number(process.env.BROKER_PORT || 9092);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`[broker] invalid BROKER_PORT ${JSON.stringify(process.env.BROKER_PORT)}`);
  process.exit(2);
}
const dataDir = path.resolve(process.env.BROKER_DATA_DIR || path.join(repoRoot, 'data', 'broker'));

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
