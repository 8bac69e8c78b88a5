import { z } from 'zod';
import { asc, count, gt } from 'drizzle-orm';
import {
  isUuid,
  badInput,
  conflict,
  pageArgs,
  parseInput,
  toConnection,
  type ConnectionArgs,
  type Db,
} from '@onecheck/kit';
import { inspectors } from '../db/schema';
import type * as schema from '../db/schema';

export type InspectorRow = typeof inspectors.$inferSelect;
type DeptDb = Db<typeof schema>;

const inspectorInput = z.object({
  name: z.string().trim().min(1).max(50),
  badgeNumber: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{4,32}$/, 'inspector.badgeFormat'),
  qualifications: z.array(z.string().trim().min(1).max(50)).min(1),
});

export async function addInspector(db: DeptDb, raw: unknown): Promise<InspectorRow> {
  const input = parseInput(inspectorInput, raw);
  const [row] = await db.insert(inspectors).values(input).onConflictDoNothing().returning();
  if (!row) throw conflict('inspector.badgeTaken', { badgeNumber: input.badgeNumber });
  return row;
}

/**
 * The directory, page by page. Cursors are the inspectors' ids, never their names or badge
 * numbers: a cursor is visible to every caller, and those are personal data.
 */
export async function listInspectors(db: DeptDb, args: ConnectionArgs) {
  const { limit, after } = pageArgs(args);
  if (after && !isUuid(after)) throw badInput('after', 'page.badCursor');
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(inspectors)
      .where(after ? gt(inspectors.id, after) : undefined)
      .orderBy(asc(inspectors.id))
      .limit(limit + 1),
    db.select({ n: count() }).from(inspectors),
  ]);
  return toConnection(rows, limit, (r) => r.id, total?.n ?? 0, after);
}
