import {
  Kind,
  parse,
  print,
  visit,
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type FieldNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type ValueNode,
} from 'graphql';

/**
 * Which root fields of the department subgraph name a department (DESIGN.md §2): a field with a
 * `department` argument goes to that department (default: the caller's); one without is asked of
 * every department. Read from the supergraph so adding a field needs no gateway change.
 */
export function departmentRootFields(supergraphSdl: string, graphEnum = 'DEPARTMENT'): Map<string, boolean> {
  const fields = new Map<string, boolean>();
  for (const def of parse(supergraphSdl).definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION || (def.name.value !== 'Query' && def.name.value !== 'Mutation'))
      continue;
    for (const field of def.fields ?? []) {
      const owned = field.directives?.some(
        (d) =>
          d.name.value === 'join__field' &&
          d.arguments?.some(
            (a) => a.name.value === 'graph' && a.value.kind === Kind.ENUM && a.value.value === graphEnum,
          ),
      );
      if (owned) fields.set(field.name.value, field.arguments?.some((a) => a.name.value === 'department') ?? false);
    }
  }
  return fields;
}

/** A parsed subgraph operation; the planner sends the same texts again and again, so parses are cached. */
const parsed = new Map<string, { document: DocumentNode; operation: OperationDefinitionNode }>();
const PARSE_CACHE_LIMIT = 1000;

export function parseOperation(query: string) {
  let hit = parsed.get(query);
  if (!hit) {
    const document = parse(query);
    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    if (!operation) throw new Error('subgraph request without an operation');
    if (parsed.size >= PARSE_CACHE_LIMIT) parsed.delete(parsed.keys().next().value!);
    hit = { document, operation };
    parsed.set(query, hit);
  }
  return hit;
}

export function rootFields(operation: OperationDefinitionNode): FieldNode[] {
  return operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
}

export function isEntitiesOperation(operation: OperationDefinitionNode): boolean {
  return rootFields(operation).some((f) => f.name.value === '_entities');
}

/**
 * The fields a top-level selection stands for: itself, or the fields inside a root inline
 * fragment or fragment spread (the planner wraps @include/@skip that way).
 */
export function fieldsOf(selection: SelectionNode, document: DocumentNode): FieldNode[] {
  if (selection.kind === Kind.FIELD) return [selection];
  const set =
    selection.kind === Kind.INLINE_FRAGMENT
      ? selection.selectionSet
      : document.definitions.find(
          (d): d is FragmentDefinitionNode =>
            d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value,
        )?.selectionSet;
  return set?.selections.flatMap((s) => fieldsOf(s, document)) ?? [];
}

/** The value of a field's `department` argument: literal, from the variables, or the variable's default. */
export function departmentArgument(
  field: FieldNode,
  variables: Record<string, unknown>,
  operation: OperationDefinitionNode,
): string | null | undefined {
  const arg = field.arguments?.find((a) => a.name.value === 'department');
  if (!arg) return undefined;
  if (arg.value.kind === Kind.VARIABLE) {
    const name = arg.value.name.value;
    if (name in variables) return valueOf(arg.value, variables);
    const fallback = operation.variableDefinitions?.find((v) => v.variable.name.value === name)?.defaultValue;
    return fallback ? valueOf(fallback, variables) : undefined;
  }
  return valueOf(arg.value, variables);
}

function valueOf(node: ValueNode, variables: Record<string, unknown>): string | null | undefined {
  if (node.kind === Kind.VARIABLE) {
    const v = variables[node.name.value];
    return typeof v === 'string' ? v : v == null ? undefined : String(v);
  }
  if (node.kind === Kind.STRING) return node.value;
  if (node.kind === Kind.NULL) return null;
  return undefined;
}

/**
 * The same operation with only some of its root selections, and only the variables and
 * fragments they use, so one subgraph request can be split between department instances.
 */
export function selectRootFields(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  keep: Set<SelectionNode>,
): string {
  const selectionSet = {
    ...operation.selectionSet,
    selections: operation.selectionSet.selections.filter((s) => keep.has(s)),
  };
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const usedVariables = new Set<string>();
  const usedFragments = new Set<string>();
  const pending: ASTNode[] = [selectionSet];
  while (pending.length) {
    visit(pending.pop()!, {
      Variable: (v) => void usedVariables.add(v.name.value),
      FragmentSpread: (f) => {
        if (!usedFragments.has(f.name.value)) {
          usedFragments.add(f.name.value);
          const def = fragments.get(f.name.value);
          if (def) pending.push(def);
        }
      },
    });
  }
  const trimmed: OperationDefinitionNode = {
    ...operation,
    selectionSet,
    variableDefinitions: operation.variableDefinitions?.filter((v) => usedVariables.has(v.variable.name.value)),
  };
  return print({
    ...document,
    definitions: document.definitions
      .filter((d) => d.kind !== Kind.FRAGMENT_DEFINITION || usedFragments.has(d.name.value))
      .map((d) => (d === operation ? trimmed : d)),
  });
}

/**
 * Merges answers of several department instances for the same object: lists concatenate (the
 * schema keeps such fields lists on purpose), objects merge field by field, other values keep
 * the first non-null.
 */
export function mergeAnswers(a: unknown, b: unknown): unknown {
  if (a == null) return b;
  if (b == null) return a;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [k, v] of Object.entries(b as Record<string, unknown>)) out[k] = mergeAnswers(out[k], v);
    return out;
  }
  return a;
}
