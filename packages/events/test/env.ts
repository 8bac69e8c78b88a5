/**
 * The events tests' environment: the only module of this test folder that reads process.env.
 * TEST_DATABASE_URL runs them on PostgreSQL instead of PGlite; LOG_LEVEL lets kafkajs and the
 * broker talk (outages make them log errors on purpose, so they are silent by default).
 */
export const testEnv = {
  databaseUrl: process.env.TEST_DATABASE_URL || undefined,
  logLevel: process.env.LOG_LEVEL || undefined,
};

/** This process's environment plus `extra`, for a child process a test forks. */
export function inheritedEnv(extra: Record<string, string>): Record<string, string | undefined> {
  return { ...process.env, ...extra };
}

/** What crash.test.ts hands its child consumer (fixtures/consumer-child.ts) in CHILD_* variables. */
export function childSettings<Spec>() {
  return {
    spec: JSON.parse(process.env.CHILD_DB_SPEC ?? '') as Spec,
    brokers: (process.env.CHILD_BROKERS ?? '').split(','),
    group: process.env.CHILD_GROUP ?? '',
    delayMs: Number(process.env.CHILD_DELAY_MS ?? '10'),
    maxBatch: process.env.CHILD_MAX_BATCH ? Number(process.env.CHILD_MAX_BATCH) : undefined,
  };
}
