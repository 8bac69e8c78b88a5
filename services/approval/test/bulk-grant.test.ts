/**
 * grantLicences (审批信息推送 in bulk, seed 003 第十九条): many licences in one call, all or none,
 * over HTTP as the gateway calls it. Each granted licence is what grantLicence would have made —
 * its push event, its expiry timer, its audit entry (in the order given, on an unbroken chain) —
 * and a refusal names the entry it is about and writes nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { TOPICS } from '@onecheck/events';
import { verifyAuditLog } from '@onecheck/kit';
import { startTestSubgraph, testingEnv, type TestSubgraph } from '@onecheck/kit/testing';
import { approvalService } from '../src/index';
import { GRANT_BATCH_MAX } from '../src/domain/licence';
import * as schema from '../src/db/schema';

const clock = testClock('2026-11-25T09:00:00+08:00');
const approver: Identity = { sub: 'approver-1', role: 'approver' };
const staff: Identity = { sub: 'clerk-2', role: 'staff', department: 'HEALTH' };
const rng = seededRandom(727);
const hotel = generateUscc(rng, { region: '620422' });
const shop = generateUscc(rng, { region: '620422' });
const stranger = generateUscc(rng, { region: '620422' });
let approval: TestSubgraph<typeof schema>;

const GRANT_MANY = `mutation ($inputs: [GrantLicenceInput!]!) {
  grantLicences(inputs: $inputs) { id licenceNumber enterprise { uscc } supervisingDepartment { code } status } }`;

const entry = (uscc: string, licenceNumber: string, more: Record<string, unknown> = {}) => ({
  uscc,
  licenceNumber,
  approvalItem: '公共场所卫生许可',
  supervisingDepartment: 'HEALTH',
  scope: '住宿',
  validFrom: '2026-11-25',
  validUntil: '2031-11-24',
  ...more,
});

const db = () => approval.service.database.db;
const rowsOf = (result: unknown) => (result as { rows: { n: number }[] }).rows;
/**
 * What a refused call must leave as it was: licences, outbox rows, timers, audit entries. The
 * audit anchor timer may add its own outbox row at any moment (its first run is at start): not
 * the change under test.
 */
async function written() {
  const n = async (table: typeof schema.licences | typeof schema.timers | typeof schema.auditLog) =>
    (await db().select({ n: count() }).from(table))[0]!.n;
  const [events] = await db().select({ n: count() }).from(schema.outbox).where(ne(schema.outbox.topic, TOPICS.audit));
  return {
    licences: await n(schema.licences),
    outbox: events!.n,
    timers: await n(schema.timers),
    audit: await n(schema.auditLog),
  };
}

beforeAll(async () => {
  approval = await startTestSubgraph(approvalService, {
    clock,
    databaseSchema: `approval_bulk_${randomUUID().slice(0, 8)}`,
  });
  await db()
    .insert(schema.knownEnterprises)
    .values([
      { uscc: hotel, name: '会宁县批量宾馆', status: 'ACTIVE', version: 1 },
      { uscc: shop, name: '会宁县批量超市', status: 'ACTIVE', version: 1 },
    ]);
  // A configured item keeps its supervising department (and gives the 监管子项 each push carries).
  const item = await approval.call(
    approver,
    'mutation ($input: ApprovalItemInput!) { setApprovalItem(input: $input) { name } }',
    { input: { name: '公共场所卫生许可', supervisingDepartment: 'HEALTH', supervisionItem: '公共场所卫生监督检查' } },
  );
  expect(item.errors).toBeUndefined();
});
afterAll(async () => {
  await approval?.stop();
});

describe('grantLicences', () => {
  it('grants every entry in the order given, each with its push, expiry and audit entry', async () => {
    const inputs = [entry(hotel, 'BULK-1'), entry(shop, 'BULK-2', { grantedOn: '2026-11-20' }), entry(hotel, 'BULK-3')];
    const r = await approval.call<{ grantLicences: { id: string; licenceNumber: string; status: string }[] }>(
      approver,
      GRANT_MANY,
      { inputs },
    );
    expect(r.errors).toBeUndefined();
    const granted = r.data!.grantLicences;
    expect(granted.map((l) => [l.licenceNumber, l.status])).toEqual([
      ['BULK-1', 'VALID'],
      ['BULK-2', 'VALID'],
      ['BULK-3', 'VALID'],
    ]);
    const ids = granted.map((l) => l.id);

    // The pushes, in the order given, each the full v2 event grantLicence sends.
    const events = (await db().select({ event: schema.outbox.event }).from(schema.outbox))
      .map((r) => r.event as { type: string; data: { licenceId: string; recordedAt: string } })
      .filter((e) => e.type === 'onecheck.licence.granted.v2');
    expect(events.map((e) => e.data.licenceId)).toEqual(ids);
    expect(events[1]!.data).toMatchObject({
      businessName: '会宁县批量超市',
      grantedOn: '2026-11-20',
      supervisionItem: '公共场所卫生监督检查',
    });
    expect(events[0]!.data.recordedAt).toBe(clock.now().toISOString());

    // One expiry timer each, and one audit entry each in the same order, the chain unbroken.
    const timers = await db()
      .select({ id: schema.timers.id })
      .from(schema.timers)
      .where(
        inArray(
          schema.timers.id,
          ids.map((id) => `licence-expiry:${id}`),
        ),
      );
    expect(timers).toHaveLength(3);
    const audit = await db().select().from(schema.auditLog).orderBy(schema.auditLog.seq);
    expect(audit.filter((a) => a.action === 'grantLicences').map((a) => a.entityId)).toEqual(ids);
    expect((await verifyAuditLog(db(), [])).ok).toBe(true);
  });

  it.each([
    ['an unknown business', [entry(hotel, 'BAD-1'), entry(stranger, 'BAD-2')], 'BAD_USER_INPUT', 'inputs.1.uscc'],
    [
      'a validity already over',
      [entry(hotel, 'BAD-3', { validUntil: '2026-11-01', validFrom: '2026-01-01' })],
      'BAD_USER_INPUT',
      'inputs.0.validUntil',
    ],
    [
      'a decision dated in the future',
      [entry(shop, 'BAD-4'), entry(shop, 'BAD-5', { grantedOn: '2026-11-26' })],
      'BAD_USER_INPUT',
      'inputs.1.grantedOn',
    ],
    [
      'a date no act of OneCheck can bear (year 0001)',
      [entry(hotel, 'BAD-12', { validFrom: '0001-01-01' })],
      'BAD_USER_INPUT',
      'inputs.0.validFrom',
    ],
    ['a number already granted', [entry(shop, 'BAD-6'), entry(shop, 'BULK-2')], 'CONFLICT', 'inputs.1.licenceNumber'],
    [
      'one number twice in the batch',
      [entry(shop, 'BAD-7'), entry(hotel, 'BAD-8'), entry(hotel, 'BAD-7')],
      'CONFLICT',
      'inputs.2.licenceNumber',
    ],
    [
      'another department for a configured item',
      [entry(hotel, 'BAD-9', { supervisingDepartment: 'FIRE' })],
      'BAD_USER_INPUT',
      'inputs.0.supervisingDepartment',
    ],
    ['no entry at all', [], 'BAD_USER_INPUT', 'inputs'],
    [
      'more entries than one call takes',
      Array.from({ length: GRANT_BATCH_MAX + 1 }, (_, i) => entry(hotel, `MANY-${i}`)),
      'BAD_USER_INPUT',
      'inputs',
    ],
  ])('refuses %s, naming the entry, and grants none', async (_, inputs, code, field) => {
    const before = await written();
    const r = await approval.call(approver, GRANT_MANY, { inputs });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code, field });
    expect(r.errors?.[0]?.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await written()).toEqual(before);
  });

  it('is the approval bureau’s alone', async () => {
    const before = await written();
    const r = await approval.call(staff, GRANT_MANY, { inputs: [entry(hotel, 'STAFF-1')] });
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await written()).toEqual(before);
  });
});

// A grant racing the batch needs two connections to one database: PostgreSQL (CI's second pass).
describe.skipIf(!testingEnv.databaseUrl)('grantLicences racing another grant', () => {
  it('names the entry whose number was taken after its check, and grants none', async () => {
    const first = await approval.call<{ grantLicences: { id: string }[] }>(approver, GRANT_MANY, {
      inputs: [entry(hotel, 'RACE-0')],
    });
    const [held] = await db()
      .select()
      .from(schema.licences)
      .where(eq(schema.licences.id, first.data!.grantLicences[0]!.id));
    const before = await written();
    // Another transaction takes RACE-2 and holds it: the batch's check cannot see it yet, and its
    // insert waits on that number until the other commits.
    let commit!: () => void;
    const other = db().transaction(async (tx) => {
      await tx.insert(schema.licences).values({ ...held!, id: randomUUID(), licenceNumber: 'RACE-2' });
      await new Promise<void>((resolve) => (commit = resolve));
    });
    const batch = approval.call(approver, GRANT_MANY, { inputs: [entry(hotel, 'RACE-1'), entry(shop, 'RACE-2')] });
    await expect
      .poll(
        async () =>
          rowsOf(
            await db().execute(sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock'`),
          )[0]!.n,
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0);
    commit();
    await other;
    const r = await batch;
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'inputs.1.licenceNumber' });
    expect(await written()).toEqual({ ...before, licences: before.licences + 1 });
  });
});
