/**
 * A PostgreSQL restart crashes nothing and loses no commit (issue 7, "Done when"): the system runs
 * on a server this test owns (the embedded one, a provisioned role and database, every service in
 * its own schema), grants flow through the gateway without pause, and the server is restarted
 * twice mid-load — a clean restart (fast shutdown) and a crash (SIGKILL, then crash recovery).
 * Requests during the outage fail; the process lives, every service answers again within seconds
 * of the server's return, every acknowledged grant is there and every licence gets exactly one
 * task at its department (through the relay, the broker and the consumer's inbox).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inArray, like } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateUscc, seededRandom } from '@onecheck/codes';
import type { Db } from '@onecheck/kit';
import { provisionServiceDatabase, startPostgresServer, type PostgresServer } from '@onecheck/pgserver';
import * as approval from '../services/approval/src/db/schema';
import * as department from '../services/department/src/db/schema';
import type { RunningSystem } from '../scripts/system';
import { gql, roles, startTestSystem, until } from './helpers';

const BUSINESSES = 5;
const WRITERS = 4;
/** "Within seconds": from the server accepting connections again to the first grant acknowledged. */
const BACK_WITHIN_MS = 10_000;

const dataDir = mkdtempSync(join(tmpdir(), 'onecheck-pg-restart-'));
chmodSync(dataDir, 0o755); // as root the server runs as user postgres, which must enter this folder
let server: PostgresServer;
let sys: RunningSystem;

beforeAll(async () => {
  server = await startPostgresServer({ dataDir });
  const url = await provisionServiceDatabase(server.adminUrl, 'restart_test');
  sys = await startTestSystem({ departments: ['HEALTH'], databaseUrl: url, schemaPrefix: 'restart' });
});
afterAll(async () => {
  await sys?.stop();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('survives a restart and a crash of its PostgreSQL server mid-load, with every commit kept', async () => {
  const [office, approver, health] = await Promise.all([
    sys.token(roles.office),
    sys.token(roles.approver),
    sys.token(roles.staff('HEALTH')),
  ]);
  const rng = seededRandom(7);
  const businesses: string[] = [];
  for (let i = 0; i < BUSINESSES; i++) {
    const uscc = generateUscc(rng, { region: '620422' });
    const r = await gql(
      sys.gatewayUrl,
      'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
      {
        input: {
          uscc,
          name: `重启测试${i}宾馆`,
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
  await until(
    'approval to know every business',
    async () => sys.approval.consumers[0]!.stats.handled >= BUSINESSES,
    20_000,
  );

  // The load: WRITERS clients granting licences back to back through the gateway.
  const acknowledged: string[] = [];
  let failed = 0;
  let next = 0;
  let running = true;
  const writers = Array.from({ length: WRITERS }, async () => {
    while (running) {
      const licenceNumber = `PGR-${next++}`;
      const r = await gql(
        sys.gatewayUrl,
        'mutation ($input: GrantLicenceInput!) { grantLicence(input: $input) { id } }',
        {
          input: {
            uscc: businesses[next % BUSINESSES],
            licenceNumber,
            approvalItem: '公共场所卫生许可',
            supervisingDepartment: 'HEALTH',
            scope: '住宿',
            validFrom: '2026-11-02',
            validUntil: '2031-11-01',
            grantedOn: sys.clock.today(), // the registration day: a grant may not predate it (issue 9)
          },
        },
        approver,
      ).catch(() => ({ errors: [{ message: 'no answer' }] }));
      if (r.errors) {
        failed++;
        await new Promise((res) => setTimeout(res, 50));
      } else acknowledged.push(licenceNumber);
    }
  });

  /** Time from now until `more` grants more are acknowledged. */
  const answersAgain = async (more: number) => {
    const from = acknowledged.length;
    const t0 = performance.now();
    await until(`${more} more grants acknowledged`, async () => acknowledged.length >= from + more, 60_000, 20);
    return performance.now() - t0;
  };

  await answersAgain(30);
  const port = server.port;

  // 1. A clean restart: fast shutdown ends every session, then the server comes back on its port.
  await server.stop();
  await new Promise((r) => setTimeout(r, 500)); // requests meet a server that is gone
  server = await startPostgresServer({ dataDir, port });
  const afterRestart = await answersAgain(1);
  await answersAgain(30);

  // 2. A crash: the postmaster killed, the next start replays the WAL.
  process.kill(server.pid, 'SIGKILL');
  await server.exited;
  await new Promise((r) => setTimeout(r, 500));
  server = await startPostgresServer({ dataDir, port });
  const afterCrash = await answersAgain(1);
  await answersAgain(30);

  running = false;
  await Promise.all(writers);
  expect(failed).toBeGreaterThan(0); // the outages were felt…
  expect(afterRestart).toBeLessThan(BACK_WITHIN_MS); // …and short
  expect(afterCrash).toBeLessThan(BACK_WITHIN_MS);

  // Every acknowledged grant is committed.
  const approvalDb = sys.approval.database.db as unknown as Db<typeof approval>;
  const licences = await approvalDb
    .select({ id: approval.licences.id, no: approval.licences.licenceNumber })
    .from(approval.licences)
    .where(like(approval.licences.licenceNumber, 'PGR-%'));
  const stored = new Set(licences.map((l) => l.no));
  expect(acknowledged.filter((no) => !stored.has(no))).toEqual([]);

  // Every licence (a failed request may still have committed) reaches HEALTH once: nothing lost, nothing twice.
  const count = async () =>
    (await gql(sys.gatewayUrl, '{ supervisionTasks(filter: { uscc: null }) { totalCount } }', {}, health)).data
      ?.supervisionTasks.totalCount as number | undefined;
  await until(`${licences.length} tasks`, async () => (await count()) === licences.length, 60_000, 200);
  await sys.approval.relay!.drain();
  await new Promise((r) => setTimeout(r, 1000));
  expect(await count()).toBe(licences.length);
  const healthDb = sys.departments.get('HEALTH')!.database.db as unknown as Db<typeof department>;
  const tasks = await healthDb
    .select({ licenceId: department.supervisionTasks.licenceId })
    .from(department.supervisionTasks)
    .where(
      inArray(
        department.supervisionTasks.licenceId,
        licences.map((l) => l.id),
      ),
    );
  expect(tasks).toHaveLength(licences.length);
  // No event was given up on: the outage is not an event's fault.
  const consumers = [...sys.departments.get('HEALTH')!.consumers, ...sys.approval.consumers];
  expect(consumers.reduce((n, c) => n + c.stats.deadLettered, 0)).toBe(0);
}, 240_000);
