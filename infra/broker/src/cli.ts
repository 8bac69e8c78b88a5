/**
 * `npm run broker`: runs the stand-in broker on 127.0.0.1:9092 with its data
 * under <repo>/data/broker. Env (read by ./env): BROKER_PORT, BROKER_DATA_DIR,
 * BROKER_ACCESS_FILE, BROKER_USERS_FILE, BROKER_ALLOW_ANONYMOUS, BROKER_TLS_CERT_FILE, BROKER_TLS_KEY_FILE.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brokerEnv } from './env';
import { loadAccessFile, loadUsersFile, startBroker } from './index';

// This file lives at <repo>/infra/broker/src/cli.ts.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
let settings: ReturnType<typeof brokerEnv>;
try {
  settings = brokerEnv(repoRoot);
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
const { port, dataDir, accessFile, usersFile, allowAnonymous, tlsCertFile, tlsKeyFile } = settings;

let broker: Awaited<ReturnType<typeof startBroker>>;
try {
  broker = await startBroker({
    port,
    dataDir,
    access: accessFile ? loadAccessFile(accessFile) : undefined,
    users: usersFile ? loadUsersFile(usersFile) : undefined,
    allowAnonymous,
    tls:
      tlsCertFile && tlsKeyFile ? { cert: fs.readFileSync(tlsCertFile), key: fs.readFileSync(tlsKeyFile) } : undefined,
  });
} catch (err) {
  console.error(`[broker] cannot start: ${(err as Error).message}`);
  process.exit(2);
}
const auth = [
  usersFile ? `SASL/SCRAM${allowAnonymous ? ', anonymous allowed' : ''}` : 'no authentication',
  tlsCertFile ? 'TLS' : 'plaintext',
].join(', ');
console.log(`[broker] Kafka stand-in listening on ${broker.brokers} (data: ${dataDir}; ${auth})`);

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
