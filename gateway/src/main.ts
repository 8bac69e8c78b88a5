import { loadSecret, userTokenVerifier } from '@onecheck/auth';
import { createLogger, runMain } from '@onecheck/kit';
import { gatewayEnv } from './env';
import { startGateway } from './index';
import { loadSupergraph } from './supergraph';

await runMain(async () => {
  const config = gatewayEnv();
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
        })
      : userTokenVerifier({
          demoSecret: loadSecret('issuer', { env: config.AUTH_DEMO_SECRET, dataDir: config.DATA_DIR }),
        }),
    gatewaySecret: loadSecret('gateway', { env: config.GATEWAY_SECRET, dataDir: config.DATA_DIR }),
    production: config.NODE_ENV === 'production',
    logger: createLogger('gateway', config.LOG_LEVEL),
  });
});
