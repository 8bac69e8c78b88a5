/**
 * Issue 8, "a broker that holds under abuse", against a running system: from a separate process
 * with nothing but sockets and no credentials, CreateTopics with 1,000,000 partitions, three
 * 95 MiB partial frames held open, a stalled frame and 10,000 connections go to the system's
 * broker (infra/broker/test/fixtures/attacker.ts). Every attempt is refused or closed, and the
 * GraphQL gateway keeps answering queries all the while; events still flow afterwards.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import kafkajs from 'kafkajs';
import { DEFAULT_LIMITS } from '@onecheck/broker';
import { systemClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import type { RunningSystem } from '../scripts/system';
import { inheritedEnv } from './env';
import { gql, roles, startTestSystem, until } from './helpers';

interface AttackReport {
  partitions: { huge: number[] | null; total: number[] | null };
  bigPartialFramesClosedAfterMs: (number | null)[];
  stalledFrameClosedAfterMs: number | null;
  flood: { attempted: number; opened: number; closedByBroker: number; stillOpen: number };
  tookMs: number;
}

const ATTACKER = join(import.meta.dirname, '..', 'infra', 'broker', 'test', 'fixtures', 'attacker.ts');
let sys: RunningSystem;
let office: string;

function runAttacker(port: number): Promise<AttackReport> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const proc = spawn(process.execPath, ['--import', tsx, ATTACKER], {
    // Another loopback address: the per-address limit then falls on the attacker alone.
    env: inheritedEnv({
      BROKER_PORT: String(port),
      SOURCE_ADDRESS: '127.0.0.2',
      CONNECTIONS: '10000',
      HOLD_MS: '3000',
    }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out) as AttackReport) : reject(new Error(`attacker exited ${code}: ${out}`)),
    );
  });
}

beforeAll(async () => {
  sys = await startTestSystem({ departments: ['HEALTH'] });
  office = await sys.token(roles.office);
}, 120_000);
afterAll(async () => {
  await sys?.stop();
});

it('refuses every attempt on the broker while the gateway keeps answering', { timeout: 120_000 }, async () => {
  const attack = runAttacker(sys.broker!.port);
  let done = false;
  void attack.finally(() => (done = true)).catch(() => {});
  const slowest: number[] = [];
  while (!done) {
    // Real elapsed time, whatever time the system lives at.
    const t0 = systemClock.millis();
    const r = await gql(sys.gatewayUrl, '{ enterprises(first: 1) { totalCount } }', {}, office);
    expect(r.errors).toBeUndefined();
    expect(r.status).toBe(200);
    slowest.push(systemClock.millis() - t0);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const report = await attack;
  expect(slowest.length).toBeGreaterThan(5);
  expect(Math.max(...slowest)).toBeLessThan(5_000);

  // Without credentials, CreateTopics closes the connection unanswered (Kafka does the same).
  expect(report.partitions.huge).toBeNull();
  // 95 MiB declared before authenticating: closed on the length prefix; the stalled frame too.
  for (const ms of report.bigPartialFramesClosedAfterMs) expect(ms).not.toBeNull();
  expect(report.stalledFrameClosedAfterMs).not.toBeNull();
  // 10,000 connections: beyond the per-address limit each is closed at once.
  expect(report.flood.attempted).toBe(10_000);
  expect(report.flood.closedByBroker).toBeGreaterThanOrEqual(10_000 - DEFAULT_LIMITS.maxConnectionsPerAddress);
  // Refused at once by the broker itself: all beyond the limit, less the slots the authentication
  // deadline freed while the attack lasted (each deadline closes the connections admitted before
  // it, and as many new ones may then come in: a slow machine's flood outlasts one deadline).
  const deadlinesPassed = Math.floor(report.tookMs / DEFAULT_LIMITS.authTimeoutMs);
  expect(sys.broker!.stats().refusedConnections).toBeGreaterThanOrEqual(
    10_000 - DEFAULT_LIMITS.maxConnectionsPerAddress * (1 + deadlinesPassed),
  );

  // Nothing the attacker asked for exists.
  const admin = new kafkajs.Kafka({ brokers: sys.kafkaBrokers, sasl: sys.kafka.credentials('admin') }).admin();
  await admin.connect();
  const topics = await admin.listTopics();
  await admin.disconnect();
  expect(topics.filter((t) => t.startsWith('attack.'))).toEqual([]);

  // And the bus still carries events: a business registered now reaches the approval bureau.
  const uscc = generateUscc(seededRandom(77), { region: '620422' });
  const registered = await gql(
    sys.gatewayUrl,
    'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
    {
      input: {
        uscc,
        name: `会宁县压测${uscc.slice(-5)}宾馆`,
        legalRepresentative: '赵六',
        industry: '61',
        region: '620422',
        address: '会宁县',
      },
    },
    office,
  );
  expect(registered.errors).toBeUndefined();
  const approver = await sys.token(roles.approver);
  const input = {
    uscc,
    licenceNumber: `WS-ABUSE-${uscc.slice(-6)}`,
    approvalItem: '公共场所卫生许可',
    supervisingDepartment: 'HEALTH',
    scope: '住宿',
    validFrom: '2026-11-20',
    validUntil: '2030-12-31',
    grantedOn: sys.clock.today(), // the registration day: a grant may not predate it (issue 9)
  };
  const granted = await until('the bureau to know the business after the attack', async () => {
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
