/**
 * Durable timers (issue 9: "timers survive restarts and run once, whatever the number of
 * instances"): a job due at an instant of the service clock, kept in the service's own `timers`
 * table — a licence's expiry (行政许可法 §70(一)), a 告知承诺 reminder the day before its deadline
 * (seed 003 第七条), the audit anchors.
 *
 * - Once: a runner claims one due row with `FOR UPDATE SKIP LOCKED` and runs its handler in that
 *   same transaction, which also marks it done (or moves a recurring job on). Another instance
 *   skips the locked row and, after the commit, no longer sees it due. The handler's effects
 *   (rows, recordEvent, appendAudit) commit exactly when the job is marked: once.
 * - Durable: jobs are rows; a job due while no instance ran is due at the next start and runs then.
 * - Failure: the handler runs in a savepoint; when it throws, its effects roll back, the job keeps
 *   its row with attempts + 1 and last_error, and is due again after a backoff (doubling from
 *   `retryBackoffMs`, capped at `maxBackoffMs`): retried until it succeeds, visible to operators.
 * - Recurring (`everyMs`): after a run, due again one period later; periods missed while nothing
 *   ran collapse into the one run, then it keeps its rhythm.
 * - Due means `due_at <= clock.now()` of the service clock (tests pin and advance it).
 */
import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Clock } from '@onecheck/clock';
import { insertRows, type Db, type Tx } from '@onecheck/db';
import { serviceActor, type Actor } from './audit';
import { timers } from './tables';

export interface TimerJob {
  id: string;
  kind: string;
  payload: unknown;
  dueAt: Date;
  /** Failed runs before this one. */
  attempts: number;
}

/**
 * Runs one job inside the transaction that marks it; `actor` is the service's own principal with
 * the timer's id, for appendAudit. Throwing rolls the job's effects back and retries it later.
 */
export type TimerHandler<S extends Record<string, unknown> = Record<string, any>> = (
  job: TimerJob,
  tx: Tx<S>,
  actor: Actor,
) => Promise<void>;

export type TimerHandlers<S extends Record<string, unknown> = Record<string, any>> = Record<string, TimerHandler<S>>;

/** A job the service always has: registered (idempotently) at every start. */
export interface RecurringTimer {
  id: string;
  kind: string;
  everyMs: number;
  payload?: unknown;
}

type Writer = Pick<Db, 'execute' | 'delete'>;

/**
 * Schedules a job in the caller's transaction (so it exists exactly when the change that needs it
 * does). The same id again moves the job: new due time and payload, pending again.
 */
export async function scheduleTimer(tx: Writer, job: TimerSchedule): Promise<void> {
  await scheduleTimers(tx, [job]);
}

/** A job to schedule: its id (one job per id), kind, due time, payload, period for a recurring one. */
export interface TimerSchedule {
  id: string;
  kind: string;
  dueAt: Date;
  payload?: unknown;
  everyMs?: number;
  now?: Date;
}

/** scheduleTimer for many jobs (distinct ids) in one statement: a batch of licences each with its expiry. */
export async function scheduleTimers(tx: Writer, jobs: readonly TimerSchedule[]): Promise<void> {
  if (!jobs.length) return;
  await insertRows(
    tx,
    timers,
    jobs.map((job) => ({
      id: job.id,
      kind: job.kind,
      payload: job.payload ?? {},
      dueAt: job.dueAt,
      everyMs: job.everyMs ?? null,
      attempts: 0,
      lastError: null,
      doneAt: null,
      createdAt: job.now ?? job.dueAt,
    })),
    // Each row's own new values (the same id again moves its job); created_at stays.
    {
      onConflictDoUpdate: {
        target: timers.id,
        set: [
          timers.kind,
          timers.payload,
          timers.dueAt,
          timers.everyMs,
          timers.attempts,
          timers.lastError,
          timers.doneAt,
        ],
      },
    },
  );
}

/** Removes a pending job (e.g. a licence revoked before it would expire). */
export async function cancelTimer(tx: Writer, id: string): Promise<void> {
  await tx.delete(timers).where(eq(timers.id, id));
}

export interface TimerRunnerOptions<S extends Record<string, unknown>> {
  db: Db<S>;
  clock: Clock;
  logger: Logger;
  /** The service's principal: who the audit trail says acted on a timer. */
  principal: string;
  handlers: TimerHandlers<S>;
  recurring?: RecurringTimer[];
  /** How often to look for due jobs (ms, real time). Default 1000. */
  pollMs?: number;
  /** First retry delay of a failing job (ms of the service clock). Default 1000; doubles per attempt. */
  retryBackoffMs?: number;
  /** Longest retry delay. Default one hour. */
  maxBackoffMs?: number;
}

export interface TimerRunner {
  /** Runs every job due now, one transaction each; resolves to how many ran (failed tries included). */
  runDue(): Promise<number>;
  /** Resolves when the recurring jobs are registered (done before the first look). */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

export function startTimers<S extends Record<string, unknown>>(opts: TimerRunnerOptions<S>): TimerRunner {
  const { db, clock } = opts;
  const logger = opts.logger.child({ component: 'timers' });
  const pollMs = opts.pollMs ?? 1000;
  const retryBackoffMs = opts.retryBackoffMs ?? 1000;
  const maxBackoffMs = opts.maxBackoffMs ?? 3_600_000;

  const register = async () => {
    for (const r of opts.recurring ?? []) {
      // Keeps the job's place in its rhythm across restarts; only its definition is refreshed.
      await db
        .insert(timers)
        .values({
          id: r.id,
          kind: r.kind,
          payload: r.payload ?? {},
          dueAt: clock.now(),
          everyMs: r.everyMs,
          createdAt: clock.now(),
        })
        .onConflictDoUpdate({ target: timers.id, set: { kind: r.kind, everyMs: r.everyMs, doneAt: null } });
    }
  };

  /** Claims and runs one due job; false when none is due (or all due ones are held by others). */
  const runOne = (): Promise<boolean> =>
    db.transaction(async (tx) => {
      const now = clock.now();
      const [row] = await tx
        .select()
        .from(timers)
        .where(and(isNull(timers.doneAt), lte(timers.dueAt, now)))
        .orderBy(asc(timers.dueAt))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!row) return false;
      const handler = opts.handlers[row.kind];
      const job: TimerJob = {
        id: row.id,
        kind: row.kind,
        payload: row.payload,
        dueAt: row.dueAt,
        attempts: row.attempts,
      };
      try {
        if (!handler) throw new Error(`no handler for timer kind ${row.kind}`);
        await tx.transaction((sp) => handler(job, sp as Tx<S>, serviceActor(opts.principal, { timer: row.id })));
      } catch (err) {
        const attempts = row.attempts + 1;
        const backoff = Math.min(maxBackoffMs, retryBackoffMs * 2 ** Math.min(attempts - 1, 30));
        logger.warn({ err, timer: row.id, attempts, backoffMs: backoff }, 'timer job failed; will retry');
        await tx
          .update(timers)
          .set({
            attempts,
            lastError: (err instanceof Error ? err.message : String(err)).slice(0, 2000),
            dueAt: new Date(now.getTime() + backoff),
          })
          .where(eq(timers.id, row.id));
        return true;
      }
      const every = row.everyMs;
      // A recurring job's next slot after now: missed periods collapse into this one run.
      const next = every
        ? new Date(row.dueAt.getTime() + every * (Math.floor((now.getTime() - row.dueAt.getTime()) / every) + 1))
        : undefined;
      await tx
        .update(timers)
        .set({
          attempts: 0,
          lastError: null,
          lastRunAt: now,
          ...(next ? { dueAt: next } : { doneAt: now }),
        })
        .where(eq(timers.id, row.id));
      return true;
    });

  let running = true;
  const ready = register();
  let chain: Promise<unknown> = ready;
  // Whether any job is due: one statement, built once, so that an idle service's look each
  // `pollMs` opens no transaction (issue 7: idle services each spent 5 % of a core looking).
  const anyDue = db
    .select({ id: timers.id })
    .from(timers)
    .where(and(isNull(timers.doneAt), lte(timers.dueAt, sql.placeholder('now'))))
    .limit(1)
    .prepare('onecheck_timers_due');

  /** One pass at a time per runner: the poll and a test's runDue never overlap. */
  const runDue = () => {
    const pass = chain.then(async () => {
      let ran = 0;
      if (!(await anyDue.execute({ now: clock.now().toISOString() })).length) return ran;
      while (running && (await runOne())) ran++;
      return ran;
    });
    chain = pass.catch(() => undefined);
    return pass;
  };

  let timer: NodeJS.Timeout | undefined;
  const loop = () => {
    if (!running) return;
    timer = setTimeout(() => {
      runDue()
        .catch((err: unknown) => logger.warn({ err }, 'could not look for due timer jobs'))
        .finally(loop);
    }, pollMs);
  };
  ready.then(loop, (err: unknown) => logger.error({ err }, 'could not register the recurring timer jobs'));

  return {
    runDue,
    ready,
    async stop() {
      running = false;
      clearTimeout(timer);
      await chain;
    },
  };
}
