/**
 * INTERIM (issue 9 item 4) — licence expiry without the kit's durable timers: a sweep every minute
 * in each approval process expires every licence whose validity has ended (行政许可法 §70(一)).
 * Safe with several instances: expireLicence locks the licence and re-checks its status, so each
 * licence expires, and its event goes out, once. To be replaced by one kit timer per licence
 * (scheduleTimer at grant and amendment, /work/helpers/issue9-handoff.md) when the kit has them.
 */
import type { Clock } from '@onecheck/clock';
import type { Db, Logger } from '@onecheck/kit';
import type * as schema from './db/schema';
import { expireLicence, licencesDueToExpire } from './domain/licence';

export const EXPIRY_SWEEP_MS = 60_000;

export function startExpirySweep(db: Db<typeof schema>, clock: Clock, logger?: Logger) {
  let running: Promise<number> | undefined;
  const runNow = (): Promise<number> =>
    (running ??= (async () => {
      let expired = 0;
      for (const id of await licencesDueToExpire(db, clock)) {
        if (await db.transaction((tx) => expireLicence(tx, id, clock))) expired += 1;
      }
      return expired;
    })().finally(() => (running = undefined)));
  const timer = setInterval(
    () =>
      void runNow().catch((err: unknown) => logger?.warn({ err }, 'licence expiry sweep failed; retried next time')),
    EXPIRY_SWEEP_MS,
  );
  timer.unref();
  void runNow().catch((err: unknown) => logger?.warn({ err }, 'licence expiry sweep failed; retried next time'));
  return {
    runNow,
    stop: async () => {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
