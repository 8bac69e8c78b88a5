import type { Clock } from '@onecheck/clock';
import { z } from 'zod';
import { CHECK_METHODS, ITEM_EMPHASES, SUPERVISION_LEVELS } from '@onecheck/contracts';
import { recordEvent } from '@onecheck/events';
import { and, arrayOverlaps, asc, count, eq, gt, inArray, or, sql } from 'drizzle-orm';
import { industry as lookupIndustry, listReach } from '@onecheck/codes';
import {
  appendAudit,
  type Actor,
  badInput,
  conflict,
  distinctList,
  notFound,
  pageArgs,
  parseInput,
  textField,
  toConnection,
  type ConnectionArgs,
  type Db,
  type Tx,
} from '@onecheck/kit';
import { supervisionItems, type ItemRow } from '../db/schema';
import type * as schema from '../db/schema';
import { rowsByIds } from './by-ids';

export type { ItemRow };
type DeptDb = Db<typeof schema>;

/** A point of the check form (检查表单) and the answers an inspector may give: at least one. */
const checkPointInput = z.object({
  point: textField(500),
  answers: distinctList(textField(100), 20).min(1),
});

/** An item's content as published or revised: the same rules either way. */
const itemContent = z.object({
  name: textField(200),
  content: textField(4000),
  legalBasis: textField(2000),
  level: z.enum(SUPERVISION_LEVELS),
  // GB/T 4754-2017: a section letter or a division, group or class of 2–4 digits, and one the standard has.
  industries: z
    .array(
      z
        .string()
        .trim()
        .regex(/^([A-T]|\d{2,4})$/, 'industry.codeFormat')
        .refine((c) => !!lookupIndustry(c), 'industry.unknown'),
    )
    .min(1)
    .superRefine((codes, ctx) =>
      codes.forEach((code, i) => {
        if (codes.indexOf(code) !== i) ctx.addIssue({ code: 'custom', message: 'industry.twice', path: [i] });
      }),
    ),
  checkMethod: z.enum(CHECK_METHODS),
  emphasis: z.enum(ITEM_EMPHASES),
  frequencyPerYear: z.int().min(0).max(366).nullable(),
  checkPoints: z.array(checkPointInput).max(200),
});
type ItemContent = z.infer<typeof itemContent>;

const itemInput = itemContent.extend({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'item.codeFormat'),
  checkMethod: z.enum(CHECK_METHODS).nullish(),
  emphasis: z.enum(ITEM_EMPHASES).nullish(),
  frequencyPerYear: z.int().min(0).max(366).nullish(),
  checkPoints: z.array(checkPointInput).max(200).nullish(),
});

/** A revision names only what changes; the rest stays as it is. */
const itemChanges = itemContent.partial();

const CONTENT_FIELDS = Object.keys(itemContent.shape) as (keyof ItemContent)[];
/** What an item says (an ItemRow is one), in a fixed order: two are the same when these are. */
const contentOf = (item: ItemContent): ItemContent =>
  Object.fromEntries(CONTENT_FIELDS.map((k) => [k, item[k]])) as ItemContent;
const sameContent = (a: ItemContent, b: ItemContent) => JSON.stringify(contentOf(a)) === JSON.stringify(contentOf(b));

type ItemEvent = 'onecheck.item.published.v1' | 'onecheck.item.revised.v1' | 'onecheck.item.withdrawn.v1';

/**
 * Every change of the list goes out with the item's full state, in the transaction that makes
 * it (the office builds 一业一单 from these alone, seed 000 §二, 004 (一)); key: the department.
 */
async function recordItemEvent(tx: Tx<typeof schema>, department: string, type: ItemEvent, row: ItemRow, now: Date) {
  await recordEvent(tx, {
    source: `onecheck/department/${department}`,
    type,
    key: department,
    subject: row.code,
    data: {
      department,
      code: row.code,
      name: row.name,
      content: row.content,
      legalBasis: row.legalBasis,
      level: row.level,
      industries: row.industries,
      checkMethod: row.checkMethod,
      emphasis: row.emphasis,
      ...(row.frequencyPerYear === null ? {} : { frequencyPerYear: row.frequencyPerYear }),
      checkPoints: row.checkPoints,
      status: row.status,
      revision: row.revision,
      recordedAt: now.toISOString(),
    },
    time: now,
  });
}

/**
 * Publishes an item (revision 1), or a new revision of the item with the same code: a withdrawn
 * one comes back published, a published one is revised. Publishing what is already published,
 * unchanged, changes nothing and answers the item as it is (a repeated publication is harmless).
 */
export async function publishItem(
  db: DeptDb,
  department: string,
  raw: unknown,
  clock: Clock,
  actor: Actor,
): Promise<ItemRow> {
  const now = clock.now();
  const { code, ...input } = parseInput(itemInput, raw);
  const content: ItemContent = {
    ...input,
    checkMethod: input.checkMethod ?? 'ON_SITE',
    emphasis: input.emphasis ?? 'GENERAL',
    frequencyPerYear: input.frequencyPerYear ?? null,
    checkPoints: input.checkPoints ?? [],
  };
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(supervisionItems).where(eq(supervisionItems.code, code)).for('update');
    if (before?.status === 'PUBLISHED' && sameContent(before, content)) return before;
    const values = { ...content, status: 'PUBLISHED' as const, updatedAt: now };
    const [row] = before
      ? await tx
          .update(supervisionItems)
          .set({ ...values, publishedAt: now, revision: before.revision + 1 })
          .where(eq(supervisionItems.code, code))
          .returning()
      : await tx
          .insert(supervisionItems)
          .values({ ...values, code, publishedAt: now, revision: 1 })
          .returning();
    const type = before?.status === 'PUBLISHED' ? 'onecheck.item.revised.v1' : 'onecheck.item.published.v1';
    await recordItemEvent(tx, department, type, row!, now);
    const entity = { kind: 'supervisionItem' as const, id: code };
    await appendAudit(tx, { actor, action: 'publishItems', entity, before: before ?? null, after: row, at: now });
    return row!;
  });
}

/**
 * Revises a published item: the fields given replace the item's, checked by the same rules as a
 * publication; a revision that changes nothing is refused (no new revision, no event).
 */
export async function reviseItem(
  db: DeptDb,
  department: string,
  code: string,
  raw: unknown,
  clock: Clock,
  actor: Actor,
): Promise<ItemRow> {
  const now = clock.now();
  const changes = parseInput(itemChanges, raw);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(supervisionItems).where(eq(supervisionItems.code, code)).for('update');
    if (!before) throw notFound('supervisionItem', code);
    if (before.status !== 'PUBLISHED') throw conflict('item.withdrawnNotRevised', { code });
    const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    const content = parseInput(itemContent, { ...contentOf(before), ...given });
    if (sameContent(before, content)) throw badInput('input', 'item.unchanged', { code });
    const [row] = await tx
      .update(supervisionItems)
      .set({ ...content, revision: before.revision + 1, updatedAt: now })
      .where(eq(supervisionItems.code, code))
      .returning();
    await recordItemEvent(tx, department, 'onecheck.item.revised.v1', row!, now);
    const entity = { kind: 'supervisionItem' as const, id: code };
    await appendAudit(tx, { actor, action: 'reviseItems', entity, before, after: row, at: now });
    return row!;
  });
}

/** Withdraws a published item from the list: a new revision, WITHDRAWN, goes out with its full state. */
export async function withdrawItem(
  db: DeptDb,
  department: string,
  code: string,
  clock: Clock,
  actor: Actor,
): Promise<ItemRow> {
  const now = clock.now();
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(supervisionItems).where(eq(supervisionItems.code, code)).for('update');
    if (!before) throw notFound('supervisionItem', code);
    if (before.status === 'WITHDRAWN') throw conflict('item.alreadyWithdrawn', { code });
    const [row] = await tx
      .update(supervisionItems)
      .set({ status: 'WITHDRAWN', revision: before.revision + 1, updatedAt: now })
      .where(eq(supervisionItems.code, code))
      .returning();
    await recordItemEvent(tx, department, 'onecheck.item.withdrawn.v1', row!, now);
    const entity = { kind: 'supervisionItem' as const, id: code };
    await appendAudit(tx, { actor, action: 'withdrawItems', entity, before, after: row, at: now });
    return row!;
  });
}

export async function listItems(db: DeptDb, industry: string | null | undefined, args: ConnectionArgs) {
  const paging = pageArgs(args, 'supervisionItems');
  const { limit, after } = paging;
  const reach = industry ? listReach(industry) : undefined;
  if (industry && !reach) throw badInput('industry', 'industry.unknown');
  // 一业一单's nesting (@onecheck/codes listReach), as the joint list has it: filed under a code that
  // covers the industry, or under one within it (section H: items filed under 61 or 62 too).
  const onList = reach
    ? or(
        arrayOverlaps(supervisionItems.industries, reach.covering),
        // One array parameter of LIKE patterns; the prefixes are division codes, digits only.
        sql`exists (select 1 from unnest(${supervisionItems.industries}) as code where code like any(${`{${reach.within
          .map((prefix) => `${prefix}%`)
          .join(',')}}`}::text[]))`,
      )
    : undefined;
  const where = and(eq(supervisionItems.status, 'PUBLISHED'), onList);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(supervisionItems)
      .where(and(where, after ? gt(supervisionItems.code, after) : undefined))
      .orderBy(asc(supervisionItems.code))
      .limit(limit + 1),
    db.select({ n: count() }).from(supervisionItems).where(where),
  ]);
  return toConnection(rows, paging, (r) => r.code, total?.n ?? 0);
}

/** Items by id (one query for a batch), withdrawn ones included: a reference names what it names. */
export function itemsByIds(db: DeptDb, ids: readonly string[]): Promise<(ItemRow | null)[]> {
  return rowsByIds(ids, (valid) => db.select().from(supervisionItems).where(inArray(supervisionItems.id, valid)));
}
