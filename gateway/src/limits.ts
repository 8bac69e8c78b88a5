/**
 * Limits on every operation (DESIGN.md §5, issue 8 item 4), so no caller can ask for unbounded work:
 * graphql-armor's own rules at graphql-armor's defaults, except the cost, which one real query needs
 * raised (below).
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { maxTokenDefaultOptions } from '@escape.tech/graphql-armor-max-tokens';
import {
  GraphQLError,
  Kind,
  TypeInfo,
  ValidationContext,
  visit,
  visitInParallel,
  visitWithTypeInfo,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';
import { DEFAULT_PAGE } from '@onecheck/kit';

export type LimitKind = 'depth' | 'aliases' | 'directives' | 'tokens' | 'cost';

export const LIMITS: Record<LimitKind, number> = {
  /** graphql-armor's defaults: no documented query comes near them (deepest: 5, most aliases: 3, directives: 2, tokens: 56). */
  depth: 6,
  aliases: 15,
  directives: 50,
  tokens: maxTokenDefaultOptions.n,
  /**
   * graphql-armor's default is 5,000; the costliest real query needs more: a department system's
   * page of its tasks at the largest page (`first: 100`, MAX_PAGE) with every field it reads
   * (`TASKS` in test/flows.test.ts), which graphql-armor costs at 7,681. 8,500 leaves ~10 %.
   */
  cost: 8500,
};

/** The refusal for a limit: stable code and catalogue key; the numbers only outside production. */
export function limitError(limit: LimitKind, production: boolean): GraphQLError {
  const extensions = production
    ? { code: 'OPERATION_LIMIT', limit, messageKey: 'limits.exceeded', params: { limit } }
    : {
        code: 'OPERATION_LIMIT',
        limit,
        messageKey: 'limits.exceededMaximum',
        params: { limit, maximum: LIMITS[limit] },
      };
  return new GraphQLError(`operation limit exceeded: ${limit}`, {
    extensions: { ...extensions, http: { status: 400 } },
  });
}

/** graphql-js's own `Document contains more than N tokens` parse error, which armor's token limit is set through. */
export const isTokenLimitError = (message: string) => /Document contains more tha[nt] \d+ tokens/.test(message);

/** The number of items a `first` value asks for: without one (or with null), a connection serves its default page (packages/kit connection.ts). */
const sizeOf = (value: unknown): number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : DEFAULT_PAGE;

/** A `first` argument's value as a literal: the number of items a list field asks for. */
function pageSize(
  arg: ArgumentNode | undefined,
  variables: Record<string, unknown>,
  defaults: Map<string, ValueNode>,
): number {
  let value: unknown = arg?.value;
  if (arg?.value.kind === Kind.VARIABLE) {
    const name = arg.value.name.value;
    const fallback = defaults.get(name);
    value = variables[name] ?? (fallback?.kind === Kind.INT ? Number(fallback.value) : undefined);
  } else if (arg?.value.kind === Kind.INT) value = Number(arg.value.value);
  return sizeOf(value);
}

/**
 * The operation with every paginated field's `first` written out as the number it asks for.
 * graphql-armor's cost multiplies a field's cost by a literal `first` only: a page size passed as
 * a variable, or left to the default page, would count as 1 and let `first: $n` through at any size.
 */
export function withPageSizes(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): DocumentNode {
  const defaults = new Map<string, ValueNode>();
  for (const v of operation.variableDefinitions ?? [])
    if (v.defaultValue) defaults.set(v.variable.name.value, v.defaultValue);
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node: FieldNode) {
        if (!typeInfo.getFieldDef()?.args.some((a) => a.name === 'first')) return undefined;
        const first = node.arguments?.find((a) => a.name.value === 'first');
        const size = pageSize(first, variables, defaults);
        const literal: ArgumentNode = {
          kind: Kind.ARGUMENT,
          name: { kind: Kind.NAME, value: 'first' },
          value: { kind: Kind.INT, value: String(size) },
        };
        return { ...node, arguments: [...(node.arguments ?? []).filter((a) => a !== first), literal] };
      },
    }),
  );
}

/** The limit an operation breaks, if any, walking it with graphql-armor's rules. */
function check(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): LimitKind | undefined {
  const refused: LimitKind[] = [];
  const reject = (limit: LimitKind) => ({ propagateOnRejection: false, onReject: [() => void refused.push(limit)] });
  const priced = withPageSizes(schema, document, operation, variables);
  const context = new ValidationContext(schema, priced, new TypeInfo(schema), () => {});
  const rules = [
    maxDepthRule({ n: LIMITS.depth, ...reject('depth') }),
    maxAliasesRule({ n: LIMITS.aliases, ...reject('aliases') }),
    maxDirectivesRule({ n: LIMITS.directives, ...reject('directives') }),
    costLimitRule({ maxCost: LIMITS.cost, ...reject('cost') }),
  ];
  // Only the chosen operation is measured: a document may carry others that are not run.
  const only: DocumentNode = {
    ...priced,
    definitions: priced.definitions.filter(
      (d) => d.kind !== Kind.OPERATION_DEFINITION || d.name?.value === operation.name?.value,
    ),
  };
  visit(only, visitInParallel(rules.map((rule) => rule(context) as never)));
  return refused[0];
}

/** A document's verdicts so far, by operation and the page sizes its variables asked for. */
interface Verdicts {
  /** The variables any `first` argument of the document takes: the only inputs besides the text. */
  pageVariables: string[];
  byInput: Map<string, LimitKind | null>;
}
/** Enough for every page size of a document's few paginated variables; past it, start again. */
const MAX_VERDICTS = 256;

/**
 * The verdicts reached, by schema and document. Apollo hands back the same DocumentNode for the
 * same query text (its document cache), and a verdict depends only on the schema, the text, the
 * operation and the page sizes asked for, so a repeated query is not walked again: the walk was a
 * tenth of the gateway's CPU per request (docs/benchmarks.md, issue 7 item 4).
 */
const verdicts = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Verdicts>>();

function verdictsOf(schema: GraphQLSchema, document: DocumentNode): Verdicts {
  let bySchema = verdicts.get(schema);
  if (!bySchema) verdicts.set(schema, (bySchema = new WeakMap()));
  let known = bySchema.get(document);
  if (!known) {
    const pageVariables = new Set<string>();
    visit(document, {
      Argument(node) {
        if (node.name.value === 'first' && node.value.kind === Kind.VARIABLE) pageVariables.add(node.value.name.value);
      },
    });
    bySchema.set(document, (known = { pageVariables: [...pageVariables], byInput: new Map() }));
  }
  return known;
}

/**
 * graphql-armor's depth, alias, directive and cost rules, run once the operation and its variables
 * are known (so the cost sees the page sizes asked for), before any subgraph is asked. A refused
 * operation gets HTTP 400 and one error with code OPERATION_LIMIT naming the limit.
 */
export function operationLimits<C extends BaseContext>(production: boolean): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return; // Refused already (kit localisedErrors: OPERATION_RESOLUTION_FAILURE).
          const variables = request.variables ?? {};
          const known = verdictsOf(schema, document);
          // A variable's raw value may be anything here (Apollo coerces variables later): key by
          // the page size it comes to, as pageSize reads it (absent or null: the document's default).
          const input = JSON.stringify([
            operation.name?.value ?? null,
            ...known.pageVariables.map((v) => (variables[v] == null ? null : sizeOf(variables[v]))),
          ]);
          let verdict = known.byInput.get(input);
          if (verdict === undefined) {
            if (known.byInput.size >= MAX_VERDICTS) known.byInput.clear();
            known.byInput.set(input, (verdict = check(schema, document, operation, variables) ?? null));
          }
          if (verdict) throw limitError(verdict, production);
        },
      };
    },
  };
}
