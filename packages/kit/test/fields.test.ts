/** Input fields and date checks every service applies alike. */
import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  departmentField,
  distinctList,
  parseInput,
  requireNotAfterToday,
  requireNotBefore,
  usccField,
} from '../src/index';

/** The facts machines read from what a call threw. */
function refusal(call: () => unknown) {
  try {
    call();
  } catch (err) {
    const { code, field, messageKey, params } = (err as GraphQLError).extensions;
    return { code, field, messageKey, params, message: (err as GraphQLError).message };
  }
  throw new Error('expected a refusal');
}

describe('requireNotAfterToday', () => {
  it.each(['2026-02-09', '2026-02-10'])('accepts %s on 2026-02-10', (date) => {
    expect(() => requireNotAfterToday('decidedOn', date, '2026-02-10')).not.toThrow();
  });

  it('refuses tomorrow, naming the field and today', () => {
    expect(refusal(() => requireNotAfterToday('decidedOn', '2026-02-11', '2026-02-10'))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'decidedOn',
      messageKey: 'input.notAfterToday',
      params: { today: '2026-02-10' },
      message: 'decidedOn：不得晚于今天（2026-02-10）',
    });
  });
});

describe('requireNotBefore', () => {
  it.each(['2026-02-03', '2026-02-04'])('accepts %s after a claim on 2026-02-03', (date) => {
    expect(() => requireNotBefore('checkedOn', date, '2026-02-03', 'claim')).not.toThrow();
  });

  it('refuses a day before the act it depends on, naming what and when', () => {
    expect(refusal(() => requireNotBefore('claimedOn', '2026-02-02', '2026-02-03', 'push'))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'claimedOn',
      messageKey: 'input.notBefore',
      params: { what: 'push', date: '2026-02-03' },
      message: 'claimedOn：不得早于任务推送日（2026-02-03）',
    });
  });
});

describe('usccField', () => {
  it('normalises a valid code (trimmed, upper case)', () => {
    expect(parseInput(usccField, ' 91350200776049653a ')).toBe('91350200776049653A');
  });

  it.each([
    ['', 'EMPTY'],
    ['9135020077604965', 'LENGTH'],
    ['91350200776049653B', 'CHECK'],
  ])('refuses %j for %s', (code, reason) => {
    expect(refusal(() => parseInput(usccField, code))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input',
      messageKey: 'uscc.invalid',
      params: { reason },
    });
  });

  it('names the field it sits in and says why in Chinese', () => {
    const { message, field } = refusal(() => parseInput(z.object({ uscc: usccField }), { uscc: '91350200776049653B' }));
    expect(field).toBe('uscc');
    expect(message).toBe('uscc：不是有效的统一社会信用代码：第 18 位校验码不正确');
  });
});

describe('departmentField', () => {
  it('accepts a configured department', () => {
    expect(parseInput(departmentField, 'HEALTH')).toBe('HEALTH');
  });

  it.each(['NOPE', 'health'])('refuses %s, naming it', (code) => {
    expect(refusal(() => parseInput(departmentField, code))).toMatchObject({
      code: 'BAD_USER_INPUT',
      messageKey: 'department.unknown',
      params: { department: code },
    });
  });
});

describe('distinctList', () => {
  const codes = z.object({ codes: distinctList(z.string().trim().min(1), 3) });

  it('takes a list of distinct entries, normalised', () => {
    expect(parseInput(codes, { codes: [' a', 'b'] })).toEqual({ codes: ['a', 'b'] });
  });

  it('names a repeat by its index, after normalising, in the catalogue’s words', () => {
    expect(refusal(() => parseInput(codes, { codes: ['a', 'b', 'a '] }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'codes.2',
      messageKey: 'input.listedTwice',
      params: { value: 'a' },
      message: 'codes.2：“a”重复列出',
    });
  });

  it('keeps its bound', () => {
    expect(refusal(() => parseInput(codes, { codes: ['a', 'b', 'c', 'd'] })).messageKey).toBe('input.tooManyItems');
  });
});
