/**
 * A transaction PostgreSQL rolled back to break a cycle of lock waits (SQLSTATE 40P01,
 * deadlock_detected). Rolled back whole, it can run again as if it never ran: the other side of
 * the cycle has its locks by then. A cycle can form where no order of locks prevents it — a
 * grant shares its business's row, then waits for the audit chain's head, while an event batch
 * holds the head and wants that business's row — and the one PostgreSQL picks must not reach
 * the caller as a fault.
 */
const DEADLOCK_DETECTED = '40P01';

export function isDeadlock(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as { code?: unknown; cause?: unknown };
  // drizzle wraps the driver's error as `cause`.
  return e.code === DEADLOCK_DETECTED || isDeadlock(e.cause, depth + 1);
}

/** Runs `transaction` again, up to `tries` times in all, when PostgreSQL chose it to break a deadlock. */
export async function retryOnDeadlock<T>(transaction: () => Promise<T>, tries = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (err) {
      if (attempt >= tries || !isDeadlock(err)) throw err;
    }
  }
}
