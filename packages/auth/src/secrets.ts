import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A symmetric secret: from the environment when set (production, docker-compose),
 * otherwise kept in the data folder so `npm start` and `npm run token` agree across runs.
 */
export function loadSecret(name: 'issuer' | 'gateway', opts: { env?: string; dataDir: string }): Uint8Array {
  if (opts.env) return new TextEncoder().encode(opts.env);
  const dir = join(opts.dataDir, 'keys');
  const file = join(dir, `${name}.key`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    // 'wx' so two processes starting together never overwrite each other's key.
    try {
      writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}
