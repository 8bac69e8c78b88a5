import { defineConfig, type ViteUserConfig } from 'vitest/config';

export function config(include: string[]): ViteUserConfig {
  return {
    // graphql ships ESM and CJS builds; Apollo's packages require() the CJS one, so every import
    // must get that same copy or graphql-js refuses types "from another module or realm".
    resolve: { alias: { graphql: 'graphql/index.js' } },
    test: {
      include,
      exclude: ['**/node_modules/**', 'data/**', 'tmp/**'],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      // Each file starts its own servers on ephemeral ports; two workers suit the 2-core machine.
      pool: 'forks',
      maxWorkers: 2,
      env: { KAFKAJS_NO_PARTITIONER_WARNING: '1', APOLLO_TELEMETRY_DISABLED: '1' },
    },
  };
}

export default defineConfig(config(['**/test/**/*.test.ts']));
