import type { IncomingMessage } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { readFileSync } from 'node:fs';
import { parse, type GraphQLFormattedError } from 'graphql';
import { GATEWAY_HEADER, verifyGatewayCredential, type Identity } from '@onecheck/auth';
import { graphqlHandler, HttpError, listen, sendJson, type RunningHttp } from './http';
import type { Logger } from './logger';
import { PAGE_INFO_SDL } from './connection';
import { SCALARS_SDL } from './scalars';

/** A service's SDL file plus the shared scalar and PageInfo definitions every subgraph carries. */
export function subgraphTypeDefs(schemaFile: URL): string {
  return readFileSync(schemaFile, 'utf8') + SCALARS_SDL + PAGE_INFO_SDL;
}

export interface SubgraphOptions<C extends BaseContext> {
  name: string;
  host: string;
  port: number;
  typeDefs: string;

  resolvers: GraphQLResolverMap<any>;
  gatewaySecret: Uint8Array;
  /** Builds the per-request context (fresh DataLoaders each request). */
  context: (identity: Identity) => C | Promise<C>;
  /** Throws when the service cannot serve (database down …); drives /readyz. */
  ready: () => Promise<void>;
  logger: Logger;
  production?: boolean;
}

export interface RunningSubgraph extends Pick<RunningHttp, 'url' | 'port'> {
  graphqlUrl: string;
  stop(): Promise<void>;
}

/** Errors other than ours (database faults, bugs) never leak details to callers in production. */
export function formatError(production: boolean) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (production && (code === 'INTERNAL_SERVER_ERROR' || code === undefined)) {
      return { message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    return formatted;
  };
}

/**
 * Starts one subgraph service over HTTP. Only the gateway may call it: every GraphQL request
 * must carry the gateway's signed credential, else 401 before any GraphQL runs (DESIGN.md §5).
 */
export async function startSubgraph<C extends BaseContext>(opts: SubgraphOptions<C>): Promise<RunningSubgraph> {
  const production = opts.production ?? false;
  const apollo = new ApolloServer<C>({
    schema: buildSubgraphSchema({ typeDefs: parse(opts.typeDefs), resolvers: opts.resolvers }),
    introspection: !production,
    includeStacktraceInErrorResponses: !production,
    formatError: formatError(production),
    plugins: [ApolloServerPluginLandingPageDisabled()],
    // We stop in order ourselves (runMain); Apollo's own handler would re-raise the signal and kill the process.
    stopOnTerminationSignals: false,
    logger: opts.logger,
  });
  await apollo.start();

  const identify = async (req: IncomingMessage): Promise<Identity> => {
    const credential = req.headers[GATEWAY_HEADER];
    if (typeof credential !== 'string') throw new HttpError(401, 'this service answers the gateway only');
    try {
      return await verifyGatewayCredential(opts.gatewaySecret, credential);
    } catch {
      throw new HttpError(401, 'the gateway credential is not valid');
    }
  };
  const graphql = graphqlHandler(apollo, async (req) => opts.context(await identify(req)));

  const http = await listen({
    host: opts.host,
    port: opts.port,
    logger: opts.logger,
    routes: {
      '/graphql': async (req, res) => {
        // Checked before the body is read, so an unauthenticated caller costs nothing.
        await identify(req);
        await graphql(req, res);
      },
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
