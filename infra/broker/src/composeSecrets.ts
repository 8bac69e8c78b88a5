/**
 * The Kafka secrets docker-compose.yml reads (`npm run compose-secrets`, scripts/compose-secrets.ts,
 * which adds the event-signing keys), made once in `dir` and kept (nothing that exists is replaced):
 *
 *   kafka-password-<principal>   one SCRAM password per principal of infra/kafka/access.json
 *   kafka-ca.crt                 the CA every Kafka client trusts (KAFKA_CA_FILE)
 *   kafka-broker.pem             Kafka's private key and certificate (for the host `kafka`)
 *
 * Compose mounts secret files as they are on the host, and the containers run as another user,
 * so the files are readable (644) and the folder is not (700): only the owner reaches them.
 * The originals stay in `.keys/` (passwords, the CA's key). To rotate a password, delete
 * `.keys/kafka/<principal>.password`, rerun, and recreate kafka-setup and the principal's service.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadAccessFile } from './auth/access';
import { ACCESS_FILE, ensureKafkaPasswords } from './auth/credentials';
import { ensureLocalCa } from './auth/localCa';

/** The file name of a principal's password secret (compose-kafka.sh reads these). */
export const passwordSecret = (principal: string) => `kafka-password-${principal}`;

export function ensureComposeSecrets(dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const keys = path.join(dir, '.keys'); // the originals: passwords and the CA's own key (600)
  const { passwords } = ensureKafkaPasswords(path.join(keys, 'kafka'), loadAccessFile(ACCESS_FILE));
  const ca = ensureLocalCa(path.join(keys, 'kafka-tls'), ['kafka', 'localhost']);
  const files: Record<string, string> = {
    ...Object.fromEntries(Object.entries(passwords).map(([p, pw]) => [passwordSecret(p), pw])),
    'kafka-ca.crt': ca.ca,
    // Kafka's PEM keystore: the PKCS#8 key and the certificate in one file.
    'kafka-broker.pem': `${ca.key.trim()}\n${ca.cert.trim()}\n`,
  };
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content, { mode: 0o644 });
    fs.chmodSync(file, 0o644);
  }
  return Object.keys(files);
}
