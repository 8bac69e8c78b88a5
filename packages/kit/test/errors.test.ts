/**
 * Errors as facts (code, field, messageKey, params) rendered from the one catalogue: zod's issues
 * by their codes, our own checks by the catalogue key they name, zh-CN by default, English on request.
 */
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  badInput,
  conflict,
  formatError,
  forbidden,
  issueMessage,
  localisedErrors,
  notFound,
  parseInput,
  renderError,
  unauthenticated,
  variableField,
} from '../src/errors';
import { referenceField, textField } from '../src/fields';

/** The facts machines read from what a call threw. */
function refusal(call: () => unknown) {
  try {
    call();
  } catch (err) {
    expect(err).toBeInstanceOf(GraphQLError);
    const { code, field, messageKey, params } = (err as GraphQLError).extensions;
    return { code, field, messageKey, params, message: (err as GraphQLError).message };
  }
  throw new Error('expected a refusal');
}

/** The first issue zod raises for `input`, with the input reported as parseInput asks for it. */
function firstIssue(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) throw new Error('expected an issue');
  return result.error.issues[0]!;
}

describe('issueMessage: each zod issue kind → catalogue key and params', () => {
  it.each([
    ['a missing value', z.string(), undefined, 'input.required', {}],
    ['a null value', z.string(), null, 'input.required', {}],
    ['a value of the wrong type', z.number(), 'x', 'input.invalidType', { expected: 'number' }],
    ['an empty string (min 1)', z.string().min(1), '', 'input.empty', {}],
    ['a string too short', z.string().min(3), 'ab', 'input.tooShort', { minimum: 3 }],
    ['a string too long', z.string().max(5), 'abcdef', 'input.tooLong', { maximum: 5 }],
    ['a number too small', z.number().min(3), 1, 'input.tooSmall', { minimum: 3 }],
    ['a number too big', z.number().max(3), 5, 'input.tooBig', { maximum: 3 }],
    ['too few array items', z.array(z.number()).min(2), [1], 'input.tooFewItems', { minimum: 2 }],
    ['too many array items', z.array(z.number()).max(1), [1, 2], 'input.tooManyItems', { maximum: 1 }],
    ['too few set items', z.set(z.number()).min(2), new Set([1]), 'input.tooFewItems', { minimum: 2 }],
    ['a date that does not exist', z.iso.date(), '2026-02-30', 'input.invalidDate', {}],
    ['another format', z.email(), 'nobody', 'input.invalidFormat', { format: 'email' }],
    ['a value not in the enum', z.enum(['A', 'B']), 'C', 'input.notOneOf', { values: ['A', 'B'] }],
    ['a literal of another value', z.literal(7), 8, 'input.notOneOf', { values: ['7'] }],
    [
      'unknown keys',
      z.strictObject({ a: z.string() }),
      { a: 'x', b: 1, c: 2 },
      'input.unknownKeys',
      { keys: ['b', 'c'] },
    ],
    ['an issue kind without an entry of its own', z.number().multipleOf(2), 3, 'input.invalid', {}],
  ] as const)('%s', (_, schema, input, key, params) => {
    expect(issueMessage(firstIssue(schema, input))).toEqual({ key, params });
  });

  it('takes a custom issue that names a catalogue key as that key, with its params', () => {
    const schema = z.string().superRefine((value, ctx) => {
      ctx.addIssue({ code: 'custom', message: 'department.unknown', params: { department: value } });
    });
    expect(issueMessage(firstIssue(schema, 'NOPE'))).toEqual({
      key: 'department.unknown',
      params: { department: 'NOPE' },
    });
  });

  it('takes a catalogue key without params as the key with no params', () => {
    const schema = z.string().refine(() => false, { message: 'input.nothingToChange' });
    expect(issueMessage(firstIssue(schema, 'x'))).toEqual({ key: 'input.nothingToChange', params: {} });
  });

  it('does not pass free English prose on as a key', () => {
    const schema = z.string().refine(() => false, { message: 'this is not a catalogue key' });
    expect(issueMessage(firstIssue(schema, 'x'))).toEqual({ key: 'input.invalid', params: {} });
  });
});

describe('parseInput', () => {
  const input = z.strictObject({
    name: z.string().trim().min(1),
    period: z.object({ from: z.iso.date() }),
    items: z.array(z.object({ code: z.string().max(4) })),
  });
  const good = { name: ' 甲 ', period: { from: '2026-02-10' }, items: [{ code: 'A1' }] };

  it('returns the parsed value (transforms applied) when the input is good', () => {
    expect(parseInput(input, good)).toEqual({ ...good, name: '甲' });
  });

  it.each([
    ['a top-level field', { ...good, name: '  ' }, 'name', 'input.empty', {}],
    [
      'a nested field by its dotted path',
      { ...good, period: { from: '2026-13-01' } },
      'period.from',
      'input.invalidDate',
      {},
    ],
    [
      'an item of a list by its index',
      { ...good, items: [{ code: 'A' }, { code: 'ABCDE' }] },
      'items.1.code',
      'input.tooLong',
      { maximum: 4 },
    ],
    ['a missing field', { name: '甲', items: [] }, 'period', 'input.required', {}],
    [
      'the input itself when no field is to blame',
      { ...good, extra: 1 },
      'input',
      'input.unknownKeys',
      { keys: ['extra'] },
    ],
  ] as const)('names %s', (_, value, field, messageKey, params) => {
    expect(refusal(() => parseInput(input, value))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field,
      messageKey,
      params,
    });
  });

  it('says it in Chinese, naming the field', () => {
    expect(refusal(() => parseInput(input, { ...good, items: [{ code: 'ABCDE' }] })).message).toBe(
      'items.0.code：最多 4 个字符',
    );
  });
});

describe('error helpers carry the machine facts and a zh-CN message', () => {
  it.each([
    [
      'badInput',
      () => badInput('validUntil', 'input.notAfterToday', { today: '2026-02-10' }),
      {
        code: 'BAD_USER_INPUT',
        field: 'validUntil',
        messageKey: 'input.notAfterToday',
        params: { today: '2026-02-10' },
        message: 'validUntil：不得晚于今天（2026-02-10）',
      },
    ],
    [
      'notFound',
      () => notFound('licence', 'L-1'),
      {
        code: 'NOT_FOUND',
        field: undefined,
        messageKey: 'notFound.entity',
        params: { kind: 'licence', id: 'L-1' },
        message: '未找到许可 L-1',
      },
    ],
    [
      'conflict',
      () => conflict('business.alreadyRegistered', { uscc: '91350200776049653A' }),
      {
        code: 'CONFLICT',
        field: undefined,
        messageKey: 'business.alreadyRegistered',
        params: { uscc: '91350200776049653A' },
        message: '统一社会信用代码为 91350200776049653A 的经营主体已登记',
      },
    ],
    [
      'forbidden',
      () => forbidden('auth.roleForbidden', { role: 'public', action: 'claimTasks' }),
      {
        code: 'FORBIDDEN',
        field: undefined,
        messageKey: 'auth.roleForbidden',
        params: { role: 'public', action: 'claimTasks' },
        message: '公众无权认领任务',
      },
    ],
    [
      'unauthenticated',
      () => unauthenticated(),
      {
        code: 'UNAUTHENTICATED',
        field: undefined,
        messageKey: 'auth.signInRequired',
        params: {},
        message: '请先登录：此操作需要令牌',
      },
    ],
  ] as const)('%s', (_, make, expected) => {
    expect(
      refusal(() => {
        throw make();
      }),
    ).toEqual(expected);
  });

  it('leaves field out of the extensions of errors that are not about a field', () => {
    expect(Object.keys(notFound('business', 'x').extensions)).toEqual(['code', 'messageKey', 'params']);
  });
});

describe('renderError', () => {
  it('renders the same facts in English, field first', () => {
    const { extensions } = badInput('uscc', 'uscc.invalid', { reason: 'CHECK' });
    expect(renderError('en', extensions)).toBe(
      'uscc: not a valid unified social credit code: check character (position 18) is wrong',
    );
    expect(renderError('zh-CN', extensions)).toBe('uscc：不是有效的统一社会信用代码：第 18 位校验码不正确');
  });

  it('renders an error about no field without a field prefix', () => {
    expect(renderError('en', notFound('supervisionTask', 't9').extensions)).toBe('supervision task t9 not found');
  });

  it('renders nothing for an error without a catalogue key (or with a key not in it)', () => {
    expect(renderError('en', { code: 'INTERNAL_SERVER_ERROR' })).toBeUndefined();
    expect(renderError('en', { code: 'BAD_USER_INPUT', messageKey: 'no.such.key', field: 'x' })).toBeUndefined();
  });
});

describe('formatError', () => {
  const internal = { message: 'relation "licence" does not exist', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  const bare = { message: 'TypeError: x is undefined' };
  const ours = { message: 'x：必填', path: ['a'], extensions: { code: 'BAD_USER_INPUT', field: 'x' } };
  const masked = {
    message: 'internal error',
    extensions: { code: 'INTERNAL_SERVER_ERROR', messageKey: 'error.internal' },
  };

  it('masks internal errors and errors without a code in production', () => {
    expect(formatError(true)(internal)).toEqual(masked);
    expect(formatError(true)(bare)).toEqual(masked);
  });

  it('passes our own errors through in production', () => {
    expect(formatError(true)(ours)).toBe(ours);
  });

  it('shows everything outside production', () => {
    expect(formatError(false)(internal)).toBe(internal);
    expect(formatError(false)(bare)).toBe(bare);
  });
});

describe('localisedErrors', () => {
  /** Runs the plugin over one response as Apollo would, with the request's headers. */
  async function respond(headers: Record<string, string>, errors: object[]) {
    const plugin = localisedErrors((h: { get(name: string): string | undefined }) =>
      h.get('x-onecheck-locale') === 'en' ? 'en' : 'zh-CN',
    );
    const body = { kind: 'single', singleResult: { errors } };
    const hooks = await plugin.requestDidStart!({
      request: { http: { headers: new Map(Object.entries(headers)) } },
    } as never);
    await hooks!.willSendResponse!({ response: { body } } as never);
    return body.singleResult.errors;
  }

  it('renders every error with a catalogue key in the request’s language and keeps the rest', async () => {
    const facts = { code: 'NOT_FOUND', messageKey: 'notFound.entity', params: { kind: 'inspector', id: 'i1' } };
    const errors = await respond({ 'x-onecheck-locale': 'en' }, [
      { message: '未找到执法检查人员 i1', extensions: facts },
      { message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
    expect(errors).toEqual([
      { message: 'inspector i1 not found', extensions: facts },
      { message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
  });
});

describe('messages name departments and roles as people call them', () => {
  it('renders a department code as its name, and a party as its department or role', () => {
    const zh = renderError('zh-CN', {
      messageKey: 'auth.departmentForbidden',
      params: { department: 'FIRE', target: 'HEALTH', action: 'publishItems' },
    });
    expect(zh).toBe('消防救援大队的工作人员无权为卫生健康局发布监管事项');
    expect(
      renderError('en', {
        messageKey: 'auth.departmentForbidden',
        params: { department: 'FIRE', target: 'HEALTH', action: 'publishItems' },
      }),
    ).toBe('Fire and rescue staff may not publish supervision items for Health');
    expect(
      renderError('zh-CN', { messageKey: 'auth.tasksForbidden', params: { who: 'auditor', department: 'HEALTH' } }),
    ).toBe('纪检监察人员无权查看卫生健康局的任务');
    expect(
      renderError('zh-CN', { messageKey: 'auth.tasksForbidden', params: { who: 'FIRE', department: 'HEALTH' } }),
    ).toBe('消防救援大队无权查看卫生健康局的任务');
    // A code no one configured shows as itself, never as nothing.
    expect(
      renderError('zh-CN', { messageKey: 'auth.tasksForbidden', params: { who: 'x', department: 'NOWHERE' } }),
    ).toBe('x无权查看NOWHERE的任务');
  });
});

describe('variableField', () => {
  it.each([
    [
      'Variable "$i" got invalid value "NOPE" at "i.outcome"; Value "NOPE" does not exist in "CheckOutcome" enum.',
      'i.outcome',
    ],
    [
      'Variable "$i" got invalid value "x" at "i.items[0].categories[1]"; Value "x" does not exist …',
      'i.items.0.categories.1',
    ],
    ['Variable "$n" got invalid value "5"; Int cannot represent non-integer value: "5"', 'n'],
    ['Variable "$input" of required type "GrantLicenceInput!" was not provided.', 'input'],
    ['Cannot query field "nope" on type "Query".', undefined],
  ])('names the variable of %j', (message, field) => {
    expect(variableField(message)).toBe(field);
  });
});

describe('text fields and references', () => {
  it('says what type a value should have been in words, not zod’s names', () => {
    const r = refusal(() => parseInput(z.object({ validFrom: z.string() }), { validFrom: true }));
    expect(r).toMatchObject({
      field: 'validFrom',
      messageKey: 'input.invalidType',
      message: 'validFrom：类型应为文本',
    });
    expect(renderError('en', r)).toBe('validFrom: must be text');
  });

  it.each([
    ['a zero-width joiner', '\u200d'],
    ['a soft hyphen between spaces', ' \u00ad '],
    ['a Mongolian vowel separator and a variation selector', '\u180e\ufe0f'],
    ['the blank braille pattern', '\u2800\u2800'],
    ['the object-replacement character', '\ufffc'],
  ])('take no text of nothing a reader sees (%s) as given', (_, text) => {
    expect(refusal(() => parseInput(z.object({ reason: textField(100) }), { reason: text }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'reason',
      messageKey: 'input.empty',
    });
  });

  it('keep joiners inside visible text (emoji), but not inside a reference people type again', () => {
    expect(parseInput(textField(100), '家庭 👨\u200d👩\u200d👧')).toBe('家庭 👨\u200d👩\u200d👧');
    expect(parseInput(referenceField(100), ' 会信惩〔2026〕3号 ')).toBe('会信惩〔2026〕3号');
    expect(
      refusal(() =>
        parseInput(z.object({ documentNumber: referenceField(100) }), { documentNumber: '会信惩〔2026〕3\u200d号' }),
      ),
    ).toMatchObject({
      field: 'documentNumber',
      messageKey: 'input.badCharacter',
      params: { problem: 'INVISIBLE', position: 11, codePoint: 'U+200D' },
    });
    // Kept in compatibility form: what looks like one number is one (a no-break or figure space, full-width digits).
    for (const typed of ['NB8 1', 'NB8\u00a01', 'NB8\u20071', 'NB８ １'])
      expect(parseInput(referenceField(100), typed)).toBe('NB8 1');
    expect(refusal(() => parseInput(referenceField(100), 'NB\ue0001'))).toMatchObject({
      messageKey: 'input.badCharacter',
      params: { position: 3, codePoint: 'U+E000' },
    });
    // Counted in the text as sent, leading spaces included.
    expect(refusal(() => parseInput(referenceField(100), '  AB\u200dC'))).toMatchObject({
      params: { position: 5, codePoint: 'U+200D' },
    });
  });
});
