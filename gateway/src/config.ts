import { z } from 'zod';
import { departmentCode } from '@onecheck/auth';
import { baseConfig } from '@onecheck/kit';

/** "HEALTH=http://h:4000/graphql,FIRE=http://f:4000/graphql" → Map. */
const departmentUrls = z.string().transform((value, ctx) => {
  const map = new Map<string, string>();
  for (const pair of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [code, url] = pair.split('=');
    if (!code || !url || !departmentCode.safeParse(code).success || !URL.canParse(url)) {
      ctx.addIssue({ code: 'custom', message: `"${pair}" is not CODE=URL` });
      return z.NEVER;
    }
    map.set(code, url);
  }
  return map;
});

/** The gateway's settings; every name here may appear in docker-compose.yml. */
export const gatewayConfig = baseConfig
  .omit({ DATABASE_URL: true, DATABASE_SCHEMA: true })
  .extend({
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    MARKET_URL: z.url(),
    APPROVAL_URL: z.url(),
    CREDIT_URL: z.url(),
    DEPARTMENT_URLS: departmentUrls,
    /** Production: verify users' tokens against the identity provider's keys. */
    AUTH_JWKS_URL: z.url().optional(),
    AUTH_ISSUER: z.string().optional(),
    AUTH_AUDIENCE: z.string().optional(),
    /** Demo issuer secret; without it (and without JWKS) the key in the data folder is used. */
    AUTH_DEMO_SECRET: z.string().min(16).optional(),
    /** Rate limits (gateway/src/rate-limit.ts DEFAULT_RATE_LIMIT when unset); RATE_LIMIT=off turns them off. */
    RATE_LIMIT: z.enum(['on', 'off']).default('on'),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().optional(),
    RATE_LIMIT_BURST: z.coerce.number().int().positive().optional(),
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: z.coerce.number().int().positive().optional(),
    RATE_LIMIT_ANONYMOUS_BURST: z.coerce.number().int().positive().optional(),
    /** The events' public keys (a JWKS document), served at /.well-known/jwks.json. */
    EVENT_JWKS_FILE: z.string().optional(),
  })
  .refine((c) => !c.AUTH_JWKS_URL || c.AUTH_ISSUER, {
    message: 'AUTH_ISSUER is required with AUTH_JWKS_URL',
    path: ['AUTH_ISSUER'],
  });
