/**
 * `npm run verify-audit` end to end (issue 9 item 2, "Done when"): the whole system makes changes
 * through the gateway, every service anchors its audit chain on onecheck.audit.anchor (the clock
 * moved past the anchor period), and the script — run as a user runs it, as a child process —
 * passes; then it names the row after one audit row is edited directly in a service's database,
 * also when every later hash was recomputed, and when the newest rows were deleted.
 *
 * The script reads the services' databases from outside the process, so this needs a PostgreSQL
 * server (TEST_DATABASE_URL, CI's second pass): PGlite lives inside the system's own process.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { passwordFile } from '@onecheck/broker';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { outbox } from '@onecheck/events/tables';
import { auditHash, type Db } from '@onecheck/kit';
import { auditHead, auditLog } from '@onecheck/kit/tables';
import type { Identity } from '@onecheck/auth';
import type { TestClock } from '@onecheck/clock';
import type { RunningSystem } from '../scripts/system';
import { childEnv, testEnv } from './env';
import { gql, roles, startTestSystem, testDatabase, until } from './helpers';

const root = join(import.meta.dirname, '..');
const tsx = join(root, 'node_modules/.bin/tsx');
const database = testDatabase();
let sys: RunningSystem;
let dataDir: string;
let schemaPrefix: string;

/** As a caller through the gateway, with a token of the system's issuer. */
const call = async (who: Identity, query: string, variables: Record<string, unknown> = {}) =>
  gql(sys.gatewayUrl, query, variables, await sys.token(who));
const dbOf = (s: RunningSystem['market']) => s.database.db as unknown as Db;
const services = () => [sys.market, sys.approval, sys.credit, ...sys.departments.values()];

/** Runs the script as a user does; asynchronously, as the system (its broker) lives in this process. */
async function verifyAudit() {
  const child = spawn(tsx, [join(root, 'scripts/verify-audit.ts')], {
    env: childEnv({
      DATA_DIR: dataDir,
      DATABASE_URL: database.databaseUrl!,
      DATABASE_SCHEMA_PREFIX: schemaPrefix,
      KAFKA_BROKERS: sys.kafkaBrokers.join(','),
    }),
    timeout: 60_000,
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const [status] = (await once(child, 'close')) as [number | null];
  return { status, out };
}

describe.runIf(testEnv.databaseUrl)('npm run verify-audit', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'onecheck-verify-audit-'));
    schemaPrefix = database.schemaPrefix!;
    sys = await startTestSystem({ ...database, dataDir });
    // The script reads the anchors as the Kafka admin, with the password where npm start keeps it.
    mkdirSync(join(dataDir, 'keys', 'kafka'), { recursive: true });
    writeFileSync(passwordFile(join(dataDir, 'keys', 'kafka'), 'admin'), sys.kafka.credentials('admin')!.password);

    // A few changes through the gateway: a business, a licence (→ a task at HEALTH, credit's record).
    const uscc = generateUscc(seededRandom(7070), { region: '620422' });
    const reg = await call(
      roles.office,
      'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
      {
        input: {
          uscc,
          name: '会宁县核验宾馆',
          legalRepresentative: '张三',
          industry: '61',
          region: '620422',
          address: '会宁县',
        },
      },
    );
    expect(reg.errors).toBeUndefined();
    const changed = await call(
      roles.office,
      'mutation ($u: String!) { updateEnterprise(uscc: $u, input: { address: "会宁县会师镇" }) { uscc } }',
      { u: uscc },
    );
    expect(changed.errors).toBeUndefined();
    // Granted once the bureau has heard of the business (its projection of market's events).
    await until('the grant', async () => {
      const granted = await call(
        roles.approver,
        'mutation ($input: GrantLicenceInput!) { grantLicence(input: $input) { id } }',
        {
          input: {
            uscc,
            licenceNumber: 'WS-AUDIT-1',
            approvalItem: '公共场所卫生许可',
            supervisingDepartment: 'HEALTH',
            scope: '住宿',
            validFrom: '2026-11-25',
            validUntil: '2031-11-24',
          },
        },
      );
      return !granted.errors;
    });
    const health = sys.departments.get('HEALTH')!;
    await until('the task at HEALTH', async () =>
      (await dbOf(health).select().from(auditLog)).some((e) => e.action === 'receiveLicences'),
    );

    // Past the anchor period: every service anchors its new entries, and the relays publish them.
    (sys.clock as TestClock).advance(61_000);
    for (const s of services()) await s.timers!.runDue();
    await until('the anchors published', async () => {
      for (const s of services())
        if ((await dbOf(s).select().from(outbox).where(isNull(outbox.publishedAt))).length) return false;
      return true;
    });
  }, 180_000);
  afterAll(async () => {
    await sys?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('passes on the untouched chains', async () => {
    const r = await verifyAudit();
    expect(r.out).toMatch(/✓ market: \d+ entries/);
    expect(r.out).toMatch(/✓ approval: \d+ entries/);
    expect(r.out).toMatch(/✓ department-health: \d+ entries/);
    expect(r.status, r.out).toBe(0);
  }, 90_000);

  it('names the row edited directly in the database, also when every later hash was recomputed', async () => {
    const db = dbOf(sys.approval);
    const [first] = await db.select().from(auditLog).orderBy(asc(auditLog.seq)).limit(1);
    await db.execute(
      sql`update audit_log set after = jsonb_set(after, '{scope}', '"住宿、餐饮"') where seq = ${first!.seq}`,
    );
    let r = await verifyAudit();
    expect(r.status, r.out).toBe(1);
    expect(r.out).toContain(`✗ approval: entry ${first!.seq} was changed`);

    // The forger recomputes the chain from the edited row on: the chain holds, the anchors do not.
    let prev = first!.prevHash;
    for (const e of await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, first!.seq - 1))
      .orderBy(asc(auditLog.seq))) {
      const hash = auditHash(prev, e);
      await db.update(auditLog).set({ prevHash: prev, hash }).where(eq(auditLog.seq, e.seq));
      prev = hash;
    }
    await db.update(auditHead).set({ hash: prev });
    r = await verifyAudit();
    expect(r.status, r.out).toBe(1);
    expect(r.out).toContain(`✗ approval: entry ${first!.seq} was changed`);
  }, 120_000);

  it('names the first removed row when the newest rows were deleted', async () => {
    const db = dbOf(sys.market);
    const rows = await db.select().from(auditLog).orderBy(asc(auditLog.seq));
    const keep = rows.length - 1;
    await db.delete(auditLog).where(gt(auditLog.seq, keep));
    await db.update(auditHead).set({ seq: keep, hash: rows[keep - 1]!.hash });
    const r = await verifyAudit();
    expect(r.status, r.out).toBe(1);
    expect(r.out).toContain(`✗ market: entry ${keep + 1} was removed`);
  }, 90_000);
});
