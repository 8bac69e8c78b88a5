import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError } from 'graphql';
import {
  credentialSigner,
  PUBLIC,
  rememberVerifiedTokens,
  TokenRefused,
  type Identity,
  type UserTokenVerifier,
} from '@onecheck/auth';
import type { Clock } from '@onecheck/clock';
import { negotiateLocale, type Locale } from '@onecheck/i18n';
import {
  createLogger,
  graphqlHandler,
  isDepartment,
  listen,
  localisedErrors,
  logFaults,
  renderError,
  sendJson,
  type Logger,
} from '@onecheck/kit';
import type { GatewayContext } from './context';
import { departmentRootFields } from './department-routing';
import { gatewayFormatError } from './errors';
import { LIMITS, operationLimits } from './limits';
import { OutageAware } from './outage';
import { DEFAULT_RATE_LIMIT, addressKey, createLimiter, tokenKey, type RateLimit } from './rate-limit';
import { setupTelemetry, inServerSpan } from '@onecheck/telemetry';
import { DepartmentRouter } from './department-router';
import { SubgraphSource } from './subgraph-source';
import { GUIDE_PATH, guidePage } from './guide-page';
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
  /** Requests per token (and per address without one); false turns it off. Default DEFAULT_RATE_LIMIT. */
  rateLimit?: RateLimit | false;
  /** The public keys events are signed with, served at /.well-known/jwks.json for outside consumers. */
  eventKeys?: { keys: PublicJwk[] };
}

/** A public JSON Web Key as H2's signing module writes it (jose's JWK is assignable). */
export interface PublicJwk {
  kty?: string;
  kid?: string;
  [member: string]: unknown;
}

/** Members only a private (or symmetric) key has: a key carrying one is never served. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** POST bodies are JSON only (issue 8: `text/plain;charset=json` let a browser post without a preflight). */
const BODY_TYPES = new Set(['application/json', 'application/graphql-response+json']);
export function acceptableBodyType(header: string | undefined): boolean {
  const [type, ...params] = (header ?? '').split(';').map((part) => part.trim().toLowerCase());
  return BODY_TYPES.has(type ?? '') && params.every((p) => /^charset="?utf-8"?$/.test(p));
}

/** A refusal before GraphQL runs, in GraphQL's error shape. */
function refuse(
  res: ServerResponse,
  status: number,
  locale: Locale,
  facts: { code: string; messageKey: string; params?: Record<string, unknown> },
  headers: Record<string, string> = {},
) {
  const extensions = { ...facts, params: facts.params ?? {} };
  sendJson(res, status, { errors: [{ message: renderError(locale, extensions), extensions }] }, headers);
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
      return new OutageAware(new SubgraphSource({ url }), name, logger);
    },
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    logger,
    introspection: !production,
    // Never, in any mode: a stack names the inside; logFaults keeps it in the log.
    includeStacktraceInErrorResponses: false,
    // Whole documents only (kit request-shape.ts refuses a persisted query first, in the catalogue's words).
    persistedQueries: false,
    formatError: gatewayFormatError(production),
    // graphql-armor's token limit, through graphql-js's parser (armor's Apollo plugin throws outside
    // Apollo's error handling); the other limits run in operationLimits.
    parseOptions: { maxTokens: LIMITS.tokens },
    // Bearer tokens, not cookies, authenticate, but a browser on any page can still reach a
    // gateway on the same network: a request must be one that a browser preflights (issue 8).
    csrfPrevention: true,
    // The reader's language is decided once, here, and carried to the subgraphs (see SubgraphSource).
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      operationLimits(production),
      localisedErrors((headers) => negotiateLocale(headers.get('accept-language'))),
      logFaults(logger),
      operationSpanName,
    ],
    // We stop in order ourselves (runMain); Apollo's own handler would re-raise the signal and kill the process.
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  // Each caller's token is verified, and its credential for the subgraphs signed, once a minute
  // rather than on every request (see @onecheck/auth reuse.ts).
  const verifyUserToken = rememberVerifiedTokens(opts.verifyUserToken, opts.clock);
  const credentialFor = credentialSigner(opts.gatewaySecret, opts.clock);

  const identify = async (req: IncomingMessage): Promise<Identity> => {
    const header = req.headers.authorization;
    if (!header) return PUBLIC;
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
    try {
      if (!token) throw new Error('not a bearer token');
      const identity = await verifyUserToken(token);
      // A department is configuration (config/departments.json): a token for another is refused.
      if (identity.department && !isDepartment(identity.department))
        throw new TokenRefused('auth.unknownDepartment', { department: identity.department });
      return identity;
    } catch (err) {
      const facts =
        err instanceof TokenRefused
          ? { code: 'UNAUTHENTICATED', messageKey: err.messageKey, params: err.params }
          : { code: 'UNAUTHENTICATED', messageKey: 'auth.tokenInvalid', params: {} };
      throw new GraphQLError(renderError(negotiateLocale(req.headers['accept-language']), facts)!, {
        extensions: { ...facts, http: { status: 401 } },
      });
    }
  };

  // Each token has its own budget, each address one for callers without a token.
  const limiter =
    opts.rateLimit === false ? undefined : createLimiter(opts.rateLimit ?? DEFAULT_RATE_LIMIT, opts.clock);
  const bearer = (req: IncomingMessage) => /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const overLimit = (req: IncomingMessage, res: ServerResponse, key: string, anonymous: boolean): boolean => {
    const verdict = limiter?.take(key, anonymous);
    if (!verdict || verdict.ok) return false;
    const params = { retryAfter: verdict.retryAfter };
    refuse(
      res,
      429,
      negotiateLocale(req.headers['accept-language']),
      { code: 'RATE_LIMITED', messageKey: 'limits.rate', params },
      {
        'retry-after': String(verdict.retryAfter),
      },
    );
    return true;
  };

  const eventKeys = { keys: opts.eventKeys?.keys ?? [] };
  for (const key of eventKeys.keys)
    if (PRIVATE_JWK_MEMBERS.some((member) => member in key))
      throw new Error(`event key ${key.kid} is not a public key`);

  const graphql = graphqlHandler(apollo, async (req) => {
    const identity = await identify(req);
    const locale = negotiateLocale(req.headers['accept-language']);
    return { identity, locale, credential: () => credentialFor(identity) };
  });

  const showGuide = guidePage(apollo, () => credentialFor(PUBLIC));

  const http = await listen({
    host: opts.host,
    port: opts.port,
    logger,
    routes: {
      // One span per operation; the subgraph requests, and the events they record, carry its trace.
      '/graphql': (req, res) =>
        inServerSpan('graphql', req.headers, { 'onecheck.service': 'gateway' }, async () => {
          const token = bearer(req);
          if (overLimit(req, res, token ? tokenKey(token) : addressKey(req.socket.remoteAddress), !token)) return;
          if (req.method === 'POST' && !acceptableBodyType(req.headers['content-type'])) {
            // Refused before the body is read: nothing runs.
            return refuse(res, 415, negotiateLocale(req.headers['accept-language']), {
              code: 'UNSUPPORTED_MEDIA_TYPE',
              messageKey: 'request.contentType',
            });
          }
          await graphql(req, res);
        }),
      // The keys that verify events (issue 8 item 2), for consumers outside; they change only on rotation.
      '/.well-known/jwks.json': (_req, res) =>
        sendJson(res, 200, eventKeys, {
          'cache-control': 'public, max-age=300',
          'content-type': 'application/jwk-set+json',
        }),
      // 一业一册, printable and public (issue 10 item 2): GET /guide?industry=62 (guide-page.ts).
      [GUIDE_PATH]: (req, res) => {
        if (overLimit(req, res, addressKey(req.socket.remoteAddress), true)) return;
        return showGuide(req, res);
      },
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
