import { readFileSync } from 'node:fs';
import { loadSecret, userTokenVerifier } from '@onecheck/auth';
import { clockFromSetting } from '@onecheck/clock';
import { createLogger, runMain } from '@onecheck/kit';
import { gatewayEnv } from './env';
import { startGateway, type PublicJwk } from './index';
import { DEFAULT_RATE_LIMIT } from './rate-limit';
import { loadSupergraph } from './supergraph';

await runMain(async () => {
  const config = gatewayEnv();
  // The one clock of this process (ONECHECK_CLOCK shifts it, as for the services).
  const clock = clockFromSetting(config.ONECHECK_CLOCK);
  return startGateway({
    host: config.HOST,
    port: config.PORT,
    supergraphSdl: loadSupergraph(),
    urls: { market: config.MARKET_URL, approval: config.APPROVAL_URL, credit: config.CREDIT_URL },
    departments: config.DEPARTMENT_URLS,
    verifyUserToken: config.AUTH_JWKS_URL
      ? userTokenVerifier({
          jwksUrl: config.AUTH_JWKS_URL,
          issuer: config.AUTH_ISSUER!,
          audience: config.AUTH_AUDIENCE,
          clock,
        })
      : userTokenVerifier({
          demoSecret: loadSecret('issuer', { env: config.AUTH_DEMO_SECRET, dataDir: config.DATA_DIR }),
          clock,
        }),
    gatewaySecret: loadSecret('gateway', { env: config.GATEWAY_SECRET, dataDir: config.DATA_DIR }),
    production: config.NODE_ENV === 'production',
    logger: createLogger('gateway', config.LOG_LEVEL),
    clock,
    rateLimit:
      config.RATE_LIMIT === 'off'
        ? false
        : {
            perMinute: config.RATE_LIMIT_PER_MINUTE ?? DEFAULT_RATE_LIMIT.perMinute,
            burst: config.RATE_LIMIT_BURST ?? DEFAULT_RATE_LIMIT.burst,
            anonymousPerMinute: config.RATE_LIMIT_ANONYMOUS_PER_MINUTE ?? DEFAULT_RATE_LIMIT.anonymousPerMinute,
            anonymousBurst: config.RATE_LIMIT_ANONYMOUS_BURST ?? DEFAULT_RATE_LIMIT.anonymousBurst,
          },
    eventKeys: config.EVENT_JWKS_FILE
      ? (JSON.parse(readFileSync(config.EVENT_JWKS_FILE, 'utf8')) as { keys: PublicJwk[] })
      : undefined,
  });
});
