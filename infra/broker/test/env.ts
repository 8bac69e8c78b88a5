/**
 * The broker tests' environment: the only module of this test folder that reads process.env.
 * BROKER_TEST_VERBOSE=1 prints the broker's log lines.
 */
export const verbose = process.env.BROKER_TEST_VERBOSE === '1';

/** This process's environment plus `extra`, for a child process a test starts. */
export function inheritedEnv(extra: Record<string, string>): Record<string, string | undefined> {
  return { ...process.env, ...extra };
}

/** What consumer-group-crash.test.ts hands fixtures/groupConsumer.ts. */
export function groupConsumerSettings() {
  return {
    brokers: process.env.BROKERS!,
    groupId: process.env.GROUP!,
    topic: process.env.TOPIC!,
    reportFile: process.env.REPORT_FILE!,
  };
}

/** What abuse.test.ts hands fixtures/attacker.ts. */
export function attackerSettings() {
  return {
    port: Number(process.env.BROKER_PORT),
    /** Another loopback address, so the per-address limit applies to the attacker alone. */
    source: process.env.SOURCE_ADDRESS || '127.0.0.2',
    connections: Number(process.env.CONNECTIONS || 10_000),
    holdMs: Number(process.env.HOLD_MS || 3000),
  };
}
