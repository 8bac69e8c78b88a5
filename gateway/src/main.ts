import { loadSecret, userTokenVerifier } from '@onecheck/auth';
import { clockFromSetting } from '@onecheck/clock';
import { createLogger, runMain } from '@onecheck/kit';
import { gatewayEnv } from './env';
import { startGateway } from './index';
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
  });
});
