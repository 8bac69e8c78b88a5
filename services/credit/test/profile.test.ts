/**
 * Credit profiles as stored (domain/profile.ts) on an in-memory database: the default for a
 * business the platform does not hold, NEW on registration, the look-back window applied in SQL,
 * and class-changed.v2 carrying the rule and counts.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { testClock } from '@onecheck/clock';
import { openDatabase, readAuditTrail, serviceActor, type Database } from '@onecheck/kit';
import * as schema from '../src/db/schema';
import { profilesByUscc, recordFinding, registerBusiness } from '../src/domain/profile';

const clock = testClock('2026-11-25');
const actor = serviceActor('credit', { event: 'finding-event-1' });
let db: Database<typeof schema>['db'];
let n = 0;

const finding = (uscc: string, recordedOn: string, severity: 'MINOR' | 'GENERAL' | 'SERIOUS') => ({
  findingId: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  department: 'HEALTH',
  uscc,
  taskId: '00000000-0000-4000-8000-000000000000',
  description: '后厨卫生不合格',
  severity,
  handling: 'RECTIFICATION' as const,
  recordedOn,
});

const profile = async (uscc: string) => (await profilesByUscc(db, [uscc]))[0]!;
const events = () => db.select().from(schema.outbox);

beforeAll(async () => {
  const database = await openDatabase({
    name: 'credit-profile-test',
    schema,
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  });
  db = database.db;
});

describe('credit profiles', () => {
  it('default to B (DEFAULT) for a business the platform does not hold', async () => {
    expect(await profile('91620422MA7XXXXX01')).toMatchObject({ riskClass: 'B', rule: 'DEFAULT', updatedAt: null });
  });

  it('start at B (NEW) on registration, stamped by the clock', async () => {
    await db.transaction((tx) => registerBusiness(tx, '91620422MA7XXXXX02', '会宁县一家餐馆', clock, actor));
    expect(await profile('91620422MA7XXXXX02')).toMatchObject({
      riskClass: 'B',
      rule: 'NEW',
      findings: 0,
      lookbackMonths: null,
      updatedAt: clock.now(),
    });
  });

  it('count findings from the same day a year back, not the day before', async () => {
    const uscc = '91620422MA7XXXXX03';
    await db.transaction((tx) => recordFinding(tx, finding(uscc, '2025-11-24', 'SERIOUS'), clock, actor));
    expect(await profile(uscc)).toMatchObject({ riskClass: 'B', rule: 'NO_FINDINGS', findings: 0, lookbackMonths: 12 });
    await db.transaction((tx) => recordFinding(tx, finding(uscc, '2025-11-25', 'GENERAL'), clock, actor));
    expect(await profile(uscc)).toMatchObject({ riskClass: 'B', rule: 'SOME_FINDINGS', findings: 1, general: 1 });
    // B stayed B, but the grounds moved: those who show them (the bureau's credit check) hear of each.
    const published = (await events()).map((e) => e.event as { type: string; data: Record<string, unknown> });
    expect(published.map((e) => [e.type, e.data.previousClass, e.data.riskClass, e.data.rule, e.data.general])).toEqual(
      [
        ['onecheck.credit.class-changed.v2', 'B', 'B', 'NO_FINDINGS', 0],
        ['onecheck.credit.class-changed.v2', 'B', 'B', 'SOME_FINDINGS', 1],
      ],
    );
  });

  it('publish class-changed.v2 with the rule and counts when the class moves', async () => {
    const uscc = '91620422MA7XXXXX04';
    const f = finding(uscc, '2026-11-20', 'SERIOUS');
    await db.transaction((tx) => recordFinding(tx, f, clock, actor));
    await db.transaction((tx) => recordFinding(tx, f, clock, actor)); // redelivered: counted once
    expect(await profile(uscc)).toMatchObject({ riskClass: 'D', rule: 'SERIOUS', findings: 1, serious: 1 });
    const published = (await events())
      .map((e) => e.event as { type: string; data: { uscc: string } })
      .filter((e) => e.data.uscc === uscc);
    expect(published.map((e) => e.type)).toEqual(['onecheck.credit.class-changed.v2']);
    expect(published[0]!.data).toEqual({
      uscc,
      riskClass: 'D',
      previousClass: 'B',
      rule: 'SERIOUS',
      findings: 1,
      serious: 1,
      penalties: 0,
      general: 0,
      lookbackMonths: 12,
    });
  });

  it("put each change on the business's audit trail, by the platform on the event, once per delivery that changed something", async () => {
    const uscc = '91620422MA7XXXXX05';
    const f = finding(uscc, '2026-11-20', 'GENERAL');
    await db.transaction((tx) => recordFinding(tx, f, clock, actor));
    await db.transaction((tx) => recordFinding(tx, f, clock, actor)); // redelivered: nothing changes, nothing added
    const trail = await readAuditTrail(db, { kind: 'business', id: uscc });
    expect(trail.map((e) => e.action)).toEqual(['receiveFindings', 'recordCredit']);
    expect(trail[0]!.actor).toEqual({ kind: 'service', principal: 'credit', event: 'finding-event-1' });
    expect(trail[0]!.after).toMatchObject({ id: f.findingId, severity: 'GENERAL' });
    expect(trail[1]!.before).toBeNull();
    expect(trail[1]!.after).toMatchObject({ uscc, riskClass: 'B', rule: 'SOME_FINDINGS', findings: 1 });
  });
});
