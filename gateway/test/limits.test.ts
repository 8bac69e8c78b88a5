/**
 * The operation limits (gateway/src/limits.ts) as Apollo Server runs them, on a schema of its own:
 * a verdict is kept per document, so the same text asked again with other page sizes, another
 * operation or a default page must still be judged on what it asks this time.
 */
import { ApolloServer } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { operationLimits } from '../src/limits';

const typeDefs = `#graphql
  type Query { items(first: Int): ItemConnection }
  type ItemConnection { totalCount: Int edges: [Edge] }
  type Edge { node: Item }
  type Item { a: Int b: Int c: Int }
`;

const server = new ApolloServer({
  typeDefs,
  resolvers: { Query: { items: () => ({ totalCount: 0, edges: [] }) } },
  plugins: [operationLimits(true)],
});

/** The limit the operation was refused for, or undefined when it ran. */
async function refused(query: string, variables?: Record<string, unknown>, operationName?: string) {
  const { body } = await server.executeOperation({ query, variables, operationName });
  if (body.kind !== 'single') throw new Error('expected a single result');
  const error = body.singleResult.errors?.[0];
  if (error) expect(error.extensions?.code).toBe('OPERATION_LIMIT');
  return error?.extensions?.limit as string | undefined;
}

const page = 'query Page($n: Int) { items(first: $n) { edges { node { a b c } } } }';

describe('operation limits asked again', () => {
  it('judges each page size of the same text afresh, in any order', async () => {
    expect(await refused(page, { n: 1 })).toBeUndefined();
    expect(await refused(page, { n: 100_000 })).toBe('cost');
    expect(await refused(page, { n: 1 })).toBeUndefined();
    expect(await refused(page, { n: 100_000 })).toBe('cost');
    // Absent or null: the default page, which passes.
    expect(await refused(page, {})).toBeUndefined();
    expect(await refused(page, { n: null })).toBeUndefined();
  });

  it("counts a variable's default when the variable is left out", async () => {
    const defaulted = 'query Page($n: Int = 100000) { items(first: $n) { edges { node { a } } } }';
    expect(await refused(defaulted, { n: 1 })).toBeUndefined();
    expect(await refused(defaulted, {})).toBe('cost');
    expect(await refused(defaulted, { n: 1 })).toBeUndefined();
  });

  it('judges each operation of one document on its own', async () => {
    const both = `query Small { items(first: 1) { totalCount } }
      query Big { items(first: 100000) { edges { node { a b c } } } }`;
    expect(await refused(both, {}, 'Small')).toBeUndefined();
    expect(await refused(both, {}, 'Big')).toBe('cost');
    expect(await refused(both, {}, 'Small')).toBeUndefined();
  });
});
