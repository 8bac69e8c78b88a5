import { defineConfig, type ViteUserConfig } from 'vitest/config';

/**
 * The one vitest setup. Every workspace's vitest.config.ts is `defineConfig(config())`, so its
 * `npm test` (turbo runs them all) runs its own test/ folder with these settings.
 */
export function config(include: string[] = ['test/**/*.test.ts']): ViteUserConfig {
  return {
    // graphql ships ESM and CJS builds; Apollo's packages require() the CJS one, so every import
    // must get that same copy or graphql-js refuses types "from another module or realm".
    resolve: { alias: { graphql: 'graphql/index.js' } },
    test: {
      include,
      exclude: ['**/node_modules/**', 'data/**', 'tmp/**'],
      // A workspace without tests yet (a new service) passes; CI checks every report is there.
      passWithNoTests: true,
      testTimeout: 60_000,
      hookTimeout: 120_000,
      // Each file starts its own servers on ephemeral ports. turbo runs one workspace at a time
      // (npm test), each with two workers: the 2-core machine is busy and not oversubscribed.
      pool: 'forks',
      maxWorkers: 2,
      // The JSON report is the task's output: turbo caches and restores it, CI sums them all.
      // The PostgreSQL pass writes its own (CI passes --outputFile.json=tmp/vitest-postgres.json).
      reporters: ['default', 'json'],
      outputFile: { json: 'tmp/vitest.json' },
      env: { KAFKAJS_NO_PARTITIONER_WARNING: '1', APOLLO_TELEMETRY_DISABLED: '1' },
    },
  };
}

/** From the root, `npx vitest run <file>` runs any one test file of any workspace. */
export default defineConfig(config(['**/test/**/*.test.ts']));
