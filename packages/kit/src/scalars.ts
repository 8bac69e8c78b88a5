import { GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';
import { LocalDateResolver, DateTimeResolver } from 'graphql-scalars';

/**
 * `Date` is a calendar date "YYYY-MM-DD" kept as a string end to end: deadlines are counted in
 * China's calendar days, so no time zone may shift them.
 * Input is passed through as given and checked by each mutation's zod schema instead: the gateway
 * treats custom scalars as opaque, so a check here would surface as an opaque subgraph failure,
 * while the domain check answers BAD_USER_INPUT naming the field.
 */
export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date in China, YYYY-MM-DD.',
  serialize: LocalDateResolver.serialize,
  parseValue: (value) => value,
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? ast.value : valueFromASTUntyped(ast)),
});

export const scalarResolvers = { Date: DateScalar, DateTime: DateTimeResolver };

export const SCALARS_SDL = /* GraphQL */ `
  "A calendar date in China, YYYY-MM-DD."
  scalar Date
  "An instant, RFC 3339."
  scalar DateTime
`;
