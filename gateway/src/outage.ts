/**
 * A subgraph that cannot answer fails only its own fields (issue 8 item 4): they come back null,
 * each with an error SERVICE_UNAVAILABLE on its path, as a down department's do (department-router.ts).
 * Which service failed and why goes to the log only: a caller learns no service name or URL.
 */
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Kind, parse, type FragmentDefinitionNode, type GraphQLFormattedError, type SelectionSetNode } from 'graphql';
import { DEFAULT_LOCALE } from '@onecheck/i18n';
import { renderError, type Logger } from '@onecheck/kit';
import type { GatewayContext } from './context';

type Path = (string | number)[];

function unavailable(path?: Path): GraphQLFormattedError {
  const extensions = { code: 'SERVICE_UNAVAILABLE', messageKey: 'service.unavailable', params: {} };
  return { message: renderError(DEFAULT_LOCALE, extensions)!, ...(path ? { path } : {}), extensions };
}

/** The response keys a selection set asks for on an object of `typename` (fragments followed, `__typename` left out). */
function keysOf(
  set: SelectionSetNode,
  typename: string | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
): string[] {
  const keys: string[] = [];
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value !== '__typename') keys.push(sel.alias?.value ?? sel.name.value);
    } else {
      const fragment = sel.kind === Kind.INLINE_FRAGMENT ? sel : fragments.get(sel.name.value);
      const on = fragment?.typeCondition?.name.value;
      if (fragment && (!on || on === typename)) keys.push(...keysOf(fragment.selectionSet, typename, fragments));
    }
  }
  return [...new Set(keys)];
}

/** The answer of a fetch the service could not give: every field it was asked for is null, with an error on its path. */
export function unavailableAnswer(request: GatewayGraphQLRequest): GatewayGraphQLResponse {
  const paths: Path[] = [];
  try {
    const document = parse(request.query ?? '');
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    for (const sel of operation?.selectionSet.selections ?? []) {
      if (sel.kind !== Kind.FIELD || sel.name.value !== '_entities' || !sel.selectionSet) {
        if (sel.kind === Kind.FIELD && sel.name.value !== '__typename')
          paths.push([sel.alias?.value ?? sel.name.value]);
        continue;
      }
      const representations = (request.variables?.representations ?? []) as { __typename?: string }[];
      representations.forEach((rep, i) => {
        for (const key of keysOf(sel.selectionSet!, rep.__typename, fragments)) paths.push(['_entities', i, key]);
      });
    }
  } catch {
    // A query the gateway planned always parses; should it not, one error without a path still says it.
  }
  return { data: null, errors: paths.length ? paths.map(unavailable) : [unavailable()] };
}

/** Wraps a subgraph's data source: a failure to answer (refused, reset, timed out, a non-2xx reply) becomes unavailableAnswer. */
export class OutageAware implements GraphQLDataSource<GatewayContext> {
  constructor(
    private readonly source: GraphQLDataSource<GatewayContext>,
    private readonly service: string,
    private readonly logger?: Logger,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    try {
      return await this.source.process(options);
    } catch (err) {
      this.logger?.warn(
        { service: this.service, reason: err instanceof Error ? err.message : String(err) },
        'subgraph failed',
      );
      return unavailableAnswer(options.request);
    }
  }
}
