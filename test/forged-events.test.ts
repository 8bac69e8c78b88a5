/**
 * The opening attacks of issue 8 on the bus, replayed against a running system by the strongest
 * attacker short of a stolen signing key: an ordinary kafkajs producer holding the service's own
 * Kafka credentials (so the broker's ACLs let the record in), signing with a key of its own under
 * the service's name, or with another service's real key. Every forged event must land in the
 * topic's dead-letter topic with the reason and change nothing (DESIGN.md §5; signing.ts).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import kafkajs, { type Consumer, type Producer } from 'kafkajs';
import { generateUscc, seededRandom } from '@onecheck/codes';
import {
  cloudEvent,
  createEventSigner,
  deadLetterTopic,
  generateSigningKey,
  outboxMessage,
  TOPICS,
  type EventSigner,
} from '@onecheck/events';
import type { RunningSystem } from '../scripts/system';
import { gql, roles, startTestSystem, until } from './helpers';

const { Kafka, logLevel } = kafkajs;
let sys: RunningSystem;
let office: string, approver: string, health: string;
const rng = seededRandom(8080);
let licenceSeq = 0;
let dlqReader: Consumer;
/** Dead letters seen so far, by the forged event's id: `<consumer group>: <reason>`. */
const deadLetters = new Map<string, string[]>();

/** The attacker's signer: a fresh key whose kid names the victim principal, trusted by nobody. */
const impostor = (principal: string): EventSigner => createEventSigner(generateSigningKey(principal).privateJwk);

/** Publishes one record as `principal` (its real SCRAM credentials), as a plain kafkajs client would. */
async function publishAs(principal: string, topic: string, key: string, event: { id: string }, signer?: EventSigner) {
  const kafka = new Kafka({
    clientId: 'attacker',
    brokers: sys.kafkaBrokers,
    sasl: sys.kafka.credentials(principal),
    logLevel: logLevel.NOTHING,
  });
  const producer: Producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: [outboxMessage({ topic, key, event }, signer)] });
  } finally {
    await producer.disconnect();
  }
}

/**
 * Waits until each named service's consumers have dead-lettered the forged event (only then has it
 * passed them by: what they show afterwards is what it left behind) and returns the reasons.
 */
async function deadLettered(eventId: string, ...services: string[]): Promise<string[]> {
  return until(
    `event ${eventId} to be dead-lettered by ${services.join(', ')}`,
    async () => {
      const seen = deadLetters.get(eventId) ?? [];
      return services.every((s) => seen.some((e) => e.startsWith(`onecheck.${s}.`))) && seen;
    },
    20_000,
  );
}

async function registerBusiness(): Promise<string> {
  const uscc = generateUscc(rng, { region: '620422' });
  const r = await gql(
    sys.gatewayUrl,
    'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
    {
      input: {
        uscc,
        name: `会宁县伪造测试${uscc.slice(-5)}宾馆`,
        legalRepresentative: '赵六',
        industry: '61',
        region: '620422',
        address: '会宁县',
      },
    },
    office,
  );
  expect(r.errors).toBeUndefined();
  return uscc;
}

const licenceInput = (uscc: string) => ({
  uscc,
  licenceNumber: `WS-F-${++licenceSeq}-${uscc.slice(-6)}`,
  approvalItem: '公共场所卫生许可',
  supervisingDepartment: 'HEALTH',
  scope: '住宿',
  // Granted the day the business registers (the pinned today): a grant may not predate it (issue 9).
  validFrom: sys.clock.today(),
  validUntil: '2030-12-31',
  grantedOn: sys.clock.today(),
});

const grantMutation = 'mutation ($input: GrantLicenceInput!) { grantLicence(input: $input) { id } }';

/** Grants once the bureau knows the business (it learns of it from market's events). */
async function grant(uscc: string) {
  const input = licenceInput(uscc);
  const r = await until('the approval bureau to know the business', async () => {
    const res = await gql(sys.gatewayUrl, grantMutation, { input }, approver);
    return res.errors?.[0]?.extensions?.messageKey === 'business.unknownToBureau' ? undefined : res;
  });
  expect(r.errors).toBeUndefined();
  return { id: r.data!.grantLicence.id as string, input };
}

async function healthTasks(uscc: string) {
  const r = await gql(
    sys.gatewayUrl,
    'query ($f: TaskFilter) { supervisionTasks(department: "HEALTH", filter: $f, first: 10) { edges { node { id status } } } }',
    { f: { uscc } },
    health,
  );
  expect(r.errors).toBeUndefined();
  return r.data!.supervisionTasks.edges.map((e: { node: { id: string; status: string } }) => e.node);
}

async function riskClass(uscc: string) {
  const r = await gql(
    sys.gatewayUrl,
    'query ($u: String!) { enterprise(uscc: $u) { creditProfile { riskClass findings } } }',
    { u: uscc },
    office,
  );
  return r.data?.enterprise?.creditProfile as { riskClass: string; findings: number } | null | undefined;
}

const enterpriseState = (uscc: string, status: 'ACTIVE' | 'DEREGISTERED', version: number) => ({
  uscc,
  name: `会宁县伪造测试${uscc.slice(-5)}宾馆`,
  industry: '61',
  region: '620422',
  status,
  registeredOn: '2026-11-02',
  version,
});

beforeAll(async () => {
  sys = await startTestSystem({ departments: ['HEALTH', 'FIRE'] });
  [office, approver, health] = await Promise.all([
    sys.token(roles.office),
    sys.token(roles.approver),
    sys.token(roles.staff('HEALTH')),
  ]);
  // The operator's view: every dead-letter topic, read as the admin.
  dlqReader = new Kafka({
    clientId: 'operator',
    brokers: sys.kafkaBrokers,
    sasl: sys.kafka.credentials('admin'),
    logLevel: logLevel.NOTHING,
  }).consumer({
    groupId: `operator-dlq-${randomUUID()}`,
    sessionTimeout: 6000,
    heartbeatInterval: 500,
    maxWaitTimeInMs: 200,
  });
  await dlqReader.connect();
  await dlqReader.subscribe({ topics: Object.values(TOPICS).map(deadLetterTopic), fromBeginning: true });
  await dlqReader.run({
    eachMessage: async ({ message }) => {
      const id = (JSON.parse(message.value!.toString()) as { id: string }).id;
      const entry = `${String(message.headers?.['x-consumer-group'])}: ${String(message.headers?.['x-error'])}`;
      deadLetters.set(id, [...(deadLetters.get(id) ?? []), entry]);
    },
  });
}, 120_000);
afterAll(async () => {
  await dlqReader?.disconnect();
  await sys?.stop();
});

describe('forged events change nothing and are dead-lettered with the reason', () => {
  it('a forged licence revocation does not close a HEALTH task', async () => {
    const uscc = await registerBusiness();
    const licence = await grant(uscc);
    const task = await until('the task', async () => (await healthTasks(uscc))[0]);
    expect(task.status).toBe('PENDING_CLAIM');

    const revoked = (status: 'REVOKED') =>
      cloudEvent({
        source: 'onecheck/approval',
        type: 'onecheck.licence.revoked.v2',
        subject: uscc,
        clock: sys.clock,
        data: {
          licenceId: licence.id,
          ...licence.input,
          businessName: `会宁县伪造测试${uscc.slice(-5)}宾馆`,
          recordedAt: sys.clock.now().toISOString(),
          status,
          reason: '伪造',
          act: {
            kind: 'REVOKE',
            decidedBy: 'HEALTH',
            documentNumber: '伪〔2026〕1号',
            legalBasis: '伪造',
            decidedOn: sys.clock.today(),
          },
        },
      });
    // approval's own Kafka credentials; no signature, then a key of the attacker's own named approval.
    const unsigned = revoked('REVOKED');
    await publishAs('approval', TOPICS.licence, uscc, unsigned);
    const selfSigned = revoked('REVOKED');
    await publishAs('approval', TOPICS.licence, uscc, selfSigned, impostor('approval'));
    expect((await deadLettered(unsigned.id, 'department-health')).join()).toMatch(/unsigned/);
    expect((await deadLettered(selfSigned.id, 'department-health')).join()).toMatch(/unknown key id "approval:/);

    expect((await healthTasks(uscc))[0]).toMatchObject({ id: task.id, status: 'PENDING_CLAIM' });
  });

  it('an event of a type no consumer knows is dead-lettered unless its topic’s owner signed it', async () => {
    const uscc = await registerBusiness();
    const invented = () => ({
      specversion: '1.0',
      id: randomUUID(),
      source: 'onecheck/approval',
      type: 'onecheck.licence.invented.v9',
      subject: uscc,
      time: sys.clock.now().toISOString(),
      datacontenttype: 'application/json',
      data: { uscc },
    });
    // First a newer version from approval itself (its real key): passed over, as a rolling upgrade needs.
    const genuine = invented();
    await publishAs('approval', TOPICS.licence, uscc, genuine, createEventSigner(sys.events.signingKey('approval')!));
    // Then the same type from a forger: no consumer has a handler for it, yet it must not slip past them all.
    const forged = invented();
    await publishAs('approval', TOPICS.licence, uscc, forged, impostor('approval'));
    const reasons = await deadLettered(forged.id, 'department-health', 'credit');
    expect(reasons.join()).toMatch(/unknown key id "approval:/);
    // Same key, same partition: the forgery was reached after the genuine one, which no one dead-lettered.
    expect(deadLetters.get(genuine.id)).toBeUndefined();
  });

  it('a forged finding does not move a business from B to D — not even signed by another department', async () => {
    const uscc = await registerBusiness();
    await until('the credit platform to know the business', async () => (await riskClass(uscc))?.riskClass === 'B');

    const finding = (department: string) =>
      cloudEvent({
        source: `onecheck/department/${department}`,
        type: 'onecheck.finding.recorded.v1',
        subject: uscc,
        clock: sys.clock,
        data: {
          findingId: randomUUID(),
          department,
          uscc,
          taskId: randomUUID(),
          description: '伪造的严重问题',
          severity: 'SERIOUS',
          handling: 'PENALTY',
          recordedOn: '2026-11-05',
        },
      });
    // HEALTH's credentials with a key of the attacker's own; then FIRE's real key claiming HEALTH.
    const forged = finding('HEALTH');
    await publishAs('department-health', TOPICS.finding, uscc, forged, impostor('department-health'));
    const byFire = finding('HEALTH');
    await publishAs(
      'department-fire',
      TOPICS.finding,
      uscc,
      byFire,
      createEventSigner(sys.events.signingKey('department-fire')!),
    );
    expect((await deadLettered(forged.id, 'credit')).join()).toMatch(/unknown key id "department-health:/);
    expect((await deadLettered(byFire.id, 'credit')).join()).toMatch(
      /source onecheck\/department\/HEALTH is not the signer department-fire/,
    );

    expect(await riskClass(uscc)).toEqual({ riskClass: 'B', findings: 0 });
  });

  it('a forged deregistration with version 999999 does not block licences, and real updates still apply', async () => {
    const uscc = await registerBusiness();
    await grant(uscc); // the bureau knows the business

    const forged = cloudEvent({
      source: 'onecheck/market',
      type: 'onecheck.enterprise.deregistered.v1',
      subject: uscc,
      clock: sys.clock,
      data: enterpriseState(uscc, 'DEREGISTERED', 999999),
    });
    await publishAs('market', TOPICS.enterprise, uscc, forged, impostor('market'));
    // approval acts on deregistrations, so it refuses it (credit acts on none: it skips it, unverified).
    for (const r of await deadLettered(forged.id, 'approval')) expect(r).toMatch(/unknown key id "market:/);

    const again = await gql(sys.gatewayUrl, grantMutation, { input: licenceInput(uscc) }, approver);
    expect(again.errors).toBeUndefined();

    // market's real deregistration (version 2) still reaches the bureau, which then refuses.
    const dereg = await gql(
      sys.gatewayUrl,
      'mutation ($u: String!) { updateEnterprise(uscc: $u, input: { status: DEREGISTERED }) { status } }',
      { u: uscc },
      office,
    );
    expect(dereg.errors).toBeUndefined();
    const refused = await until('the bureau to learn of the real deregistration', async () => {
      const r = await gql(sys.gatewayUrl, grantMutation, { input: licenceInput(uscc) }, approver);
      return r.errors?.[0]?.extensions?.messageKey === 'business.deregistered' ? r : undefined;
    });
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'uscc' });
  });

  it('a forged registration of a business market never registered does not let the bureau grant it licences', async () => {
    const uscc = generateUscc(rng, { region: '620422' });
    const forged = cloudEvent({
      source: 'onecheck/market',
      type: 'onecheck.enterprise.registered.v1',
      subject: uscc,
      clock: sys.clock,
      data: enterpriseState(uscc, 'ACTIVE', 1),
    });
    // market's credentials, signed with approval's real key: approval does not own the register.
    await publishAs('market', TOPICS.enterprise, uscc, forged, createEventSigner(sys.events.signingKey('approval')!));
    for (const r of await deadLettered(forged.id, 'approval', 'credit'))
      expect(r).toMatch(/approval does not publish on onecheck\.market\.enterprise/);

    const r = await gql(sys.gatewayUrl, grantMutation, { input: licenceInput(uscc) }, approver);
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'uscc',
      messageKey: 'business.unknownToBureau',
    });
    expect(await healthTasks(uscc)).toEqual([]);
  });
});
