/**
 * The shape of a GraphQL request over HTTP (GraphQL over HTTP, §"Request Parameters"), checked
 * before Apollo Server sees it so that each refusal carries a stable code and the catalogue's
 * words: Apollo's own checks answer in English, and one (a persisted query whose hash does not
 * match) answers as a fault. Persisted queries are not offered (Apollo's APQ cache is switched
 * off): a client sends the whole document, and a client library that tries APQ first falls back
 * on PERSISTED_QUERY_NOT_SUPPORTED.
 */
import { HttpError } from './http-error';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

type RequestRefusal =
  | 'request.notObject'
  | 'request.batch'
  | 'request.mustBeString'
  | 'request.mustBeObject'
  | 'request.paramNotJson'
  | 'request.queryMissing'
  | 'request.persistedQuery';

function refused(messageKey: RequestRefusal, params: Record<string, string> = {}, code = 'BAD_REQUEST') {
  return new HttpError(400, messageKey, { code, messageKey, params });
}

/** A POST body: one JSON object with a non-empty `query`, the other members of their kinds. */
export function checkPostBody(body: unknown): void {
  if (Array.isArray(body)) throw refused('request.batch');
  if (!isObject(body)) throw refused('request.notObject');
  checkMembers(body);
}

/**
 * A GET's search parameters: `variables` and `extensions` are JSON text there, and must parse to
 * objects like a POST's.
 */
export function checkSearchParams(search: URLSearchParams): void {
  const request: Record<string, unknown> = {};
  for (const member of ['query', 'operationName'] as const) {
    const value = search.get(member);
    if (value !== null) request[member] = value;
  }
  for (const member of ['variables', 'extensions'] as const) {
    const value = search.get(member);
    if (value === null) continue;
    try {
      request[member] = JSON.parse(value);
    } catch {
      throw refused('request.paramNotJson', { member });
    }
  }
  checkMembers(request);
}

function checkMembers(request: Record<string, unknown>): void {
  const { query, operationName, variables, extensions } = request;
  if (extensions != null && !isObject(extensions)) throw refused('request.mustBeObject', { member: 'extensions' });
  if (extensions?.persistedQuery !== undefined)
    throw refused('request.persistedQuery', {}, 'PERSISTED_QUERY_NOT_SUPPORTED');
  if (query !== undefined && typeof query !== 'string') throw refused('request.mustBeString', { member: 'query' });
  if (query === undefined || query.trim() === '') throw refused('request.queryMissing');
  if (operationName != null && typeof operationName !== 'string')
    throw refused('request.mustBeString', { member: 'operationName' });
  if (variables != null && !isObject(variables)) throw refused('request.mustBeObject', { member: 'variables' });
}
