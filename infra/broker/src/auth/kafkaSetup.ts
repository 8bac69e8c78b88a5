/**
 * Real Kafka's side of the access definition: the same topics, SCRAM users and ACLs the
 * stand-in enforces, as the commands Kafka's own tools take (kafka-topics, kafka-configs,
 * kafka-acls from the apache/kafka image that docker-compose runs) and the broker settings
 * they rely on. `kafkaAcls()` is the structured form; the test parses the rendered script back
 * and checks that it allows exactly what the stand-in's authorizer allows.
 */
import { SCRAM_MECHANISMS } from './scram';
import { ANONYMOUS, type AccessDefinition } from './access';

export interface KafkaAcl {
  principal: string;
  /** Kafka operation names. */
  operation: 'Read' | 'Write' | 'Describe';
  resource: 'topic' | 'group';
  name: string;
  pattern: 'literal' | 'prefixed';
}

/** The ACLs a definition grants (super users get none: `super.users` covers them). */
export function kafkaAcls(def: AccessDefinition): KafkaAcl[] {
  const out: KafkaAcl[] = [];
  for (const [principal, p] of Object.entries(def.principals)) {
    if (p.superUser) continue;
    const topic = (operation: KafkaAcl['operation'], name: string) =>
      out.push({ principal, operation, resource: 'topic', name, pattern: 'literal' });
    for (const t of p.writes ?? []) {
      topic('Write', t);
      topic('Describe', t);
    }
    for (const t of p.reads ?? []) {
      topic('Read', t);
      topic('Describe', t);
    }
    for (const g of p.groups ?? []) {
      const prefixed = g.endsWith('*');
      out.push({
        principal,
        operation: 'Read',
        resource: 'group',
        name: prefixed ? g.slice(0, -1) : g,
        pattern: prefixed ? 'prefixed' : 'literal',
      });
    }
  }
  return out;
}

export const superUsers = (def: AccessDefinition) =>
  Object.entries(def.principals)
    .filter(([, p]) => p.superUser)
    .map(([name]) => name);

/** `department-health` → `KAFKA_PASSWORD_DEPARTMENT_HEALTH`: where compose passes each password. */
export const passwordVariable = (principal: string) =>
  `KAFKA_PASSWORD_${principal.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/** SCRAM iterations real Kafka stores (its minimum is 4096). */
export const KAFKA_SCRAM_ITERATIONS = 8192;

/** Kafka broker settings (apache/kafka image environment) the ACLs depend on. */
export function kafkaBrokerEnv(def: AccessDefinition): Record<string, string> {
  return {
    KAFKA_AUTHORIZER_CLASS_NAME: 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND: 'false',
    KAFKA_SUPER_USERS: superUsers(def)
      .map((u) => `User:${u}`)
      .join(';'),
    KAFKA_SASL_ENABLED_MECHANISMS: SCRAM_MECHANISMS.join(','),
  };
}

/** A topic's settings as kafka-topics options (access.json `config`). */
const topicConfig = (config: Record<string, string> = {}) =>
  Object.entries(config)
    .map(([k, v]) => ` --config ${q(`${k}=${v}`)}`)
    .join('');

const q = (s: string) => (/^[A-Za-z0-9._:/=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * The setup script for real Kafka (POSIX sh). `format-args` prints the `kafka-storage format`
 * arguments that create the super users' credentials before the first start (nobody can
 * authenticate to create them later otherwise); `apply` creates topics, users and ACLs through
 * the admin's SASL connection. Both are idempotent.
 */
export function kafkaSetupScript(def: AccessDefinition, opts: { replicationFactor?: number } = {}): string {
  const rf = opts.replicationFactor ?? 1;
  const tool = (name: string, args: string) =>
    `"$KAFKA_BIN/${name}.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" ${args}`;
  const scram = (principal: string) => {
    const pw = `\${${passwordVariable(principal)}:?}`;
    return SCRAM_MECHANISMS.map((m) => `${m}=[iterations=${KAFKA_SCRAM_ITERATIONS},password=${pw}]`).join(',');
  };
  const formatArgs = superUsers(def).flatMap((u) =>
    SCRAM_MECHANISMS.map(
      (m) =>
        `--add-scram "${m}=[name=${u},iterations=${KAFKA_SCRAM_ITERATIONS},password=\${${passwordVariable(u)}:?}]"`,
    ),
  );
  const users = Object.keys(def.principals).filter((p) => p !== ANONYMOUS);
  const lines = [
    '#!/bin/sh',
    '# GENERATED from infra/kafka/access.json by `npm run -w @onecheck/broker kafka-setup`: do not edit.',
    '# The same topics, SCRAM users and ACLs the stand-in broker (infra/broker) enforces.',
    '#',
    '#   setup.sh format-args  prints the `kafka-storage.sh format` arguments creating the super users',
    "#                         (before the broker's first start: no one could authenticate to add them later)",
    '#   setup.sh apply        creates topics, users and ACLs as the admin (idempotent)',
    '#',
    '# Environment: KAFKA_BIN (default /opt/kafka/bin), BOOTSTRAP (host:port of the SASL listener),',
    "# ADMIN_CONFIG (the admin's client properties: security.protocol, sasl.mechanism, sasl.jaas.config),",
    `# and one password per principal: ${users.map(passwordVariable).join(', ')}.`,
    '# Passwords must not contain "," "]" or "=" (kafka-configs syntax): use hex or base64url.',
    '#',
    '# Broker settings these ACLs assume (see infra/kafka/kafka.env):',
    ...Object.entries(kafkaBrokerEnv(def)).map(([k, v]) => `#   ${k}=${v}`),
    'set -eu',
    'KAFKA_BIN="${KAFKA_BIN:-/opt/kafka/bin}"',
    '',
    'case "${1:-}" in',
    'format-args)',
    `  printf '%s\\n' ${formatArgs.join(' ')}`,
    '  ;;',
    'apply)',
    '  : "${BOOTSTRAP:?}" "${ADMIN_CONFIG:?}"',
    '  # Topics',
    ...Object.entries(def.topics).map(
      ([name, t]) =>
        `  ${tool('kafka-topics', `--create --if-not-exists --topic ${q(name)} --partitions ${t.partitions} --replication-factor ${rf}${topicConfig(t.config)}`)}`,
    ),
    '  # Users (SCRAM credentials; Kafka stores only salted keys)',
    ...users.map(
      (u) =>
        `  ${tool('kafka-configs', `--alter --entity-type users --entity-name ${q(u)} --add-config "${scram(u)}"`)}`,
    ),
    '  # ACLs (allow.everyone.if.no.acl.found=false: nothing else is allowed)',
    ...kafkaAcls(def).map(
      (a) =>
        `  ${tool(
          'kafka-acls',
          `--add --allow-principal ${q(`User:${a.principal}`)} --operation ${a.operation} --${a.resource} ${q(a.name)}` +
            ` --resource-pattern-type ${a.pattern}`,
        )}`,
    ),
    '  ;;',
    '*)',
    '  echo "usage: $0 format-args|apply" >&2',
    '  exit 2',
    '  ;;',
    'esac',
    '',
  ];
  return lines.join('\n');
}

/** infra/kafka/kafka.env: the Kafka service's settings derived from the definition. */
export function kafkaEnvFile(def: AccessDefinition): string {
  return [
    '# GENERATED from infra/kafka/access.json by `npm run -w @onecheck/broker kafka-setup`: do not edit.',
    "# ACL settings for docker-compose's Kafka (an env_file of the kafka service).",
    ...Object.entries(kafkaBrokerEnv(def)).map(([k, v]) => `${k}=${v}`),
    '',
  ].join('\n');
}
