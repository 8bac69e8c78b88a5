/**
 * The pure parts of department routing (DESIGN.md §2): which root fields name a department, the
 * department a field names (literal, variable, variable default), splitting one operation between
 * instances, and merging the instances' answers.
 */
import { readFileSync } from 'node:fs';
import { parse, print, type FieldNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  departmentArgument,
  departmentRootFields,
  fieldsOf,
  isEntitiesOperation,
  mergeAnswers,
  parseOperation,
  rootFields,
  selectRootFields,
} from '../src/department-routing';

/** The first root field of an operation, with its parsed operation. */
function firstField(query: string) {
  const { operation } = parseOperation(query);
  return { field: rootFields(operation)[0]!, operation };
}

/** An operation as graphql-js prints it, for comparing with what selectRootFields prints. */
const normal = (query: string) => print(parse(query));

describe('departmentRootFields', () => {
  const sdl = /* GraphQL */ `
    directive @join__field(graph: join__Graph) repeatable on FIELD_DEFINITION
    enum join__Graph {
      DEPARTMENT
      MARKET
    }
    type Query {
      itemsOf(department: String): [String] @join__field(graph: DEPARTMENT)
      itemsForIndustry(industry: String!): [String] @join__field(graph: DEPARTMENT)
      business(uscc: String!): String @join__field(graph: MARKET)
    }
    type Mutation {
      claim(department: String, id: ID!): String @join__field(graph: DEPARTMENT)
      register(department: String): String @join__field(graph: MARKET)
    }
    type Other {
      notRoot(department: String): String @join__field(graph: DEPARTMENT)
    }
  `;

  it('lists the department subgraph’s root fields and whether each takes a department', () => {
    expect(departmentRootFields(sdl)).toEqual(
      new Map([
        ['itemsOf', true],
        ['itemsForIndustry', false],
        ['claim', true],
      ]),
    );
  });

  it('reads another graph by its enum value', () => {
    expect(departmentRootFields(sdl, 'MARKET')).toEqual(
      new Map([
        ['business', false],
        ['register', true],
      ]),
    );
  });

  it('finds the department mutations in the checked-in supergraph, each taking a department', () => {
    const supergraph = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');
    const fields = departmentRootFields(supergraph);
    for (const name of ['publishSupervisionItem', 'claimSupervisionTask', 'recordTaskResult', 'addInspector'])
      expect(fields.get(name), name).toBe(true);
    // Fields of other subgraphs are not routed here.
    expect([...fields.keys()]).not.toContain('_entities');
  });
});

describe('parseOperation', () => {
  it('finds the operation after fragment definitions', () => {
    const { operation, document } = parseOperation('fragment F on Item { code } query Q { items { ...F } }');
    expect(operation.name?.value).toBe('Q');
    expect(document.definitions).toHaveLength(2);
  });

  it('parses a query text once and answers again from the cache', () => {
    const query = '{ itemsOf(department: "HEALTH") { code } }';
    expect(parseOperation(query)).toBe(parseOperation(query));
  });

  it('refuses a document without an operation', () => {
    expect(() => parseOperation('fragment F on Item { code }')).toThrow('subgraph request without an operation');
  });

  it('tells an _entities request from a root operation', () => {
    const entities =
      'query($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }';
    expect(isEntitiesOperation(parseOperation(entities).operation)).toBe(true);
    expect(isEntitiesOperation(parseOperation('{ itemsOf { code } }').operation)).toBe(false);
  });
});

describe('fieldsOf', () => {
  const query = `
    query($withTasks: Boolean!) {
      a: itemsOf(department: "HEALTH") { code }
      ... @include(if: $withTasks) { tasks { id } inspectors { id } }
      ...Rest
    }
    fragment Rest on Query { more { id } ... { deeper { id } } }
  `;
  const { document, operation } = parseOperation(query);
  const names = (fields: FieldNode[]) => fields.map((f) => f.name.value);
  const [field, inline, spread] = operation.selectionSet.selections;

  it('is the field itself for a field', () => {
    expect(names(fieldsOf(field!, document))).toEqual(['itemsOf']);
  });

  it('is the fields inside a root inline fragment (how the planner wraps @include/@skip)', () => {
    expect(names(fieldsOf(inline!, document))).toEqual(['tasks', 'inspectors']);
  });

  it('is the fields of a spread fragment, nested fragments included', () => {
    expect(names(fieldsOf(spread!, document))).toEqual(['more', 'deeper']);
  });
});

describe('departmentArgument', () => {
  it.each([
    ['a string literal', '{ itemsOf(department: "FIRE") { code } }', {}, 'FIRE'],
    ['a null literal', '{ itemsOf(department: null) { code } }', {}, null],
    ['no argument', '{ itemsOf { code } }', {}, undefined],
    ['a variable', 'query($d: String) { itemsOf(department: $d) { code } }', { d: 'HEALTH' }, 'HEALTH'],
    ['a variable sent as null', 'query($d: String) { itemsOf(department: $d) { code } }', { d: null }, undefined],
    ['a variable not sent, without default', 'query($d: String) { itemsOf(department: $d) { code } }', {}, undefined],
    ['a variable’s default', 'query($d: String = "FIRE") { itemsOf(department: $d) { code } }', {}, 'FIRE'],
    [
      'a sent variable over its default',
      'query($d: String = "FIRE") { itemsOf(department: $d) { code } }',
      { d: 'HEALTH' },
      'HEALTH',
    ],
    ['a default of null', 'query($d: String = null) { itemsOf(department: $d) { code } }', {}, null],
    ['a literal of another kind (no department)', '{ itemsOf(department: HEALTH) { code } }', {}, undefined],
  ] as const)('reads %s', (_, query, variables, expected) => {
    const { field, operation } = firstField(query);
    expect(departmentArgument(field, variables, operation)).toBe(expected);
  });

  it('reads each field’s own argument', () => {
    const { operation } = parseOperation(
      'query($d: String) { a: itemsOf(department: "FIRE") { code } b: itemsOf(department: $d) { code } }',
    );
    const [a, b] = rootFields(operation);
    expect(departmentArgument(a!, { d: 'HEALTH' }, operation)).toBe('FIRE');
    expect(departmentArgument(b!, { d: 'HEALTH' }, operation)).toBe('HEALTH');
  });
});

describe('selectRootFields', () => {
  it('keeps only the chosen root selections, with the variables and fragments they use', () => {
    const { document, operation } = parseOperation(`
      query Q($a: String, $b: String, $first: Int) {
        a: itemsOf(department: $a, first: $first) { ...Item }
        b: itemsOf(department: $b) { ...Other }
      }
      fragment Item on SupervisionItem { code ...Name }
      fragment Name on SupervisionItem { name }
      fragment Other on SupervisionItem { legalBasis }
    `);
    const [a] = operation.selectionSet.selections;
    expect(selectRootFields(document, operation, new Set([a!]))).toBe(
      normal(`
        query Q($a: String, $first: Int) { a: itemsOf(department: $a, first: $first) { ...Item } }
        fragment Item on SupervisionItem { code ...Name }
        fragment Name on SupervisionItem { name }
      `),
    );
  });

  it('keeps a root inline fragment and the variable of its directive', () => {
    const { document, operation } = parseOperation(`
      query($x: Boolean!, $d: String) {
        ... @include(if: $x) { tasks { id } }
        itemsOf(department: $d) { code }
      }
    `);
    const [inline] = operation.selectionSet.selections;
    expect(selectRootFields(document, operation, new Set([inline!]))).toBe(
      normal('query($x: Boolean!) { ... @include(if: $x) { tasks { id } } }'),
    );
  });

  it('leaves the cached parse untouched', () => {
    const query =
      'query($a: String, $b: String) { a: itemsOf(department: $a) { code } b: itemsOf(department: $b) { code } }';
    const { document, operation } = parseOperation(query);
    selectRootFields(document, operation, new Set([operation.selectionSet.selections[1]!]));
    expect(print(parseOperation(query).document)).toBe(normal(query));
  });
});

describe('mergeAnswers', () => {
  it('takes the other side when one is null or missing', () => {
    expect(mergeAnswers(null, { a: 1 })).toEqual({ a: 1 });
    expect(mergeAnswers({ a: 1 }, undefined)).toEqual({ a: 1 });
    expect(mergeAnswers(null, null)).toBeNull();
  });

  it('concatenates lists in order', () => {
    expect(mergeAnswers([1, 2], [3])).toEqual([1, 2, 3]);
  });

  it('merges objects field by field, concatenating the lists inside', () => {
    const health = { __typename: 'Enterprise', uscc: 'X', applicableItems: [{ code: 'H-1' }], visits: null };
    const fire = { __typename: 'Enterprise', uscc: 'X', applicableItems: [{ code: 'F-1' }], visits: [{ id: 'v' }] };
    expect(mergeAnswers(health, fire)).toEqual({
      __typename: 'Enterprise',
      uscc: 'X',
      applicableItems: [{ code: 'H-1' }, { code: 'F-1' }],
      visits: [{ id: 'v' }],
    });
  });

  it('keeps the first value of a scalar both answered, and does not touch its inputs', () => {
    const a = { name: '甲', items: [1] };
    const b = { name: '乙', items: [2] };
    expect(mergeAnswers(a, b)).toEqual({ name: '甲', items: [1, 2] });
    expect(a).toEqual({ name: '甲', items: [1] });
    expect(b).toEqual({ name: '乙', items: [2] });
  });
});
