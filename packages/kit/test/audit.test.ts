/**
 * The audit chain (audit.ts) and its verifier (audit-verify.ts), issue 9 item 2: a row edited in
 * the database, a row edited with every later hash recomputed, and the newest rows deleted are
 * each named, the last two thanks to the published anchors.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { asc, eq, gt, gte, sql } from 'drizzle-orm';
import { testClock } from '@onecheck/clock';
import { outbox } from '@onecheck/events/tables';
import {
  actorOf,
  anchorAudit,
  appendAudit,
  appendAuditMany,
  auditHash,
  GENESIS_HASH,
  readAuditTrail,
} from '../src/audit';
import { verifyAuditLog, type AuditAnchor } from '../src/audit-verify';
import { canonical } from '../src/canonical';
import { auditHead, auditLog } from '../src/tables';
import { kitDatabase, onServer } from './fixtures/db';

const clock = testClock('2026-03-02T09:00:00+08:00');
const office = actorOf({ sub: 'u-1', role: 'office' });

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function withEntries(n: number) {
  const kit = await kitDatabase();
  cleanup.push(kit.close);
  for (let i = 1; i <= n; i++)
    await kit.db.transaction((tx) =>
      appendAudit(tx, {
        actor: office,
        action: 'changeBusinesses',
        entity: { kind: 'business', id: `B${i % 3}` },
        before: { name: `name ${i - 1}`, at: clock.now() },
        after: { name: `name ${i}` },
        at: clock.now(),
      }),
    );
  return kit;
}

/** The anchors as a verifier reads them from the topic: here from the outbox the relay would publish. */
async function anchorsOf(db: Awaited<ReturnType<typeof kitDatabase>>['db']): Promise<AuditAnchor[]> {
  const rows = await db.select().from(outbox).orderBy(asc(outbox.seq));
  return rows.map((r) => (r.event as { data: AuditAnchor }).data);
}

/** Rewrites every hash from `from` on, as someone hiding an edit would, head included. */
async function recomputeFrom(db: Awaited<ReturnType<typeof kitDatabase>>['db'], from: number) {
  const rows = await db.select().from(auditLog).where(gte(auditLog.seq, from)).orderBy(asc(auditLog.seq));
  const [before] = await db
    .select()
    .from(auditLog)
    .where(eq(auditLog.seq, from - 1));
  let prev = before?.hash ?? GENESIS_HASH;
  for (const row of rows) {
    const hash = auditHash(prev, row);
    await db.update(auditLog).set({ prevHash: prev, hash }).where(eq(auditLog.seq, row.seq));
    prev = hash;
  }
  await db.update(auditHead).set({ hash: prev });
}

describe('the audit chain', () => {
  it('links each entry to the one before; the verifier passes an untouched chain and reads the trail', async () => {
    const { db } = await withEntries(5);
    const rows = await db.select().from(auditLog).orderBy(asc(auditLog.seq));
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    // The hash an outside verifier recomputes (the module's header): sha-256 of the previous hash,
    // a newline and the canonical JSON of every stored field but the two hashes.
    for (const { hash, prevHash, at, ...fields } of rows) {
      const body = canonical({ ...fields, at: at.toISOString() });
      expect(hash).toBe(createHash('sha256').update(`${prevHash}\n${body}`).digest('hex'));
    }
    await db.transaction((tx) => anchorAudit(tx, 'market', clock));
    expect(await verifyAuditLog(db, await anchorsOf(db))).toEqual({ ok: true, entries: 5, anchoredTo: 5 });
    const trail = await readAuditTrail(db, { kind: 'business', id: 'B1' });
    expect(trail.map((e) => e.seq)).toEqual([1, 4]);
    expect(trail[0]).toMatchObject({ actor: { kind: 'user', sub: 'u-1', role: 'office' }, action: 'changeBusinesses' });
  });

  it('stores each entry as JSON carries it and hashes exactly what it stores', async () => {
    const kit = await kitDatabase();
    cleanup.push(kit.close);
    const at = clock.now();
    // Rows as services hand them: Dates, members left undefined, text with quotes, escapes and Chinese.
    const row = {
      id: 'L-1',
      name: '会宁县 "红星" 宾馆 \\ 分店\n二号',
      scope: ['住宿', undefined, '餐饮'],
      createdAt: at,
      promiseId: undefined,
      nested: { when: at, none: null },
    };
    await kit.db.transaction((tx) =>
      appendAuditMany(tx, [
        { actor: office, action: 'grantLicences', entity: { kind: 'licence', id: 'L-1' }, after: row, at },
        {
          actor: office,
          action: 'grantLicences',
          entity: { kind: 'licence', id: 'L-1' },
          before: row,
          after: null,
          at,
        },
      ]),
    );
    const rows = await kit.db.select().from(auditLog).orderBy(asc(auditLog.seq));
    const asJson = JSON.parse(JSON.stringify(row));
    expect(rows.map((r) => [r.seq, r.before, r.after, r.at.toISOString()])).toEqual([
      [1, null, asJson, at.toISOString()],
      [2, asJson, null, at.toISOString()],
    ]);
    let prev = GENESIS_HASH;
    for (const { hash, prevHash, at: stamped, ...fields } of rows) {
      expect(prevHash).toBe(prev);
      const body = canonical({ ...fields, at: stamped.toISOString() });
      expect(hash).toBe(createHash('sha256').update(`${prevHash}\n${body}`).digest('hex'));
      prev = hash;
    }
    expect(await kit.db.select().from(auditHead)).toMatchObject([{ seq: 2, hash: prev }]);
  });

  it('anchors only what is new, and nothing when nothing is', async () => {
    const kit = await withEntries(3);
    expect(await kit.db.transaction((tx) => anchorAudit(tx, 'market', clock))).toBe(3);
    expect(await kit.db.transaction((tx) => anchorAudit(tx, 'market', clock))).toBe(0);
    await kit.db.transaction((tx) =>
      appendAudit(tx, { actor: office, action: 'setCalendar', entity: { kind: 'business', id: 'x' }, at: clock.now() }),
    );
    expect(await kit.db.transaction((tx) => anchorAudit(tx, 'market', clock))).toBe(1);
    const anchors = await anchorsOf(kit.db);
    expect(anchors.map((a) => [a.fromSeq, a.hashes.length])).toEqual([
      [1, 3],
      [4, 1],
    ]);
    const [event] = await kit.db.select().from(outbox).limit(1);
    expect(event).toMatchObject({ topic: 'onecheck.audit.anchor', key: 'market' });
  });

  it('names a row edited in the database', async () => {
    const { db } = await withEntries(6);
    await db
      .update(auditLog)
      .set({ after: { name: 'forged' } })
      .where(eq(auditLog.seq, 3));
    const result = await verifyAuditLog(db, []);
    expect(result).toMatchObject({ ok: false, problem: { seq: 3, kind: 'changed' } });
  });

  it('names the edited row when every later hash was recomputed: the anchors still hold the old ones', async () => {
    const { db } = await withEntries(6);
    await db.transaction((tx) => anchorAudit(tx, 'market', clock));
    await db
      .update(auditLog)
      .set({ after: { name: 'forged' } })
      .where(eq(auditLog.seq, 3));
    await recomputeFrom(db, 3);
    // Without anchors the forgery is consistent …
    expect((await verifyAuditLog(db, [])).ok).toBe(true);
    // … against them it is named.
    expect(await verifyAuditLog(db, await anchorsOf(db))).toMatchObject({
      ok: false,
      problem: { seq: 3, kind: 'changed', row: { entityId: 'B0', action: 'changeBusinesses' } },
    });
  });

  it('names the first of the newest rows deleted after they were anchored', async () => {
    const { db } = await withEntries(6);
    await db.transaction((tx) => anchorAudit(tx, 'market', clock));
    await db.delete(auditLog).where(gt(auditLog.seq, 4));
    const [last] = await db.select().from(auditLog).where(eq(auditLog.seq, 4));
    await db.update(auditHead).set({ seq: 4, hash: last!.hash });
    expect(await verifyAuditLog(db, await anchorsOf(db))).toMatchObject({
      ok: false,
      problem: { seq: 5, kind: 'removed' },
    });
  });

  it('names a row deleted from the middle', async () => {
    const { db } = await withEntries(6);
    await db.delete(auditLog).where(eq(auditLog.seq, 2));
    expect(await verifyAuditLog(db, [])).toMatchObject({ ok: false, problem: { seq: 2, kind: 'removed' } });
  });

  it.skipIf(!onServer)('concurrent transactions never fork the chain', async () => {
    const kit = await kitDatabase();
    cleanup.push(kit.close);
    const other = await kit.again();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 ? kit.db : other.db).transaction(async (tx) => {
          await appendAudit(tx, {
            actor: office,
            action: 'setCalendar',
            entity: { kind: 'business', id: `${i}` },
            at: clock.now(),
          });
          await tx.execute(sql`select pg_sleep(0.002)`);
          await appendAudit(tx, {
            actor: office,
            action: 'setCalendar',
            entity: { kind: 'business', id: `${i}` },
            at: clock.now(),
          });
        }),
      ),
    );
    const rows = await kit.db.select().from(auditLog).orderBy(asc(auditLog.seq));
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(await verifyAuditLog(kit.db, [])).toMatchObject({ ok: true, entries: 60 });
  });
});
