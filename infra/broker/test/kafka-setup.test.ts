/**
 * Real Kafka and the stand-in get their users, topics and ACLs from the same file: the
 * generated infra/kafka/setup.sh and kafka.env are current, and the ACLs they create allow
 * exactly what the stand-in's authorizer allows (Kafka's rules applied to the parsed commands).
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { authorizerFor, groupMatches, type TopicOperation } from '../src/auth/access';
import { kafkaAcls, kafkaSetupScript } from '../src/auth/kafkaSetup';
import { loadAccessFile, validateAccess } from '../src/index';
import { ACCESS_FILE, generatedKafkaFiles } from '../src/kafkaSetupCli';

const def = loadAccessFile(ACCESS_FILE);

interface ParsedSetup {
  topics: Map<string, number>;
  users: Set<string>;
  acls: { principal: string; operation: string; resource: string; name: string; pattern: string }[];
  superUsers: Set<string>;
}

/** Reads the commands back the way Kafka's tools would take them. */
function parse(script: string, env: string): ParsedSetup {
  const out: ParsedSetup = { topics: new Map(), users: new Set(), acls: [], superUsers: new Set() };
  const arg = (line: string, name: string) => new RegExp(`--${name} (\\S+)`).exec(line)?.[1];
  for (const line of script.split('\n').map((l) => l.trim())) {
    if (line.includes('/kafka-topics.sh')) out.topics.set(arg(line, 'topic')!, Number(arg(line, 'partitions')));
    if (line.includes('/kafka-configs.sh')) {
      expect(line).toMatch(
        /--add-config "SCRAM-SHA-256=\[iterations=\d+,password=\$\{KAFKA_PASSWORD_[A-Z_]+:\?}],SCRAM-SHA-512=/,
      );
      out.users.add(arg(line, 'entity-name')!);
    }
    if (line.includes('/kafka-acls.sh')) {
      const resource = line.includes(' --topic ') ? 'topic' : 'group';
      out.acls.push({
        principal: arg(line, 'allow-principal')!.replace(/^User:/, ''),
        operation: arg(line, 'operation')!,
        resource,
        name: arg(line, resource)!,
        pattern: arg(line, 'resource-pattern-type')!,
      });
    }
  }
  const supers = /^KAFKA_SUPER_USERS=(.*)$/m.exec(env)?.[1] ?? '';
  for (const u of supers.split(';').filter(Boolean)) out.superUsers.add(u.replace(/^User:/, ''));
  expect(env).toMatch(/^KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND=false$/m);
  return out;
}

/** Kafka's decision over the parsed ACLs (Read or Write imply Describe; super users may do anything). */
function kafkaAllows(s: ParsedSetup, principal: string, op: TopicOperation, topic: string): boolean {
  if (s.superUsers.has(principal)) return true;
  const ops = s.acls.filter((a) => a.principal === principal && a.resource === 'topic' && a.name === topic);
  const has = (o: string) => ops.some((a) => a.operation === o);
  return op === 'write' ? has('Write') : op === 'read' ? has('Read') : has('Describe') || has('Read') || has('Write');
}
function kafkaAllowsGroup(s: ParsedSetup, principal: string, group: string): boolean {
  if (s.superUsers.has(principal)) return true;
  return s.acls.some(
    (a) =>
      a.principal === principal &&
      a.resource === 'group' &&
      a.operation === 'Read' &&
      (a.pattern === 'prefixed' ? group.startsWith(a.name) : group === a.name),
  );
}

describe('real Kafka setup generated from infra/kafka/access.json', () => {
  it('the generated files are current (run `npm run -w @onecheck/broker kafka-setup` after editing access.json)', () => {
    for (const { file, content } of generatedKafkaFiles()) {
      expect(fs.readFileSync(file, 'utf8'), `${file} is stale`).toBe(content);
    }
  });

  it("compose's topics, users and ACLs allow exactly what the stand-in allows", () => {
    const [script, env] = generatedKafkaFiles().map((f) => fs.readFileSync(f.file, 'utf8'));
    const s = parse(script!, env!);
    expect(Object.fromEntries(s.topics)).toEqual(
      Object.fromEntries(Object.entries(def.topics).map(([n, t]) => [n, t.partitions])),
    );
    expect([...s.users].sort()).toEqual(Object.keys(def.principals).sort());
    expect(s.acls).toHaveLength(kafkaAcls(def).length);

    const broker = authorizerFor(def);
    const principals = [...Object.keys(def.principals), 'stranger', 'ANONYMOUS'];
    const topics = [...Object.keys(def.topics), 'some.other.topic'];
    const groups = [
      ...principals.map((p) => `onecheck.${p}.consumer`),
      'onecheck.credit.enterprises',
      'onecheck.department-health.licences',
      'onecheck.department-health', // the prefix without its dot is another service's name space
      'outside-consumer.demo',
      'anything',
    ];
    let checked = 0;
    for (const p of principals) {
      for (const t of topics) {
        for (const op of ['write', 'read', 'describe'] as const) {
          expect(broker.topic(p, op, t), `${p} ${op} ${t}`).toBe(kafkaAllows(s, p, op, t));
          checked++;
        }
      }
      for (const g of groups) expect(broker.group(p, g), `${p} group ${g}`).toBe(kafkaAllowsGroup(s, p, g));
      expect(broker.cluster(p), `${p} cluster`).toBe(s.superUsers.has(p));
    }
    expect(checked).toBeGreaterThan(400);
  });

  it('group prefixes and validation', () => {
    expect(groupMatches('onecheck.credit.*', 'onecheck.credit.findings')).toBe(true);
    expect(groupMatches('onecheck.credit.*', 'onecheck.creditx.findings')).toBe(false);
    expect(groupMatches('exact', 'exact')).toBe(true);
    expect(() => validateAccess({ topics: { t: { partitions: 0 } }, principals: { p: { writes: ['u'] } } })).toThrow(
      /partitions must be >= 1[\s\S]*not in `topics`/,
    );
    // A definition with an anonymous grant renders ACLs for User:ANONYMOUS but no SCRAM user.
    const withAnonymous = validateAccess({
      topics: { t: { partitions: 1 } },
      principals: { ANONYMOUS: { reads: ['t'] } },
    });
    const script = kafkaSetupScript(withAnonymous);
    expect(script).toContain('--allow-principal User:ANONYMOUS --operation Read --topic t');
    expect(script).not.toContain('--entity-name ANONYMOUS');
  });
});
