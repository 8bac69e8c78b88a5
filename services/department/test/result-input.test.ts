/** A check's result: PROBLEMS_FOUND comes with findings, NO_PROBLEM without (task.resultFindings). */
import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { parseInput } from '@onecheck/kit';
import { resultInput } from '../src/domain/tasks';

const finding = { description: '消防通道堵塞', severity: 'GENERAL', handling: 'RECTIFICATION', dueOn: '2026-12-10' };

describe('the result input rule', () => {
  it.each([
    ['NO_PROBLEM without findings', 'NO_PROBLEM', undefined],
    ['NO_PROBLEM with an empty list', 'NO_PROBLEM', []],
    ['PROBLEMS_FOUND with one finding', 'PROBLEMS_FOUND', [finding]],
    ['PROBLEMS_FOUND with several', 'PROBLEMS_FOUND', [finding, { ...finding, severity: 'SERIOUS' }]],
  ])('accepts %s', (_, outcome, findings) => {
    expect(parseInput(resultInput, { outcome, summary: '检查完毕', findings }).outcome).toBe(outcome);
  });

  it.each([
    ['PROBLEMS_FOUND without findings', 'PROBLEMS_FOUND', undefined],
    ['PROBLEMS_FOUND with an empty list', 'PROBLEMS_FOUND', []],
    ['NO_PROBLEM with a finding', 'NO_PROBLEM', [finding]],
  ])('refuses %s, naming the findings field', (_, outcome, findings) => {
    let error: GraphQLError | undefined;
    try {
      parseInput(resultInput, { outcome, summary: '检查完毕', findings });
    } catch (err) {
      error = err as GraphQLError;
    }
    expect(error?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'findings',
      messageKey: 'task.resultFindings',
    });
  });
});
