/**
 * The environment of the business generator and the scale benchmark: the only module under
 * scripts/generate that reads process.env. SCALE_DATABASE_URL names the PostgreSQL server to load
 * (else TEST_DATABASE_URL, as the tests and CI use it, else the server on 127.0.0.1:5432).
 */
import { z } from 'zod';
import { loadConfig } from '@onecheck/kit';

export const DEFAULT_SCALE_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export function scaleEnv() {
  const env = loadConfig(
    z.object({
      SCALE_DATABASE_URL: z.string().optional(),
      TEST_DATABASE_URL: z.string().optional(),
      /** Keep the loaded schemas after the benchmark (to look at them with psql). */
      SCALE_KEEP: z.enum(['0', '1']).default('0'),
    }),
    process.env,
  );
  return {
    databaseUrl: env.SCALE_DATABASE_URL || env.TEST_DATABASE_URL || DEFAULT_SCALE_DATABASE_URL,
    keep: env.SCALE_KEEP === '1',
  };
}
