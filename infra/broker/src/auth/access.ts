/**
 * Who may do what on the bus: the one access definition (infra/kafka/access.json), read by
 * the stand-in broker (which enforces it) and by the generator of real Kafka's users, topics
 * and ACLs (./kafkaSetup.ts), so both brokers apply the same rules.
 *
 * Model (Kafka's, reduced to what the services need):
 * - `topics`: every topic a deployment has, with its partition count; created at start.
 * - `principals`: SASL user names. A principal with `superUser` may do anything (Kafka's
 *   `super.users`). Others get exactly:
 *     writes → Produce (and Describe) on those topics;
 *     reads  → Fetch, ListOffsets, OffsetCommit/OffsetFetch (and Describe) on those topics;
 *     groups → every group API on those group ids; an entry ending in `*` is a prefix.
 *   Nothing else: no topic creation or deletion, no other group (Kafka's
 *   `allow.everyone.if.no.acl.found=false`).
 */
import fs from 'node:fs';
import { isValidTopicName } from '../storage/topicName';

export interface PrincipalAccess {
  /** Why this principal exists (shown in the generated commands). */
  description?: string;
  superUser?: boolean;
  writes?: string[];
  reads?: string[];
  groups?: string[];
}

export interface AccessDefinition {
  /** `config`: topic settings for real Kafka (kafka-topics --config), e.g. retention.ms = -1 for records kept for ever. */
  topics: Record<string, { partitions: number; config?: Record<string, string> }>;
  principals: Record<string, PrincipalAccess>;
}

export type TopicOperation = 'write' | 'read' | 'describe';

/**
 * Kafka's name for a connection that did not authenticate (only when anonymous access is
 * allowed). It has no password; the definition may grant it access like any principal.
 */
export const ANONYMOUS = 'ANONYMOUS';

const PRINCIPAL_NAME = /^[A-Za-z0-9._-]{1,128}$/;
const GROUP_PATTERN = /^[A-Za-z0-9._-]+\*?$/;

/** Checks the shape and cross-references of a definition; throws with every problem found. */
export function validateAccess(raw: unknown): AccessDefinition {
  const problems: string[] = [];
  const def = raw as AccessDefinition;
  if (typeof raw !== 'object' || raw === null) throw new Error('access definition: not an object');
  if (typeof def.topics !== 'object' || def.topics === null) problems.push('`topics` must be an object');
  if (typeof def.principals !== 'object' || def.principals === null) problems.push('`principals` must be an object');
  if (problems.length) throw new Error(`access definition: ${problems.join('; ')}`);
  for (const [name, t] of Object.entries(def.topics)) {
    if (!isValidTopicName(name)) problems.push(`topic ${JSON.stringify(name)}: invalid name`);
    if (!Number.isInteger(t?.partitions) || t.partitions < 1) problems.push(`topic ${name}: partitions must be >= 1`);
    for (const [key, value] of Object.entries(t?.config ?? {}))
      if (!/^[a-z.]+$/.test(key) || !/^[A-Za-z0-9.,_-]+$/.test(String(value)))
        problems.push(`topic ${name}: config ${JSON.stringify(key)}=${JSON.stringify(value)} is not a plain setting`);
  }
  for (const [name, p] of Object.entries(def.principals)) {
    if (!PRINCIPAL_NAME.test(name)) problems.push(`principal ${JSON.stringify(name)}: invalid name`);
    for (const key of ['writes', 'reads', 'groups'] as const) {
      const list = p[key];
      if (list === undefined) continue;
      if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) {
        problems.push(`principal ${name}: \`${key}\` must be a list of names`);
        continue;
      }
      for (const x of list) {
        if (key === 'groups') {
          if (!GROUP_PATTERN.test(x)) problems.push(`principal ${name}: invalid group ${JSON.stringify(x)}`);
        } else if (!Object.hasOwn(def.topics, x)) {
          problems.push(`principal ${name}: ${key} ${JSON.stringify(x)}, which is not in \`topics\``);
        }
      }
    }
  }
  if (problems.length) throw new Error(`access definition:\n  ${problems.join('\n  ')}`);
  return def;
}

export function loadAccessFile(file: string): AccessDefinition {
  return validateAccess(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** Does `group` match an entry of a `groups` list (`*` at the end = prefix)? */
export function groupMatches(pattern: string, group: string): boolean {
  return pattern.endsWith('*') ? group.startsWith(pattern.slice(0, -1)) : group === pattern;
}

/** The broker's decisions for a principal (a user name, or ANONYMOUS). */
export interface Authorizer {
  readonly enforced: boolean;
  topic(principal: string, op: TopicOperation, topic: string): boolean;
  group(principal: string, group: string): boolean;
  /** CreateTopics, DeleteTopics and auto-creation through Metadata. */
  cluster(principal: string): boolean;
}

export const allowAll: Authorizer = { enforced: false, topic: () => true, group: () => true, cluster: () => true };

export function authorizerFor(def: AccessDefinition): Authorizer {
  const of = (principal: string) => (Object.hasOwn(def.principals, principal) ? def.principals[principal] : undefined);
  return {
    enforced: true,
    topic(principal, op, topic) {
      const p = of(principal);
      if (!p) return false;
      if (p.superUser) return true;
      const writes = p.writes?.includes(topic) ?? false;
      const reads = p.reads?.includes(topic) ?? false;
      // Kafka: Read or Write on a topic implies Describe.
      return op === 'write' ? writes : op === 'read' ? reads : writes || reads;
    },
    group(principal, group) {
      const p = of(principal);
      if (!p) return false;
      return p.superUser === true || (p.groups ?? []).some((g) => groupMatches(g, group));
    },
    cluster(principal) {
      return of(principal)?.superUser === true;
    },
  };
}
