import { badInput } from './errors';

/**
 * Relay cursor connections with keyset pagination: the cursor is the sort key of the last row,
 * so pages stay stable while rows are added (no OFFSET drift).
 */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
}

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

/**
 * Where a page ends, in one list: the list's name and the sort key of the last row it showed. A
 * cursor names its list, so one list's cursor given to another is refused (page.badCursor) rather
 * than read as a key of the wrong kind (an empty page, or rows from nowhere).
 */
export interface Page {
  list: string;
  limit: number;
  after?: string;
}

export function encodeCursor(list: string, key: string): string {
  return Buffer.from(`${list}:${key}`, 'utf8').toString('base64url');
}

/** The page asked of `list` (a name unique among the lists: no `:` in it). */
export function pageArgs(args: ConnectionArgs, list: string): Page {
  const first = args.first ?? DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw badInput('first', 'page.firstRange', { maximum: MAX_PAGE });
  }
  if (args.after == null) return { list, limit: first };
  const decoded = Buffer.from(args.after, 'base64url').toString('utf8');
  const prefix = `${list}:`;
  const after = decoded.slice(prefix.length);
  if (!decoded.startsWith(prefix) || !after || encodeCursor(list, after) !== args.after) {
    throw badInput('after', 'page.badCursor');
  }
  return { list, limit: first, after };
}

export interface Connection<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/** Builds the connection from `limit + 1` fetched rows (the extra row only says there is a next page). */
export function toConnection<T>(rows: T[], page: Page, keyOf: (row: T) => string, totalCount: number): Connection<T> {
  const shown = rows.slice(0, page.limit);
  const edges = shown.map((node) => ({ node, cursor: encodeCursor(page.list, keyOf(node)) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > page.limit,
      hasPreviousPage: page.after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}

/** SDL shared by every subgraph that returns connections (PageInfo is @shareable across subgraphs). */
export const PAGE_INFO_SDL = /* GraphQL */ `
  "Relay page information."
  type PageInfo @shareable {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }
`;
