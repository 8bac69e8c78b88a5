import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { GATEWAY_HEADER } from '@onecheck/auth';
import { LOCALE_HEADER } from '@onecheck/i18n';
import { injectTraceContext } from '@onecheck/telemetry';
import type { GatewayContext } from './context';
/** A subgraph request that takes longer than this fails its own part of the answer, not the whole. */
export const SUBGRAPH_TIMEOUT_MS = 15_000;

/**
 * Connections to the subgraphs stay open between requests (issue 7: a request through fetch/undici
 * cost a third of the gateway's time). An idle connection is closed a second before the
 * subgraph's announced Keep-Alive timeout (Node's agent reads the hint; it needs `timeout` set),
 * so a request is never written to a socket the subgraph is closing.
 */
const agents = {
  'http:': new HttpAgent({ keepAlive: true, timeout: 60_000 }),
  'https:': new HttpsAgent({ keepAlive: true, timeout: 60_000 }),
};

/** The headers of one subgraph request, as willSendRequest writes them (a Fetch `Headers` works too). */
export class RequestHeaders {
  readonly values: Record<string, string> = { 'content-type': 'application/json' };
  set(name: string, value: string) {
    this.values[name.toLowerCase()] = value;
  }
  get(name: string): string | null {
    return this.values[name.toLowerCase()] ?? null;
  }
}

interface Reply {
  status: number;
  statusText: string;
  contentType: string;
  text: string;
}

/**
 * A subgraph instance: forwards the caller's verified identity as the gateway's signed credential,
 * the reader's language, and the trace (W3C `traceparent`) so the subgraph's spans join it.
 *
 * It speaks to the subgraph over Node's http client with kept-alive connections, and answers as
 * @apollo/gateway's RemoteGraphQLDataSource does: the response's `data` and `errors`, or a thrown
 * GraphQLError `STATUS: text` (UNAUTHENTICATED on 401, FORBIDDEN on 403) for a non-2xx answer.
 */
export class SubgraphSource implements GraphQLDataSource<GatewayContext> {
  readonly url: string;
  private readonly target: URL;

  constructor(config: { url: string }) {
    this.url = config.url;
    this.target = new URL(config.url);
  }

  async willSendRequest({
    request,
    context,
  }: Pick<GraphQLDataSourceProcessOptions<GatewayContext>, 'request' | 'context'>) {
    injectTraceContext((name, value) => request.http?.headers.set(name, value));
    if (!context?.credential) return;
    request.http?.headers.set(GATEWAY_HEADER, await (context as GatewayContext).credential());
    const { locale } = context as Partial<GatewayContext>;
    if (locale) request.http?.headers.set(LOCALE_HEADER, locale);
  }

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const headers = new RequestHeaders();
    // Headers the gateway itself asked for (federated tracing's) go along, as Apollo's source sends them.
    for (const [name, value] of (request.http?.headers ?? []) as Iterable<[string, string]>) headers.set(name, value);
    request.http = { method: 'POST', url: this.url, headers: headers as never };
    await this.willSendRequest(options);
    if (!request.query) throw new Error('Missing query');
    const { http: _http, ...payload } = request;
    const reply = await this.post(JSON.stringify(payload), headers.values);
    const json =
      reply.contentType.startsWith('application/json') ||
      reply.contentType.startsWith('application/graphql-response+json');
    let body: unknown = reply.text;
    if (json) body = JSON.parse(reply.text);
    if (reply.status < 200 || reply.status >= 300) {
      throw new GraphQLError(`${reply.status}: ${reply.statusText}`, {
        extensions: {
          ...(reply.status === 401 ? { code: 'UNAUTHENTICATED' } : reply.status === 403 ? { code: 'FORBIDDEN' } : {}),
          response: { url: this.url, status: reply.status, statusText: reply.statusText, body },
        },
      });
    }
    if (typeof body !== 'object' || body === null)
      throw new Error(`Expected JSON response body, but received: ${body}`);
    return body as GatewayGraphQLResponse;
  }

  /** One POST, its whole answer read; fails after SUBGRAPH_TIMEOUT_MS. */
  private post(body: string, headers: Record<string, string>): Promise<Reply> {
    const https = this.target.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const req = (https ? httpsRequest : httpRequest)(
        this.target,
        {
          method: 'POST',
          agent: agents[https ? 'https:' : 'http:'],
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', fail);
          res.on('end', () => {
            clearTimeout(timer);
            resolve({
              status: res.statusCode ?? 0,
              statusText: res.statusMessage ?? '',
              contentType: String(res.headers['content-type'] ?? ''),
              text: Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      const timer = setTimeout(
        () => req.destroy(new Error(`subgraph ${this.url} did not answer within ${SUBGRAPH_TIMEOUT_MS} ms`)),
        SUBGRAPH_TIMEOUT_MS,
      );
      function fail(err: Error) {
        clearTimeout(timer);
        reject(err);
      }
      req.on('error', fail);
      req.end(body);
    });
  }
}
