import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

/** Composes subgraph SDL into the supergraph SDL the gateway loads; throws with every composition error. */
export function composeSupergraph(subgraphs: { name: string; url: string; typeDefs: string }[]): string {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.typeDefs) })));
  if (result.errors?.length) {
    throw new Error(`composition failed:\n${result.errors.map((e) => `  ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl!;
}
