/**
 * The deployment's Kafka passwords: one per principal of the access definition, generated on the
 * first start under `<keys>/kafka/<principal>.password` (mode 600, in a mode-700 folder; `data/`
 * is never committed) and kept afterwards, so a restart keeps every client's credentials. The
 * broker gets only the salted SCRAM credentials derived from them (`usersFile`); each process
 * gets its own password alone.
 *
 * Rotation: delete a principal's file (or the folder) and restart; a new password is made and the
 * users file rewritten. On real Kafka, run setup.sh apply again with the new password.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AccessDefinition } from './access';
import { usersFromPasswords } from './scram';

/** infra/kafka/access.json: the one definition of topics, principals and ACLs. */
export const ACCESS_FILE = fileURLToPath(new URL('../../../kafka/access.json', import.meta.url));

/**
 * A new random password: 24 bytes as hex, which is safe in kafka-configs' `[password=…]` syntax
 * (no `,` `]` `=`) and in a client properties file.
 */
export function generatePassword(): string {
  return randomBytes(24).toString('hex');
}

/** Fresh passwords for every principal of the definition, in memory (tests). */
export function passwordsFor(def: AccessDefinition): Record<string, string> {
  return Object.fromEntries(Object.keys(def.principals).map((p) => [p, generatePassword()]));
}

/** Where a principal's password file is: `<dir>/<principal>.password`. */
export const passwordFile = (dir: string, principal: string) => path.join(dir, `${principal}.password`);

/**
 * Reads each principal's password from `dir`, making the missing ones (mode 600); returns them.
 * Also rewrites `<dir>/users.json`, the broker's SCRAM credentials (no passwords in it).
 */
export function ensureKafkaPasswords(
  dir: string,
  def: AccessDefinition,
): { passwords: Record<string, string>; usersFile: string } {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const passwords: Record<string, string> = {};
  for (const principal of Object.keys(def.principals)) {
    const file = passwordFile(dir, principal);
    if (!fs.existsSync(file)) {
      // 'wx': a second process starting at the same moment does not overwrite the first one's.
      try {
        fs.writeFileSync(file, `${generatePassword()}\n`, { mode: 0o600, flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    fs.chmodSync(file, 0o600);
    passwords[principal] = fs.readFileSync(file, 'utf8').trim();
  }
  const usersFile = path.join(dir, 'users.json');
  const temp = `${usersFile}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(usersFromPasswords(passwords)), { mode: 0o600 });
  fs.renameSync(temp, usersFile);
  return { passwords, usersFile };
}
