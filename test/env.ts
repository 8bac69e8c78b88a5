/**
 * The end-to-end suite's environment: the only module of test/ that reads process.env. CI's
 * second pass sets TEST_DATABASE_URL; TEST_LOG_LEVEL makes the started system talk.
 */
export const testEnv = {
  /** A PostgreSQL server to run the suite against instead of PGlite. */
  databaseUrl: process.env.TEST_DATABASE_URL || undefined,
  /** The started system's log level: silent unless asked. */
  logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
};

/**
 * The environment for a child process a test starts: only what finds programs and the home
 * folder (so the child reads nothing the developer happened to set), plus `extra`.
 */
export function childEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
}

/** The whole environment of this process, for a child that must run as a user's would (the docs' examples). */
export function inheritedEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return { ...process.env, ...extra };
}
