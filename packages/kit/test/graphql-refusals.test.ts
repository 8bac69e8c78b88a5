/**
 * graphql-js's own refusals, produced by graphql-js itself (so a change of its wording fails
 * here), read into facts that the catalogue renders in Chinese; one the table does not know keeps
 * its sentence.
 */
import { buildSchema, graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import { render } from '@onecheck/i18n';
import { refusalFacts } from '../src/graphql-refusals';

const schema = buildSchema(`
  enum Severity { MINOR SERIOUS }
  input FindingInput { name: String! severity: Severity amount: Float }
  type Query { finding(id: ID!, first: Int): String, record(input: FindingInput): String }
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
      '缺少必填字段 name（String!）',
    ],
    [
      '{ record(input: { severity: MINOR }) }',
      undefined,
      'graphql.missingInputField',
      { inputField: 'name', type: 'String!' },
      '缺少必填字段 name（String!）',
    ],
    [
      RECORD,
      { i: { name: 'a', colour: 1 } },
      'graphql.unknownInputField',
      { inputField: 'colour', type: 'FindingInput' },
      'FindingInput 没有字段 colour',
    ],
    [
      RECORD,
      { i: { name: 'a', severity: 'CRITICAL' } },
      'graphql.unknownEnumValue',
      { value: 'CRITICAL', type: 'Severity' },
      '“CRITICAL”不是 Severity 的可选值',
    ],
    [RECORD, { i: { name: 'a', amount: 'abc' } }, 'graphql.wrongType', { type: 'Float' }, '值的类型不对，应为 Float'],
    [RECORD, { i: 'abc' }, 'graphql.wrongType', { type: 'FindingInput' }, '值的类型不对，应为 FindingInput'],
    ['{ finding(id: "1", first: "5") }', undefined, 'graphql.wrongType', { type: 'Int' }, '值的类型不对，应为 Int'],
    [
      '{ finding(id: "1") { x } }',
      undefined,
      'graphql.noSubfields',
      { field: 'finding', type: 'String' },
      '查询无效：字段 finding 的类型 String 没有子字段，不能再选择',
    ],
    ['{ finding(id: "1") ', undefined, 'graphql.syntax', {}, '查询语法错误：Syntax Error: Expected Name, found <EOF>.'],
  ] as const)('%s', async (source, variables, messageKey, facts, zh) => {
    const message = await refusal(source, variables as Record<string, unknown> | undefined);
    const known = refusalFacts(message);
    expect(known).toEqual({ messageKey, params: facts });
    expect(render('zh-CN', messageKey, { detail: message, ...known!.params })).toBe(zh);
  });

  it('leaves a sentence it does not know to the caller, and takes no suggestion into the facts', async () => {
    expect(refusalFacts(await refusal('{ finding(id: "1") } fragment F on Nothing { x }'))).toBeUndefined();
    const suggested = await refusal('{ findin(id: "1") }');
    expect(suggested).toMatch(/Did you mean/);
    expect(refusalFacts(suggested)!.params).toEqual({ field: 'findin', type: 'Query' });
  });
});
