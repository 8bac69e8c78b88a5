import { isUuid } from '@onecheck/kit';

/**
 * The batch shape DataLoader wants: one query for all the ids, answers in the order asked, null
 * where there is no row. Ids are uuids: anything else names nothing and never reaches the query.
 */
export async function rowsByIds<R extends { id: string }>(
  ids: readonly string[],
  query: (valid: string[]) => Promise<R[]>,
): Promise<(R | null)[]> {
  const valid = ids.filter(isUuid);
  const rows = valid.length ? await query(valid) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}
