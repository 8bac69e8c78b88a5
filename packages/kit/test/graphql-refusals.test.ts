/**
 * graphql-js's own refusals, produced by graphql-js itself (so a change of its wording fails
 * here), read into facts that the catalogue renders in Chinese; one the table does not know keeps
 * its sentence.
 */
import { buildSchema, graphql, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { render } from '@onecheck/i18n';
import { literalField, parseQuietly, refusalFacts, variableUse } from '../src/graphql-refusals';

const schema = buildSchema(`
  enum Severity { MINOR SERIOUS }
  input FindingInput { name: String! severity: Severity amount: Float }
  type Query { finding(id: ID!, first: Int): String, record(input: FindingInput): String }
  type Mutation { x: String }
`);

async function refusal(source: string, variableValues?: Record<string, unknown>): Promise<string> {
  const r = await graphql({ schema, source, variableValues });
  return r.errors![0]!.message;
}

const RECORD = 'query ($i: FindingInput) { record(input: $i) }';

describe('graphql-js refusals, as facts', () => {
  it.each([
    [
      '{ findng(id: "1") }',
      undefined,
      'graphql.unknownField',
      { field: 'findng', type: 'Query' },
      '查询无效：类型 Query 没有字段 findng',
    ],
    [
      '{ finding(id: "1", last: 2) }',
      undefined,
      'graphql.unknownArgument',
      { argument: 'last', field: 'Query.finding' },
      '查询无效：字段 Query.finding 没有参数 last',
    ],
    [
      '{ finding }',
      undefined,
      'graphql.missingArgument',
      { field: 'finding', argument: 'id', type: 'ID!' },
      '查询无效：字段 finding 缺少必填参数 id（ID!）',
    ],
    [
      'query ($id: ID!) { finding(id: $id) }',
      {},
      'graphql.missingVariable',
      { variable: 'id', type: 'ID!' },
      '查询无效：变量 $id（ID!）必须提供且不能为 null',
    ],
    [
      'query ($id: ID!) { finding(id: $id) }',
      { id: null },
      'graphql.missingVariable',
      { variable: 'id', type: 'ID!' },
      '查询无效：变量 $id（ID!）必须提供且不能为 null',
    ],
    [
      RECORD,
      { i: { severity: 'MINOR' } },
      'graphql.missingInputField',
      { inputField: 'name', type: 'String!' },
      '查询无效：缺少必填字段 name（String!）',
    ],
    [
      '{ record(input: { severity: MINOR }) }',
      undefined,
      'graphql.missingInputField',
      { inputField: 'name', type: 'String!' },
      '查询无效：缺少必填字段 name（String!）',
    ],
    [
      RECORD,
      { i: { name: 'a', colour: 1 } },
      'graphql.unknownInputField',
      { inputField: 'colour', type: 'FindingInput' },
      '查询无效：FindingInput 没有字段 colour',
    ],
    [
      RECORD,
      { i: { name: 'a', severity: 'CRITICAL' } },
      'graphql.unknownEnumValue',
      { value: 'CRITICAL', type: 'Severity' },
      '查询无效：“CRITICAL”不是 Severity 的可选值',
    ],
    [
      RECORD,
      { i: { name: 'a', amount: 'abc' } },
      'graphql.wrongType',
      { type: 'Float' },
      '查询无效：值的类型不对，应为 Float',
    ],
    [RECORD, { i: 'abc' }, 'graphql.wrongType', { type: 'FindingInput' }, '查询无效：值的类型不对，应为 FindingInput'],
    [
      '{ finding(id: "1", first: "5") }',
      undefined,
      'graphql.wrongType',
      { type: 'Int' },
      '查询无效：值的类型不对，应为 Int',
    ],
    [
      '{ finding(id: "1") { x } }',
      undefined,
      'graphql.noSubfields',
      { field: 'finding', type: 'String' },
      '查询无效：字段 finding 的类型 String 没有子字段，不能再选择',
    ],
    [
      'query ($n: Int) { finding(id: $n) }',
      {},
      'graphql.variableTypeMismatch',
      { variable: 'n', given: 'Int', type: 'ID!' },
      '查询无效：变量 $n 声明为 Int，此处须为 ID!',
    ],
    ['{ finding(id: $x) }', {}, 'graphql.undefinedVariable', { variable: 'x' }, '查询无效：变量 $x 未声明'],
    [
      'query ($x: ID) { finding(id: "1") }',
      {},
      'graphql.unusedVariable',
      { variable: 'x' },
      '查询无效：变量 $x 声明了却未使用',
    ],
    [
      'query ($x: Nothing) { finding(id: "1") }',
      {},
      'graphql.unknownType',
      { type: 'Nothing' },
      '查询无效：没有类型 Nothing',
    ],
    ['{ ...F }', undefined, 'graphql.unknownFragment', { fragment: 'F' }, '查询无效：没有名为 F 的片段'],
    [
      '{ finding(id: "1") @later }',
      undefined,
      'graphql.unknownDirective',
      { directive: 'later' },
      '查询无效：没有指令 @later',
    ],
    [
      '{ finding(id: "1", id: "2") }',
      undefined,
      'graphql.duplicateArgument',
      { argument: 'id' },
      '查询无效：参数 id 重复',
    ],
    [
      'query A { finding(id: "1") } query A { finding(id: "2") }',
      undefined,
      'graphql.duplicateOperation',
      { operation: 'A' },
      '查询无效：有多个名为 A 的操作',
    ],
    [
      '{ finding(id: "1") } query B { finding(id: "2") }',
      undefined,
      'graphql.anonymousNotAlone',
      {},
      '查询无效：匿名操作只能是文档中唯一的操作',
    ],
    [
      '{ record(input: { name: "a", severity: "MINOR" }) }',
      undefined,
      'graphql.wrongType',
      { type: 'Severity' },
      '查询无效：值的类型不对，应为 Severity',
    ],
    [RECORD, { i: { name: null } }, 'graphql.nullValue', { type: 'String!' }, '查询无效：值不能为 null（String!）'],
    [
      '{ record(input: { name: null }) }',
      undefined,
      'graphql.nullValue',
      { type: 'String!' },
      '查询无效：值不能为 null（String!）',
    ],
    ['{ finding(id: "1") ', undefined, 'graphql.syntax', {}, '查询语法错误：Syntax Error: Expected Name, found <EOF>.'],
  ] as const)('%s', async (source, variables, messageKey, facts, zh) => {
    const message = await refusal(source, variables as Record<string, unknown> | undefined);
    const known = refusalFacts(message);
    expect(known).toEqual({ messageKey, params: facts });
    expect(render('zh-CN', messageKey, { detail: message, ...known!.params })).toBe(zh);
  });

  it('leaves a sentence it does not know to the caller, and takes no suggestion into the facts', async () => {
    expect(refusalFacts(await refusal('{ a: finding(id: "1") a: record }'))).toBeUndefined();
    const suggested = await refusal('{ findin(id: "1") }');
    expect(suggested).toMatch(/Did you mean/);
    expect(refusalFacts(suggested)!.params).toEqual({ field: 'findin', type: 'Query' });
  });
});

describe('the literal argument a refusal points at', () => {
  const nested = buildSchema(`
    input Item { code: String!, count: Int }
    input Batch { uscc: String!, items: [Item!] }
    type Query { grant(input: Batch!, first: Int): String, other: String }
  `);
  /** graphql-js's first refusal of `source`, and the field read from where it points. */
  function fieldOf(source: string) {
    const document = parse(source);
    const [error] = validate(nested, document);
    return literalField(document, source, error!.locations![0]!, refusalFacts(error!.message)?.params.inputField);
  }

  it.each([
    ['{ grant(input: { uscc: 5 }) }', 'uscc'],
    ['{ grant(input: { uscc: "x", items: [{ code: "a" }, { code: "b", count: "many" }] }) }', 'items.1.count'],
    ['{ grant(input: { uscc: "x", items: [{ count: 1 }] }) }', 'items.0.code'],
    ['{ grant(input: { uscc: "x", bogus: 1 }) }', 'bogus'],
    ['{ grant(input: { uscc: null }) }', 'uscc'],
    ['{ grant(input: 3) }', 'input'],
    ['{ grant(input: { uscc: "x" }, first: 1.5) }', 'first'],
    ['{ grant(input: { uscc: "x" }, last: 1) }', 'last'],
    // Lines end as graphql-js's lexer says (\r\n, \r or \n): the place is found on any of them.
    ['query {\r\n  other\r  grant(input: {\n    uscc: 5 }) }', 'uscc'],
  ])('%s names %s', (source, field) => {
    expect(fieldOf(source)).toBe(field);
  });

  it('names nothing where the place is not an argument, or the document does not parse', () => {
    expect(fieldOf('{ grant(input: { uscc: "x" }) { nope } }')).toBeUndefined();
    expect(parseQuietly('{ grant(')).toBeUndefined();
  });
});

describe('where a refused variable goes', () => {
  it.each([
    ['mutation ($i: Batch!) { grant(input: $i) }', ['i', 'items', '0'], 'code', 'items.0.code'],
    ['mutation ($i: Batch!) { grant(input: $i) }', ['i', 'uscc'], undefined, 'uscc'],
    ['query ($n: Int) { grant(input: { uscc: "x" }, first: $n) }', ['n'], undefined, 'first'],
    ['query ($u: String!) { grant(input: { uscc: $u }) }', ['u'], undefined, 'uscc'],
    ['query ($l: [Item!]) { grant(input: { uscc: "x", items: $l }) }', ['l', '2', 'count'], undefined, 'items.2.count'],
    // A field itself called input, inside the argument input, is named once left out, not twice.
    ['query ($v: String) { nest(input: { input: $v }) }', ['v'], undefined, 'input'],
  ])('%s, %j → %s', (source, path, missing, field) => {
    expect(variableUse(parse(source), path, missing)).toBe(field);
  });

  it('names nothing for a variable no argument takes', () => {
    expect(variableUse(parse('query ($x: Int) { other }'), ['x'])).toBeUndefined();
  });
});
