import type { Clock } from '@onecheck/clock';
import { z } from 'zod';
import { CHECK_METHODS, SUPERVISION_LEVELS } from '@onecheck/contracts';
import { and, arrayOverlaps, asc, count, eq, gt, inArray } from 'drizzle-orm';
import { coversIndustry, industryLineage, industry as lookupIndustry } from '@onecheck/codes';
import {
  appendAudit,
  type Actor,
  badInput,
  notFound,
  pageArgs,
  parseInput,
  textField,
  toConnection,
  type ConnectionArgs,
  type Db,
} from '@onecheck/kit';
import { supervisionItems, type ItemRow } from '../db/schema';
import type * as schema from '../db/schema';
import { rowsByIds } from './by-ids';

export type { ItemRow };
type DeptDb = Db<typeof schema>;

const itemInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'item.codeFormat'),
  name: textField(200),
  content: textField(4000),
  legalBasis: textField(2000),
  level: z.enum(SUPERVISION_LEVELS),
  industries: z
    .array(
      z
        .string()
        .trim()
        .refine((c) => !!lookupIndustry(c), 'industry.unknown'),
    )
    .min(1),
  checkMethod: z.enum(CHECK_METHODS).nullish(),
});

/**
 * An item applies to a business when one of its industries covers the business's industry
 * (GB/T 4754 nesting, stated once in @onecheck/codes): the SQL asks for items listing any code of
 * the industry's lineage, which is exactly the set of codes that cover it.
 */
const appliesTo = (item: Pick<ItemRow, 'industries'>, industryCode: string) =>
  item.industries.some((listed) => coversIndustry(listed, industryCode));

export async function publishItem(db: DeptDb, raw: unknown, clock: Clock, actor: Actor): Promise<ItemRow> {
  const now = clock.now();
  const input = parseInput(itemInput, raw);
  const values = { ...input, checkMethod: input.checkMethod ?? 'ON_SITE', status: 'PUBLISHED' as const };
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(supervisionItems)
      .where(eq(supervisionItems.code, input.code))
      .for('update');
    const [row] = await tx
      .insert(supervisionItems)
      .values({ ...values, publishedAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: supervisionItems.code, set: { ...values, publishedAt: now, updatedAt: now } })
      .returning();
    const entity = { kind: 'supervisionItem' as const, id: row!.code };
    await appendAudit(tx, { actor, action: 'publishItems', entity, before: before ?? null, after: row, at: now });
    return row!;
  });
}

export async function withdrawItem(db: DeptDb, code: string, clock: Clock, actor: Actor): Promise<ItemRow> {
  const now = clock.now();
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(supervisionItems).where(eq(supervisionItems.code, code)).for('update');
    if (!before) throw notFound('supervisionItem', code);
    const [row] = await tx
      .update(supervisionItems)
      .set({ status: 'WITHDRAWN', updatedAt: now })
      .where(eq(supervisionItems.code, code))
      .returning();
    const entity = { kind: 'supervisionItem' as const, id: code };
    await appendAudit(tx, { actor, action: 'withdrawItems', entity, before, after: row, at: now });
    return row!;
  });
}

export async function listItems(db: DeptDb, industry: string | null | undefined, args: ConnectionArgs) {
  const { limit, after } = pageArgs(args);
  if (industry && !lookupIndustry(industry)) throw badInput('industry', 'industry.unknown');
  const where = and(
    eq(supervisionItems.status, 'PUBLISHED'),
    industry ? arrayOverlaps(supervisionItems.industries, industryLineage(industry)) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(supervisionItems)
      .where(and(where, after ? gt(supervisionItems.code, after) : undefined))
      .orderBy(asc(supervisionItems.code))
      .limit(limit + 1),
    db.select({ n: count() }).from(supervisionItems).where(where),
  ]);
  return toConnection(rows, limit, (r) => r.code, total?.n ?? 0, after);
}

/** Published items for many industries at once (one query for a whole batch of businesses). */
export async function itemsForIndustries(db: DeptDb, codes: readonly string[]): Promise<ItemRow[][]> {
  const keys = [...new Set(codes.flatMap((code) => industryLineage(code)))];
  if (keys.length === 0) return codes.map(() => []);
  const rows = await db
    .select()
    .from(supervisionItems)
    .where(and(eq(supervisionItems.status, 'PUBLISHED'), arrayOverlaps(supervisionItems.industries, keys)))
    .orderBy(asc(supervisionItems.code));
  return codes.map((code) => rows.filter((r) => appliesTo(r, code)));
}

/** Items by id (one query for a batch), withdrawn ones included: a reference names what it names. */
export function itemsByIds(db: DeptDb, ids: readonly string[]): Promise<(ItemRow | null)[]> {
  return rowsByIds(ids, (valid) => db.select().from(supervisionItems).where(inArray(supervisionItems.id, valid)));
}
