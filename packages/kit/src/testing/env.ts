/**
 * The environment of the kit's test helper: the only module of it that reads process.env. CI's
 * second pass sets TEST_DATABASE_URL, and each test service then runs in its own schema there.
 */
export const testingEnv = {
  databaseUrl: process.env.TEST_DATABASE_URL || undefined,
};
