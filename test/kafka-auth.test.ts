/**
 * The bus as an attacker on the same network meets it (issue 8, DESIGN §5): an ordinary Kafka
 * client (kafkajs) against the broker of a running system, which authenticates every client with
 * SASL/SCRAM and enforces infra/kafka/access.json. Without credentials it is refused; the demo
 * outside consumer reads the public topics (licences, findings) and nothing more; a service's own
 * credentials write only that service's topics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import kafkajs, { type Consumer, type SASLOptions } from 'kafkajs';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { createBus, TOPICS } from '@onecheck/events';
import { createLogger } from '@onecheck/kit';
import type { RunningSystem } from '../scripts/system';
import { gql, roles, startTestSystem, until } from './helpers';

const { Kafka, logLevel } = kafkajs;
let sys: RunningSystem;
const rng = seededRandom(808);
const consumers: Consumer[] = [];

/** A plain kafkajs client as anyone would write it; no retries, so a refusal surfaces at once. */
function client(sasl?: SASLOptions) {
  return new Kafka({
    clientId: 'outsider',
    brokers: sys.kafkaBrokers,
    sasl,
    connectionTimeout: 3000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
}
const as = (principal: string) => client(sys.kafka.credentials(principal));

/** What a refusal says (kafkajs wraps the broker's error in its own). */
function reason(err: unknown): string {
  const e = err as { type?: string; message?: string; originalError?: unknown; cause?: unknown; errors?: unknown[] };
  const inner = [e.originalError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])].filter(Boolean);
  return [e.type, e.message, ...inner.map(reason)].filter(Boolean).join(' / ');
}
async function refusal(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
  } catch (err) {
    return reason(err);
  }
  throw new Error('the broker allowed it');
}

/** Every topic as the admin sees it. */
async function topicsNow(): Promise<string[]> {
  const admin = as('admin').admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

beforeAll(async () => {
  sys = await startTestSystem();
}, 120_000);
afterAll(async () => {
  await Promise.all(consumers.map((c) => c.disconnect().catch(() => {})));
  await sys?.stop();
});

describe('a Kafka client without credentials', () => {
  it('is refused on connect: it can neither list, read nor write a topic', async () => {
    const anonymous = client();
    expect(
      await refusal(async () => {
        const admin = anonymous.admin();
        await admin.connect();
        try {
          await admin.listTopics();
        } finally {
          await admin.disconnect();
        }
      }),
    ).not.toBe('');
    const producer = anonymous.producer();
    expect(
      await refusal(async () => {
        await producer.connect();
        await producer.send({ topic: TOPICS.licence, messages: [{ key: 'x', value: '{}' }] });
      }),
    ).not.toBe('');
    await producer.disconnect().catch(() => {});
  });

  it('is refused with a wrong password for a real principal', async () => {
    const admin = client({ mechanism: 'scram-sha-256', username: 'approval', password: 'guessed' }).admin();
    expect(await refusal(() => admin.connect())).toMatch(/SASL|authentication/i);
    await admin.disconnect().catch(() => {});
  });
});

describe("the demo outside consumer's read-only credentials", () => {
  it('read the licence topic: a licence granted through the gateway arrives', async () => {
    const [office, approver] = await Promise.all([sys.token(roles.office), sys.token(roles.approver)]);
    const uscc = generateUscc(rng, { region: '620422' });
    const registered = await gql(
      sys.gatewayUrl,
      'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
      {
        input: {
          uscc,
          name: `会宁县总线测试${uscc.slice(-5)}宾馆`,
          legalRepresentative: '赵六',
          industry: '61',
          region: '620422',
          address: '会宁县',
        },
      },
      office,
    );
    expect(registered.errors).toBeUndefined();
    const input = {
      uscc,
      licenceNumber: `WS-BUS-${uscc.slice(-6)}`,
      approvalItem: '公共场所卫生许可',
      supervisingDepartment: 'HEALTH',
      scope: '住宿',
      validFrom: '2026-11-20',
      validUntil: '2030-12-31',
      grantedOn: sys.clock.today(), // the registration day: a grant may not predate it (issue 9)
    };
    await until('the bureau to grant the licence', async () => {
      const r = await gql(
        sys.gatewayUrl,
        'mutation ($input: GrantLicenceInput!) { grantLicence(input: $input) { id } }',
        { input },
        approver,
      );
      return r.errors?.[0]?.extensions?.field === 'uscc' ? undefined : r;
    });

    const seen: string[] = [];
    const consumer = as('outside-consumer').consumer({
      groupId: 'outside-consumer.licences',
      sessionTimeout: 6000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 200,
    });
    consumers.push(consumer);
    await consumer.connect();
    // Both public topics: a topic it may not read would fail the subscription.
    await consumer.subscribe({ topics: [TOPICS.licence, TOPICS.finding], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value?.toString() ?? '') });
    await until('the licence on the outside consumer', async () => seen.some((v) => v.includes(uscc)), 20_000);
    await consumer.disconnect();
  });

  it('cannot produce, not even to a topic it reads', async () => {
    const producer = as('outside-consumer').producer();
    await producer.connect();
    for (const topic of [TOPICS.licence, TOPICS.enterprise, TOPICS.finding]) {
      expect(await refusal(() => producer.send({ topic, messages: [{ key: 'k', value: '{}' }] }))).toMatch(
        /TOPIC_AUTHORIZATION_FAILED|not authorized/i,
      );
    }
    await producer.disconnect();
  });

  it('cannot create or delete topics: the catalogue stays as setup made it', async () => {
    const before = await topicsNow();
    const admin = as('outside-consumer').admin();
    await admin.connect();
    expect(
      await refusal(() => admin.createTopics({ topics: [{ topic: 'attack.huge', numPartitions: 1_000_000 }] })),
    ).toMatch(/AUTHORIZATION_FAILED|not authorized/i);
    expect(await refusal(() => admin.deleteTopics({ topics: [TOPICS.licence] }))).toMatch(
      /AUTHORIZATION_FAILED|not authorized/i,
    );
    await admin.disconnect();
    expect((await topicsNow()).sort()).toEqual(before.sort());
    expect(before).toContain(TOPICS.licence);
  });

  it("cannot join a service's consumer group (which would take events from it)", async () => {
    const group = 'onecheck.department-health.licences';
    // kafkajs reports only "Failed to find group coordinator"; the broker's answer is in its debug log.
    const logged: string[] = [];
    const consumer = new Kafka({
      clientId: 'outsider',
      brokers: sys.kafkaBrokers,
      sasl: sys.kafka.credentials('outside-consumer'),
      retry: { retries: 0 },
      logLevel: logLevel.DEBUG,
      logCreator: () => (entry) => void logged.push(JSON.stringify(entry.log)),
    }).consumer({ groupId: group });
    consumers.push(consumer);
    const crashed = new Promise<string>((resolve) =>
      consumer.on(consumer.events.CRASH, ({ payload }) => resolve(reason(payload.error))),
    );
    const received: unknown[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPICS.licence], fromBeginning: true });
    await consumer.run({ eachMessage: async (m) => void received.push(m) }).catch(() => {});
    await crashed;
    await consumer.disconnect();
    expect(logged.join('\n')).toContain('GROUP_AUTHORIZATION_FAILED');
    expect(received).toEqual([]);
    // HEALTH's group is HEALTH's alone.
    const admin = new Kafka({ brokers: sys.kafkaBrokers, sasl: sys.kafka.credentials('admin') }).admin();
    await admin.connect();
    const { groups } = await admin.describeGroups([group]);
    await admin.disconnect();
    expect(groups[0]!.members.length).toBeGreaterThan(0);
    expect(groups[0]!.members.every((m) => m.clientId === 'onecheck-department-health')).toBe(true);
  });
});

describe("a service's own credentials", () => {
  it("cannot write another service's topic (HEALTH cannot revoke a licence or register a business)", async () => {
    const producer = as('department-health').producer();
    await producer.connect();
    for (const topic of [TOPICS.licence, TOPICS.enterprise, TOPICS.credit]) {
      expect(await refusal(() => producer.send({ topic, messages: [{ key: 'k', value: '{}' }] }))).toMatch(
        /TOPIC_AUTHORIZATION_FAILED|not authorized/i,
      );
    }
    await producer.disconnect();
  });

  it('need no right to create topics: a service bus asked to ensure them goes on without', async () => {
    const bus = createBus({
      brokers: sys.kafkaBrokers,
      clientId: 'onecheck-market',
      logger: createLogger('bus', 'silent'),
      sasl: sys.kafka.credentials('market'),
    });
    await expect(bus.ensureTopics(['onecheck.market.unlisted'])).resolves.toBeUndefined();
    await bus.disconnect();
    expect(await topicsNow()).not.toContain('onecheck.market.unlisted');
  });
});
