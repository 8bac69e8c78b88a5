/**
 * `npm run broker`'s environment: the only module of the broker that reads process.env.
 * BROKER_PORT (default 9092), BROKER_DATA_DIR (default <repo>/data/broker),
 * BROKER_ACCESS_FILE (topics and ACLs, e.g. infra/kafka/access.json; optional),
 * BROKER_USERS_FILE (SCRAM users, JSON of name → credentials; optional: without it there is no
 * authentication), BROKER_ALLOW_ANONYMOUS=1 (let unauthenticated connections in as ANONYMOUS
 * even though users are configured), BROKER_TLS_CERT_FILE + BROKER_TLS_KEY_FILE (PEM: listen with TLS).
 */
import path from 'node:path';

export interface BrokerEnv {
  port: number;
  dataDir: string;
  accessFile: string | undefined;
  usersFile: string | undefined;
  allowAnonymous: boolean | undefined;
  tlsCertFile: string | undefined;
  tlsKeyFile: string | undefined;
}

export function brokerEnv(repoRoot: string): BrokerEnv {
  const raw = process.env.BROKER_PORT;
  const port = Number(raw || 9092);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`[broker] invalid BROKER_PORT ${JSON.stringify(raw)}`);
  }
  const file = (name: string) => (process.env[name] ? path.resolve(process.env[name]) : undefined);
  const anonymous = process.env.BROKER_ALLOW_ANONYMOUS;
  const tlsCertFile = file('BROKER_TLS_CERT_FILE');
  const tlsKeyFile = file('BROKER_TLS_KEY_FILE');
  if (!tlsCertFile !== !tlsKeyFile)
    throw new Error('[broker] BROKER_TLS_CERT_FILE and BROKER_TLS_KEY_FILE go together');
  return {
    port,
    dataDir: path.resolve(process.env.BROKER_DATA_DIR || path.join(repoRoot, 'data', 'broker')),
    accessFile: file('BROKER_ACCESS_FILE'),
    usersFile: file('BROKER_USERS_FILE'),
    allowAnonymous: anonymous === undefined || anonymous === '' ? undefined : anonymous === '1' || anonymous === 'true',
    tlsCertFile,
    tlsKeyFile,
  };
}
