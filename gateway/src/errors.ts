/**
 * What the gateway lets out of an error (DESIGN.md §5, issue 8 item 4): callers branch on
 * `extensions.code` and read the catalogue's message; nothing else about the inside travels.
 */
import type { GraphQLFormattedError } from 'graphql';
import { isFault } from '@onecheck/kit';
import { isTokenLimitError, limitError } from './limits';

/** The extensions a client may read; production keeps these only (no serviceName, no subgraph URL, no stack). */
const PUBLIC_EXTENSIONS = new Set(['code', 'field', 'messageKey', 'params', 'department', 'limit']);

/** graphql-js's "Did you mean …?" endings, on fields, arguments, types, enum values and input fields. */
const SUGGESTION = / ?Did you mean .+?\?/g;

/**
 * In every mode: limit refusals read alike, internal errors say nothing but their code, no service
 * name. In production also: no "Did you mean", and only PUBLIC_EXTENSIONS.
 */
export function gatewayFormatError(production: boolean) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const extensions = formatted.extensions ?? {};
    // armor's token limit is graphql-js's parse option: its refusal reads as the other limits do.
    if (isTokenLimitError(formatted.message)) {
      const error = limitError('tokens', production);
      const { http: _http, ...rest } = error.extensions;
      return { message: error.message, extensions: rest };
    }
    // In every mode, so that no mode shows SQL text (a NUL byte once did) or a stack to a caller.
    // Faults are ours to answer without detail: the detail (SQL, stack, a subgraph's words) is in the logs (kit logFaults).
    if (isFault(extensions.code)) {
      return {
        message: 'internal error',
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: 'INTERNAL_SERVER_ERROR', messageKey: 'error.internal' },
      };
    }
    // Which service answered is an inside detail in every mode (the gateway's log names it).
    const { serviceName: _service, ...rest } = extensions;
    if (!production) return { ...formatted, extensions: rest };
    const params = rest.params as Record<string, unknown> | undefined;
    return {
      ...formatted,
      // Suggestions would let anyone rebuild the schema with introspection off (a refusal's
      // detail, kit localisedErrors, quotes its message).
      message: formatted.message.replace(SUGGESTION, ''),
      extensions: Object.fromEntries(
        Object.entries(rest)
          .filter(([key]) => PUBLIC_EXTENSIONS.has(key))
          .map(([key, value]) =>
            key === 'params' && typeof params?.detail === 'string'
              ? [key, { ...params, detail: params.detail.replace(SUGGESTION, '') }]
              : [key, value],
          ),
      ),
    };
  };
}
