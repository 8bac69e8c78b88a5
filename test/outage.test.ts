/**
 * A fault loses no data (DESIGN.md §3): with the broker down, grants still commit; when it
 * returns, every grant reaches its department exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@onecheck/broker';
import { generateUscc, seededRandom } from '@onecheck/codes';
import type { RunningSystem } from '../scripts/system';
import { freePort, gql, roles, startTestSystem, until } from './helpers';

const LICENCES = 400;
const BUSINESSES = 20;
let sys: RunningSystem;
let brokerDir: string;
let restarted: RunningBroker | undefined;

beforeAll(async () => {
  brokerDir = mkdtempSync(join(tmpdir(), 'onecheck-outage-'));
  sys = await startTestSystem({ departments: ['HEALTH'], brokerDataDir: brokerDir, brokerPort: await freePort() });
});
afterAll(async () => {
  await sys?.stop();
  await restarted?.stop();
  rmSync(brokerDir, { recursive: true, force: true });
});

// Four hundred grants (16 rounds of 25 at once) through the gateway, then their tasks: the point is
// the count after the outage, not the speed (the events benchmark has the volume).
it(`commits ${LICENCES} grants while the broker is down, and makes exactly ${LICENCES} tasks once it returns`, async () => {
  const [office, approver, health] = await Promise.all([
    sys.token(roles.office),
    sys.token(roles.approver),
    sys.token(roles.staff('HEALTH')),
  ]);
  const rng = seededRandom(99);
  const businesses: string[] = [];
  for (let i = 0; i < BUSINESSES; i++) {
    const uscc = generateUscc(rng, { region: '620422' });
    const r = await gql(
      sys.gatewayUrl,
      'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
      {
        input: {
          uscc,
          name: `会宁县断网测试${i}宾馆`,
          legalRepresentative: '钱七',
          industry: '61',
          region: '620422',
          address: '会宁县',
        },
      },
      office,
    );
    expect(r.errors).toBeUndefined();
    businesses.push(uscc);
  }
  const projection = sys.approval.consumers[0]!;
  await until(
    'the approval bureau to know every business',
    async () => projection.stats.handled >= BUSINESSES,
    20_000,
    200,
  );

  const port = sys.broker!.port;
  await sys.broker!.stop();

  let committed = 0;
  for (let batch = 0; batch < LICENCES; batch += 25) {
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, k) =>
        gql(
          sys.gatewayUrl,
          'mutation ($input: GrantLicenceInput!) { grantLicence(input: $input) { id } }',
          {
            input: {
              uscc: businesses[(batch + k) % BUSINESSES],
              licenceNumber: `OUT-${batch + k}`,
              approvalItem: '公共场所卫生许可',
              supervisingDepartment: 'HEALTH',
              scope: '住宿',
              validFrom: '2026-11-02',
              validUntil: '2031-11-01',
              grantedOn: sys.clock.today(), // the registration day: a grant may not predate it (issue 9)
            },
          },
          approver,
        ),
      ),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    committed += results.length;
  }
  expect(committed).toBe(LICENCES);
  const ask = () => gql(sys.gatewayUrl, '{ supervisionTasks(filter: { uscc: null }) { totalCount } }', {}, health);
  const count = async () => {
    const res = await ask();
    expect(res.errors).toBeUndefined();
    return res.data!.supervisionTasks.totalCount as number;
  };
  expect(await count()).toBe(0);

  // The same broker as before: its users and ACLs (the services authenticate).
  restarted = await startBroker({ ...sys.kafka.brokerOptions, port, dataDir: brokerDir });
  // While HEALTH catches up on the burst (batches of hundreds of events, each one transaction on
  // its in-process embedded database, which holds this one process's event loop) a read may time
  // out or lose its connection: not yet, ask again.
  await until(
    `${LICENCES} tasks`,
    async () => ((await ask().catch(() => undefined))?.data?.supervisionTasks?.totalCount ?? 0) >= LICENCES,
    90_000,
    200,
  );
  // Everything is published and consumed: no redelivery may add a task afterwards.
  await sys.approval.relay!.drain();
  await new Promise((r) => setTimeout(r, 1000));
  expect(await count()).toBe(LICENCES);
}, 180_000);
