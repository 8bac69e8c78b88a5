/**
 * DepartmentRouter against fake department instances (no servers): where each request goes, what
 * each instance is asked, and how the answers come back together (DESIGN.md §2).
 */
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Identity } from '@onecheck/auth';
import { DepartmentRouter } from '../src/department-router';
import type { SubgraphSource } from '../src/subgraph-source';

type Request = { query: string; variables: Record<string, unknown> };
type Reply = (request: Request) => GatewayGraphQLResponse | Promise<GatewayGraphQLResponse>;

/** A department instance that records what it is asked and answers with `reply` (or throws). */
function instance(reply: Reply) {
  const asked: Request[] = [];
  const source = {
    process: async ({ request }: { request: Request }) => {
      asked.push({ query: request.query, variables: request.variables });
      return reply(request);
    },
  };
  return { asked, source: source as unknown as SubgraphSource };
}

const healthStaff: Identity = { sub: 's1', role: 'staff', department: 'HEALTH' };
const office: Identity = { sub: 'o1', role: 'office' };
const publicCaller: Identity = { sub: 'anonymous', role: 'public' };

/** A router over the given instances (configured order = insertion order) and root fields. */
function routerOf(instances: Record<string, ReturnType<typeof instance>>, fields: Record<string, boolean>) {
  return new DepartmentRouter(
    new Map(Object.entries(instances).map(([code, i]) => [code, i.source])),
    new Map(Object.entries(fields)),
  );
}

/** One subgraph request as the gateway's planner hands it over. */
function ask(router: DepartmentRouter, query: string, variables: Record<string, unknown>, identity: Identity) {
  return router.process({
    kind: 'incoming operation',
    request: { query, variables },
    context: { identity, locale: 'zh-CN', credential: async () => 'signed' },
    incomingRequestContext: {},
  } as never);
}

const normal = (query: string) => print(parse(query));
const ROOT_FIELDS = { itemsOf: true, claim: true, itemsForIndustry: false };

describe('root fields', () => {
  it('go to the department their argument names, the request unchanged', async () => {
    const health = instance(() => ({ data: { itemsOf: ['H'] } }));
    const fire = instance(() => ({ data: { itemsOf: ['F'] } }));
    const query = '{ itemsOf(department: "FIRE") }';
    const response = await ask(routerOf({ HEALTH: health, FIRE: fire }, ROOT_FIELDS), query, {}, healthStaff);
    expect(response).toEqual({ data: { itemsOf: ['F'] } });
    expect(health.asked).toEqual([]);
    expect(fire.asked).toEqual([{ query, variables: {} }]);
  });

  it('go to the caller’s own department without an argument', async () => {
    const health = instance(() => ({ data: { itemsOf: ['H'] } }));
    const fire = instance(() => ({ data: { itemsOf: ['F'] } }));
    const response = await ask(routerOf({ HEALTH: health, FIRE: fire }, ROOT_FIELDS), '{ itemsOf }', {}, healthStaff);
    expect(response).toEqual({ data: { itemsOf: ['H'] } });
    expect(fire.asked).toEqual([]);
  });

  it('follow a variable’s default', async () => {
    const health = instance(() => ({ data: { itemsOf: ['H'] } }));
    const fire = instance(() => ({ data: { itemsOf: ['F'] } }));
    const router = routerOf({ HEALTH: health, FIRE: fire }, ROOT_FIELDS);
    await ask(router, 'query($d: String = "FIRE") { itemsOf(department: $d) }', {}, healthStaff);
    expect([health.asked.length, fire.asked.length]).toEqual([0, 1]);
  });

  it('split between departments: each instance is asked only its fields, with only their variables', async () => {
    const health = instance(() => ({ data: { h: ['H'] } }));
    const fire = instance(() => ({ data: { f: ['F'] } }));
    const query = 'query($a: String, $b: String) { h: itemsOf(department: $a) f: itemsOf(department: $b) }';
    const variables = { a: 'HEALTH', b: 'FIRE' };
    const response = await ask(routerOf({ HEALTH: health, FIRE: fire }, ROOT_FIELDS), query, variables, office);
    expect(response).toEqual({ data: { h: ['H'], f: ['F'] } });
    expect(health.asked.map((r) => r.query)).toEqual([normal('query($a: String) { h: itemsOf(department: $a) }')]);
    expect(fire.asked.map((r) => r.query)).toEqual([normal('query($b: String) { f: itemsOf(department: $b) }')]);
  });

  it('without a department argument are asked of every department, merged in the configured order', async () => {
    // FIRE answers first; the merge still follows the configuration (HEALTH, then FIRE).
    const health = instance(async () => {
      await new Promise((r) => setTimeout(r, 20));
      return { data: { itemsForIndustry: ['H-1', 'H-2'] } };
    });
    const fire = instance(() => ({ data: { itemsForIndustry: ['F-1'] } }));
    const router = routerOf({ HEALTH: health, FIRE: fire }, ROOT_FIELDS);
    const response = await ask(router, '{ itemsForIndustry(industry: "62") }', {}, publicCaller);
    expect(response).toEqual({ data: { itemsForIndustry: ['H-1', 'H-2', 'F-1'] } });
  });

  it('tell a caller with no token and no department argument to sign in, asking no one', async () => {
    const health = instance(() => ({ data: { itemsOf: [] } }));
    const response = await ask(routerOf({ HEALTH: health }, ROOT_FIELDS), '{ itemsOf }', {}, publicCaller);
    expect(response.data).toEqual({ itemsOf: null });
    expect(response.errors).toEqual([
      expect.objectContaining({
        path: ['itemsOf'],
        extensions: expect.objectContaining({ code: 'UNAUTHENTICATED', messageKey: 'auth.signInRequired' }),
      }),
    ]);
    expect(health.asked).toEqual([]);
  });

  it('tell a caller with no token to sign in whatever department it names: none unknown, none not running', async () => {
    // An unknown code once answered BAD_USER_INPUT, a configured department not running
    // SERVICE_UNAVAILABLE: each told an anonymous caller something of the deployment.
    const health = instance(() => ({ data: { itemsOf: [] } }));
    const router = routerOf({ HEALTH: health }, ROOT_FIELDS);
    for (const department of ['HEALTH', 'NO_SUCH', 'EDUCATION']) {
      const response = await ask(
        router,
        '{ itemsOf(department: $d) }'.replace('$d', `"${department}"`),
        {},
        publicCaller,
      );
      expect(response.errors).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }),
      ]);
    }
    expect(health.asked).toEqual([]);
  });

  it('refuse a caller of no department who names none, and a department not configured', async () => {
    const health = instance(() => ({ data: { itemsOf: [] } }));
    const router = routerOf({ HEALTH: health }, ROOT_FIELDS);
    const none = await ask(router, '{ itemsOf }', {}, office);
    const unknown = await ask(router, '{ itemsOf(department: "NOPE") }', {}, office);
    expect(none.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'department',
      messageKey: 'department.required',
    });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'department',
      messageKey: 'department.unknown',
      params: { department: 'NOPE' },
    });
    expect(health.asked).toEqual([]);
  });

  it('name a configured department without an instance as unavailable, and still answer the rest', async () => {
    const health = instance(() => ({ data: { h: ['H'] } }));
    const query = '{ h: itemsOf(department: "HEALTH") f: itemsOf(department: "FIRE") }';
    const response = await ask(routerOf({ HEALTH: health }, ROOT_FIELDS), query, {}, office);
    expect(response.data).toEqual({ h: ['H'], f: null });
    expect(response.errors).toEqual([
      expect.objectContaining({
        message: '部门 消防救援大队 暂不可用',
        path: ['f'],
        extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', department: 'FIRE' }),
      }),
    ]);
  });

  it('refuse one fragment asking two departments', async () => {
    const health = instance(() => ({ data: {} }));
    const fire = instance(() => ({ data: {} }));
    const query =
      'query($x: Boolean!) { ... @include(if: $x) { a: itemsOf(department: "HEALTH") b: itemsOf(department: "FIRE") } }';
    const response = await ask(routerOf({ HEALTH: health, FIRE: fire }, ROOT_FIELDS), query, { x: true }, office);
    expect(response.errors).toEqual([
      expect.objectContaining({
        path: ['a'],
        extensions: expect.objectContaining({
          code: 'BAD_USER_INPUT',
          field: 'department',
          messageKey: 'department.oneFragmentOneDepartment',
        }),
      }),
    ]);
    // Every field of the refused fragment is null, not missing.
    expect(response.data).toEqual({ a: null, b: null });
    expect([health.asked.length, fire.asked.length]).toEqual([0, 0]);
  });

  it('answer __typename themselves', async () => {
    const health = instance(() => ({ data: { itemsOf: [] } }));
    const response = await ask(routerOf({ HEALTH: health }, ROOT_FIELDS), '{ __typename itemsOf }', {}, healthStaff);
    expect(response.data).toEqual({ __typename: 'Query', itemsOf: [] });
  });

  it('of a mutation run one department after another, in order', async () => {
    const events: string[] = [];
    const slow = (code: string) =>
      instance(async () => {
        events.push(`${code} start`);
        await new Promise((r) => setTimeout(r, 10));
        events.push(`${code} end`);
        return { data: { [code]: code } };
      });
    const health = slow('HEALTH');
    const fire = slow('FIRE');
    const query = 'mutation { HEALTH: claim(department: "HEALTH", id: "1") FIRE: claim(department: "FIRE", id: "2") }';
    const response = await ask(routerOf({ HEALTH: health, FIRE: fire }, ROOT_FIELDS), query, {}, office);
    expect(events).toEqual(['HEALTH start', 'HEALTH end', 'FIRE start', 'FIRE end']);
    expect(response.data).toEqual({ HEALTH: 'HEALTH', FIRE: 'FIRE' });
  });

  it('cost a failing instance only its own part, and move its error paths past the lists merged before', async () => {
    const health = instance(() => ({ data: { itemsForIndustry: ['H-1', 'H-2'] } }));
    const fire = instance(() => ({
      data: { itemsForIndustry: ['F-1', null] },
      errors: [{ message: 'item broken', path: ['itemsForIndustry', 1] }],
    }));
    const down = instance(() => {
      throw new Error('connect ECONNREFUSED');
    });
    const router = routerOf({ HEALTH: health, FIRE: fire, TRANSPORT: down }, ROOT_FIELDS);
    const response = await ask(router, '{ itemsForIndustry(industry: "62") }', {}, office);
    expect(response.data).toEqual({ itemsForIndustry: ['H-1', 'H-2', 'F-1', null] });
    expect(response.errors).toEqual([
      { message: 'item broken', path: ['itemsForIndustry', 3] },
      {
        // Why it failed (connect ECONNREFUSED) is for the log, not the caller.
        message: '部门 交通运输局 暂不可用',
        path: ['itemsForIndustry'],
        extensions: {
          code: 'SERVICE_UNAVAILABLE',
          messageKey: 'department.unavailable',
          params: { department: 'TRANSPORT' },
          department: 'TRANSPORT',
        },
      },
    ]);
  });

  it('report an error every instance of a fan-out gives only once', async () => {
    const refusal = { message: 'sign in first', path: ['itemsForIndustry'], extensions: { code: 'UNAUTHENTICATED' } };
    const health = instance(() => ({ data: null, errors: [refusal] }));
    const fire = instance(() => ({ data: null, errors: [refusal] }));
    const router = routerOf({ HEALTH: health, FIRE: fire }, ROOT_FIELDS);
    const response = await ask(router, '{ itemsForIndustry(industry: "62") }', {}, publicCaller);
    expect(response.errors).toEqual([refusal]);
  });
});

describe('_entities', () => {
  const QUERY =
    'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Item { id } } }';
  /** An instance that answers each representation with its own id and the instance's code. */
  const echo = (code: string) =>
    instance(({ variables }) => ({
      data: {
        _entities: (variables.representations as { id?: string; uscc?: string }[]).map((r) =>
          r.uscc ? { uscc: r.uscc, items: [code] } : { id: r.id, from: code },
        ),
      },
    }));

  it('go to the department in their key, grouped, and come back in the original order', async () => {
    const health = echo('HEALTH');
    const fire = echo('FIRE');
    const representations = [
      { __typename: 'Item', department: { code: 'FIRE' }, id: 'f1' },
      { __typename: 'Item', department: 'HEALTH', id: 'h1' },
      { __typename: 'Item', department: { code: 'FIRE' }, id: 'f2' },
    ];
    const response = await ask(routerOf({ HEALTH: health, FIRE: fire }, {}), QUERY, { representations }, office);
    expect(response).toEqual({
      data: {
        _entities: [
          { id: 'f1', from: 'FIRE' },
          { id: 'h1', from: 'HEALTH' },
          { id: 'f2', from: 'FIRE' },
        ],
      },
    });
    expect(health.asked.map((r) => r.variables.representations)).toEqual([[representations[1]]]);
    expect(fire.asked.map((r) => r.variables.representations)).toEqual([[representations[0], representations[2]]]);
  });

  it('owned elsewhere (no department in the key) are asked of every instance and merged', async () => {
    const health = echo('HEALTH');
    const fire = echo('FIRE');
    const representations = [
      { __typename: 'Enterprise', uscc: 'U1' },
      { __typename: 'Item', department: { code: 'FIRE' }, id: 'f1' },
    ];
    const response = await ask(routerOf({ HEALTH: health, FIRE: fire }, {}), QUERY, { representations }, office);
    expect(response.data).toEqual({
      _entities: [
        { uscc: 'U1', items: ['HEALTH', 'FIRE'] },
        { id: 'f1', from: 'FIRE' },
      ],
    });
    expect(health.asked.map((r) => r.variables.representations)).toEqual([[representations[0]]]);
  });

  it('of a department without an instance, or on a failing instance, fail alone', async () => {
    const health = echo('HEALTH');
    const fire = instance(() => {
      throw new Error('timeout');
    });
    const representations = [
      { __typename: 'Item', department: { code: 'EDUCATION' }, id: 'e1' },
      { __typename: 'Item', department: { code: 'FIRE' }, id: 'f1' },
      { __typename: 'Item', department: { code: 'HEALTH' }, id: 'h1' },
    ];
    const response = await ask(routerOf({ HEALTH: health, FIRE: fire }, {}), QUERY, { representations }, office);
    expect(response.data).toEqual({ _entities: [null, null, { id: 'h1', from: 'HEALTH' }] });
    expect(response.errors).toEqual([
      expect.objectContaining({
        path: ['_entities', 0],
        extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', department: 'EDUCATION' }),
      }),
      expect.objectContaining({
        path: ['_entities', 1],
        extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', department: 'FIRE' }),
      }),
    ]);
  });

  it('have an instance’s error paths mapped to their place in the whole batch', async () => {
    const health = echo('HEALTH');
    const fire = instance(() => ({
      data: { _entities: [{ id: 'f1' }, null] },
      errors: [{ message: 'no such item', path: ['_entities', 1] }],
    }));
    const representations = [
      { __typename: 'Item', department: { code: 'FIRE' }, id: 'f1' },
      { __typename: 'Item', department: { code: 'HEALTH' }, id: 'h1' },
      { __typename: 'Item', department: { code: 'FIRE' }, id: 'f2' },
    ];
    const response = await ask(routerOf({ HEALTH: health, FIRE: fire }, {}), QUERY, { representations }, office);
    expect(response.data).toEqual({ _entities: [{ id: 'f1' }, { id: 'h1', from: 'HEALTH' }, null] });
    expect(response.errors).toEqual([{ message: 'no such item', path: ['_entities', 2] }]);
  });
});
