/**
 * 一业一单, the joint list per industry (seed 000 §二, 004 (一); issue 10 item 1): every
 * department's supervision items for one industry, with the lead (牵头, 谁主管谁牵头) and
 * cooperating (配合) departments the office sets. Built only from the departments' item events,
 * never by asking a department.
 *
 * Versions: every change is one row of joint_list_changes, made one at a time. An industry's
 * version n is the list after the n-th change that reaches it (an item whose codes cover the
 * industry or lie within it, before or after the change; departments set for it or for a code
 * covering it), so any version is rebuilt from the rows and never changes once made.
 */
import type { Clock } from '@onecheck/clock';
import type { EventData } from '@onecheck/contracts';
import { and, arrayContains, arrayOverlaps, asc, count, desc, eq, lte, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import {
  appendAudit,
  arrayLiteral,
  arrayOf,
  badInput,
  departmentField,
  parseInput,
  reusable,
  type Actor,
  type Db,
  type Tx,
} from '@onecheck/kit';
import { jointListChanges, jointListDepartments, jointListItems, type JointListChangeRow } from '../db/schema';
import type * as schema from '../db/schema';
import { appliesToBusiness, listIndustry, onListOf, reachOf } from './industry';

type MarketDb = Db<typeof schema>;
type MarketTx = Tx<typeof schema>;

/** An item as its department last published it: the event's full state. */
export type JointListItemState = EventData<'onecheck.item.published.v1'>;

/** One industry's list at one version. */
export interface JointList {
  industry: string;
  version: number;
  latestVersion: number;
  /** When this version was made; null for version 0 (nothing has reached the industry yet). */
  madeAt: Date | null;
  lead: string | null;
  cooperating: string[];
  /** The industry whose setting the departments come from: this one, or the nearest covering it. */
  departmentsSetFor: string | null;
  items: JointListItemState[];
}

/** The item fields a revision may change, as jointListChanges names them. */
export const ITEM_FIELDS = [
  'name',
  'content',
  'legalBasis',
  'level',
  'industries',
  'checkMethod',
  'emphasis',
  'frequencyPerYear',
  'checkPoints',
] as const satisfies readonly (keyof JointListItemState)[];

/**
 * Changes are made one at a time (a transaction-scoped lock), so their sequence numbers commit in
 * order and a version, once read, is never followed by an earlier change committing late.
 */
async function lockJointLists(tx: MarketTx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('onecheck.joint_list'))`);
}

/** The changes that reach an industry's list: industry.ts `onListOf` (and the departments' inheritance), said in SQL. */
function reaches(industry: string): SQL {
  return or(
    // a code the change names covers the industry (its section, division …, or itself)
    arrayOverlaps(jointListChanges.industries, reachOf(industry)),
    // the industry covers a code the change names
    arrayContains(jointListChanges.reach, [industry]),
  )!;
}

const union = (...lists: (readonly string[])[]) => [...new Set(lists.flat())];

/**
 * An item event (published, revised, withdrawn): the list keeps the highest revision of each
 * (department, code). An older revision arriving late, or one delivered again, changes nothing.
 */
export async function receiveItem(tx: MarketTx, state: JointListItemState, clock: Clock, actor: Actor): Promise<void> {
  await lockJointLists(tx);
  const key = and(eq(jointListItems.department, state.department), eq(jointListItems.code, state.code));
  const [current] = await tx.select().from(jointListItems).where(key);
  if (current && current.revision >= state.revision) return;
  const before = current
    ? (await tx.select().from(jointListChanges).where(eq(jointListChanges.seq, current.changeSeq)))[0]!.item
    : null;
  // A revision that moves the item to other industries changes the lists it left as well.
  const industries = union(before?.industries ?? [], state.industries);
  const now = clock.now();
  const [change] = await tx
    .insert(jointListChanges)
    .values({
      kind: 'item',
      industries,
      reach: union(...industries.map(reachOf)),
      department: state.department,
      code: state.code,
      revision: state.revision,
      item: state,
      at: now,
    })
    .returning({ seq: jointListChanges.seq });
  await tx
    .insert(jointListItems)
    .values({ department: state.department, code: state.code, revision: state.revision, changeSeq: change!.seq })
    .onConflictDoUpdate({
      target: [jointListItems.department, jointListItems.code],
      set: { revision: state.revision, changeSeq: change!.seq },
    });
  await appendAudit(tx, {
    actor,
    action: 'receiveItems',
    entity: { kind: 'jointListItem', id: `${state.department}/${state.code}` },
    before,
    after: state,
    at: now,
  });
}

const departmentsInput = z
  .object({
    lead: departmentField,
    cooperating: z.array(departmentField).max(50),
  })
  .superRefine((input, ctx) => {
    // 谁主管谁牵头: the lead leads; it is not also one of the departments cooperating with it.
    const seen = new Set<string>([input.lead]);
    input.cooperating.forEach((code, i) => {
      if (seen.has(code))
        ctx.addIssue({
          code: 'custom',
          path: ['cooperating', i],
          message: 'jointList.departmentTwice',
          params: { department: code },
        });
      seen.add(code);
    });
  });

/**
 * The office sets an industry's lead and cooperating departments (seed 000 §二: 谁主管谁牵头).
 * Narrower codes without their own setting inherit it. The same setting again makes no version.
 */
export async function setJointListDepartments(
  db: MarketDb,
  rawIndustry: string,
  raw: { lead: string; cooperating: readonly string[] },
  clock: Clock,
  actor: Actor,
): Promise<JointList> {
  const industry = listIndustry(rawIndustry);
  const input = parseInput(departmentsInput, raw);
  await db.transaction(async (tx) => {
    await lockJointLists(tx);
    const [current] = await tx.select().from(jointListDepartments).where(eq(jointListDepartments.industry, industry));
    if (current && current.lead === input.lead && current.cooperating.join() === input.cooperating.join()) return;
    const now = clock.now();
    const [change] = await tx
      .insert(jointListChanges)
      .values({
        kind: 'departments',
        industries: [industry],
        reach: [],
        lead: input.lead,
        cooperating: input.cooperating,
        at: now,
      })
      .returning({ seq: jointListChanges.seq });
    const values = { lead: input.lead, cooperating: input.cooperating, changeSeq: change!.seq };
    await tx
      .insert(jointListDepartments)
      .values({ industry, ...values })
      .onConflictDoUpdate({ target: jointListDepartments.industry, set: values });
    await appendAudit(tx, {
      actor,
      action: 'setJointListDepartments',
      entity: { kind: 'jointList', id: industry },
      before: current ? { lead: current.lead, cooperating: current.cooperating } : null,
      after: { lead: input.lead, cooperating: input.cooperating },
      at: now,
    });
  });
  return jointListAt(db, industry);
}

/** One industry's list at `version` (default: the newest). A version that does not exist is BAD_USER_INPUT. */
export async function jointListAt(
  db: MarketDb | MarketTx,
  rawIndustry: string,
  version?: number | null,
  versionField = 'version',
): Promise<JointList> {
  const industry = listIndustry(rawIndustry);
  const [total] = await db.select({ n: count() }).from(jointListChanges).where(reaches(industry));
  const latestVersion = total?.n ?? 0;
  const wanted = version ?? latestVersion;
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > latestVersion)
    throw badInput(versionField, 'jointList.noSuchVersion', { version: wanted, latest: latestVersion });
  const empty = {
    industry,
    version: 0,
    latestVersion,
    madeAt: null,
    lead: null,
    cooperating: [],
    departmentsSetFor: null,
    items: [],
  };
  if (wanted === 0) return empty;
  const [made] = await db
    .select({ seq: jointListChanges.seq, at: jointListChanges.at })
    .from(jointListChanges)
    .where(reaches(industry))
    .orderBy(asc(jointListChanges.seq))
    .limit(1)
    .offset(wanted - 1);
  const rows = await db
    .select()
    .from(jointListChanges)
    .where(and(reaches(industry), lte(jointListChanges.seq, made!.seq)))
    .orderBy(desc(jointListChanges.seq));
  return { ...empty, version: wanted, madeAt: made!.at, ...listFrom(industry, rows) };
}

/** The list as the changes up to a version leave it (rows newest first). */
function listFrom(industry: string, rows: JointListChangeRow[]) {
  const newest = new Map<string, JointListItemState>();
  const settings = new Map<string, JointListChangeRow>();
  for (const row of rows) {
    if (row.kind === 'item') {
      const key = `${row.department}\u0000${row.code}`;
      if (!newest.has(key)) newest.set(key, row.item!);
    } else if (!settings.has(row.industries[0]!)) settings.set(row.industries[0]!, row);
  }
  const items = [...newest.values()]
    .filter((item) => item.status === 'PUBLISHED' && onListOf(item.industries, industry))
    .sort((a, b) => a.department.localeCompare(b.department) || a.code.localeCompare(b.code));
  // The nearest setting wins: the industry's own, else its group's, division's, section's.
  const setFor = [...reachOf(industry)].reverse().find((code) => settings.has(code));
  const setting = setFor ? settings.get(setFor)! : undefined;
  return {
    items,
    lead: setting?.lead ?? null,
    cooperating: setting?.cooperating ?? [],
    departmentsSetFor: setFor ?? null,
  };
}

export interface ItemChange {
  before: JointListItemState;
  after: JointListItemState;
  fields: (typeof ITEM_FIELDS)[number][];
}

export interface JointListDiff {
  industry: string;
  from: number;
  to: number;
  added: JointListItemState[];
  removed: JointListItemState[];
  changed: ItemChange[];
  leadBefore: string | null;
  leadAfter: string | null;
  cooperatingAdded: string[];
  cooperatingRemoved: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** What changed in an industry's list between two versions (from may be after to: the change is read backwards). */
export async function jointListDiff(
  db: MarketDb,
  rawIndustry: string,
  from: number,
  to: number,
): Promise<JointListDiff> {
  const industry = listIndustry(rawIndustry);
  const a = await jointListAt(db, industry, from, 'from');
  const b = await jointListAt(db, industry, to, 'to');
  const keyOf = (i: JointListItemState) => `${i.department}\u0000${i.code}`;
  const before = new Map(a.items.map((i) => [keyOf(i), i]));
  const after = new Map(b.items.map((i) => [keyOf(i), i]));
  const changed: ItemChange[] = [];
  for (const [key, item] of after) {
    const old = before.get(key);
    if (!old) continue;
    const fields = ITEM_FIELDS.filter((f) => !same(old[f], item[f]));
    if (fields.length > 0) changed.push({ before: old, after: item, fields });
  }
  return {
    industry,
    from,
    to,
    added: b.items.filter((i) => !before.has(keyOf(i))),
    removed: a.items.filter((i) => !after.has(keyOf(i))),
    changed,
    leadBefore: a.lead,
    leadAfter: b.lead,
    cooperatingAdded: b.cooperating.filter((d) => !a.cooperating.includes(d)),
    cooperatingRemoved: a.cooperating.filter((d) => !b.cooperating.includes(d)),
  };
}

/** The published items filed under any industry of `reach` (an arrayLiteral): the joint list a business's industry reads. */
const selectCurrentItems = reusable((db: MarketDb) =>
  db
    .select({ item: jointListChanges.item })
    .from(jointListItems)
    .innerJoin(jointListChanges, eq(jointListChanges.seq, jointListItems.changeSeq))
    .where(
      and(
        sql`${jointListChanges.industries} && ${arrayOf(sql.placeholder('reach'), 'text')}`,
        sql`${jointListChanges.item}->>'status' = 'PUBLISHED'`,
      ),
    )
    .orderBy(asc(jointListItems.department), asc(jointListItems.code)),
);

/**
 * The current list's items that apply to each business industry (one query for a batch of
 * businesses): Enterprise.applicableItems and itemsForIndustry, answered from the office's own
 * records, so a question about businesses asks no department.
 */
export async function currentItemsFor(db: MarketDb, industries: readonly string[]): Promise<JointListItemState[][]> {
  const codes = [...new Set(industries.map((c) => c.toUpperCase()))];
  if (codes.length === 0) return [];
  const reach = union(...codes.map(reachOf));
  const rows = await selectCurrentItems(db).execute({ reach: arrayLiteral(reach) });
  const items = rows.map((r) => r.item!);
  return industries.map((code) => items.filter((i) => appliesToBusiness(i.industries, code.toUpperCase())));
}

/** The current list of one industry: itemsForIndustry. */
export async function currentList(db: MarketDb, industry: string): Promise<JointListItemState[]> {
  return (await jointListAt(db, industry)).items;
}
