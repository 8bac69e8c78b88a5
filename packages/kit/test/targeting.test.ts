import { GraphQLError } from 'graphql';
import { expect, it } from 'vitest';
import { targetDepartment } from '../src/targeting';

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return (err as GraphQLError).extensions;
  }
  throw new Error('not refused');
};

it('takes the argument, else the caller’s own department', () => {
  expect(targetDepartment('HEALTH', { department: 'FIRE' })).toBe('HEALTH');
  expect(targetDepartment(undefined, { department: 'FIRE' })).toBe('FIRE');
  expect(targetDepartment(null, { department: 'FIRE' })).toBe('FIRE');
});

it('refuses an empty department as unknown, not as "the caller belongs to none"', () => {
  expect(refusal(() => targetDepartment('', { department: 'FIRE' }))).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'department',
    messageKey: 'department.unknown',
  });
  expect(refusal(() => targetDepartment(undefined, {}))).toMatchObject({ messageKey: 'department.required' });
  expect(refusal(() => targetDepartment('health', { department: 'FIRE' }))).toMatchObject({
    messageKey: 'department.unknown',
  });
});
