/**
 * Durable timers (timers.ts, issue 9): due by the service clock, once whatever the number of
 * instances, surviving restarts, retried with backoff, recurring.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { testClock } from '@onecheck/clock';
import { appendAudit } from '../src/audit';
import { createLogger } from '../src/logger';
import { auditLog, timers } from '../src/tables';
import { scheduleTimer, startTimers, type TimerHandlers } from '../src/timers';
import { kitDatabase, onServer, type KitDatabase } from './fixtures/db';

const T0 = '2026-03-02T09:00:00+08:00';
const logger = createLogger('timers-test', 'silent');
const MINUTE = 60_000;

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup() {
  const kit = await kitDatabase();
  cleanup.push(kit.close);
  return kit;
}

function runner(database: KitDatabase, clock: ReturnType<typeof testClock>, handlers: TimerHandlers, extra = {}) {
  // A long poll: the tests drive the runner with runDue, at the instants they set.
  const r = startTimers({
    db: database.db,
    clock,
    logger,
    principal: 'approval',
    handlers,
    pollMs: 3_600_000,
    ...extra,
  });
  cleanup.push(() => r.stop());
  return r;
}

/** A handler whose effect is one audit entry per run, naming the job: runs are counted in the database. */
const recordRun: TimerHandlers = {
  'licence.expire': async (job, tx, actor) => {
    await appendAudit(tx, {
      actor,
      action: 'changeLicences',
      entity: { kind: 'licence', id: job.id },
      after: job.payload,
      at: job.dueAt,
    });
  },
};

async function runsOf(database: KitDatabase, id?: string) {
  const [row] = await database.db
    .select({ n: count() })
    .from(auditLog)
    .where(id ? eq(auditLog.entityId, id) : undefined);
  return row!.n;
}

describe('durable timers', () => {
  it('runs a job when the clock reaches its due time, not before, and only once', async () => {
    const { database, db } = await setup();
    const clock = testClock(T0);
    const r = runner(database, clock, recordRun);
    await scheduleTimer(db, {
      id: 'licence-expiry:L1',
      kind: 'licence.expire',
      dueAt: new Date(clock.millis() + 60 * MINUTE),
      payload: { licenceId: 'L1' },
    });
    expect(await r.runDue()).toBe(0);
    clock.advance(59 * MINUTE);
    expect(await r.runDue()).toBe(0);
    expect(await runsOf(database)).toBe(0);
    clock.advance(MINUTE);
    expect(await r.runDue()).toBe(1);
    expect(await r.runDue()).toBe(0);
    clock.advance(24 * 60 * MINUTE);
    expect(await r.runDue()).toBe(0);
    const [entry] = await db.select().from(auditLog);
    // Who: the service itself, naming the timer that acted.
    expect(entry!.actor).toEqual({ kind: 'service', principal: 'approval', timer: 'licence-expiry:L1' });
    expect(entry!.after).toEqual({ licenceId: 'L1' });
  });

  it('scheduling the same id again moves the job; a cancelled job never runs', async () => {
    const { database, db } = await setup();
    const clock = testClock(T0);
    const r = runner(database, clock, recordRun);
    const at = (min: number) => new Date(clock.millis() + min * MINUTE);
    await scheduleTimer(db, { id: 'a', kind: 'licence.expire', dueAt: at(10) });
    await scheduleTimer(db, { id: 'a', kind: 'licence.expire', dueAt: at(30) });
    clock.advance(10 * MINUTE);
    expect(await r.runDue()).toBe(0);
    clock.advance(20 * MINUTE);
    expect(await r.runDue()).toBe(1);
  });

  it('survives a restart: a job that fell due while nothing ran runs when an instance starts again', async () => {
    const kit = await setup();
    const clock = testClock(T0);
    const first = runner(kit.database, clock, recordRun);
    await scheduleTimer(kit.db, { id: 'missed', kind: 'licence.expire', dueAt: new Date(clock.millis() + MINUTE) });
    await first.stop();
    // Nothing runs for a day; then the service starts again.
    clock.advance(24 * 60 * MINUTE);
    const again = await kit.restart();
    const second = runner(again, clock, recordRun);
    expect(await second.runDue()).toBe(1);
    expect(await runsOf(again, 'missed')).toBe(1);
  });

  it('a failing job leaves no effect, is retried after a backoff that grows, and then runs once', async () => {
    const { database, db } = await setup();
    const clock = testClock(T0);
    let failures = 2;
    const r = runner(
      database,
      clock,
      {
        'licence.expire': async (job, tx, actor) => {
          await recordRun['licence.expire']!(job, tx, actor);
          if (failures-- > 0) throw new Error('the department is down');
        },
      },
      { retryBackoffMs: 1000 },
    );
    await scheduleTimer(db, { id: 'flaky', kind: 'licence.expire', dueAt: clock.now() });
    expect(await r.runDue()).toBe(1);
    expect(await runsOf(database)).toBe(0);
    let [row] = await db.select().from(timers).where(eq(timers.id, 'flaky'));
    expect(row).toMatchObject({ attempts: 1, lastError: 'the department is down', doneAt: null });
    expect(row!.dueAt.getTime()).toBe(clock.millis() + 1000);
    clock.advance(1000);
    expect(await r.runDue()).toBe(1);
    [row] = await db.select().from(timers).where(eq(timers.id, 'flaky'));
    // Twice as long after the second failure.
    expect(row!.dueAt.getTime()).toBe(clock.millis() + 2000);
    clock.advance(1999);
    expect(await r.runDue()).toBe(0);
    clock.advance(1);
    expect(await r.runDue()).toBe(1);
    expect(await runsOf(database)).toBe(1);
    [row] = await db.select().from(timers).where(eq(timers.id, 'flaky'));
    expect(row).toMatchObject({ attempts: 0, lastError: null });
    expect(row!.doneAt).not.toBeNull();
  });

  it('a recurring job runs every period; periods missed while nothing ran collapse into one run', async () => {
    const { database } = await setup();
    const clock = testClock(T0);
    const r = runner(database, clock, recordRun, {
      recurring: [{ id: 'scan', kind: 'licence.expire', everyMs: 5 * MINUTE }],
    });
    await r.ready;
    expect(await r.runDue()).toBe(1);
    clock.advance(4 * MINUTE);
    expect(await r.runDue()).toBe(0);
    clock.advance(MINUTE);
    expect(await r.runDue()).toBe(1);
    clock.advance(31 * MINUTE);
    expect(await r.runDue()).toBe(1);
    // Its rhythm is kept: next at T0 + 40 min.
    clock.advance(3 * MINUTE);
    expect(await r.runDue()).toBe(0);
    clock.advance(MINUTE);
    expect(await r.runDue()).toBe(1);
    expect(await runsOf(database, 'scan')).toBe(4);
  });

  // Two instances need two connections to one database: PostgreSQL (CI's second pass, TEST_DATABASE_URL).
  it.skipIf(!onServer)('two instances on one database: each due job runs exactly once', async () => {
    const kit = await setup();
    const clock = testClock(T0);
    const ranBy = new Map<string, string[]>();
    const handlers = (instance: string): TimerHandlers => ({
      'licence.expire': async (job, tx, actor) => {
        ranBy.set(job.id, [...(ranBy.get(job.id) ?? []), instance]);
        // Slow enough that the two instances look at the table while the other holds jobs.
        await new Promise((resolve) => setTimeout(resolve, 5));
        await recordRun['licence.expire']!(job, tx, actor);
      },
    });
    const a = runner(kit.database, clock, handlers('a'));
    const b = runner(await kit.again(), clock, handlers('b'));
    const jobs = 40;
    for (let i = 0; i < jobs; i++)
      await scheduleTimer(kit.db, { id: `job-${i}`, kind: 'licence.expire', dueAt: new Date(clock.millis() + i) });
    clock.advance(jobs);
    const [ranA, ranB] = await Promise.all([a.runDue(), b.runDue()]);
    expect(ranA + ranB).toBe(jobs);
    // Both took part (neither waited for the other's lock) …
    expect(ranA).toBeGreaterThan(0);
    expect(ranB).toBeGreaterThan(0);
    // … and every job ran once, its effect committed once.
    expect([...ranBy.values()].every((by) => by.length === 1)).toBe(true);
    expect(ranBy.size).toBe(jobs);
    expect(await runsOf(kit.database)).toBe(jobs);
    expect(await Promise.all([a.runDue(), b.runDue()])).toEqual([0, 0]);
  });
});
