/**
 * The system with its stand-in broker on TLS (SASL_SSL, a local CA made for it): the services'
 * events flow over it (a business registered at market reaches the approval bureau), the outside
 * consumer trusting the CA reads, and a client that speaks plaintext or does not trust the CA
 * gets nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import kafkajs from 'kafkajs';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { KEYS_TOPIC } from '@onecheck/events';
import type { RunningSystem } from '../scripts/system';
import { gql, roles, startTestSystem, until } from './helpers';

const { Kafka, logLevel } = kafkajs;
let sys: RunningSystem;

beforeAll(async () => {
  sys = await startTestSystem({ kafkaTls: true, departments: ['HEALTH'] });
}, 120_000);
afterAll(async () => {
  await sys?.stop();
});

const admin = (ssl: ConstructorParameters<typeof Kafka>[0]['ssl']) =>
  new Kafka({
    clientId: 'tls-probe',
    brokers: sys.kafkaBrokers,
    ssl,
    sasl: sys.kafka.credentials('outside-consumer'),
    connectionTimeout: 3000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();

it("carries the services' events over TLS", async () => {
  expect(sys.kafka.ssl).toBeDefined();
  const [office, approver] = await Promise.all([sys.token(roles.office), sys.token(roles.approver)]);
  const uscc = generateUscc(seededRandom(909), { region: '620422' });
  const r = await gql(
    sys.gatewayUrl,
    'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
    {
      input: {
        uscc,
        name: `会宁县加密测试${uscc.slice(-5)}宾馆`,
        legalRepresentative: '赵六',
        industry: '61',
        region: '620422',
        address: '会宁县',
      },
    },
    office,
  );
  expect(r.errors).toBeUndefined();
  const input = {
    uscc,
    licenceNumber: `WS-TLS-${uscc.slice(-6)}`,
    approvalItem: '公共场所卫生许可',
    supervisingDepartment: 'HEALTH',
    scope: '住宿',
    validFrom: '2026-11-20',
    validUntil: '2030-12-31',
    grantedOn: sys.clock.today(), // the registration day: a grant may not predate it (issue 9)
  };
  // The bureau knows the business only through market's event over the TLS listener.
  const granted = await until('the bureau to know the business', async () => {
    const res = await gql(
      sys.gatewayUrl,
      'mutation ($input: GrantLicenceInput!) { grantLicence(input: $input) { id } }',
      { input },
      approver,
    );
    return res.errors?.[0]?.extensions?.field === 'uscc' ? undefined : res;
  });
  expect(granted.errors).toBeUndefined();
});

it('lets a client that trusts the local CA in, and no other', async () => {
  const trusting = admin(sys.kafka.ssl);
  await trusting.connect();
  expect(await trusting.fetchTopicOffsets(KEYS_TOPIC)).toBeDefined();
  await trusting.disconnect();

  const untrusting = admin(true);
  await expect(untrusting.connect()).rejects.toThrow(/certificate|self.signed|issuer/i);
  await untrusting.disconnect().catch(() => {});
  const plaintext = admin(undefined);
  await expect(plaintext.connect()).rejects.toThrow();
  await plaintext.disconnect().catch(() => {});
});
