/**
 * 审批事项实施清单 (seed 003 第八条) as 审管联动 needs it: each approval item's supervising
 * department, the 监管子项 it maps to, and whether it may be granted on a promise (告知承诺,
 * 第二十三条) — 材料延期, 材料核验 or 事后核查 — with the promised period (working days unless the
 * item says calendar days) and the bureau's review deadline for materials that never came.
 */
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Clock } from '@onecheck/clock';
import { DAY_COUNTS, PROMISE_MODES } from '@onecheck/contracts';
import {
  anyOf,
  appendAudit,
  badInput,
  departmentField,
  parseInput,
  textField,
  type Actor,
  type Db,
} from '@onecheck/kit';
import { approvalItems, type ApprovalItemRow } from '../db/schema';
import type * as schema from '../db/schema';

type Reader = Pick<Db<typeof schema>, 'select'>;

/**
 * The bureau's review deadline when it sets none: 20 working days, the time 行政许可法 §42 gives an
 * administrative organ to decide.
 */
export const DEFAULT_REVIEW_DAYS = 20;

const days = z.int().min(1).max(365);
const itemInput = z
  .object({
    name: textField(200),
    supervisingDepartment: departmentField,
    supervisionItem: textField(100).nullish(),
    promiseMode: z.enum(PROMISE_MODES).nullish(),
    promiseDays: days.nullish(),
    promiseDayCount: z.enum(DAY_COUNTS).nullish(),
    reviewDays: days.nullish(),
  })
  .superRefine((i, ctx) => {
    // A promise needs its period: the applicant is told it (seed 003 第二十三条).
    if (i.promiseMode && !i.promiseDays)
      ctx.addIssue({ code: 'custom', message: 'approvalItem.promiseDaysRequired', path: ['promiseDays'] });
    // …and a period without a promise would be silently dropped: said instead.
    if (!i.promiseMode && i.promiseDays != null)
      ctx.addIssue({ code: 'custom', message: 'approvalItem.promiseModeRequired', path: ['promiseDays'] });
  });

export async function setApprovalItem(
  db: Db<typeof schema>,
  raw: unknown,
  clock: Clock,
  actor: Actor,
): Promise<ApprovalItemRow> {
  const input = parseInput(itemInput, raw);
  const now = clock.now();
  const values = {
    name: input.name,
    supervisingDepartment: input.supervisingDepartment,
    supervisionItem: input.supervisionItem ?? null,
    promiseMode: input.promiseMode ?? null,
    promiseDays: input.promiseMode ? input.promiseDays! : null,
    promiseDayCount: input.promiseDayCount ?? 'WORKING_DAYS',
    reviewDays: input.reviewDays ?? DEFAULT_REVIEW_DAYS,
    updatedAt: now,
  };
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(approvalItems).where(eq(approvalItems.name, input.name)).for('update');
    const [row] = await tx
      .insert(approvalItems)
      .values(values)
      .onConflictDoUpdate({ target: approvalItems.name, set: values })
      .returning();
    await appendAudit(tx, {
      actor,
      action: 'setApprovalItems',
      entity: { kind: 'approvalItem', id: row!.name },
      before: before ?? null,
      after: row,
      at: now,
    });
    return row!;
  });
}

export const listApprovalItems = (db: Reader) => db.select().from(approvalItems).orderBy(asc(approvalItems.name));

export async function approvalItemNamed(db: Reader, name: string): Promise<ApprovalItemRow | null> {
  return itemsByName(await itemsRead(db, [name]).items).get(name) ?? null;
}

/** The configured items among `names` (a batch of grants: one query), to run with others (selectTogether); itemsByName maps its rows. */
export const itemsRead = (db: Reader, names: readonly string[]) => ({
  items: db
    .select()
    .from(approvalItems)
    .where(anyOf(approvalItems.name, [...new Set(names)], 'text')),
});

export const itemsByName = (rows: readonly ApprovalItemRow[]) => new Map(rows.map((r) => [r.name, r]));

/** A configured item is supervised by its own department: a grant naming another is refused. */
export function requireItemDepartment(item: ApprovalItemRow | null, department: string): void {
  if (item && item.supervisingDepartment !== department)
    throw badInput('supervisingDepartment', 'approvalItem.otherDepartment', {
      item: item.name,
      department: item.supervisingDepartment,
    });
}
