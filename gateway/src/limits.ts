import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  type ASTVisitor,
  type FieldNode,
  type GraphQLField,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import { DEFAULT_PAGE, MAX_PAGE } from '@onecheck/kit';

/** Limits on every operation (DESIGN.md §5), so no caller can ask for unbounded work. */
export const LIMITS = {
  /** Tokens in the query text (graphql-js stops parsing beyond). */
  maxTokens: 4000,
  maxDepth: 10,
  maxAliases: 30,
  /** Estimated values returned: each field counts 1, times the sizes of the lists around it. */
  maxCost: 20000,
  defaultListSize: 20,
};

const limitError = (message: string) => new GraphQLError(message, { extensions: { code: 'OPERATION_LIMIT' } });

interface Walk {
  depth: number;
  aliases: number;
  cost: number;
}

/**
 * How many items a field returns at most: its `first` argument when written out, the largest
 * page when `first` is a variable (its value is not known here), the default page for a list or
 * a connection without it, else 1.
 */
function fanOut(def: GraphQLField<unknown, unknown> | undefined, sel: FieldNode): number {
  const first = sel.arguments?.find((a) => a.name.value === 'first')?.value;
  if (first?.kind === Kind.INT) return Number(first.value);
  if (first?.kind === Kind.VARIABLE) return MAX_PAGE;
  // A connection's edges are already counted by the connection's `first`.
  if (sel.name.value === 'edges' || !def) return 1;
  if (def.args.some((a) => a.name === 'first')) return DEFAULT_PAGE;
  return isListType(getNullableType(def.type)) ? LIMITS.defaultListSize : 1;
}

function walk(
  schema: GraphQLSchema,
  parent: GraphQLNamedType | undefined,
  set: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  depth: number,
  multiplier: number,
  acc: Walk,
  seen: Set<string>,
) {
  acc.depth = Math.max(acc.depth, depth);
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.alias) acc.aliases++;
      if (sel.name.value.startsWith('__')) continue;
      acc.cost += multiplier;
      if (!sel.selectionSet) continue;
      const def =
        parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[sel.name.value] : undefined;
      const size = fanOut(def, sel);
      walk(
        schema,
        def && getNamedType(def.type),
        sel.selectionSet,
        fragments,
        depth + 1,
        multiplier * Math.max(1, size),
        acc,
        seen,
      );
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const type = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
      walk(schema, type ?? undefined, sel.selectionSet, fragments, depth, multiplier, acc, seen);
    } else {
      const fragment = fragments[sel.name.value];
      // A fragment spread twice on one path would be a cycle, which validation rejects anyway.
      if (fragment && !seen.has(sel.name.value)) {
        const type = schema.getType(fragment.typeCondition.name.value) ?? undefined;
        walk(schema, type, fragment.selectionSet, fragments, depth, multiplier, acc, new Set(seen).add(sel.name.value));
      }
    }
  }
}

/**
 * Depth, alias and cost limits as one validation rule. Cost multiplies by the `first` argument of
 * lists (or a default), so a deep nest of large pages is refused before any subgraph is asked.
 */
export function operationLimits(context: ValidationContext): ASTVisitor {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of context.getDocument().definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return {
    OperationDefinition(op) {
      const acc: Walk = { depth: 0, aliases: 0, cost: 0 };
      const schema = context.getSchema();
      const root =
        op.operation === 'mutation'
          ? schema.getMutationType()
          : op.operation === 'subscription'
            ? schema.getSubscriptionType()
            : schema.getQueryType();
      walk(schema, root ?? undefined, op.selectionSet, fragments, 1, 1, acc, new Set());
      if (acc.depth > LIMITS.maxDepth)
        context.reportError(limitError(`query depth ${acc.depth} exceeds ${LIMITS.maxDepth}`));
      if (acc.aliases > LIMITS.maxAliases)
        context.reportError(limitError(`${acc.aliases} aliases exceed ${LIMITS.maxAliases}`));
      if (acc.cost > LIMITS.maxCost)
        context.reportError(limitError(`estimated cost ${acc.cost} exceeds ${LIMITS.maxCost}`));
    },
  };
}
