/**
 * The db tests' environment: the only module of this test folder that reads process.env.
 * TEST_DATABASE_URL adds the node-postgres pass (CI has a server at 127.0.0.1:5432).
 */
export const testEnv = {
  databaseUrl: process.env.TEST_DATABASE_URL || undefined,
};
