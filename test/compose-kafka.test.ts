/**
 * docker-compose's Kafka is configured from the same file as the stand-in (infra/kafka/access.json),
 * checked without a Docker engine: the compose file gives each service its own principal and only
 * its own password, the setup job every principal's; and infra/kafka/compose-kafka.sh, run here
 * with Kafka's tools replaced by recorders, starts Kafka on SASL_SSL with SCRAM and the generated
 * ACL settings, formats it with the admin, and creates exactly the users of the access file with the
 * passwords of the secrets. (infra/broker/test/kafka-setup.test.ts proves the ACLs setup.sh applies
 * allow exactly what the stand-in allows.)
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACCESS_FILE, loadAccessFile } from '@onecheck/broker';
import { ensureAllComposeSecrets } from '../scripts/compose-secrets';
import { childEnv } from './env';

const root = join(import.meta.dirname, '..');
const access = loadAccessFile(ACCESS_FILE);
const principals = Object.keys(access.principals);
interface Service {
  build?: unknown;
  entrypoint?: string[];
  environment?: Record<string, string>;
  secrets?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  secrets: Record<string, { file: string }>;
};
const built = Object.entries(compose.services).filter(([, s]) => s.build);

let dir: string;
let secrets: string;
let log: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'compose-kafka-'));
  secrets = join(dir, 'secrets');
  ensureAllComposeSecrets(secrets);
  // Kafka's tools, replaced by scripts that record how they were called.
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  log = join(dir, 'calls.log');
  for (const tool of [
    'kafka-storage.sh',
    'kafka-server-start.sh',
    'kafka-topics.sh',
    'kafka-configs.sh',
    'kafka-acls.sh',
    'kafka-broker-api-versions.sh',
  ]) {
    const file = join(bin, tool);
    writeFileSync(file, `#!/bin/sh\necho "${tool} $*" >> "${log}"\n[ "$1" = random-uuid ] && echo cluster-1\nexit 0\n`);
    chmodSync(file, 0o755);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(mode: string) {
  writeFileSync(log, '');
  const r = spawnSync('/bin/sh', [join(root, 'infra/kafka/compose-kafka.sh'), mode], {
    env: childEnv({
      KAFKA_BIN: join(dir, 'bin'),
      SECRETS: secrets,
      WORK: join(dir, 'work'),
      KAFKA_DATA_DIR: join(dir, 'data'),
    }),
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}
const password = (principal: string) => readFileSync(join(secrets, `kafka-password-${principal}`), 'utf8').trim();

describe("docker-compose's Kafka", () => {
  it('gives each service its own principal of access.json, its own password and the CA, nothing else', () => {
    for (const [name, service] of built.filter(([, s]) => s.environment?.KAFKA_BROKERS)) {
      const env = service.environment!;
      const user = env.KAFKA_USERNAME!;
      expect(principals, name).toContain(user);
      if (env.DEPARTMENT) expect(user).toBe(`department-${env.DEPARTMENT.toLowerCase()}`);
      expect(env.KAFKA_PASSWORD_FILE).toBe(`/run/secrets/kafka-password-${user}`);
      expect(env.KAFKA_SSL).toBe('1');
      expect(env.KAFKA_CA_FILE).toBe('/run/secrets/kafka-ca.crt');
      // Its own event-signing key too (and the trusted public keys), no one else's.
      expect(service.secrets?.sort(), name).toEqual(
        ['kafka-ca.crt', `kafka-password-${user}`, `event-signing-${user}.jwk.json`, 'event-jwks.json'].sort(),
      );
      expect(env.EVENT_SIGNING_KEY_FILE).toBe(`/run/secrets/event-signing-${user}.jwk.json`);
      const key = JSON.parse(readFileSync(join(secrets, `event-signing-${user}.jwk.json`), 'utf8')) as { kid: string };
      expect(key.kid.startsWith(`${user}:`), name).toBe(true);
      expect(service.depends_on?.['kafka-setup']?.condition).toBe('service_completed_successfully');
    }
    expect(compose.services.gateway!.secrets ?? []).not.toContainEqual(expect.stringMatching(/^kafka-password/));
  });

  it('declares every secret compose-secrets makes, and the setup job has every principal', () => {
    const made = ensureAllComposeSecrets(secrets);
    expect(Object.keys(compose.secrets).sort()).toEqual([...made].sort());
    for (const name of made) expect(compose.secrets[name]!.file).toBe(`./data/compose/secrets/${name}`);
    expect(compose.services['kafka-setup']!.secrets!.sort()).toEqual(
      [...principals.map((p) => `kafka-password-${p}`), 'kafka-ca.crt'].sort(),
    );
    expect(compose.services.kafka!.secrets!.sort()).toEqual(
      ['kafka-password-admin', 'kafka-ca.crt', 'kafka-broker.pem'].sort(),
    );
  });

  it('starts Kafka on SASL_SSL with SCRAM, the controller on loopback, no access without an ACL, and the admin made at format', () => {
    expect(compose.services.kafka!.entrypoint).toEqual(['/bin/sh', '/opt/onecheck/kafka/compose-kafka.sh', 'start']);
    const calls = run('start');
    const props = readFileSync(join(dir, 'work', 'server.properties'), 'utf8');
    expect(props).toMatch(/^listeners=SASL_SSL:\/\/:9092,CONTROLLER:\/\/localhost:9093$/m);
    expect(props).toMatch(/^listener\.security\.protocol\.map=CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL$/m);
    expect(props).toMatch(/^inter\.broker\.listener\.name=SASL_SSL$/m);
    expect(props).toMatch(/^allow\.everyone\.if\.no\.acl\.found=false$/m);
    expect(props).toMatch(/^super\.users=User:admin$/m);
    expect(props).toMatch(/^authorizer\.class\.name=org\.apache\.kafka\.metadata\.authorizer\.StandardAuthorizer$/m);
    expect(props).toMatch(/^sasl\.enabled\.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512$/m);
    expect(props).toMatch(/^auto\.create\.topics\.enable=false$/m);
    expect(props).not.toMatch(/PLAINTEXT:\/\/:|SASL_PLAINTEXT/);
    const format = calls.find((c) => c.startsWith('kafka-storage.sh format'))!;
    expect(format).toContain(`SCRAM-SHA-512=[name=admin,iterations=8192,password=${password('admin')}]`);
    expect(calls.at(-1)).toBe(`kafka-server-start.sh ${join(dir, 'work', 'server.properties')}`);
  });

  it('the setup job creates the topics and exactly the users of access.json, with the passwords of the secrets', () => {
    const calls = run('setup');
    const users = calls.filter((c) => c.startsWith('kafka-configs.sh')).map((c) => /--entity-name (\S+)/.exec(c)![1]!);
    expect(users.sort()).toEqual([...principals].sort());
    for (const p of principals) {
      const line = calls.find((c) => c.includes(`--entity-name ${p} `))!;
      expect(line).toContain(`password=${password(p)}]`);
    }
    const topics = calls.filter((c) => c.startsWith('kafka-topics.sh')).map((c) => /--topic (\S+)/.exec(c)![1]);
    expect(topics.sort()).toEqual(Object.keys(access.topics).sort());
    expect(calls.filter((c) => c.startsWith('kafka-acls.sh')).length).toBeGreaterThan(principals.length);
    // As the admin, over SASL_SSL, verifying the broker against the CA.
    const adminConfig = readFileSync(join(dir, 'work', 'admin.properties'), 'utf8');
    expect(adminConfig).toContain('security.protocol=SASL_SSL');
    expect(adminConfig).toContain(`username="admin" password="${password('admin')}"`);
    expect(adminConfig).toContain(`ssl.truststore.location=${secrets}/kafka-ca.crt`);
  });
});
