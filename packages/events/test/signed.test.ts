/**
 * Events no one can forge, even with broker access (issue 8 item 2), through the real stand-in
 * broker and kafkajs: the relay signs what it publishes, the consumer applies only events signed
 * by the topic's owner for that topic and key, and dead-letters everything else with the reason,
 * changing nothing. The handler keeps the highest enterprise version, as approval and credit do:
 * a forged version 999999 must not freeze a business's state.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBroker } from '@onecheck/broker';
import { and, eq, max } from 'drizzle-orm';
import {
  cloudEvent,
  createBus,
  createEventSigner,
  createEventVerifier,
  deadLetterTopic,
  generateSigningKey,
  outboxMessage,
  recordEvent,
  startConsumer,
  startRelay,
  TOPICS,
  type Bus,
  type EventConsumer,
  type EventSigner,
  type IncomingMessage,
  type OutgoingMessage,
  type Relay,
} from '../src/index';
import {
  FAST,
  brokerLogger,
  changedData,
  clock,
  dropTestDb,
  openTestDb,
  schema,
  testDbSpec,
  testLogger,
  usccFor,
  waitFor,
} from './helpers';

type Broker = Awaited<ReturnType<typeof startBroker>>;
type TestDb = Awaited<ReturnType<typeof openTestDb>>;

const GROUP = 'signed-consumer';
const KEY = usccFor(42);
const OTHER_KEY = usccFor(43);

// The deployment's keys: these four are trusted; the intruder's is not (it even claims to be market's).
const market = generateSigningKey('market');
const approval = generateSigningKey('approval');
const health = generateSigningKey('department-health');
const fire = generateSigningKey('department-fire');
const intruder = generateSigningKey('market');
const jwks = { keys: [market, approval, health, fire].map((k) => k.publicJwk) };
const signer = (k: { privateJwk: Parameters<typeof createEventSigner>[0] }) => createEventSigner(k.privateJwk);

const spec = testDbSpec('signed');
const logger = testLogger();
let broker: Broker;
let bus: Bus;
let db: TestDb;
let relay: Relay;
let consumer: EventConsumer;

const enterpriseEvent = (key: string, version: number, source = 'onecheck/market') =>
  cloudEvent({ source, type: 'onecheck.enterprise.changed.v1', subject: key, data: changedData(key, version), clock });
const findingEvent = (department: string, source = `onecheck/department/${department}`) =>
  cloudEvent({
    source,
    type: 'onecheck.finding.recorded.v1',
    subject: KEY,
    clock,
    data: {
      findingId: randomUUID(),
      department,
      uscc: KEY,
      taskId: randomUUID(),
      description: '超范围经营',
      severity: 'SERIOUS',
      handling: 'PENALTY',
      recordedOn: '2026-02-09',
    },
  });
/** A message as a signer would publish it on `topic`, before any tampering. */
const signedMessage = (topic: string, key: string, event: unknown, by?: EventSigner): OutgoingMessage =>
  outboxMessage({ topic, key, event }, by);

/** What the handlers applied: (type, version) rows; findings have version 0. */
const applied = async () =>
  (await db.db.select().from(schema.effects).orderBy(schema.effects.id)).map((e) => `${e.type}@${e.key}:${e.version}`);

beforeAll(async () => {
  broker = await startBroker({ port: 0, logger: brokerLogger });
  bus = createBus({ brokers: [broker.brokers], clientId: 'signed-test', logger });
  await bus.ensureTopics([TOPICS.enterprise, TOPICS.finding].flatMap((t) => [t, deadLetterTopic(t)]));
  db = await openTestDb(spec);
  // market's relay: what the outbox holds goes out signed with market's key.
  relay = startRelay({ db: db.db, bus, logger, clock, pollMs: 50, signer: signer(market) });
  consumer = startConsumer({
    db: db.db,
    bus,
    logger,
    clock,
    groupId: GROUP,
    topics: [TOPICS.enterprise, TOPICS.finding],
    verifier: createEventVerifier(jwks),
    handlers: {
      // Keeps the highest version per business, like approval's and credit's enterprise projections.
      'onecheck.enterprise.changed.v1': async (event, tx) => {
        const [row] = await tx
          .select({ v: max(schema.effects.version) })
          .from(schema.effects)
          .where(and(eq(schema.effects.key, event.data.uscc), eq(schema.effects.type, event.type)));
        if ((row?.v ?? 0) >= event.data.version) return;
        await tx.insert(schema.effects).values({
          handler: GROUP,
          eventId: event.id,
          type: event.type,
          key: event.data.uscc,
          version: event.data.version,
        });
      },
      'onecheck.finding.recorded.v1': async (event, tx) => {
        await tx.insert(schema.effects).values({
          handler: GROUP,
          eventId: event.id,
          type: `finding-${event.data.department}`,
          key: event.data.uscc,
          version: 0,
        });
      },
    },
    kafka: FAST,
  });
  await consumer.ready;
}, 90_000);

afterAll(async () => {
  await consumer?.stop();
  await relay?.stop();
  await bus?.disconnect();
  await broker?.stop();
  await db?.close();
  await dropTestDb(spec);
});

it('applies signed events, dead-letters every forgery with its reason, and a forged version never blocks a real update', async () => {
  // A real change, recorded in the outbox and published (signed) by the relay.
  await db.db.transaction((tx) =>
    recordEvent(tx, {
      source: 'onecheck/market',
      type: 'onecheck.enterprise.changed.v1',
      key: KEY,
      data: changedData(KEY, 1),
      clock,
    }),
  );
  relay.notify();
  await waitFor('the signed v1 applied', async () => (await applied()).length === 1, 30_000);

  // The attacks, each with broker access (a producer on the topic) but without the owner's key.
  const real = signedMessage(TOPICS.enterprise, OTHER_KEY, enterpriseEvent(OTHER_KEY, 7), signer(market));
  const attacks: { topic: string; message: OutgoingMessage; reason: RegExp }[] = [
    {
      topic: TOPICS.enterprise,
      message: signedMessage(TOPICS.enterprise, KEY, enterpriseEvent(KEY, 999999)),
      reason: /unsigned/,
    },
    {
      // The forged version 999999 under market's kid, with a signature that is not market's.
      topic: TOPICS.enterprise,
      message: (() => {
        const m = signedMessage(TOPICS.enterprise, KEY, enterpriseEvent(KEY, 999999), signer(market));
        const [h, , s] = String(m.headers!['onecheck-signature']).split('.');
        const other = String(
          signedMessage(TOPICS.enterprise, KEY, enterpriseEvent(KEY, 5), signer(market)).headers!['onecheck-signature'],
        ).split('.')[2];
        expect(other).not.toBe(s);
        return { ...m, headers: { ...m.headers, 'onecheck-signature': `${h}..${other}` } };
      })(),
      reason: /does not verify/,
    },
    {
      // Signed by a trusted key of another service: approval does not own the register.
      topic: TOPICS.enterprise,
      message: signedMessage(
        TOPICS.enterprise,
        KEY,
        enterpriseEvent(KEY, 999999, 'onecheck/approval'),
        signer(approval),
      ),
      reason: /approval does not publish on onecheck\.market\.enterprise/,
    },
    {
      // market's genuine signature for another business, moved under this business's key.
      topic: TOPICS.enterprise,
      message: { ...real, key: KEY },
      reason: /signed for key/,
    },
    {
      // market's genuine enterprise record, replayed onto the finding topic.
      topic: TOPICS.finding,
      message: real,
      reason: /signed for topic "onecheck\.market\.enterprise", found on onecheck\.department\.finding/,
    },
    {
      // HEALTH's genuine key, signing a finding that claims to be FIRE's.
      topic: TOPICS.finding,
      message: signedMessage(TOPICS.finding, KEY, findingEvent('FIRE', 'onecheck/department/HEALTH'), signer(health)),
      reason: /an event of FIRE signed by department-health/,
    },
    {
      // …or with FIRE's source too: the source must still be the signer's.
      topic: TOPICS.finding,
      message: signedMessage(TOPICS.finding, KEY, findingEvent('FIRE'), signer(health)),
      reason: /source onecheck\/department\/FIRE is not the signer department-health/,
    },
    {
      // A key nobody trusts, whose kid claims market.
      topic: TOPICS.enterprise,
      message: signedMessage(TOPICS.enterprise, KEY, enterpriseEvent(KEY, 999999), signer(intruder)),
      reason: /unknown key id "market:/,
    },
  ];
  const p = await bus.producer();
  for (const a of attacks) await p.send([{ topic: a.topic, messages: [a.message] }]);
  // Genuine events after the attacks: HEALTH's own finding, and market's next version through the relay.
  await p.send([
    { topic: TOPICS.finding, messages: [signedMessage(TOPICS.finding, KEY, findingEvent('HEALTH'), signer(health))] },
  ]);
  await p.disconnect();
  await db.db.transaction((tx) =>
    recordEvent(tx, {
      source: 'onecheck/market',
      type: 'onecheck.enterprise.changed.v1',
      key: KEY,
      data: changedData(KEY, 2),
      clock,
    }),
  );
  relay.notify();

  await waitFor('the real v2 and HEALTH finding applied', async () => (await applied()).length >= 3, 30_000);
  const enterprise = 'onecheck.enterprise.changed.v1';
  expect((await applied()).sort()).toEqual(
    [`${enterprise}@${KEY}:1`, `${enterprise}@${KEY}:2`, `finding-HEALTH@${KEY}:0`].sort(),
  );
  await waitFor('every forgery dead-lettered', () => consumer.stats.deadLettered >= attacks.length, 20_000);
  expect(consumer.stats.deadLettered).toBe(attacks.length);

  // The dead letters keep the forged record and say why.
  const dead: IncomingMessage[] = [];
  const reader = bus.consumer('signed-dlq-reader', FAST);
  await reader.run([deadLetterTopic(TOPICS.enterprise), deadLetterTopic(TOPICS.finding)], async (b) => {
    for (const m of b.messages) {
      dead.push(m);
      b.resolveOffset(m.offset);
    }
  });
  try {
    await waitFor('every dead letter read', () => dead.length >= attacks.length, 20_000);
  } finally {
    await reader.stop();
  }
  const errors = dead.map((m) => m.headers['x-error']!.toString());
  for (const a of attacks)
    expect(
      errors.filter((e) => a.reason.test(e)),
      String(a.reason),
    ).toHaveLength(1);
  // Nothing half-applied: no version above 2, no finding but HEALTH's own.
  expect(await applied()).not.toContain(`${enterprise}@${KEY}:999999`);
}, 90_000);

it('skips, unverified, what does not concern the consumer, and still refuses a forgery of what does', async () => {
  // A HEALTH-like consumer of findings: only HEALTH's concern it (provincial volume, issue 7).
  const verifier = createEventVerifier(jwks);
  let verified = 0;
  const concerned = startConsumer({
    db: db.db,
    bus,
    logger,
    clock,
    groupId: 'signed-concerns',
    topics: [TOPICS.finding],
    verifier: {
      kids: verifier.kids,
      verify: (m) => {
        verified++;
        return verifier.verify(m);
      },
      verifyAll: (ms) => {
        verified += ms.length;
        return verifier.verifyAll(ms);
      },
    },
    concerns: ({ data }) => data?.department === 'HEALTH',
    handlers: {
      'onecheck.finding.recorded.v1': async (event, tx) => {
        await tx.insert(schema.effects).values({
          handler: 'signed-concerns',
          eventId: event.id,
          type: `finding-${event.data.department}`,
          key: event.data.uscc,
          version: 0,
        });
      },
    },
    kafka: { ...FAST, fromBeginning: false },
  });
  try {
    await concerned.ready;
    const ours = async () =>
      (await db.db.select().from(schema.effects).where(eq(schema.effects.handler, 'signed-concerns'))).map(
        (e) => e.type,
      );
    const p = await bus.producer();
    // From the latest offset: a probe of its own concern, sent until it is applied, shows it reads.
    for (let tries = 0; !(await ours()).length; tries++) {
      if (tries % 20 === 0)
        await p.send([
          {
            topic: TOPICS.finding,
            messages: [signedMessage(TOPICS.finding, KEY, findingEvent('HEALTH'), signer(health))],
          },
        ]);
      await new Promise((r) => setTimeout(r, 50));
    }
    await waitFor('the probe alone', async () => concerned.stats.handled === (await ours()).length, 5_000);
    const before = { ...concerned.stats };
    const verifiedBefore = verified;
    const probes = (await ours()).length;
    await p.send([
      {
        topic: TOPICS.finding,
        messages: [
          // FIRE's, genuine and forged: none of its concern, so neither verified nor dead-lettered.
          signedMessage(TOPICS.finding, KEY, findingEvent('FIRE'), signer(fire)),
          signedMessage(TOPICS.finding, KEY, findingEvent('FIRE')),
          // A forgery of its own concern: refused, as before.
          signedMessage(TOPICS.finding, KEY, findingEvent('HEALTH')),
          signedMessage(TOPICS.finding, KEY, findingEvent('HEALTH'), signer(health)),
        ],
      },
    ]);
    await p.disconnect();
    await waitFor('HEALTH finding applied', async () => (await ours()).length >= probes + 1, 30_000);
    await waitFor('the forgery dead-lettered', () => concerned.stats.deadLettered >= before.deadLettered + 1, 20_000);
    expect(new Set(await ours())).toEqual(new Set(['finding-HEALTH']));
    expect(concerned.stats.handled - before.handled).toBe(1);
    expect(concerned.stats.skipped - before.skipped).toBe(2);
    expect(concerned.stats.deadLettered - before.deadLettered).toBe(1);
    expect(verified - verifiedBefore).toBe(2);
  } finally {
    await concerned.stop();
  }
}, 90_000);
