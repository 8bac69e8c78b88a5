/**
 * The real topology of `npm start` (scripts/topology.ts): the broker, the embedded PostgreSQL
 * server, each service, each department instance and the gateway as separate OS processes under
 * the supervisor. Killing the HEALTH department's process mid-load fails only HEALTH's part of a
 * business query; the supervisor starts it again within seconds and restarts nothing else.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import kafkajs, { type SASLOptions } from 'kafkajs';
import { issueDemoToken } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { TOPICS } from '@onecheck/events';
import { createSupervisor, type Supervisor } from '../scripts/supervisor';
import { freeTopologyPorts, startTopology, type RunningTopology } from '../scripts/topology';
import { childEnv } from './env';
import { gql, roles, TEST_NOW, until, type GraphQLResult } from './helpers';

const DEPARTMENTS = ['HEALTH', 'FIRE'];
const BACK_WITHIN_MS = 10_000;
const clock = testClock(TEST_NOW);
const issuerSecret = randomBytes(24).toString('base64url');
let dataDir: string;
let supervisor: Supervisor | undefined;
let topology: RunningTopology | undefined;
let office: string;
let uscc: string;
/** Every line the processes printed: shown when the test fails. */
const lines: string[] = [];

// A business (market, approval, and the office's joint list) beside each department's own items.
const QUERY = `query ($uscc: String!) {
  enterprise(uscc: $uscc) { uscc name licences { licenceNumber } applicableItems { department { code } code } }
  health: supervisionItems(department: "HEALTH") { totalCount }
  fire: supervisionItems(department: "FIRE") { totalCount }
}`;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'onecheck-topology-'));
  // PostgreSQL runs as the user "postgres" when the suite runs as root: it must enter the folder.
  chmodSync(dataDir, 0o755);
  const ports = await freeTopologyPorts(DEPARTMENTS.length);
  const capture = (line: string) => void lines.push(line);
  supervisor = createSupervisor({ output: { out: capture, err: capture } });
  topology = await startTopology({
    dataDir,
    database: { embedded: { port: ports.postgres } },
    ports,
    departments: DEPARTMENTS,
    issuerSecret,
    gatewaySecret: randomBytes(24).toString('base64url'),
    logLevel: 'warn',
    clockSetting: TEST_NOW,
    baseEnv: childEnv(),
    supervisor,
  });
  const secret = new TextEncoder().encode(issuerSecret);
  office = await issueDemoToken(secret, roles.office, clock);
  for (const department of DEPARTMENTS) {
    const staff = await issueDemoToken(secret, roles.staff(department), clock);
    const r = await gql(
      topology.gatewayUrl,
      'mutation ($input: SupervisionItemInput!) { publishSupervisionItem(input: $input) { id } }',
      {
        input: {
          code: `${department}-1`,
          name: `${department} item`,
          content: 'c',
          legalBasis: 'l',
          level: 'COUNTY',
          industries: ['H'],
        },
      },
      staff,
    );
    expect(r.errors).toBeUndefined();
  }
  uscc = generateUscc(seededRandom(7), { region: '620422' });
  const r = await gql(
    topology.gatewayUrl,
    'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
    {
      input: {
        uscc,
        name: '会宁县进程测试宾馆',
        legalRepresentative: '赵六',
        industry: '61',
        region: '620422',
        address: '会宁县',
      },
    },
    office,
  );
  expect(r.errors).toBeUndefined();
}, 150_000);

afterAll(async () => {
  // The supervisor, not the topology: it also stops what a start cut short had started.
  await supervisor?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

type Answer = GraphQLResult<{
  enterprise: { name: string; licences: unknown[]; applicableItems: { department: { code: string } }[] } | null;
  health: { totalCount: number } | null;
  fire: { totalCount: number } | null;
}>;

it('runs every process on node alone, from a bundle of its entry: no TypeScript loader in any of them', () => {
  const children = supervisor!.children();
  expect(children.map((c) => c.name).sort()).toEqual(
    ['approval', 'broker', 'credit', 'department-fire', 'department-health', 'gateway', 'market', 'postgres'].sort(),
  );
  for (const child of children) {
    const args = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    expect(args.slice(1), child.name).toEqual([
      '--enable-source-maps',
      expect.stringMatching(/\/tmp\/build\/[\w-]+\.mjs$/),
    ]);
  }
});

it('a killed department process fails only its own part, and comes back within 10 s with nothing else restarted', async () => {
  try {
    const sup = supervisor!;
    const before = new Map(sup.children().map((c) => [c.name, c.pid]));
    const health = sup.child('department-health')!;
    const ask = () => gql(topology!.gatewayUrl, QUERY, { uscc }, office) as Promise<Answer>;

    // The joint list learns the items from the departments' events (一业一单).
    const first = await until('the items on the joint list', async () => {
      const a = await ask();
      return a.data?.enterprise?.applicableItems.length === 2 && a;
    });
    expect(first.errors).toBeUndefined();
    expect(first.data!.health).toEqual({ totalCount: 1 });
    expect(first.data!.enterprise!.applicableItems.map((i) => i.department.code).sort()).toEqual(['FIRE', 'HEALTH']);

    process.kill(health.pid!, 'SIGKILL');
    const killedAt = performance.now();
    const answers: Answer[] = [];
    let backAfterMs: number | undefined;
    // A steady loop of business queries while HEALTH is down and coming back.
    while (performance.now() - killedAt < BACK_WITHIN_MS + 2000) {
      const a = await ask();
      answers.push(a);
      if (answers.length > 1 && !a.errors && a.data?.health?.totalCount === 1) {
        backAfterMs = performance.now() - killedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }

    // Every answer kept the rest of the query: the business (market), its licences (approval), its
    // items (the office's joint list: every department's, HEALTH's too) and FIRE's own list.
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.data?.enterprise?.name).toBe('会宁县进程测试宾馆');
      expect(a.data!.enterprise!.licences).toEqual([]);
      expect(a.data!.enterprise!.applicableItems.map((i) => i.department.code).sort()).toEqual(['FIRE', 'HEALTH']);
      expect(a.data!.fire).toEqual({ totalCount: 1 });
      // What failed was HEALTH's part only, as unavailable.
      for (const e of a.errors ?? []) expect(e.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    }
    expect(answers[0]!.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(backAfterMs, 'HEALTH answered again').toBeDefined();
    expect(backAfterMs!).toBeLessThan(BACK_WITHIN_MS);

    // HEALTH was started once more, as a new process; nothing else was restarted.
    for (const child of sup.children()) {
      if (child.name === 'department-health') {
        expect(child.restarts).toBe(1);
        expect(child.pid).not.toBe(before.get(child.name));
      } else {
        expect({ name: child.name, restarts: child.restarts, pid: child.pid }).toEqual({
          name: child.name,
          restarts: 0,
          pid: before.get(child.name),
        });
      }
    }
  } catch (err) {
    console.error(lines.slice(-80).join('\n'));
    throw err;
  }
}, 60_000);

it("npm start's broker refuses clients without credentials; the outside consumer's password from data/keys reads the public topics only", async () => {
  const { Kafka, logLevel } = kafkajs;
  const keys = topology!.kafkaKeysDir;
  // One password per principal of infra/kafka/access.json, the owner's alone.
  expect(statSync(keys).mode & 0o777).toBe(0o700);
  expect(statSync(join(keys, 'outside-consumer.password')).mode & 0o777).toBe(0o600);
  const client = (sasl?: SASLOptions) =>
    new Kafka({
      brokers: topology!.kafkaBrokers,
      sasl,
      retry: { retries: 0 },
      connectionTimeout: 3000,
      logLevel: logLevel.NOTHING,
    });
  const anonymous = client().admin();
  await expect(anonymous.connect().then(() => anonymous.listTopics())).rejects.toThrow();
  await anonymous.disconnect().catch(() => {});

  const password = readFileSync(join(keys, 'outside-consumer.password'), 'utf8').trim();
  const outside = client({ mechanism: 'scram-sha-256', username: 'outside-consumer', password });
  const admin = outside.admin();
  await admin.connect();
  // It sees only what it may read: the licence and finding topics (and the public keys).
  expect(await admin.listTopics()).toEqual(expect.arrayContaining([TOPICS.licence, TOPICS.finding]));
  expect(await admin.listTopics()).not.toContain(TOPICS.enterprise);
  await admin.disconnect();
  const producer = outside.producer();
  await producer.connect();
  await expect(producer.send({ topic: TOPICS.licence, messages: [{ key: 'k', value: '{}' }] })).rejects.toThrow(
    /authori[sz]/i,
  );
  await producer.disconnect();
}, 30_000);
