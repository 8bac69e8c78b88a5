import { z, type ZodObject, type ZodRawShape } from 'zod';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: data and config folders are found relative to it, never to the working directory. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** A yes-or-no setting: `1`/`true` or `0`/`false`. */
const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

/** Settings every service shares; each service extends this with its own. */
export const baseConfig = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535),
  DATA_DIR: z.string().default(resolve(REPO_ROOT, 'data')),
  DATABASE_URL: z.url().optional(),
  /** Postgres schema to use on a shared server (one schema per service). */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .optional(),
  /**
   * `0`/`false` behind a connection pooler in transaction mode that cannot keep prepared
   * statements (PgBouncer before 1.21, or with max_prepared_statements 0): statements then go
   * unnamed. Default: each connection prepares the statements the service repeats (@onecheck/db).
   */
  DATABASE_PREPARED_STATEMENTS: flag.default(true),
  GATEWAY_SECRET: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
  /** Runs the process as if it were this instant (ISO 8601; a bare date means 09:00 in China). */
  ONECHECK_CLOCK: z.string().optional(),
  /**
   * This process's Kafka principal (infra/kafka/access.json) and its SCRAM password, given as
   * text or as a file (compose secrets). Without a user name the client does not authenticate.
   */
  KAFKA_USERNAME: z.string().min(1).optional(),
  KAFKA_PASSWORD: z.string().min(1).optional(),
  KAFKA_PASSWORD_FILE: z.string().min(1).optional(),
  KAFKA_SASL_MECHANISM: z.enum(['scram-sha-256', 'scram-sha-512']).default('scram-sha-256'),
  /** TLS to Kafka: `1`/`true`; KAFKA_CA_FILE adds the CA (PEM) that signed the broker's certificate. */
  KAFKA_SSL: flag.default(false),
  KAFKA_CA_FILE: z.string().min(1).optional(),
  /**
   * Signed events (@onecheck/events signing.ts): this instance's private signing key (a JWK file,
   * `<DATA_DIR>/keys/signing/<principal>.jwk.json` under `npm start`) and the trusted public keys
   * (a JWKS file, `<DATA_DIR>/keys/jwks.json`). Both required in production with KAFKA_BROKERS.
   */
  EVENT_SIGNING_KEY_FILE: z.string().min(1).optional(),
  EVENT_JWKS_FILE: z.string().min(1).optional(),
});

export class ConfigError extends Error {}

/** Environment variables as an entry point's env.ts hands them in (the only reader of process.env). */
export type Env = Record<string, string | undefined>;

/** Parses settings from the environment; fails fast with every problem in one readable message. */
export function loadConfig<S extends ZodRawShape>(schema: ZodObject<S>, env: Env): z.infer<ZodObject<S>> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}
