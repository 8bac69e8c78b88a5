import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { DocumentNode, FieldNode, GraphQLFormattedError, OperationDefinitionNode, SelectionNode } from 'graphql';
import { GraphQLError } from 'graphql';
import { DEFAULT_LOCALE, type MessageKey, type MessageParams } from '@onecheck/i18n';
import { renderError, targetDepartment, unauthenticated, type Logger } from '@onecheck/kit';
import type { GatewayContext } from './context';
import {
  departmentArgument,
  fieldsOf,
  isEntitiesOperation,
  mergeAnswers,
  parseOperation,
  rootFields,
  selectRootFields,
} from './department-routing';
import type { SubgraphSource } from './subgraph-source';

type Options = GraphQLDataSourceProcessOptions<GatewayContext>;
type Representation = { __typename: string; department?: unknown } & Record<string, unknown>;
/** The department in an entity's key: `department { code }` (a Department), or a bare code. */
function departmentOf(rep: Representation): string | undefined {
  const d = rep.department;
  if (typeof d === 'string') return d;
  const code = (d as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
type Answer = { ok: true; response: GatewayGraphQLResponse } | { ok: false; reason: string };

/**
 * Errors the router itself raises carry their facts (messageKey, params) like every service's, so
 * the gateway renders them in the reader's language; why an instance failed goes to the log only.
 */
function routerError(
  code: string,
  messageKey: MessageKey,
  params: MessageParams,
  path?: (string | number)[],
  field?: string,
): GraphQLFormattedError {
  const extensions = { code, ...(field ? { field } : {}), messageKey, params };
  return { message: renderError(DEFAULT_LOCALE, extensions)!, ...(path ? { path } : {}), extensions };
}

const unavailable = (department: string, path?: (string | number)[]): GraphQLFormattedError => {
  const error = routerError('SERVICE_UNAVAILABLE', 'department.unavailable', { department }, path);
  return { ...error, extensions: { ...error.extensions, department } };
};

/** Every instance of a fan-out may report the same error (say, UNAUTHENTICATED): report it once. */
function distinct(errors: GraphQLFormattedError[]): GraphQLFormattedError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = JSON.stringify([e.message, e.path, e.extensions?.code]);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

const responseKey = (f: FieldNode) => f.alias?.value ?? f.name.value;

/**
 * An instance's error path into a list that is concatenated with the lists of the instances
 * merged before it: its index moves by their length, so it points at the same item after merging.
 */
function shiftListIndex(mergedSoFar: unknown, path: readonly (string | number)[]): (string | number)[] {
  const [field, index, ...rest] = path;
  if (typeof field !== 'string' || typeof index !== 'number') return [...path];
  const before = (mergedSoFar as Record<string, unknown> | null)?.[field];
  return [field, index + (Array.isArray(before) ? before.length : 0), ...rest];
}

/**
 * The department subgraph: one name in the supergraph, one instance per department (DESIGN.md §2).
 * Every subgraph request is routed here to the instance(s) it concerns:
 * - `_entities`: representations carrying a department go to it; others (entities owned
 *   elsewhere, like Enterprise) go to every instance and the answers are merged;
 * - root fields: by their `department` argument, else the caller's department; fields without
 *   that argument are asked of every instance. Answers merge in the configured order of the
 *   departments, so the same request always gets the same list.
 * An instance that fails or times out costs only its own part of the answer.
 */
export class DepartmentRouter {
  constructor(
    private readonly instances: Map<string, SubgraphSource>,
    /** Root field name → whether it takes a department argument. */
    private readonly fields: Map<string, boolean>,
    private readonly logger?: Logger,
  ) {}

  async process(options: Options): Promise<GatewayGraphQLResponse> {
    const { document, operation } = parseOperation(options.request.query ?? '');
    return isEntitiesOperation(operation) ? this.entities(options) : this.rootOperation(options, document, operation);
  }

  private async send(
    department: string,
    options: Options,
    query?: string,
    variables?: Record<string, unknown>,
  ): Promise<Answer> {
    const source = this.instances.get(department)!;
    try {
      const response = await source.process({
        ...options,
        // A copy per instance: the data source writes its own http headers into the request.
        request: { ...options.request, ...(query ? { query } : {}), ...(variables ? { variables } : {}) },
      });
      return { ok: true, response };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.logger?.warn({ department, reason }, 'department instance failed');
      return { ok: false, reason };
    }
  }

  private async entities(options: Options): Promise<GatewayGraphQLResponse> {
    const reps = (options.request.variables?.representations ?? []) as Representation[];
    const groups = new Map<string, number[]>(); // department → positions in reps
    const everywhere: number[] = [];
    const errors: GraphQLFormattedError[] = [];
    reps.forEach((rep, i) => {
      const department = departmentOf(rep);
      if (department === undefined) return void everywhere.push(i);
      if (!this.instances.has(department)) {
        return void errors.push(unavailable(department, ['_entities', i]));
      }
      groups.set(department, [...(groups.get(department) ?? []), i]);
    });
    if (everywhere.length) {
      for (const department of this.instances.keys())
        groups.set(department, [...(groups.get(department) ?? []), ...everywhere]);
    }
    const departments = [...this.instances.keys()].filter((d) => groups.has(d));
    const answers = await Promise.all(
      departments.map((department) =>
        this.send(department, options, undefined, {
          ...options.request.variables,
          representations: groups.get(department)!.map((i) => reps[i]),
        }),
      ),
    );
    const results: unknown[] = reps.map(() => null);
    departments.forEach((department, d) => {
      const positions = groups.get(department)!;
      const answer = answers[d]!;
      if (!answer.ok) {
        for (const i of positions) errors.push(unavailable(department, ['_entities', i]));
        return;
      }
      const entities = ((answer.response.data as { _entities?: unknown[] } | null)?._entities ?? []) as unknown[];
      // Error paths point into this instance's answer: map them to the merged one before merging.
      for (const e of answer.response.errors ?? []) {
        if (e.path?.[0] !== '_entities' || typeof e.path[1] !== 'number') {
          errors.push(e);
          continue;
        }
        const pos = positions[e.path[1]] ?? e.path[1];
        errors.push({ ...e, path: ['_entities', pos, ...shiftListIndex(results[pos], e.path.slice(2))] });
      }
      positions.forEach((pos, k) => (results[pos] = mergeAnswers(results[pos], entities[k])));
    });
    return { data: { _entities: results }, ...(errors.length ? { errors: distinct(errors) } : {}) };
  }

  /** Where a root field goes: a department, every department, or nowhere (with the error why). */
  private target(
    field: FieldNode,
    options: Options,
    operation: OperationDefinitionNode,
  ): { to: string[] } | { error: GraphQLFormattedError } {
    if (this.fields.get(field.name.value) === false) return { to: [...this.instances.keys()] };
    const identity = options.context?.identity;
    const argument = departmentArgument(field, options.request.variables ?? {}, operation);
    const key = responseKey(field);
    const asFieldError = (e: GraphQLError) => ({
      error: { message: e.message, path: [key], extensions: e.extensions },
    });
    // Every field a department answers is for signed-in callers: one without a token is told so
    // before its department argument is read (an unknown code, or one configured but not running,
    // would otherwise tell an anonymous caller how the system is deployed).
    if (!identity || identity.role === 'public') return asFieldError(unauthenticated());
    let department: string;
    try {
      // The same rule the department instances apply (packages/kit/src/targeting.ts).
      department = targetDepartment(argument, identity ?? {});
    } catch (err) {
      if (err instanceof GraphQLError) return asFieldError(err);
      throw err;
    }
    if (!this.instances.has(department)) return { error: unavailable(department, [key]) };
    return { to: [department] };
  }

  private async rootOperation(
    options: Options,
    document: DocumentNode,
    operation: OperationDefinitionNode,
  ): Promise<GatewayGraphQLResponse> {
    const errors: GraphQLFormattedError[] = [];
    const targets = new Map<string, Set<SelectionNode>>(); // department → top-level selections it answers
    const data: Record<string, unknown> = {};
    const selections = operation.selectionSet.selections;
    for (const selection of selections) {
      const fields = fieldsOf(selection, document).filter((f) => f.name.value !== '__typename');
      if (fields.length === 0) continue;
      const routes = fields.map((f) => this.target(f, options, operation));
      const failed = routes.find((r): r is { error: GraphQLFormattedError } => 'error' in r);
      if (failed) {
        errors.push(failed.error);
        for (const f of fields) data[responseKey(f)] = null;
        continue;
      }
      const destinations = new Set((routes as { to: string[] }[]).map((r) => r.to.join()));
      if (destinations.size > 1) {
        errors.push(
          routerError(
            'BAD_USER_INPUT',
            'department.oneFragmentOneDepartment',
            {},
            [responseKey(fields[0]!)],
            'department',
          ),
        );
        for (const f of fields) data[responseKey(f)] = null;
        continue;
      }
      for (const department of (routes[0] as { to: string[] }).to) {
        targets.set(department, (targets.get(department) ?? new Set()).add(selection));
      }
    }
    if (rootFields(operation).some((f) => f.name.value === '__typename')) {
      data.__typename = operation.operation === 'mutation' ? 'Mutation' : 'Query';
    }

    const departments = [...this.instances.keys()].filter((d) => targets.has(d));
    const ask = (department: string) => {
      const units = targets.get(department)!;
      const whole = units.size === selections.length && departments.length === 1;
      return this.send(department, options, whole ? undefined : selectRootFields(document, operation, units));
    };
    // Mutation fields run one after another, in document order (GraphQL spec §6.2.2).
    const answers: Answer[] = [];
    if (operation.operation === 'mutation') for (const d of departments) answers.push(await ask(d));
    else answers.push(...(await Promise.all(departments.map(ask))));

    let merged: Record<string, unknown> = data;
    departments.forEach((department, d) => {
      const answer = answers[d]!;
      if (!answer.ok) {
        for (const unit of targets.get(department)!) {
          for (const f of fieldsOf(unit, document)) {
            errors.push(unavailable(department, [responseKey(f)]));
            if (!(responseKey(f) in merged)) merged[responseKey(f)] = null;
          }
        }
        return;
      }
      for (const e of answer.response.errors ?? [])
        errors.push(e.path ? { ...e, path: shiftListIndex(merged, e.path) } : e);
      if (answer.response.data) merged = mergeAnswers(merged, answer.response.data) as Record<string, unknown>;
    });
    return { data: merged, ...(errors.length ? { errors: distinct(errors) } : {}) };
  }
}
