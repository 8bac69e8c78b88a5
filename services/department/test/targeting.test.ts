/** Which department a root field is about: kit's rule (shared with the gateway) plus the instance's own check. */
import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Identity } from '@onecheck/auth';
import { targetDepartment } from '@onecheck/kit';
import { servedDepartment } from '../src/policy';

const healthStaff: Identity = { sub: 's1', role: 'staff', department: 'HEALTH' };
const office: Identity = { sub: 'o1', role: 'office' };

/** What a call threw, as the facts machines read. */
function refusal(call: () => unknown) {
  try {
    call();
  } catch (err) {
    const { code, field, messageKey, params } = (err as GraphQLError).extensions;
    return { code, field, messageKey, params };
  }
  throw new Error('expected a refusal');
}

describe('targetDepartment (kit; the gateway routes by it)', () => {
  it.each([
    ['the argument, over the caller’s own', 'FIRE', healthStaff, 'FIRE'],
    ['the caller’s own, without an argument', undefined, healthStaff, 'HEALTH'],
    ['the caller’s own, with a null argument', null, healthStaff, 'HEALTH'],
    ['the argument, for a caller of no department', 'HEALTH', office, 'HEALTH'],
  ] as const)('takes %s', (_, argument, identity, expected) => {
    expect(targetDepartment(argument, identity)).toBe(expected);
  });

  it.each([
    ['no argument and a caller of no department', undefined, office, 'department.required', {}],
    ['a code not configured', 'NOPE', healthStaff, 'department.unknown', { department: 'NOPE' }],
  ] as const)('refuses %s', (_, argument, identity, messageKey, params) => {
    expect(refusal(() => targetDepartment(argument, identity))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'department',
      messageKey,
      params,
    });
  });
});

describe('servedDepartment (the instance serving HEALTH)', () => {
  it.each([
    ['its own, named', 'HEALTH', office],
    ['its own, as the caller’s', undefined, healthStaff],
  ] as const)('answers for %s', (_, argument, identity) => {
    expect(servedDepartment(identity, argument, 'HEALTH')).toBe('HEALTH');
  });

  it.each([
    [
      'another department (misrouted)',
      'FIRE',
      healthStaff,
      'department.wrongInstance',
      { serves: 'HEALTH', target: 'FIRE' },
    ],
    ['none at all', undefined, office, 'department.required', {}],
    ['an unknown one', 'NOPE', office, 'department.unknown', { department: 'NOPE' }],
  ] as const)('refuses %s', (_, argument, identity, messageKey, params) => {
    expect(refusal(() => servedDepartment(identity, argument, 'HEALTH'))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'department',
      messageKey,
      params,
    });
  });
});
