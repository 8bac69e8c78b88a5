import type { Clock } from '@onecheck/clock';
import { z } from 'zod';
import { asc, count, gt, inArray } from 'drizzle-orm';
import {
  appendAudit,
  type Actor,
  isUuid,
  badInput,
  conflict,
  pageArgs,
  parseInput,
  toConnection,
  type ConnectionArgs,
  type Db,
} from '@onecheck/kit';
import { inspectors, type InspectorRow } from '../db/schema';
import type * as schema from '../db/schema';
import { rowsByIds } from './by-ids';

export type { InspectorRow };
type DeptDb = Db<typeof schema>;

const inspectorInput = z.object({
  name: z.string().trim().min(1).max(50),
  badgeNumber: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{4,32}$/, 'inspector.badgeFormat'),
  qualifications: z.array(z.string().trim().min(1).max(50)).min(1),
});

export async function addInspector(db: DeptDb, raw: unknown, clock: Clock, actor: Actor): Promise<InspectorRow> {
  const input = parseInput(inspectorInput, raw);
  const now = clock.now();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(inspectors)
      .values({ ...input, createdAt: now })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict('inspector.badgeTaken', { badgeNumber: input.badgeNumber });
    await appendAudit(tx, {
      actor,
      action: 'addInspectors',
      entity: { kind: 'inspector', id: row.id },
      after: row,
      at: now,
    });
    return row;
  });
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

/** Inspectors by id (one query for a batch). */
export function inspectorsByIds(db: DeptDb, ids: readonly string[]): Promise<(InspectorRow | null)[]> {
  return rowsByIds(ids, (valid) => db.select().from(inspectors).where(inArray(inspectors.id, valid)));
}
