/**
 * What the gateway adds to every subgraph request: the signed identity and the reader's language,
 * decided once from Accept-Language (negotiateLocale) and carried on (DESIGN.md §4).
 */
import { describe, expect, it } from 'vitest';
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
