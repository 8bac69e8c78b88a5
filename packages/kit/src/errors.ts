import { GraphQLError } from 'graphql';
import { ZodError, type ZodType } from 'zod';

/**
 * The stable error codes clients may branch on (extensions.code).
 * BAD_USER_INPUT always names the offending field in extensions.field.
 */
export type ErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'CONFLICT';

export function badInput(field: string, message: string): GraphQLError {
  return new GraphQLError(`${field}: ${message}`, { extensions: { code: 'BAD_USER_INPUT', field } });
}

export function notFound(what: string, id: string): GraphQLError {
  return new GraphQLError(`${what} ${id} not found`, { extensions: { code: 'NOT_FOUND' } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

export function unauthenticated(message = 'sign in first: this needs a token'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } });
}

export function conflict(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'CONFLICT' } });
}

/**
 * Checks GraphQL input with a zod schema; the first problem becomes BAD_USER_INPUT
 * naming the field by its path in the input (for example "validUntil").
 */
export function parseInput<T>(schema: ZodType<T>, input: unknown): T {
  try {
    return schema.parse(input);
  } catch (e) {
    if (e instanceof ZodError) {
      const issue = e.issues[0];
      const field = issue?.path.map(String).join('.') || 'input';
      throw badInput(field, issue?.message ?? 'invalid');
    }
    throw e;
  }
}
