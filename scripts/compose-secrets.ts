/**
 * `npm run compose-secrets [dir]`: every secret docker-compose.yml mounts, made once under
 * `data/compose/secrets/` (folder mode 700) and kept; rerun it freely, nothing is replaced.
 *
 *   kafka-password-<principal>, kafka-ca.crt, kafka-broker.pem   Kafka (infra/broker composeSecrets)
 *   event-signing-<principal>.jwk.json   each producing principal's Ed25519 key (EVENT_SIGNING_KEY_FILE)
 *   event-jwks.json                      every trusted public key (EVENT_JWKS_FILE)
 *
 * Compose mounts secret files as they are on the host and the containers run as another user, so
 * the copies are readable (644) inside the folder only the owner can enter (700). The originals
 * stay in `.keys/`; rotating means changing them there (README "Real servers") and rerunning.
 */
import { copyFileSync, chmodSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACCESS_FILE, ensureComposeSecrets, loadAccessFile } from '@onecheck/broker';
import { ensureSigningKeys, signingKeyFile } from '@onecheck/events';

/** The principals that publish events, and so sign them: every one that writes a topic, but the admin. */
export function producingPrincipals(): string[] {
  const access = loadAccessFile(ACCESS_FILE);
  return Object.entries(access.principals)
    .filter(([name, p]) => name !== 'admin' && (p.writes ?? []).length > 0)
    .map(([name]) => name);
}

export function ensureAllComposeSecrets(dir: string): string[] {
  const names = ensureComposeSecrets(dir);
  const keys = join(dir, '.keys', 'events');
  const principals = producingPrincipals();
  ensureSigningKeys(keys, principals);
  const copies: [string, string][] = [
    ...principals.map((p): [string, string] => [signingKeyFile(keys, p), `event-signing-${p}.jwk.json`]),
    [join(keys, 'jwks.json'), 'event-jwks.json'],
  ];
  for (const [from, name] of copies) {
    copyFileSync(from, join(dir, name));
    chmodSync(join(dir, name), 0o644);
  }
  return [...names, ...copies.map(([, name]) => name)];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = resolve(process.argv[2] ?? fileURLToPath(new URL('../data/compose/secrets', import.meta.url)));
  const names = ensureAllComposeSecrets(dir);
  const files = readdirSync(dir).filter((f) => !f.startsWith('.'));
  console.log(`${names.length} compose secrets in ${dir} (${files.length} files; folder mode 700)`);
}
