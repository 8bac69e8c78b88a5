/**
 * People read Chinese; machines read codes (DESIGN.md §4). The same bad input answers in Chinese
 * by default and in English on Accept-Language: en, with the same code, field and facts — from a
 * subgraph's domain check, from zod, and from the gateway itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSystem } from '../scripts/system';
import { gql, roles, startTestSystem } from './helpers';

let sys: RunningSystem;
let office: string;

beforeAll(async () => {
  sys = await startTestSystem({ departments: ['HEALTH'] });
  office = await sys.token(roles.office);
});
afterAll(() => sys?.stop());

const ENTERPRISE = '{ enterprise(uscc: "91350200776049653B") { name } }';

describe('messages in the reader’s language', () => {
  it('a bad credit code: Chinese by default, English on request, same code and field', async () => {
    const zh = await gql(sys.gatewayUrl, ENTERPRISE, {}, office);
    const en = await gql(sys.gatewayUrl, ENTERPRISE, {}, office, { 'accept-language': 'en-GB,en;q=0.9' });
    const [zhError, enError] = [zh.errors?.[0], en.errors?.[0]];
    expect(zhError?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'uscc', messageKey: 'uscc.invalid' });
    const facts = ({ code, field, messageKey, params }: Record<string, unknown> = {}) => ({
      code,
      field,
      messageKey,
      params,
    });
    expect(facts(enError?.extensions)).toEqual(facts(zhError?.extensions));
    expect(zhError?.message).toBe('uscc：不是有效的统一社会信用代码：第 18 位校验码不正确');
    expect(enError?.message).toBe(
      'uscc: not a valid unified social credit code: check character (position 18) is wrong',
    );
  });

  it('a zod check (an empty name) renders from its issue code', async () => {
    const register = (headers: Record<string, string>) =>
      gql(
        sys.gatewayUrl,
        'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
        {
          input: {
            uscc: '91350200776049653A',
            name: '  ',
            legalRepresentative: '甲',
            industry: '61',
            region: '620422',
            address: '会宁县',
          },
        },
        office,
        headers,
      );
    const [zh, en] = await Promise.all([register({}), register({ 'accept-language': 'en' })]);
    expect(zh.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'name',
      messageKey: 'input.empty',
    });
    expect(zh.errors?.[0]?.message).toBe('name：不能为空');
    expect(en.errors?.[0]?.message).toBe('name: must not be empty');
  });

  it('graphql’s own refusals (an unknown field, a variable of the wrong type) are said in Chinese, from their facts', async () => {
    const unknownField = '{ enterprise(uscc: "91350200776049653B") { nmae } }';
    const wrongVariable = 'query ($u: String!) { enterprise(uscc: $u) { name } }';
    for (const [query, variables, code, field, messageKey, zhMessage, enMessage] of [
      [
        unknownField,
        {},
        'GRAPHQL_VALIDATION_FAILED',
        undefined,
        'graphql.unknownField',
        '查询无效：类型 Enterprise 没有字段 nmae',
        'type Enterprise has no field nmae',
      ],
      // A literal argument of the wrong type names its argument too, found where graphql-js points.
      [
        '{ enterprise(uscc: 91350200776049653) { name } }',
        {},
        'GRAPHQL_VALIDATION_FAILED',
        'uscc',
        'graphql.wrongType',
        'uscc：查询无效：值的类型不对，应为 String',
        'uscc: the value must be of type String',
      ],
      // A variable of the wrong type is bad input naming where it goes (uscc), framed like every field's refusal.
      [
        wrongVariable,
        { u: ['not', 'a', 'string'] },
        'BAD_USER_INPUT',
        'uscc',
        'graphql.wrongType',
        'uscc：查询无效：值的类型不对，应为 String',
        'uscc: the value must be of type String',
      ],
    ] as const) {
      const zh = await gql(sys.gatewayUrl, query, variables, office);
      const en = await gql(sys.gatewayUrl, query, variables, office, { 'accept-language': 'en' });
      const [zhError, enError] = [zh.errors?.[0], en.errors?.[0]];
      expect(zhError?.extensions).toMatchObject({ code, messageKey });
      expect(zhError?.extensions?.field).toBe(field);
      expect(zhError?.message).toBe(zhMessage);
      expect(enError?.message).toBe(enMessage);
      // graphql’s own sentence stays beside the facts, the same in both languages.
      expect((zhError?.extensions?.params as { detail: string }).detail).toMatch(
        /^(Cannot query field|Variable "\$u"|String cannot represent)/,
      );
      expect(enError?.extensions).toMatchObject({ code, params: zhError?.extensions?.params });
    }
  });

  it('a subscription is refused in Chinese with 400, not a fault', async () => {
    const r = await gql(sys.gatewayUrl, 'subscription { enterprises { totalCount } }', {}, office);
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      messageKey: 'graphql.subscriptionsNotSupported',
    });
    expect(r.errors?.[0]?.message).toContain('不提供订阅');
  });

  it('a refusal graphql-js words in a way the table does not know keeps its sentence as the detail', async () => {
    const r = await gql(
      sys.gatewayUrl,
      '{ a: enterprise(uscc: "91350200776049653B") { name } a: enterprises { totalCount } }',
      {},
      office,
    );
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      messageKey: 'graphql.invalid',
    });
    const detail = (r.errors?.[0]?.extensions?.params as { detail: string }).detail;
    expect(detail).toMatch(/^Fields "a" conflict/);
    expect(r.errors?.[0]?.message).toBe(`查询无效：${detail}`);
  });

  it('the gateway’s own refusal (a bad token) follows the same rule', async () => {
    const zh = await gql(sys.gatewayUrl, '{ __typename }', {}, 'not-a-token');
    const en = await gql(sys.gatewayUrl, '{ __typename }', {}, 'not-a-token', { 'accept-language': 'en' });
    expect(zh.errors?.[0]).toMatchObject({ message: '令牌无效或已过期', extensions: { code: 'UNAUTHENTICATED' } });
    expect(en.errors?.[0]).toMatchObject({ message: 'the token is not valid or has expired' });
  });
});
