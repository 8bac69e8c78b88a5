/**
 * `npm run broker`'s environment: the only module of the broker that reads process.env.
 * BROKER_PORT (default 9092) and BROKER_DATA_DIR (default <repo>/data/broker).
 */
import path from 'node:path';

export function brokerEnv(repoRoot: string): { port: number; dataDir: string } {
  const raw = process.env.BROKER_PORT;
  const port = Number(raw || 9092);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`[broker] invalid BROKER_PORT ${JSON.stringify(raw)}`);
  }
  return { port, dataDir: path.resolve(process.env.BROKER_DATA_DIR || path.join(repoRoot, 'data', 'broker')) };
}
