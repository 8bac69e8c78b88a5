import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GATEWAY_HEADER } from '@onecheck/auth';
import { LOCALE_HEADER } from '@onecheck/i18n';
import { injectTraceContext } from '@onecheck/telemetry';
import type { GatewayContext } from './context';
/** A subgraph request that takes longer than this fails its own part of the answer, not the whole. */
export const SUBGRAPH_TIMEOUT_MS = 15_000;

/**
 * A subgraph instance: forwards the caller's verified identity as the gateway's signed credential,
 * the reader's language, and the trace (W3C `traceparent`) so the subgraph's spans join it.
 */
export class SubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(config: { url: string }) {
    super({
      ...config,
      fetcher: ((url: string, init: RequestInit) =>
        fetch(url, {
          ...init,
          signal: AbortSignal.timeout(SUBGRAPH_TIMEOUT_MS),
        })) as unknown as RemoteGraphQLDataSource['fetcher'],
    });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    injectTraceContext((name, value) => request.http?.headers.set(name, value));
    if (!context?.credential) return;
    request.http?.headers.set(GATEWAY_HEADER, await (context as GatewayContext).credential());
    request.http?.headers.set(LOCALE_HEADER, (context as GatewayContext).locale);
  }
}
