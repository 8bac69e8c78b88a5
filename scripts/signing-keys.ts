/**
 * The event-signing keys of this deployment (data/keys; docs/events.md, Signatures):
 *   npm run --silent signing-keys -- ensure [principal…] a key for each producing principal that has none
 *                                                       (default: every one of infra/kafka/access.json), and jwks.json
 *   npm run --silent signing-keys -- list               the trusted keys, current and retired
 *   npm run --silent signing-keys -- rotate <principal> a new key for it; the old one stays trusted
 *   npm run --silent signing-keys -- untrust <kid>      stop trusting a retired key
 * Then restart OneCheck: the services read their keys and the trusted set at start, and the setup
 * republishes the set on onecheck.security.keys (the gateway serves it too).
 */
import { join } from 'node:path';
import { ACCESS_FILE, loadAccessFile } from '@onecheck/broker';
import {
  ensureSigningKeys,
  principalOfKid,
  readTrustedKeys,
  rotateSigningKey,
  signingKeyFile,
  TOPIC_PRODUCERS,
  untrustSigningKey,
} from '@onecheck/events';
import { existsSync, readFileSync } from 'node:fs';
import { keysEnv } from './env';

const dir = join(keysEnv().dataDir, 'keys');
const [command, arg] = process.argv.slice(2);

function fail(message: string): never {
  console.error(`signing-keys: ${message}
usage: npm run --silent signing-keys -- ensure [principal…] | list | rotate <principal> | untrust <kid>`);
  process.exit(2);
}

const current = (principal: string) => {
  const file = signingKeyFile(dir, principal);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { kid?: string }).kid : undefined;
};

/** The principals of the access definition that write an event topic: those that sign. */
function producingPrincipals(): string[] {
  const owners = Object.values(TOPIC_PRODUCERS).flat() as string[];
  const owns = (p: string) => owners.some((o) => (o.endsWith('*') ? p.startsWith(o.slice(0, -1)) : p === o));
  return Object.keys(loadAccessFile(ACCESS_FILE).principals).filter(owns);
}

if (command === 'ensure') {
  const principals = process.argv.slice(3);
  const { jwks } = ensureSigningKeys(dir, principals.length ? principals : producingPrincipals());
  console.log(`${jwks.keys.length} trusted keys in ${join(dir, 'jwks.json')}`);
} else if (command === 'list') {
  for (const key of readTrustedKeys(dir).keys) {
    const kid = String(key.kid);
    console.log(`${kid}\t${current(principalOfKid(kid)) === kid ? 'signing' : 'retired, still trusted'}`);
  }
} else if (command === 'rotate' && arg) {
  if (!current(arg)) fail(`${arg} has no signing key in ${dir} (npm start makes them)`);
  const { kid, retired } = rotateSigningKey(dir, arg);
  console.log(
    `${arg} now signs with ${kid}; ${retired} stays trusted until: npm run signing-keys -- untrust ${retired}`,
  );
  console.log('Restart OneCheck for the services to use the new key.');
} else if (command === 'untrust' && arg) {
  try {
    untrustSigningKey(dir, arg);
  } catch (err) {
    fail((err as Error).message);
  }
  console.log(`${arg} is no longer trusted. Restart OneCheck for the consumers to drop it.`);
} else {
  fail(command ? `unknown command ${command}` : 'no command');
}
