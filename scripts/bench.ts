/**
 * `npm run bench`: event throughput and latency from commit to consumer effect, through the real
 * path — approval's outbox, the relay, the stand-in broker, a department's consumer and inbox.
 * Each licence's commit time (its row's created_at) is compared with its task's created_at at the
 * department. Results go to docs/benchmarks.md with the command that produced them.
 */
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { count, inArray } from 'drizzle-orm';
import { systemClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { createLogger, REPO_ROOT, type Db } from '@onecheck/kit';
import { grantLicence } from '../services/approval/src/domain/licence';
import * as approval from '../services/approval/src/db/schema';
import * as department from '../services/department/src/db/schema';
import { registerEnterprise } from '../services/market/src/domain/enterprise';
import * as market from '../services/market/src/db/schema';
import { benchEnv } from './env';
import { startSystem } from './system';

const EVENTS = benchEnv().events;
/** A steady flow, as a county's approval bureau produces it, for latency without a backlog. */
const PACED_EVENTS = 200;
const PACED_RATE = 20;
const BUSINESSES = 100;
const logger = createLogger('bench', 'info');

const sys = await startSystem({ departments: ['HEALTH'], logLevel: 'error' });
/** Commit-to-effect latency of the licences whose number starts with `prefix`. */
async function latencies(approvalDb: Db<typeof approval>, healthDb: Db<typeof department>, prefix: string) {
  const licences = (
    await approvalDb
      .select({ id: approval.licences.id, no: approval.licences.licenceNumber, at: approval.licences.createdAt })
      .from(approval.licences)
  ).filter((l) => l.no.startsWith(prefix));
  const tasks = await healthDb
    .select({ id: department.supervisionTasks.licenceId, at: department.supervisionTasks.createdAt })
    .from(department.supervisionTasks)
    .where(
      inArray(
        department.supervisionTasks.licenceId,
        licences.map((l) => l.id),
      ),
    );
  const taskAt = new Map(tasks.map((t) => [t.id, t.at.getTime()]));
  const sorted = licences.map((l) => taskAt.get(l.id)! - l.at.getTime()).sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  return { p50: pct(50), p99: pct(99), max: sorted.at(-1)! };
}

try {
  const marketDb = sys.market.database.db as unknown as Db<typeof market>;
  const approvalDb = sys.approval.database.db as unknown as Db<typeof approval>;
  const healthDb = sys.departments.get('HEALTH')!.database.db as unknown as Db<typeof department>;
  const rng = seededRandom(1);
  const businesses: string[] = [];
  for (let i = 0; i < BUSINESSES; i++) {
    const uscc = generateUscc(rng, { region: '620422' });
    await registerEnterprise(
      marketDb,
      {
        uscc,
        name: `基准测试${i}宾馆`,
        legalRepresentative: '测试',
        industry: '61',
        region: '620422',
        address: '会宁县',
      },
      sys.clock,
    );
    businesses.push(uscc);
  }
  while (((await approvalDb.select({ n: count() }).from(approval.knownEnterprises))[0]?.n ?? 0) < BUSINESSES) {
    await new Promise((r) => setTimeout(r, 100));
  }

  logger.info(`granting ${EVENTS} licences`);
  const started = systemClock.millis();
  for (let i = 0; i < EVENTS; i++) {
    await grantLicence(
      approvalDb,
      {
        uscc: businesses[i % BUSINESSES],
        licenceNumber: `BENCH-${i}`,
        approvalItem: '公共场所卫生许可',
        supervisingDepartment: 'HEALTH',
        scope: '住宿',
        validFrom: '2026-11-02',
        validUntil: '2031-11-01',
        grantedOn: '2026-11-02',
      },
      sys.clock,
    );
  }
  const committed = systemClock.millis();
  while (((await healthDb.select({ n: count() }).from(department.supervisionTasks))[0]?.n ?? 0) < EVENTS) {
    if (systemClock.millis() - committed > 300_000) throw new Error('tasks did not all arrive within 5 minutes');
    await new Promise((r) => setTimeout(r, 50));
  }
  const done = systemClock.millis();

  const burst = await latencies(approvalDb, healthDb, 'BENCH-');

  logger.info(`granting ${PACED_EVENTS} licences at ${PACED_RATE} per second`);
  for (let i = 0; i < PACED_EVENTS; i++) {
    const due = committed + 1000 + (i * 1000) / PACED_RATE;
    await new Promise((r) => setTimeout(r, Math.max(0, due - systemClock.millis())));
    await grantLicence(
      approvalDb,
      {
        uscc: businesses[i % BUSINESSES],
        licenceNumber: `PACED-${i}`,
        approvalItem: '公共场所卫生许可',
        supervisingDepartment: 'HEALTH',
        scope: '住宿',
        validFrom: '2026-11-02',
        validUntil: '2031-11-01',
        grantedOn: '2026-11-02',
      },
      sys.clock,
    );
  }
  while (
    ((await healthDb.select({ n: count() }).from(department.supervisionTasks))[0]?.n ?? 0) <
    EVENTS + PACED_EVENTS
  ) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const paced = await latencies(approvalDb, healthDb, 'PACED-');
  const result = {
    events: EVENTS,
    commitRate: EVENTS / ((committed - started) / 1000),
    endToEndRate: EVENTS / ((done - started) / 1000),
    burst,
    paced,
  };
  logger.info(result, 'done');

  const file = resolve(REPO_ROOT, 'docs/benchmarks.md');
  const header = '# Benchmarks\n\nNumbers from `npm run bench` on the machine named; rerun it to refresh this file.\n';
  const section = `
## Events: commit → consumer effect

Command: \`npm run bench\` (BENCH_EVENTS=${EVENTS}) — ${sys.clock.today()}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, PGlite, stand-in broker.

Path: approval grants a licence (outbox row in the same transaction) → relay → broker → HEALTH's
consumer (inbox row + task in one transaction). Latency is the task's \`created_at\` minus the
licence's \`created_at\`; grants are committed one after another as fast as the service takes them.

| measure | value |
|---|---|
| events | ${EVENTS} |
| grants committed per second | ${result.commitRate.toFixed(0)} |
| events per second, commit to effect (whole burst) | ${result.endToEndRate.toFixed(0)} |
| latency in the burst (queueing included): p50 / p99 / max | ${burst.p50} / ${burst.p99} / ${burst.max} ms |
| latency at a steady ${PACED_RATE} events per second (${PACED_EVENTS} events): p50 / p99 / max | ${paced.p50} / ${paced.p99} / ${paced.max} ms |

In the burst, latency is mostly waiting in line: the consumer applies each event in its own
transaction (inbox row + task), so a backlog drains at the end-to-end rate above. At a steady
flow well under that rate, latency is the relay's poll interval plus the consumer's fetch wait.
`;
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : header;
  const kept = existing.replace(/\n## Events: commit → consumer effect[\s\S]*?(?=\n## |$)/, '');
  writeFileSync(file, `${kept.trimEnd()}\n${section}`);
  logger.info(`wrote ${file}`);
} finally {
  await sys.stop();
}
