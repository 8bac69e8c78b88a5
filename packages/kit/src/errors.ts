import { GraphQLError, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { ZodType, core } from 'zod';
import {
  DEFAULT_LOCALE,
  isMessageKey,
  registerNames,
  render,
  type Locale,
  type MessageKey,
  type MessageParams,
} from '@onecheck/i18n';
import { departmentName, isDepartment } from './departments';
import { literalField, parseQuietly, refusalFacts, variableUse } from './graphql-refusals';
import type { Logger } from './logger';

/**
 * The stable error codes clients may branch on (extensions.code). Machines read
 * `extensions.code`, `extensions.field` (BAD_USER_INPUT always names the field),
 * `extensions.messageKey` and `extensions.params`; people read the message, rendered from the
 * catalogue in the caller's language (DESIGN.md §4).
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'CONFLICT'
  /** A mutation's idempotency key was used before for another request (idempotency.ts). */
  | 'IDEMPOTENCY_KEY_REUSED'
  /**
   * What the request needs has not reached this service yet (an event on its way, e.g. an
   * inspection code the office issued): nothing was written; the same request may succeed later.
   * Carries `extensions.retryable: true`.
   */
  | 'RETRY_LATER';

/** What an error says, as facts: enough to render it again in another language. */
interface ErrorFacts {
  code?: unknown;
  field?: unknown;
  messageKey?: unknown;
  params?: unknown;
}

// Messages name departments by their names ({department:department}), and a party that may be a
// department or a role ({who:party}: a department's staff, else the role), in the reader's language.
registerNames('department', (code, locale) => (isDepartment(code) ? departmentName(code, locale) : undefined));
registerNames('party', (value, locale) => {
  if (isDepartment(value)) return departmentName(value, locale);
  return isMessageKey(`role.${value}`) ? render(locale, `role.${value}`) : undefined;
});

/** The message for an error's facts; undefined when the error carries no catalogue key. */
export function renderError(locale: Locale, facts: ErrorFacts): string | undefined {
  if (!isMessageKey(facts.messageKey)) return undefined;
  const params = (facts.params ?? {}) as MessageParams;
  const detail = render(locale, facts.messageKey, params);
  return typeof facts.field === 'string' ? render(locale, 'error.badInput', { field: facts.field, detail }) : detail;
}

function appError(
  code: ErrorCode,
  messageKey: MessageKey,
  params: MessageParams = {},
  field?: string,
  more: Record<string, unknown> = {},
): GraphQLError {
  const extensions = { code, ...(field ? { field } : {}), messageKey, params, ...more };
  return new GraphQLError(renderError(DEFAULT_LOCALE, extensions)!, { extensions });
}

export function badInput(field: string, messageKey: MessageKey, params?: MessageParams): GraphQLError {
  return appError('BAD_USER_INPUT', messageKey, params, field);
}

/** The kinds of thing a lookup may not find (catalogue `entity.*`). */
export type EntityKind = MessageKey extends infer K ? (K extends `entity.${infer E}` ? E : never) : never;

/** `field`: the argument that named it, when the caller should learn which (e.g. a public code check). */
export function notFound(kind: EntityKind, id: string, field?: string): GraphQLError {
  return appError('NOT_FOUND', 'notFound.entity', { kind, id }, field);
}

export function forbidden(messageKey: MessageKey, params?: MessageParams): GraphQLError {
  return appError('FORBIDDEN', messageKey, params);
}

export function unauthenticated(messageKey: MessageKey = 'auth.signInRequired'): GraphQLError {
  return appError('UNAUTHENTICATED', messageKey);
}

/** A state that forbids the change; `field` names the argument it concerns, when one does. */
export function conflict(messageKey: MessageKey, params?: MessageParams, field?: string): GraphQLError {
  return appError('CONFLICT', messageKey, params, field);
}

/** Not yet: what `field` names has not reached this service (an event on its way); retry later. */
export function retryLater(field: string, messageKey: MessageKey, params?: MessageParams): GraphQLError {
  return appError('RETRY_LATER', messageKey, params, field, { retryable: true });
}

/**
 * Checks one entry of a list argument: an error of ours that `check` throws names its field under
 * the entry (`inputs.3` + `uscc` → `inputs.3.uscc`; the entry itself when it named none), so a
 * caller of a batch learns which entry to mend. Other errors pass unchanged.
 */
export async function inEntry<T>(entry: string, check: () => T | Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (err) {
    const ext = err instanceof GraphQLError ? err.extensions : undefined;
    if (!ext || typeof ext.code !== 'string' || !isMessageKey(ext.messageKey)) throw err;
    const field = typeof ext.field === 'string' ? `${entry}.${ext.field}` : entry;
    const extensions = { ...ext, field };
    throw new GraphQLError(renderError(DEFAULT_LOCALE, extensions)!, { extensions });
  }
}

/** A zod issue as a catalogue entry, from its code: zod's own words are English and global. */
export function issueMessage(issue: core.$ZodIssue): { key: MessageKey; params: MessageParams } {
  // Our own checks (refinements, patterns) name a catalogue entry as their message, with its facts in params.
  if (isMessageKey(issue.message)) {
    return { key: issue.message, params: ('params' in issue ? (issue.params ?? {}) : {}) as MessageParams };
  }
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined || issue.input === null
        ? { key: 'input.required', params: {} }
        : { key: 'input.invalidType', params: { expected: issue.expected } };
    case 'too_small': {
      const minimum = Number(issue.minimum);
      if (issue.origin === 'string')
        return minimum <= 1 ? { key: 'input.empty', params: {} } : { key: 'input.tooShort', params: { minimum } };
      if (issue.origin === 'array' || issue.origin === 'set') return { key: 'input.tooFewItems', params: { minimum } };
      return { key: 'input.tooSmall', params: { minimum } };
    }
    case 'too_big': {
      const maximum = Number(issue.maximum);
      if (issue.origin === 'string') return { key: 'input.tooLong', params: { maximum } };
      if (issue.origin === 'array' || issue.origin === 'set') return { key: 'input.tooManyItems', params: { maximum } };
      return { key: 'input.tooBig', params: { maximum } };
    }
    case 'invalid_format':
      return issue.format === 'date'
        ? { key: 'input.invalidDate', params: {} }
        : { key: 'input.invalidFormat', params: { format: issue.format } };
    case 'invalid_value':
      return { key: 'input.notOneOf', params: { values: issue.values.map(String) } };
    case 'unrecognized_keys':
      return { key: 'input.unknownKeys', params: { keys: issue.keys } };
    default:
      return { key: 'input.invalid', params: {} };
  }
}

/**
 * Checks GraphQL input with a zod schema; the first problem becomes BAD_USER_INPUT naming the
 * field by its path in the input (for example "validUntil"), rendered through the catalogue.
 * `argument` names the argument when the schema checks one argument's value rather than an input
 * object, so that the caller is told which one (`uscc`, not "input").
 */
export function parseInput<T>(schema: ZodType<T>, input: unknown, argument?: string): T {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [...(argument === undefined ? [] : [argument]), ...(issue?.path.map(String) ?? [])];
  const field = path.join('.') || 'input';
  const { key, params } = issue ? issueMessage(issue) : { key: 'input.invalid' as const, params: {} };
  throw badInput(field, key, params);
}

/** Errors other than ours (database faults, bugs) never leak details to callers in production. */
export function formatError(production: boolean) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (production && (code === 'INTERNAL_SERVER_ERROR' || code === undefined)) {
      return { message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR', messageKey: 'error.internal' } };
    }
    return formatted;
  };
}

/**
 * The codes of graphql-js's and Apollo Server's own refusals of a request (a syntax error, an
 * unknown field, a variable of the wrong type): they come with an English sentence and no
 * catalogue key.
 */
const REQUEST_REFUSALS = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Characters of a refusal's own sentence kept as its detail. */
const DETAIL_MAX = 500;

/**
 * An error's facts for rendering: a request refusal without a catalogue key gets the key of its
 * rule when graphql-refusals.ts knows it (graphql.unknownField …), else `graphql.invalid`
 * (查询无效：…); its sentence is kept as the detail either way, so a reader of Chinese is told in
 * Chinese what was wrong, and a client still branches on the code.
 */
/** The request's text and, parsed at most once per response, its document: where a refusal points. */
interface RefusedRequest {
  query: string | undefined;
  document: () => DocumentNode | undefined;
}

function factsOf(error: GraphQLFormattedError, request: RefusedRequest): Record<string, unknown> {
  const extensions = error.extensions ?? {};
  if (isMessageKey(extensions.messageKey) || !REQUEST_REFUSALS.has(extensions.code as string)) return extensions;
  // graphql-js quotes a wrong variable's whole value: a detail is kept short.
  const detail = error.message.length > DETAIL_MAX ? `${error.message.slice(0, DETAIL_MAX)}…` : error.message;
  // The rule and names of a refusal graphql-js words in English (graphql-refusals.ts), its sentence kept beside them.
  const known = refusalFacts(error.message);
  const field =
    extensions.field === undefined ? refusedField(error, extensions.code, known?.params, request) : undefined;
  return {
    ...extensions,
    messageKey: known?.messageKey ?? 'graphql.invalid',
    params: { detail, ...known?.params },
    ...(field ? { field } : {}),
  };
}

/**
 * The field a graphql-js refusal is about, named as the services name theirs: where a refused
 * variable goes (`uscc` for `grantLicence(input: $i)` with a bad `$i.uscc`), a literal argument's
 * (`items.0.code`, found where graphql-js points), a missing argument's.
 */
function refusedField(
  error: GraphQLFormattedError,
  code: unknown,
  params: Record<string, string> | undefined,
  request: RefusedRequest,
): string | undefined {
  if (code === 'BAD_USER_INPUT') {
    const variable = variableField(error.message);
    if (!variable) return undefined;
    // A field the value lacks or does not know is named inside it; the variable by where it goes.
    const inside = params?.inputField;
    const document = request.document();
    return (
      (document && variableUse(document, variable.split('.'), inside)) ?? (inside ? `${variable}.${inside}` : variable)
    );
  }
  if (code !== 'GRAPHQL_VALIDATION_FAILED') return undefined;
  if (params?.argument) return params.argument;
  const at = error.locations?.[0];
  const document = at && request.document();
  return document ? literalField(document, request.query!, at, params?.inputField) : undefined;
}

/**
 * The variable (and the path inside it) that graphql-js refused, from its sentence — `Variable
 * "$i" got invalid value "X" at "i.items[0].outcome"; …` gives `i.items.0.outcome`, `Variable "$n"
 * of required type "Int!" was not provided.` gives `n` — so that BAD_USER_INPUT names its field here
 * too, in the form the services use (a list index as a path segment).
 */
export function variableField(message: string): string | undefined {
  const variable = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)"/.exec(message)?.[1];
  if (!variable) return undefined;
  const at = /^Variable "\$[_0-9A-Za-z]+" got invalid value .*? at "([^"]+)"; /s.exec(message)?.[1];
  return (at ?? variable).replace(/\[(\d+)\]/g, '.$1');
}

/**
 * A request whose operationName names no operation of its document, or that names none for a
 * document of several: the caller's mistake, HTTP 400 with Apollo Server's own code for it. graphql-js
 * says so in English; the gateway's executor even throws it as a fault (500), so it is refused here first.
 */
function unresolvedOperation(operationName: string | undefined): GraphQLError {
  const facts =
    operationName === undefined
      ? { code: 'OPERATION_RESOLUTION_FAILURE', messageKey: 'graphql.operationNameRequired' as const, params: {} }
      : {
          code: 'OPERATION_RESOLUTION_FAILURE',
          messageKey: 'graphql.unknownOperation' as const,
          // The caller's own words, echoed: kept short.
          params: {
            operationName: operationName.length > DETAIL_MAX ? `${operationName.slice(0, DETAIL_MAX)}…` : operationName,
          },
        };
  return new GraphQLError(renderError(DEFAULT_LOCALE, facts)!, { extensions: { ...facts, http: { status: 400 } } });
}

function subscriptionRefused(): GraphQLError {
  const facts = {
    code: 'GRAPHQL_VALIDATION_FAILED',
    messageKey: 'graphql.subscriptionsNotSupported' as const,
    params: {},
  };
  return new GraphQLError(renderError(DEFAULT_LOCALE, facts)!, { extensions: { ...facts, http: { status: 400 } } });
}

/**
 * Renders every error that carries a catalogue key in the request's language, after all other
 * formatting: the gateway passes the same facts through, so each hop can render them again. Refuses
 * a request whose operation cannot be resolved (unresolvedOperation) before anything runs.
 */
export function localisedErrors<C extends BaseContext>(
  localeOfRequest: (headers: { get(name: string): string | undefined }) => Locale,
): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ request }) {
      const locale = localeOfRequest(request.http?.headers ?? new Map<string, string>());
      let parsed: { document: DocumentNode | undefined } | undefined;
      const refused: RefusedRequest = {
        query: request.query,
        document: () => (parsed ??= { document: parseQuietly(request.query) }).document,
      };
      return {
        async didResolveOperation({ operation }) {
          if (!operation) throw unresolvedOperation(request.operationName);
          // No subscriptions (notices travel on Kafka): the gateway's planner answered 500 in English.
          if (operation.operation === 'subscription') throw subscriptionRefused();
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) => {
            const extensions = factsOf(error, refused);
            const message = renderError(locale, extensions);
            return message ? { ...error, message, extensions } : error;
          });
        },
      };
    },
  };
}

/** Codes that mean a fault, not a refusal: the caller learns only the code, so the log must say the rest. */
const FAULTS = new Set([undefined, 'INTERNAL_SERVER_ERROR', 'DOWNSTREAM_SERVICE_ERROR']);
export const isFault = (code: unknown) => FAULTS.has(code as string | undefined);

/**
 * Logs every fault of an operation with its cause and stack, at error level (shown at the default
 * LOG_LEVEL): the answer says "internal error" and nothing more (formatError), so this line is
 * where an operator finds what happened. Refusals (bad input, access, conflicts) are not faults.
 */
export function logFaults<C extends BaseContext>(logger: Logger): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, operationName }) {
          for (const error of errors) {
            if (!isFault(error.extensions?.code)) continue;
            logger.error(
              { err: error.originalError ?? error, path: error.path, operation: operationName },
              'operation failed',
            );
          }
        },
      };
    },
  };
}
