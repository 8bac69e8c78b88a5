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
    expect(pageArgs({})).toEqual({ limit: DEFAULT_PAGE });
    expect(pageArgs({ first: null, after: null })).toEqual({ limit: DEFAULT_PAGE });
  });

  it.each([1, MAX_PAGE])('accepts first = %i', (first) => {
    expect(pageArgs({ first })).toEqual({ limit: first });
  });

  it.each([0, -1, MAX_PAGE + 1, 2.5])('refuses first = %d', (first) => {
    expect(refusal(() => pageArgs({ first }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'first',
      messageKey: 'page.firstRange',
      params: { maximum: MAX_PAGE },
    });
  });

  it('reads back the key a cursor was made from', () => {
    const key = '2026-02-10T09:00:00.000Z|许可-0001';
    expect(pageArgs({ first: 5, after: encodeCursor(key) })).toEqual({ limit: 5, after: key });
  });

  it.each([
    ['an empty cursor', ''],
    ['text that is not base64url', '!!!'],
    ['standard base64 with padding', Buffer.from('ab', 'utf8').toString('base64')],
  ])('refuses %s', (_, after) => {
    expect(refusal(() => pageArgs({ after }))).toEqual({
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
    const page = toConnection(rows, 2, keyOf, 7);
    expect(page.edges.map((e) => e.node.id)).toEqual(['a', 'b']);
    expect(page.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: encodeCursor('a'),
      endCursor: encodeCursor('b'),
    });
    expect(page.totalCount).toBe(7);
  });

  it('says there is no next page on the last page, and a previous one after a cursor', () => {
    const page = toConnection(rows, 3, keyOf, 3, 'z');
    expect(page.edges).toHaveLength(3);
    expect(page.pageInfo.hasNextPage).toBe(false);
    expect(page.pageInfo.hasPreviousPage).toBe(true);
  });

  it('has null cursors on an empty page', () => {
    expect(toConnection([], 5, keyOf, 0).pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
  });

  it('hands out cursors the next request reads back as the last key (round trip)', () => {
    const { endCursor } = toConnection(rows, 2, keyOf, 3).pageInfo;
    expect(pageArgs({ first: 2, after: endCursor })).toEqual({ limit: 2, after: 'b' });
  });
});
