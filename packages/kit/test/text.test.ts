/** The one input-text rule (text.ts): which characters are refused, where, and how the refusal reads. */
import { buildSchema, graphql, type GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { guardTextInputs, MULTILINE_SDL, requireCleanText, textProblem } from '../src/index';

function refusal(call: () => unknown) {
  try {
    call();
  } catch (err) {
    const { code, field, messageKey, params } = (err as GraphQLError).extensions;
    return { code, field, messageKey, params, message: (err as GraphQLError).message };
  }
  throw new Error('expected a refusal');
}

describe('textProblem', () => {
  it.each([
    ['a\u0000b', 'NUL', 'U+0000'],
    ['a\u0007b', 'CONTROL', 'U+0007'],
    ['a\rb', 'CONTROL', 'U+000D'],
    ['a\u007fb', 'CONTROL', 'U+007F'],
    ['a\u0085b', 'CONTROL', 'U+0085'],
    ['a\u202Eb', 'BIDI', 'U+202E'],
    ['a\u2066b', 'BIDI', 'U+2066'],
    ['a\u200Fb', 'BIDI', 'U+200F'],
    ['a\uD800b', 'SURROGATE', 'U+D800'],
    ['a\u2028b', 'LINE_BREAK', 'U+2028'],
    ['a\u2029b', 'LINE_BREAK', 'U+2029'],
    ['a\u200Bb', 'INVISIBLE', 'U+200B'],
    ['a\u2060b', 'INVISIBLE', 'U+2060'],
    ['a\uFEFFb', 'INVISIBLE', 'U+FEFF'],
    ['a\u{E0041}b', 'INVISIBLE', 'U+E0041'],
    ['a\uFFFFb', 'INVISIBLE', 'U+FFFF'],
  ])('refuses %j as %s even in multi-line text', (text, problem, codePoint) => {
    expect(textProblem(text, true)).toEqual({ problem, position: 2, codePoint });
  });

  it('allows line feed and tab in multi-line text only', () => {
    expect(textProblem('第一行\n\t第二行', true)).toBeUndefined();
    expect(textProblem('第一行\n第二行', false)).toEqual({ problem: 'LINE_BREAK', position: 4, codePoint: 'U+000A' });
    expect(textProblem('a\tb', false)?.problem).toBe('LINE_BREAK');
  });

  it('accepts Chinese, emoji (a surrogate pair) and ordinary punctuation', () => {
    expect(textProblem('会宁县会师镇（东街）12号 😀 “引号”', false)).toBeUndefined();
    // A variation selector writes a rare character of a name (ideographic variation sequence): allowed.
    expect(textProblem('葛\u{E0100}', false)).toBeUndefined();
    expect(textProblem('❤\uFE0F', false)).toBeUndefined();
    // An emoji sequence is joined by U+200D: allowed.
    expect(textProblem('👨\u200D👩\u200D👧', false)).toBeUndefined();
  });

  it('counts positions in characters, not UTF-16 units', () => {
    expect(textProblem('😀\u0000', false)?.position).toBe(2);
  });
});

describe('requireCleanText', () => {
  it('refuses with BAD_USER_INPUT naming the field, in words from the zh-CN catalogue', () => {
    expect(refusal(() => requireCleanText('name', '张\u0000三'))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'name',
      messageKey: 'input.badCharacter',
      params: { problem: 'NUL', position: 2, codePoint: 'U+0000' },
      message: 'name：第 2 个字符（U+0000）不允许：空字符（NUL）',
    });
  });
});

describe('guardTextInputs', () => {
  const schema = guardTextInputs(
    buildSchema(/* GraphQL */ `
      ${MULTILINE_SDL}
      input Note {
        title: String!
        body: String @multiline
        tags: [String!]
      }
      type Query {
        echo(id: ID, input: Note, reason: String @multiline, nested: [Note!]): String
      }
    `),
  );
  const stored: unknown[] = [];
  const rootValue = { echo: (args: unknown) => (stored.push(args), 'ok') };
  const run = async (source: string, variableValues?: Record<string, unknown>) => {
    const result = await graphql({ schema, source, rootValue, variableValues });
    return result.errors?.[0]?.extensions ?? result.data;
  };

  it('checks every text argument at any depth, naming its path, before the resolver runs', async () => {
    const before = stored.length;
    expect(
      await run('query ($v: Note) { echo(input: $v) }', { v: { title: 'x', tags: ['a', 'b\u202E'] } }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'tags.1' });
    expect(
      await run('query ($n: [Note!]) { echo(nested: $n) }', { n: [{ title: 'ok' }, { title: 'a\nb' }] }),
    ).toMatchObject({
      field: 'nested.1.title',
      params: { problem: 'LINE_BREAK' },
    });
    expect(await run('{ echo(id: "1\\u0000") }')).toMatchObject({ field: 'id', params: { problem: 'NUL' } });
    expect(stored.length).toBe(before);
  });

  it('lets line feed and tab through where the SDL marks the field @multiline', async () => {
    expect(
      await run('query ($v: Note) { echo(input: $v, reason: "a\\nb") }', { v: { title: 'x', body: 'one\n\ttwo' } }),
    ).toEqual({
      echo: 'ok',
    });
  });
});
