import type { IncomingMessage } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError } from 'graphql';
import { PUBLIC, type Identity, type UserTokenVerifier } from '@onecheck/auth';
import type { Clock } from '@onecheck/clock';
import { negotiateLocale } from '@onecheck/i18n';
import {
  createLogger,
  formatError,
  graphqlHandler,
  listen,
  localisedErrors,
  renderError,
  sendJson,
  type Logger,
} from '@onecheck/kit';
import type { GatewayContext } from './context';
import { credentialSigner, rememberVerifiedTokens } from './credentials';
import { departmentRootFields } from './department-routing';
import { LIMITS, operationLimits } from './limits';
import { setupTelemetry, inServerSpan } from '@onecheck/telemetry';
import { DepartmentRouter } from './department-router';
import { SubgraphSource } from './subgraph-source';
import { operationSpanName } from './tracing';

export interface GatewayOptions {
  host: string;
  port: number;
  supergraphSdl: string;
  /** GraphQL URLs of the single-instance subgraphs. */
  urls: { market: string; approval: string; credit: string };
  /** Department code → GraphQL URL of its instance. */
  departments: Map<string, string>;
  verifyUserToken: UserTokenVerifier;
  gatewaySecret: Uint8Array;
  production?: boolean;
  logger?: Logger;
  /** Token expiry and the subgraph credential are checked against this clock. */
  clock: Clock;
}

export interface RunningGateway {
  url: string;
  graphqlUrl: string;
  port: number;
  stop(): Promise<void>;
}

export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const logger = opts.logger ?? createLogger('gateway');
  setupTelemetry();
  const production = opts.production ?? false;
  const departmentSources = new Map([...opts.departments].map(([code, url]) => [code, new SubgraphSource({ url })]));
  const router = new DepartmentRouter(departmentSources, departmentRootFields(opts.supergraphSdl), logger);

  const gateway = new ApolloGateway({
    supergraphSdl: opts.supergraphSdl,
    logger,
    buildService: ({ name }) => {
      if (name === 'department') return router;
      const url = opts.urls[name as keyof GatewayOptions['urls']];
      if (!url) throw new Error(`no URL configured for subgraph ${name}`);
      return new SubgraphSource({ url });
    },
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    logger,
    introspection: !production,
    includeStacktraceInErrorResponses: !production,
    formatError: formatError(production),
    validationRules: [operationLimits],
    parseOptions: { maxTokens: LIMITS.maxTokens },
    // Callers authenticate with a bearer token, never cookies, so CSRF cannot ride on them.
    csrfPrevention: false,
    // The reader's language is decided once, here, and carried to the subgraphs (see SubgraphSource).
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      localisedErrors((headers) => negotiateLocale(headers.get('accept-language'))),
      operationSpanName,
    ],
    // We stop in order ourselves (runMain); Apollo's own handler would re-raise the signal and kill the process.
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  // Each caller's token is verified, and its credential for the subgraphs signed, once a minute
  // rather than on every request (see credentials.ts).
  const verifyUserToken = rememberVerifiedTokens(opts.verifyUserToken, opts.clock);
  const credentialFor = credentialSigner(opts.gatewaySecret, opts.clock);

  const identify = async (req: IncomingMessage): Promise<Identity> => {
    const header = req.headers.authorization;
    if (!header) return PUBLIC;
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
    try {
      if (!token) throw new Error('not a bearer token');
      return await verifyUserToken(token);
    } catch {
      const facts = { code: 'UNAUTHENTICATED', messageKey: 'auth.tokenInvalid' };
      throw new GraphQLError(renderError(negotiateLocale(req.headers['accept-language']), facts)!, {
        extensions: { ...facts, http: { status: 401 } },
      });
    }
  };

  const graphql = graphqlHandler(apollo, async (req) => {
    const identity = await identify(req);
    const locale = negotiateLocale(req.headers['accept-language']);
    return { identity, locale, credential: () => credentialFor(identity) };
  });

  const http = await listen({
    host: opts.host,
    port: opts.port,
    logger,
    routes: {
      // One span per operation; the subgraph requests, and the events they record, carry its trace.
      '/graphql': (req, res) =>
        inServerSpan('graphql', req.headers, { 'onecheck.service': 'gateway' }, async () => {
          await graphql(req, res);
        }),
      '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok', service: 'gateway' }),
      '/readyz': (_req, res) => sendJson(res, 200, { status: 'ready', service: 'gateway' }),
    },
  });
  logger.info({ url: `${http.url}/graphql` }, 'gateway listening');
  return {
    url: http.url,
    graphqlUrl: `${http.url}/graphql`,
    port: http.port,
    stop: async () => {
      await http.close();
      await apollo.stop();
    },
  };
}
