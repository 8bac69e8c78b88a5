import { defineConfig } from 'vitest/config';
import { config } from './vitest.config.ts';

/** The tests that touch a database: CI runs them again against a PostgreSQL server (TEST_DATABASE_URL). */
export default defineConfig(
  config(['test/**/*.test.ts', 'packages/events/test/**/*.test.ts', 'services/*/test/**/*.test.ts']),
);
