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

export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function pageArgs(args: ConnectionArgs): { limit: number; after?: string } {
  const first = args.first ?? DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw badInput('first', 'page.firstRange', { maximum: MAX_PAGE });
  }
  if (args.after == null) return { limit: first };
  const after = Buffer.from(args.after, 'base64url').toString('utf8');
  if (!after || encodeCursor(after) !== args.after) throw badInput('after', 'page.badCursor');
  return { limit: first, after };
}

export interface Connection<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/** Builds the connection from `limit + 1` fetched rows (the extra row only says there is a next page). */
export function toConnection<T>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => string,
  totalCount: number,
  after?: string,
): Connection<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(keyOf(node)) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: after !== undefined,
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
