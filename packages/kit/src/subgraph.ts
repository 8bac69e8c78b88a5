import type { IncomingMessage } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLScalarType } from 'graphql';
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { GATEWAY_HEADER, rememberVerifiedTokens, verifyGatewayCredential, type Identity } from '@onecheck/auth';
import type { Clock } from '@onecheck/clock';
import { LOCALE_HEADER, localeOf, type Locale } from '@onecheck/i18n';
import { inServerSpan, setupTelemetry } from '@onecheck/telemetry';
import { formatError, localisedErrors, logFaults } from './errors';
import { graphqlHandler, HttpError, listen, sendJson, type RunningHttp } from './http';
import type { Logger } from './logger';
import { AUDIT_SDL } from './audit-graph';
import { PAGE_INFO_SDL } from './connection';
import { SCALARS_SDL } from './scalars';
import { DEPARTMENT_SDL } from './departments';
import { guardTextInputs, MULTILINE_SDL } from './text';
import { idempotentMutations, type IdempotencyOptions } from './idempotency';

/**
 * A service's SDL file plus the shared scalar, PageInfo, Department and @multiline definitions every
 * subgraph carries, and the audit trail's types (audit-graph.ts) when the file uses `AuditEntry`.
 */
export function subgraphTypeDefs(schemaFile: URL): string {
  const sdl = readFileSync(schemaFile, 'utf8');
  const audit = /\bAuditEntry\b/.test(sdl) ? AUDIT_SDL : '';
  return sdl + SCALARS_SDL + PAGE_INFO_SDL + DEPARTMENT_SDL + MULTILINE_SDL + audit;
}

/** The resolver map type of buildSubgraphSchema's public signature (no deep import of its internals). */
type ApolloResolverMap = NonNullable<
  Extract<Parameters<typeof buildSubgraphSchema>[0], { typeDefs: unknown }>['resolvers']
>;

/**
 * A subgraph's resolvers: per type, its field resolvers, or a custom scalar. Each service types its
 * map from its own SDL (the generated `Resolvers` of `src/generated/resolvers.ts`, context included),
 * so the kit only needs to know each resolver is a function.
 */
export type ResolverMap = Record<
  string,
  GraphQLScalarType | Record<string, ((...args: never[]) => unknown) | { resolve: (...args: never[]) => unknown }>
>;

export interface SubgraphOptions<C extends BaseContext> {
  name: string;
  host: string;
  port: number;
  typeDefs: string;

  resolvers: ResolverMap;
  gatewaySecret: Uint8Array;
  /** Builds the per-request context (fresh DataLoaders each request). */
  context: (request: RequestInfo) => C | Promise<C>;
  /** Checks the gateway credential's expiry against this clock. */
  clock: Clock;
  /** Throws when the service cannot serve (database down …); drives /readyz. */
  ready: () => Promise<void>;
  logger: Logger;
  production?: boolean;
  /** Where mutations keep their idempotency keys (idempotency.ts); every mutation must then take one. */
  idempotency?: IdempotencyOptions<C & RequestInfo>;
}

/** Who asks and in which language: verified from the gateway's credential and locale header. */
export interface RequestInfo {
  identity: Identity;
  locale: Locale;
}

export interface RunningSubgraph extends Pick<RunningHttp, 'url' | 'port'> {
  graphqlUrl: string;
  stop(): Promise<void>;
}

/**
 * The subgraph's schema with the kit's rules in front of its resolvers: mutations honour their
 * idempotency key (idempotency.ts), and every text argument passes the one input-text rule first
 * (text.ts), so text is refused before a key is looked up or any work is done.
 */
function subgraphSchema<C extends BaseContext>(opts: SubgraphOptions<C>) {
  const schema = buildSubgraphSchema({
    typeDefs: parse(opts.typeDefs),
    resolvers: opts.resolvers as ApolloResolverMap,
  });
  return guardTextInputs(opts.idempotency ? idempotentMutations(schema, opts.idempotency) : schema);
}

/**
 * Starts one subgraph service over HTTP. Only the gateway may call it: every GraphQL request
 * must carry the gateway's signed credential, else 401 before any GraphQL runs (DESIGN.md §5).
 */
export async function startSubgraph<C extends BaseContext>(opts: SubgraphOptions<C>): Promise<RunningSubgraph> {
  const production = opts.production ?? false;
  setupTelemetry();
  const apollo = new ApolloServer<C>({
    schema: subgraphSchema(opts),
    introspection: !production,
    // Never, in any mode: a stack names the inside; logFaults keeps it in the log.
    includeStacktraceInErrorResponses: false,
    // Whole documents only (kit request-shape.ts refuses a persisted query first, in the catalogue's words).
    persistedQueries: false,
    formatError: formatError(production),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      localisedErrors((headers) => localeOf(headers.get(LOCALE_HEADER))),
      logFaults(opts.logger),
    ],
    // We stop in order ourselves (runMain); Apollo's own handler would re-raise the signal and kill the process.
    stopOnTerminationSignals: false,
    logger: opts.logger,
  });
  await apollo.start();

  // The gateway reuses each caller's credential for a minute: its signature is checked once.
  const verifyCredential = rememberVerifiedTokens(
    (credential) => verifyGatewayCredential(opts.gatewaySecret, credential, opts.clock),
    opts.clock,
  );
  const identify = async (req: IncomingMessage): Promise<Identity> => {
    const credential = req.headers[GATEWAY_HEADER];
    const refused = { code: 'UNAUTHENTICATED', messageKey: 'auth.gatewayOnly' } as const;
    if (typeof credential !== 'string') throw new HttpError(401, 'this service answers the gateway only', refused);
    try {
      return await verifyCredential(credential);
    } catch {
      throw new HttpError(401, 'the gateway credential is not valid', refused);
    }
  };
  const localeHeader = (req: IncomingMessage) => {
    const value = req.headers[LOCALE_HEADER];
    return localeOf(typeof value === 'string' ? value : undefined);
  };
  const graphql = graphqlHandler(apollo, async (req) =>
    opts.context({ identity: await identify(req), locale: localeHeader(req) }),
  );

  const http = await listen({
    host: opts.host,
    port: opts.port,
    logger: opts.logger,
    routes: {
      // Inside a span continuing the gateway's trace (its traceparent header): events recorded here carry it on.
      '/graphql': (req, res) =>
        inServerSpan('graphql', req.headers, { 'onecheck.service': opts.name }, async () => {
          // Checked before the body is read, so an unauthenticated caller costs nothing.
          await identify(req);
          await graphql(req, res);
        }),
      '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok', service: opts.name }),
      '/readyz': async (_req, res) => {
        try {
          await opts.ready();
          sendJson(res, 200, { status: 'ready', service: opts.name });
        } catch (err) {
          sendJson(res, 503, { status: 'not ready', service: opts.name, reason: String(err) });
        }
      },
    },
  });
  opts.logger.info({ url: `${http.url}/graphql` }, `${opts.name} subgraph listening`);
  return {
    url: http.url,
    port: http.port,
    graphqlUrl: `${http.url}/graphql`,
    stop: async () => {
      await http.close();
      await apollo.stop();
    },
  };
}
