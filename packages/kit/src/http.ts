import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { negotiateLocale } from '@onecheck/i18n';
import { renderError } from './errors';
import { HttpError } from './http-error';
import { checkPostBody, checkSearchParams } from './request-shape';
import type { Logger } from './logger';

export { HttpError };

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

const MAX_BODY_BYTES = 1024 * 1024;

/** The answer to an HttpError: its message in the caller's language (Accept-Language) and its code. */
function sendRefusal(req: IncomingMessage, res: ServerResponse, err: HttpError) {
  if (!err.facts) return sendJson(res, err.status, { errors: [{ message: err.message }] });
  const extensions = { ...err.facts, params: err.facts.params ?? {} };
  const message = renderError(negotiateLocale(req.headers['accept-language']), extensions) ?? err.message;
  sendJson(res, err.status, { errors: [{ message, extensions }] });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * The request body, at most MAX_BODY_BYTES. A larger one is read to its end and dropped before
 * the 413, so that the connection stays usable for the caller's next request (a body left unread
 * stalls a kept-alive connection, then resets it); the server's requestTimeout bounds the read.
 */
async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES)
    throw new HttpError(413, 'request body too large', {
      code: 'PAYLOAD_TOO_LARGE',
      messageKey: 'request.bodyTooLarge',
      params: { maximum: MAX_BODY_BYTES },
    });
  return Buffer.concat(chunks).toString('utf8');
}

/** Body types a browser posts from any page without a preflight (Apollo Server's preventCsrf list). */
const SIMPLE_BODY_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
/** Headers a browser preflights, either of which, non-empty, marks a request as not a forgery (Apollo's recommended ones). */
const PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'];

/**
 * Apollo Server's CSRF prevention (DESIGN.md §5), checked here first and by the same rule, so that
 * its refusal speaks the catalogue's words: a request with no content type or a simple one (a GET,
 * a form post) must carry a preflighted header. Apollo's own check (csrfPrevention, on by default)
 * stays behind it.
 */
function refuseForgery(req: IncomingMessage) {
  const type = req.headers['content-type'];
  if (type !== undefined && !SIMPLE_BODY_TYPES.has(type.split(';')[0]!.trim().toLowerCase())) return;
  if (PREFLIGHT_HEADERS.some((name) => String(req.headers[name] ?? '').length > 0)) return;
  throw new HttpError(400, 'refused as a possible cross-site request forgery', {
    code: 'BAD_REQUEST',
    messageKey: 'request.csrf',
    params: { headers: PREFLIGHT_HEADERS },
  });
}

/**
 * Serves an ApolloServer over plain node:http, so the same code serves subgraphs and the gateway
 * and we decide what happens before GraphQL runs (credentials, health checks).
 */
export function graphqlHandler<C extends BaseContext>(
  server: ApolloServer<C>,
  context: (req: IncomingMessage) => Promise<C>,
): Handler {
  return async (req, res) => {
    refuseForgery(req);
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const raw = await readBody(req);
    let body: unknown = raw;
    // Media types are case-insensitive (RFC 9110 §8.3.1): APPLICATION/JSON is JSON too.
    const type = (headers.get('content-type') ?? '').toLowerCase();
    if (req.method === 'POST' && type.includes('json')) {
      try {
        body = raw.length ? JSON.parse(raw) : undefined;
      } catch {
        throw new HttpError(400, 'the request body is not valid JSON', {
          code: 'BAD_REQUEST',
          messageKey: 'request.invalidJson',
        });
      }
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'POST') checkPostBody(body);
    else if (req.method === 'GET') checkSearchParams(url.searchParams);
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: () => context(req),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
    } else {
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };
}

export interface RunningHttp {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** Starts an HTTP server routing by path; unknown paths get 404. Errors become JSON, never a crash. */
export async function listen(opts: {
  host: string;
  port: number;
  routes: Record<string, Handler>;
  logger: Logger;
}): Promise<RunningHttp> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = opts.routes[path];
    if (!route) return sendJson(res, 404, { error: `no route ${path}` });
    Promise.resolve(route(req, res)).catch((err: unknown) => {
      if (err instanceof HttpError) return sendRefusal(req, res, err);
      opts.logger.error({ err }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'internal error' }] });
      else res.end();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        // Let in-flight requests finish, drop idle keep-alive sockets at once, force the rest after 5 s.
        const force = setTimeout(() => server.closeAllConnections(), 5000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
