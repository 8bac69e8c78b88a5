/**
 * What the gateway adds to every subgraph request: the signed identity and the reader's language,
 * decided once from Accept-Language (negotiateLocale) and carried on (DESIGN.md §4).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_HEADER } from '@onecheck/auth';
import { LOCALE_HEADER, negotiateLocale } from '@onecheck/i18n';
import { SubgraphSource } from '../src/subgraph-source';

/** The headers SubgraphSource would send for a request in this context. */
async function headersFor(context: object) {
  const headers = new Headers();
  const source = new SubgraphSource({ url: 'http://department.invalid/graphql' });
  await source.willSendRequest({ request: { query: '{ __typename }', http: { headers } }, context } as never);
  return headers;
}

describe('SubgraphSource', () => {
  it.each([
    ['en-GB,en;q=0.9', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    [undefined, 'zh-CN'],
  ] as const)('sends the language the caller asked for (%s → %s) with the signed identity', async (accept, locale) => {
    const headers = await headersFor({ locale: negotiateLocale(accept), credential: async () => 'signed-credential' });
    expect(headers.get(LOCALE_HEADER)).toBe(locale);
    expect(headers.get(GATEWAY_HEADER)).toBe('signed-credential');
  });

  it('sends no credential (nor language) when the request has no gateway context', async () => {
    const headers = await headersFor({});
    expect(headers.get(GATEWAY_HEADER)).toBeNull();
    expect(headers.get(LOCALE_HEADER)).toBeNull();
  });
});

describe('SubgraphSource over HTTP', () => {
  let server: Server;
  let url: string;
  const sockets = new Set<unknown>();
  const seen: { body: string; headers: Record<string, unknown> }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      sockets.add(req.socket);
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ body, headers: req.headers });
        const { query } = JSON.parse(body) as { query: string };
        if (query.includes('refused')) {
          res.writeHead(401, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ errors: [{ message: 'no credential' }] }));
        }
        res.writeHead(200, { 'content-type': 'application/graphql-response+json; charset=utf-8' });
        res.end(JSON.stringify({ data: { echo: query }, errors: [{ message: 'partial' }] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const ask = (source: SubgraphSource, query: string, context: object = {}) =>
    source.process({ request: { query, variables: { a: 1 } }, context } as never);

  it('posts the operation with its headers and answers with data and errors, over one kept-alive connection', async () => {
    const source = new SubgraphSource({ url });
    const context = { locale: 'en', credential: async () => 'signed-credential' };
    for (let i = 0; i < 3; i++) {
      const response = await ask(source, `{ n${i} }`, context);
      expect(response).toEqual({ data: { echo: `{ n${i} }` }, errors: [{ message: 'partial' }] });
    }
    expect(sockets.size).toBe(1);
    const last = seen.at(-1)!;
    expect(JSON.parse(last.body)).toEqual({ query: '{ n2 }', variables: { a: 1 } });
    expect(last.headers[GATEWAY_HEADER]).toBe('signed-credential');
    expect(last.headers[LOCALE_HEADER]).toBe('en');
    expect(last.headers['content-type']).toBe('application/json');
  });

  it('throws UNAUTHENTICATED for a 401, with the answer attached, as Apollo’s data source does', async () => {
    const error = await ask(new SubgraphSource({ url }), '{ refused }').catch((e: unknown) => e);
    expect(error).toMatchObject({
      message: '401: Unauthorized',
      extensions: {
        code: 'UNAUTHENTICATED',
        response: { status: 401, body: { errors: [{ message: 'no credential' }] } },
      },
    });
  });

  it('fails when the instance is not there', async () => {
    await expect(ask(new SubgraphSource({ url: 'http://127.0.0.1:1/graphql' }), '{ x }')).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});
