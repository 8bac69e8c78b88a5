/** Relay connections with keyset cursors: page bounds, the cursor round trip, a foreign cursor refused. */
import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PAGE, MAX_PAGE, encodeCursor, pageArgs, toConnection } from '../src/connection';

/** The facts machines read from what a call threw. */
function refusal(call: () => unknown) {
  try {
    call();
  } catch (err) {
    const { code, field, messageKey, params } = (err as GraphQLError).extensions;
    return { code, field, messageKey, params };
  }
  throw new Error('expected a refusal');
}

describe('pageArgs', () => {
  it('takes the default page size when first is absent or null', () => {
    expect(pageArgs({}, 'tasks')).toEqual({ list: 'tasks', limit: DEFAULT_PAGE });
    expect(pageArgs({ first: null, after: null }, 'tasks')).toEqual({ list: 'tasks', limit: DEFAULT_PAGE });
  });

  it.each([1, MAX_PAGE])('accepts first = %i', (first) => {
    expect(pageArgs({ first }, 'tasks')).toEqual({ list: 'tasks', limit: first });
  });

  it.each([0, -1, MAX_PAGE + 1, 2.5])('refuses first = %d', (first) => {
    expect(refusal(() => pageArgs({ first }, 'tasks'))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'first',
      messageKey: 'page.firstRange',
      params: { maximum: MAX_PAGE },
    });
  });

  it('reads back the key a cursor was made from', () => {
    const key = '2026-02-10T09:00:00.000Z|许可-0001';
    expect(pageArgs({ first: 5, after: encodeCursor('licences', key) }, 'licences')).toEqual({
      list: 'licences',
      limit: 5,
      after: key,
    });
  });

  it("refuses another list's cursor, even one whose key would parse here", () => {
    const after = encodeCursor('enterprises', '91420626MA4KXXXX3F');
    expect(refusal(() => pageArgs({ after }, 'licences'))?.messageKey).toBe('page.badCursor');
    // A list whose name starts as another's does not take its cursors either.
    expect(refusal(() => pageArgs({ after: encodeCursor('visit', 'x') }, 'visitCodes'))?.messageKey).toBe(
      'page.badCursor',
    );
  });

  it.each([
    ['an empty cursor', ''],
    ['text that is not base64url', '!!!'],
    ['standard base64 with padding', Buffer.from('tasks:ab', 'utf8').toString('base64')],
    ['a key without its list', Buffer.from('ab', 'utf8').toString('base64url')],
    ['a list without a key', encodeCursor('tasks', '')],
  ])('refuses %s', (_, after) => {
    expect(refusal(() => pageArgs({ after }, 'tasks'))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'after',
      messageKey: 'page.badCursor',
      params: {},
    });
  });
});

describe('toConnection', () => {
  const rows = ['a', 'b', 'c'].map((id) => ({ id }));
  const keyOf = (row: { id: string }) => row.id;

  it('shows limit rows and says there is more when the extra row came back', () => {
    const page = toConnection(rows, { list: 'tasks', limit: 2 }, keyOf, 7);
    expect(page.edges.map((e) => e.node.id)).toEqual(['a', 'b']);
    expect(page.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: encodeCursor('tasks', 'a'),
      endCursor: encodeCursor('tasks', 'b'),
    });
    expect(page.totalCount).toBe(7);
  });

  it('says there is no next page on the last page, and a previous one after a cursor', () => {
    const page = toConnection(rows, { list: 'tasks', limit: 3, after: 'z' }, keyOf, 3);
    expect(page.edges).toHaveLength(3);
    expect(page.pageInfo.hasNextPage).toBe(false);
    expect(page.pageInfo.hasPreviousPage).toBe(true);
  });

  it('has null cursors on an empty page', () => {
    expect(toConnection([], { list: 'tasks', limit: 5 }, keyOf, 0).pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
  });

  it('hands out cursors the next request reads back as the last key (round trip)', () => {
    const { endCursor } = toConnection(rows, { list: 'tasks', limit: 2 }, keyOf, 3).pageInfo;
    expect(pageArgs({ first: 2, after: endCursor }, 'tasks')).toEqual({ list: 'tasks', limit: 2, after: 'b' });
  });
});
