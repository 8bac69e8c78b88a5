/**
 * Licence expiry on the kit's durable timers (issue 9 item 4; 行政许可法 §70(一)) and a licence's
 * audit trail (issue 9 item 2), over HTTP as the gateway calls it, with the clock pinned and moved
 * past validUntil: the licence expires once with one event, whatever runs the timers again; an
 * amended validUntil moves the expiry; a licence ended otherwise has none left; an expiry that fell
 * due while no instance ran happens when one starts again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { approvalService } from '../src/index';
import * as schema from '../src/db/schema';

const clock = testClock('2026-11-25T09:00:00+08:00');
const approver: Identity = { sub: 'approver-1', role: 'approver' };
const office: Identity = { sub: 'office-1', role: 'office' };
const staff: Identity = { sub: 'clerk-2', role: 'staff', department: 'HEALTH' };
const inspector: Identity = { sub: 'insp-3', role: 'inspector', department: 'HEALTH' };
const uscc = generateUscc(seededRandom(515), { region: '620422' });
// A data folder (PGlite) or a schema (TEST_DATABASE_URL) that outlives one start: the restart's.
const dataDir = mkdtempSync(join(tmpdir(), 'approval-expiry-'));
const settings = { clock, dataDir, databaseSchema: `approval_expiry_${randomUUID().slice(0, 8)}` };
let approval: TestSubgraph<typeof schema>;
let seq = 0;

const GRANT = 'mutation ($input: GrantLicenceInput!) { grantLicence(input: $input) { id status } }';
const STATUS = 'query ($id: ID!) { licence(id: $id) { status } }';
const TRAIL = `query ($id: ID!) { licence(id: $id) { auditTrail {
  seq action actionName entityKind entityId before after actor { kind sub role principal timer } } } }`;

async function grant(validUntil: string): Promise<string> {
  const r = await approval.call<{ grantLicence: { id: string } }>(approver, GRANT, {
    input: {
      uscc,
      licenceNumber: `WS-EXP-${++seq}`,
      approvalItem: '公共场所卫生许可',
      supervisingDepartment: 'HEALTH',
      scope: '住宿',
      validFrom: '2026-01-01',
      validUntil,
    },
  });
  expect(r.errors).toBeUndefined();
  return r.data!.grantLicence.id;
}
const status = async (id: string) =>
  (await approval.call<{ licence: { status: string } }>(approver, STATUS, { id })).data!.licence.status;
const expiredEvents = async (id: string) => {
  const { db } = approval.service.database;
  const rows = await db.select({ event: schema.outbox.event }).from(schema.outbox);
  return rows.filter((r) => {
    const e = r.event as { type: string; data: { licenceId: string } };
    return e.type === 'onecheck.licence.expired.v1' && e.data.licenceId === id;
  }).length;
};
const timerOf = async (id: string) => {
  const { db } = approval.service.database;
  const [row] = await db
    .select({ n: count() })
    .from(schema.timers)
    .where(and(eq(schema.timers.id, `licence-expiry:${id}`), eq(schema.timers.kind, 'licence.expire')));
  return row!.n;
};

beforeAll(async () => {
  approval = await startTestSubgraph(approvalService, settings);
  await approval.service.database.db
    .insert(schema.knownEnterprises)
    .values({ uscc, name: '会宁县到期宾馆', status: 'ACTIVE', version: 1 });
});
afterAll(async () => {
  await approval?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('licence expiry by a durable timer', () => {
  it('expires a licence the day after validUntil, once, with one event, whatever runs the timers again', async () => {
    clock.set('2026-11-25T09:00:00+08:00');
    const id = await grant('2026-11-30');
    await approval.service.timers!.runDue();
    expect(await status(id)).toBe('VALID');
    // The last day of validity is still valid.
    clock.set('2026-11-30T23:59:00+08:00');
    await approval.service.timers!.runDue();
    expect(await status(id)).toBe('VALID');
    clock.set('2026-12-01T00:00:30+08:00');
    await approval.service.timers!.runDue();
    await approval.service.timers!.runDue();
    expect(await status(id)).toBe('EXPIRED');
    expect(await expiredEvents(id)).toBe(1);
    // On its trail: the grant by the approver, the expiry by the service on its timer.
    const trail = (await approval.call(approver, TRAIL, { id })).data!.licence.auditTrail;
    expect(trail.map((e: { action: string }) => e.action)).toEqual(['grantLicences', 'expireLicences']);
    expect(trail[0]).toMatchObject({ actor: { kind: 'USER', sub: 'approver-1', role: 'approver' }, before: null });
    expect(trail[1]).toMatchObject({
      actionName: '许可有效期届满',
      entityKind: 'licence',
      entityId: id,
      actor: { kind: 'SERVICE', principal: 'approval', timer: `licence-expiry:${id}` },
      before: { status: 'VALID' },
      after: { status: 'EXPIRED' },
    });
  });

  it('moves the expiry when validUntil is amended, and drops it when the bureau ends the licence', async () => {
    clock.set('2026-12-02T09:00:00+08:00');
    const amended = await grant('2026-12-05');
    const annulled = await grant('2026-12-05');
    const r = await approval.call(
      approver,
      'mutation ($id: ID!) { amendLicence(id: $id, input: { validUntil: "2026-12-20" }) { id } }',
      {
        id: amended,
      },
    );
    expect(r.errors).toBeUndefined();
    const a = await approval.call(
      approver,
      `mutation ($id: ID!) { setLicenceStatus(id: $id, status: ANNULLED, reason: "以欺骗手段取得许可",
        documentNumber: "会审批撤〔2026〕1号", legalBasis: "《行政许可法》第六十九条") { status } }`,
      { id: annulled },
    );
    expect(a.errors).toBeUndefined();
    expect(await timerOf(annulled)).toBe(0);
    // An ended licence is not made VALID again by anyone: no transition, not a department's lift.
    const revived = await approval.call(
      approver,
      'mutation ($id: ID!) { setLicenceStatus(id: $id, status: VALID, reason: "恢复") { status } }',
      { id: annulled },
    );
    expect(revived.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'licence.transition',
      params: { from: 'ANNULLED', to: 'VALID' },
    });
    // Expiry is no one's act: refused with the law that ends the licence, not a department's penalty.
    const byHand = await approval.call(
      approver,
      `mutation ($id: ID!) { setLicenceStatus(id: $id, status: EXPIRED, reason: "到期",
        documentNumber: "x", legalBasis: "y") { status } }`,
      { id: amended },
    );
    expect(byHand.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'status',
      messageKey: 'licence.endsByItself',
    });
    expect(byHand.errors?.[0]?.message).toContain('第七十条');
    clock.set('2026-12-06T09:00:00+08:00');
    await approval.service.timers!.runDue();
    expect(await status(amended)).toBe('VALID');
    expect(await status(annulled)).toBe('ANNULLED');
    clock.set('2026-12-21T09:00:00+08:00');
    await approval.service.timers!.runDue();
    expect(await status(amended)).toBe('EXPIRED');
    expect(await expiredEvents(amended)).toBe(1);
    const trail = (await approval.call(office, TRAIL, { id: amended })).data!.licence.auditTrail;
    expect(trail.map((e: { action: string }) => e.action)).toEqual([
      'grantLicences',
      'changeLicences',
      'expireLicences',
    ]);
    expect(trail[1]).toMatchObject({ before: { validUntil: '2026-12-05' }, after: { validUntil: '2026-12-20' } });
  });

  it('expires, once, a licence whose expiry fell due while no instance ran, when one starts again', async () => {
    clock.set('2026-12-22T09:00:00+08:00');
    const id = await grant('2026-12-24');
    await approval.service.stop(); // the process ends; its database stays
    clock.set('2026-12-28T09:00:00+08:00');
    approval = await startTestSubgraph(approvalService, settings);
    await approval.service.timers!.runDue();
    expect(await status(id)).toBe('EXPIRED');
    expect(await expiredEvents(id)).toBe(1);
  });
});

describe("a licence's audit trail", () => {
  it('is refused to departments and inspectors (FORBIDDEN), shown to the bureau and the office', async () => {
    const id = await grant('2030-12-31');
    for (const who of [staff, inspector]) {
      const r = await approval.call(who, TRAIL, { id });
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    for (const who of [approver, office]) {
      const r = await approval.call(who, TRAIL, { id });
      expect(r.errors).toBeUndefined();
      expect(r.data!.licence.auditTrail).toHaveLength(1);
    }
  });
});
