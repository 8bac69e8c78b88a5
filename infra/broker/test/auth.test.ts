/**
 * SASL/SCRAM and ACLs with real clients: kafkajs (and kcat, in kcat-sasl.test.ts) against the
 * access definition of infra/kafka/access.json, with a password per principal.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Consumer, type KafkaMessage, type SASLOptions } from 'kafkajs';
import { loadAccessFile, usersFromPasswords, type AccessDefinition } from '../src/index';
import { Reader, Writer } from '../src/protocol/codec';
import { ApiKey, ErrorCode } from '../src/protocol/constants';
import { encodeRequest, RawClient, startTestBroker, uid, waitFor, type TestBroker } from './helpers';
import { verbose } from './env';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const access: AccessDefinition = loadAccessFile(path.join(repoRoot, 'infra/kafka/access.json'));

const ENTERPRISE = 'onecheck.market.enterprise';
const LICENCE = 'onecheck.approval.licence';
const FINDING = 'onecheck.department.finding';
/** The signing keys' topic: every principal reads it (packages/events/src/signing.ts). */
const KEYS = 'onecheck.security.keys';

/** A password for every principal of the definition (hex: safe for kafka-configs and kcat too). */
const passwords: Record<string, string> = Object.fromEntries(
  Object.keys(access.principals).map((p) => [p, randomBytes(16).toString('hex')]),
);

function client(brokers: string, sasl?: SASLOptions): Kafka {
  return new Kafka({
    clientId: uid('auth'),
    brokers: [brokers],
    sasl,
    logLevel: verbose ? logLevel.INFO : logLevel.NOTHING,
    retry: { initialRetryTime: 100, retries: 2 },
  });
}
const as = (user: string, mechanism: 'scram-sha-256' | 'scram-sha-512' = 'scram-sha-256'): SASLOptions =>
  mechanism === 'scram-sha-256'
    ? { mechanism, username: user, password: passwords[user]! }
    : { mechanism, username: user, password: passwords[user]! };

const fastGroup = (groupId: string) => ({
  groupId,
  sessionTimeout: 6000,
  heartbeatInterval: 500,
  rebalanceTimeout: 10000,
  maxWaitTimeInMs: 300,
  retry: { initialRetryTime: 100, retries: 2 },
});

/** Consumes `topic` from the beginning in group `groupId` until `want` values were seen. */
async function consumeValues(kafka: Kafka, topic: string, groupId: string, want: string[]): Promise<void> {
  const consumer = kafka.consumer(fastGroup(groupId));
  const seen = new Set<string>();
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }: { message: KafkaMessage }) => {
        seen.add(message.value?.toString() ?? '');
      },
    });
    await waitFor(() => want.every((v) => seen.has(v)), `${want.join(', ')} on ${topic}`, 20_000);
  } finally {
    await consumer.disconnect();
  }
}

let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker({ users: usersFromPasswords(passwords), access });
});

afterAll(async () => {
  await broker?.stop();
});

describe('SASL/SCRAM authentication', { timeout: 30_000 }, () => {
  it('a service produces to its own topic and another consumes it as a group (SHA-256 and SHA-512)', async () => {
    const value = uid('registered');
    const market = client(broker.brokers, as('market'));
    const producer = market.producer();
    await producer.connect();
    await producer.send({ topic: ENTERPRISE, messages: [{ key: 'uscc', value }] });
    await producer.disconnect();

    const credit = client(broker.brokers, as('credit', 'scram-sha-512'));
    await consumeValues(credit, ENTERPRISE, uid('onecheck.credit.enterprises'), [value]);
    // The group committed its offsets, which the credit principal may read back.
    const admin = credit.admin();
    await admin.connect();
    await admin.disconnect();
  });

  it('refuses a client without credentials on connect', async () => {
    const anonymous = client(broker.brokers);
    const admin = anonymous.admin();
    await expect(admin.connect().then(() => admin.listTopics())).rejects.toThrow();
    await admin.disconnect();
    expect(broker.logger.lines.some((l) => l.includes('before authentication, closing'))).toBe(true);
  });

  it('refuses a wrong password and an unknown user with SASL_AUTHENTICATION_FAILED', async () => {
    for (const sasl of [
      { mechanism: 'scram-sha-256' as const, username: 'market', password: 'wrong' },
      { mechanism: 'scram-sha-512' as const, username: 'nobody', password: 'whatever' },
    ]) {
      const producer = client(broker.brokers, sasl).producer();
      await expect(producer.connect()).rejects.toThrow(/SASL SCRAM SHA(256|512) authentication failed/);
      await producer.disconnect();
    }
  });
});

describe('ACLs', { timeout: 30_000 }, () => {
  it("an outside consumer reads the licence topic but cannot produce, create, delete or join a service's group", async () => {
    const value = uid('granted');
    const approval = client(broker.brokers, as('approval')).producer();
    await approval.connect();
    await approval.send({ topic: LICENCE, messages: [{ key: 'uscc', value }] });
    await approval.disconnect();

    const outside = client(broker.brokers, as('outside-consumer'));
    await consumeValues(outside, LICENCE, uid('outside-consumer.demo'), [value]);

    const admin = outside.admin();
    await admin.connect();
    // Metadata shows only the topics it may read.
    // The audit anchors too: outside systems may keep their own copy of the chain heads (issue 9);
    // and the published results (一公开, issue 11).
    expect((await admin.listTopics()).sort()).toEqual(
      [LICENCE, FINDING, KEYS, 'onecheck.audit.anchor', 'onecheck.public.result'].sort(),
    );
    await expect(admin.createTopics({ topics: [{ topic: uid('mine') }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'CLUSTER_AUTHORIZATION_FAILED' })],
    });
    await expect(admin.deleteTopics({ topics: [LICENCE] })).rejects.toThrow();
    // FindCoordinator answers GROUP_AUTHORIZATION_FAILED; kafkajs reports it as no coordinator.
    await expect(
      admin.fetchOffsets({ groupId: 'onecheck.department-health.licences', topics: [LICENCE] }),
    ).rejects.toThrow(/authoriz|group coordinator/i);
    await admin.disconnect();

    const producer = outside.producer();
    await producer.connect();
    await expect(producer.send({ topic: LICENCE, messages: [{ value: 'forged revocation' }] })).rejects.toThrow();
    await producer.disconnect();

    // Joining a service's group fails: FindCoordinator already answers GROUP_AUTHORIZATION_FAILED
    // (kafkajs reports it as "Failed to find group coordinator") and the consumer crashes.
    const group = 'onecheck.department-health.licences';
    const consumer: Consumer = outside.consumer(fastGroup(group));
    const crashed = new Promise<Error>((resolve) =>
      consumer.on(consumer.events.CRASH, ({ payload }) => resolve(payload.error)),
    );
    await consumer.connect();
    await consumer.subscribe({ topics: [LICENCE], fromBeginning: true });
    await consumer.run({ eachMessage: async () => {} });
    expect((await crashed).message).toMatch(/authoriz|group coordinator/i);
    await consumer.disconnect();
    const operator = client(broker.brokers, as('admin')).admin();
    await operator.connect();
    const { groups } = await operator.listGroups();
    expect(groups.map((g) => g.groupId)).not.toContain(group);
    await operator.disconnect();
  });

  it('a service cannot write a topic it does not own nor delete one; the admin can', async () => {
    const dept = client(broker.brokers, as('department-health')).producer();
    await dept.connect();
    await expect(dept.send({ topic: LICENCE, messages: [{ value: 'forged' }] })).rejects.toThrow();
    await dept.disconnect();

    const adminClient = client(broker.brokers, as('admin')).admin();
    await adminClient.connect();
    const topic = uid('scratch');
    expect(await adminClient.createTopics({ topics: [{ topic, numPartitions: 1 }] })).toBe(true);
    await adminClient.deleteTopics({ topics: [topic] });
    expect(await adminClient.listTopics()).toEqual(expect.arrayContaining(Object.keys(access.topics)));
    await adminClient.disconnect();
  });
});

describe('the SASL requests on the wire', { timeout: 20_000 }, () => {
  const handshake = (mechanism: string, version = 1) =>
    encodeRequest(ApiKey.SaslHandshake, version, 1, new Writer().string(mechanism).toBuffer());

  it('refuses an unknown mechanism (33), SaslAuthenticate before the handshake (34), and closes after it', async () => {
    const a = await RawClient.connect(broker.port);
    a.send(handshake('PLAIN'));
    const r = new Reader(await a.nextFrame());
    r.int32();
    expect(r.int16()).toBe(ErrorCode.UNSUPPORTED_SASL_MECHANISM);
    expect(r.array((x) => x.string())).toEqual(['SCRAM-SHA-256', 'SCRAM-SHA-512']);
    a.close();

    const b = await RawClient.connect(broker.port);
    b.send(encodeRequest(ApiKey.SaslAuthenticate, 1, 2, new Writer().bytes(Buffer.from('n,,n=x,r=y')).toBuffer()));
    const rb = new Reader(await b.nextFrame());
    rb.int32();
    expect(rb.int16()).toBe(ErrorCode.ILLEGAL_SASL_STATE);
    await b.waitClosed();
  });

  it('speaks SaslAuthenticate v2 (flexible encoding) for the server-first message', async () => {
    const c = await RawClient.connect(broker.port);
    c.send(handshake('SCRAM-SHA-256'));
    await c.nextFrame();
    const clientFirst = Buffer.from('n,,n=market,r=abc123');
    // Header v2 ends with empty tagged fields; the body is compact bytes + tagged fields.
    const body = new Writer().unsignedVarint(0).compactNullableBytes(clientFirst).unsignedVarint(0).toBuffer();
    c.send(encodeRequest(ApiKey.SaslAuthenticate, 2, 3, body));
    const r = new Reader(await c.nextFrame());
    expect(r.int32()).toBe(3);
    r.taggedFields(); // response header v1
    expect(r.int16()).toBe(ErrorCode.NONE);
    expect(r.compactNullableString()).toBeNull();
    expect(r.compactNullableBytes()!.toString()).toMatch(/^r=abc123[^,]+,s=[^,]+,i=4096$/);
    expect(r.int64()).toBe(0n);
    c.close();
  });

  it('closes a connection that does not authenticate in time', async () => {
    const quick = await startTestBroker({
      users: usersFromPasswords({ market: 'pw' }),
      limits: { authTimeoutMs: 300 },
    });
    const c = await RawClient.connect(quick.port);
    await c.waitClosed(3000);
    expect(quick.logger.lines.some((l) => l.includes('did not authenticate in time'))).toBe(true);
    await quick.stop();
  });
});

describe('sockets that never sign in', { timeout: 20_000 }, () => {
  it('hold at most maxUnauthenticatedConnections; signed-in clients keep working and connect again after', async () => {
    const b = await startTestBroker({
      users: usersFromPasswords({ market: passwords.market! }),
      access,
      limits: { maxUnauthenticatedConnections: 3 },
    });
    const producer = client(b.brokers, as('market')).producer();
    await producer.connect();
    await producer.send({ topic: ENTERPRISE, messages: [{ key: 'uscc', value: 'before' }] });
    const signedIn = b.stats().connections;
    const idle = await Promise.all([1, 2, 3].map(() => RawClient.connect(b.port)));
    await waitFor(() => b.stats().connections === signedIn + 3, 'the three idle sockets to be admitted');
    const fourth = await RawClient.connect(b.port);
    await fourth.waitClosed(3000);
    expect(b.stats().refusedConnections).toBe(1);
    expect(idle.every((c) => !c.closed)).toBe(true);
    // The signed-in connections were never at risk.
    await producer.send({ topic: ENTERPRISE, messages: [{ key: 'uscc', value: 'during' }] });
    for (const c of idle) c.close();
    await waitFor(() => b.stats().connections === signedIn, 'the idle sockets to go');
    const again = client(b.brokers, as('market')).producer();
    await again.connect();
    await again.send({ topic: ENTERPRISE, messages: [{ key: 'uscc', value: 'after' }] });
    await Promise.all([again.disconnect(), producer.disconnect()]);
    await b.stop();
  });
});

describe('configurations', { timeout: 20_000 }, () => {
  it('without users nothing changes: no authentication, no ACLs, and SASL clients are told no mechanism is enabled', async () => {
    const open = await startTestBroker({ access });
    const admin = client(open.brokers).admin();
    await admin.connect();
    const topic = uid('open');
    expect(await admin.createTopics({ topics: [{ topic }] })).toBe(true);
    // The definition's topics were created at start.
    expect(await admin.listTopics()).toEqual(expect.arrayContaining([...Object.keys(access.topics), topic]));
    await admin.disconnect();
    const sasl = client(open.brokers, as('market')).producer();
    await expect(sasl.connect()).rejects.toThrow(/not supported|UNSUPPORTED_SASL_MECHANISM|mechanism/i);
    await open.stop();
  });

  it('allowAnonymous lets unauthenticated connections in as ANONYMOUS, with only what the definition grants it', async () => {
    const b = await startTestBroker({
      users: usersFromPasswords({ market: passwords.market! }),
      access,
      allowAnonymous: true,
    });
    const admin = client(b.brokers).admin();
    await admin.connect();
    expect(await admin.listTopics()).toEqual([]);
    await admin.disconnect();
    await b.stop();
  });

  it("the definition's topics are the catalogue's, and every department has a principal", async () => {
    const catalogue = (await import(pathToFileURL(path.join(repoRoot, 'packages/events/src/catalogue.ts')).href)) as {
      ALL_TOPICS: readonly string[];
    };
    expect(Object.keys(access.topics).sort()).toEqual([...catalogue.ALL_TOPICS].sort());
    const departments = JSON.parse(fs.readFileSync(path.join(repoRoot, 'config/departments.json'), 'utf8')) as {
      departments: { code: string }[];
    };
    for (const { code } of departments.departments) {
      expect(access.principals[`department-${code.toLowerCase()}`]?.groups).toEqual([
        `onecheck.department-${code.toLowerCase()}.*`,
      ]);
    }
  });
});
