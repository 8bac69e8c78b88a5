import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { FieldNode, GraphQLFormattedError } from 'graphql';
import { GATEWAY_HEADER } from '@onecheck/auth';
import type { GatewayContext } from './context';
import {
  departmentArgument,
  isEntitiesOperation,
  mergeAnswers,
  parseOperation,
  rootFields,
  selectRootFields,
} from './department-routing';

/** A subgraph instance: forwards the caller's verified identity as the gateway's signed credential. */
export class SubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    if (!context?.credential) return;
    request.http?.headers.set(GATEWAY_HEADER, await (context as GatewayContext).credential());
  }
}

type Options = GraphQLDataSourceProcessOptions<GatewayContext>;
type Representation = { __typename: string; department?: unknown } & Record<string, unknown>;

const unavailable = (department: string, path?: (string | number)[]): GraphQLFormattedError => ({
  message: `department ${department} is unavailable`,
  ...(path ? { path } : {}),
  extensions: { code: 'SERVICE_UNAVAILABLE', department },
});

const badDepartment = (message: string, path: string): GraphQLFormattedError => ({
  message: `department: ${message}`,
  path: [path],
  extensions: { code: 'BAD_USER_INPUT', field: 'department' },
});

/**
 * The department subgraph: one name in the supergraph, one instance per department (DESIGN.md §2).
 * Every subgraph request is routed here to the instance(s) it concerns:
 * - `_entities`: representations carrying a department go to it; others (entities owned
 *   elsewhere, like Enterprise) go to every instance and the answers are merged;
 * - root fields: by their `department` argument, else the caller's department; fields without
 *   that argument are asked of every instance.
 * An instance that fails costs only its own part of the answer.
 */
export class DepartmentRouter {
  constructor(
    private readonly instances: Map<string, SubgraphSource>,
    /** Root field name → whether it takes a department argument. */
    private readonly fields: Map<string, boolean>,
  ) {}

  async process(options: Options): Promise<GatewayGraphQLResponse> {
    const { document, operation } = parseOperation(options.request.query ?? '');
    return isEntitiesOperation(operation) ? this.entities(options) : this.rootOperation(options, document, operation);
  }

  private async send(department: string, options: Options, query?: string, variables?: Record<string, unknown>) {
    const source = this.instances.get(department)!;
    try {
      return await source.process({
        ...options,
        // A copy per instance: the data source writes its own http headers into the request.
        request: { ...options.request, ...(query ? { query } : {}), ...(variables ? { variables } : {}) },
      });
    } catch {
      return null; // the instance is down or failed: its part of the answer is missing
    }
  }

  private async entities(options: Options): Promise<GatewayGraphQLResponse> {
    const reps = (options.request.variables?.representations ?? []) as Representation[];
    const groups = new Map<string, number[]>(); // department → positions in reps
    const everywhere: number[] = [];
    const errors: GraphQLFormattedError[] = [];
    reps.forEach((rep, i) => {
      if (typeof rep.department !== 'string') return void everywhere.push(i);
      if (!this.instances.has(rep.department)) return void errors.push(unavailable(rep.department, ['_entities', i]));
      groups.set(rep.department, [...(groups.get(rep.department) ?? []), i]);
    });
    for (const department of this.instances.keys()) {
      if (everywhere.length) groups.set(department, [...(groups.get(department) ?? []), ...everywhere]);
    }
    const results: unknown[] = reps.map(() => null);
    await Promise.all(
      [...groups].map(async ([department, positions]) => {
        const response = await this.send(department, options, undefined, {
          ...options.request.variables,
          representations: positions.map((i) => reps[i]),
        });
        if (!response) return void errors.push(unavailable(department, ['_entities', positions[0]!]));
        const answers = ((response.data as { _entities?: unknown[] } | null)?._entities ?? []) as unknown[];
        positions.forEach((pos, k) => (results[pos] = mergeAnswers(results[pos], answers[k])));
        for (const e of response.errors ?? []) {
          const path = e.path ? [...e.path] : undefined;
          if (path?.[0] === '_entities' && typeof path[1] === 'number') path[1] = positions[path[1]] ?? path[1];
          errors.push({ ...e, ...(path ? { path } : {}) });
        }
      }),
    );
    return { data: { _entities: results }, ...(errors.length ? { errors } : {}) };
  }

  private async rootOperation(
    options: Options,
    document: ReturnType<typeof parseOperation>['document'],
    operation: ReturnType<typeof parseOperation>['operation'],
  ): Promise<GatewayGraphQLResponse> {
    const variables = options.request.variables ?? {};
    const caller = options.context?.identity?.department;
    const errors: GraphQLFormattedError[] = [];
    const targets = new Map<string, Set<FieldNode>>(); // department → fields it answers
    const add = (department: string, field: FieldNode) =>
      targets.set(department, (targets.get(department) ?? new Set()).add(field));

    for (const field of rootFields(operation)) {
      const key = field.alias?.value ?? field.name.value;
      if (field.name.value === '__typename') continue;
      if (this.fields.get(field.name.value) === false) {
        // No department argument: every department answers.
        for (const department of this.instances.keys()) add(department, field);
        continue;
      }
      const department = departmentArgument(field, variables) ?? caller;
      if (!department) errors.push(badDepartment('name the department: the caller belongs to none', key));
      else if (!this.instances.has(department))
        errors.push(badDepartment(`no department ${department} is served here`, key));
      else add(department, field);
    }

    let data: Record<string, unknown> | null = {};
    if (rootFields(operation).some((f) => f.name.value === '__typename')) {
      data.__typename = operation.operation === 'mutation' ? 'Mutation' : 'Query';
    }
    const all = rootFields(operation).length;
    await Promise.all(
      [...targets].map(async ([department, fields]) => {
        const whole = fields.size === all && targets.size === 1;
        const query = whole ? undefined : selectRootFields(document, operation, fields);
        const response = await this.send(department, options, query);
        if (!response) {
          for (const f of fields) errors.push(unavailable(department, [f.alias?.value ?? f.name.value]));
          return;
        }
        if (response.data) data = mergeAnswers(data, response.data) as Record<string, unknown>;
        errors.push(...(response.errors ?? []));
      }),
    );
    // A field nobody could answer is null: its error says why.
    for (const f of rootFields(operation)) {
      const key = f.alias?.value ?? f.name.value;
      if (data && !(key in data)) data[key] = null;
    }
    return { data, ...(errors.length ? { errors } : {}) };
  }
}
