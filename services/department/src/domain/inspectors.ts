import type { Clock } from '@onecheck/clock';
import { z } from 'zod';
import { INSPECTOR_KINDS } from '@onecheck/contracts';
import { asc, count, eq, gt, inArray } from 'drizzle-orm';
import {
  appendAudit,
  type Actor,
  isUuid,
  badInput,
  conflict,
  dateField,
  distinctList,
  notFound,
  pageArgs,
  textField,
  usccField,
  parseInput,
  toConnection,
  type ConnectionArgs,
  type Db,
  type Tx,
  referenceField,
} from '@onecheck/kit';
import { inspectorConflicts, inspectors, type ConflictRow, type InspectorRow } from '../db/schema';
import type * as schema from '../db/schema';
import { rowsByIds } from './by-ids';

export type { ConflictRow, InspectorRow };
type DeptDb = Db<typeof schema>;

const inspectorFields = z.object({
  name: textField(50),
  /** 执法证号. */
  badgeNumber: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{4,32}$/, 'inspector.badgeFormat'),
  /** 执法领域: the codes of the department's items the inspector is qualified for. */
  qualifications: distinctList(referenceField(50), 200).min(1),
  kind: z.enum(INSPECTOR_KINDS),
  certificateValidUntil: dateField.nullable(),
});

/** Only an INSPECTOR counts toward the two officers, so only an INSPECTOR's certificate must say how long it holds. */
const certified = <T extends { kind?: string | null; certificateValidUntil?: string | null }>(i: T) =>
  i.kind === 'EXPERT' || !!i.certificateValidUntil;
const certifiedRule = { message: 'inspector.certificateValidUntilRequired', path: ['certificateValidUntil'] };

const inspectorInput = inspectorFields
  .extend({ kind: z.enum(INSPECTOR_KINDS).nullish(), certificateValidUntil: dateField.nullish() })
  .refine((i) => certified({ ...i, kind: i.kind ?? 'INSPECTOR' }), certifiedRule);

/** An update names only what changes; the inspector as it becomes is checked like a new one. */
const inspectorChanges = inspectorFields.partial();
const inspectorState = inspectorFields.refine(certified, certifiedRule);
type InspectorFields = z.infer<typeof inspectorFields>;
const FIELDS = Object.keys(inspectorFields.shape) as (keyof InspectorFields)[];
const fieldsOf = (i: InspectorFields) => JSON.stringify(FIELDS.map((k) => i[k]));

export async function addInspector(db: DeptDb, raw: unknown, clock: Clock, actor: Actor): Promise<InspectorRow> {
  const parsed = parseInput(inspectorInput, raw);
  const input = {
    ...parsed,
    kind: parsed.kind ?? 'INSPECTOR',
    certificateValidUntil: parsed.certificateValidUntil ?? null,
  };
  const now = clock.now();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(inspectors)
      .values({ ...input, createdAt: now, updatedAt: now })
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
  const paging = pageArgs(args, 'inspectors');
  const { limit, after } = paging;
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
  return toConnection(rows, paging, (r) => r.id, total?.n ?? 0);
}

/** Inspectors by id (one query for a batch). */
export function inspectorsByIds(db: DeptDb, ids: readonly string[]): Promise<(InspectorRow | null)[]> {
  return rowsByIds(ids, (valid) => db.select().from(inspectors).where(inArray(inspectors.id, valid)));
}

async function lockInspector(tx: Tx<typeof schema>, id: string) {
  if (!isUuid(id)) throw notFound('inspector', id);
  const [row] = await tx.select().from(inspectors).where(eq(inspectors.id, id)).for('update');
  if (!row) throw notFound('inspector', id);
  return row;
}

/** Changes an inspector's entry (a renewed certificate, new enforcement fields); a change of nothing is refused. */
export async function updateInspector(
  db: DeptDb,
  id: string,
  raw: unknown,
  clock: Clock,
  actor: Actor,
): Promise<InspectorRow> {
  const changes = parseInput(inspectorChanges, raw);
  const now = clock.now();
  return db.transaction(async (tx) => {
    const before = await lockInspector(tx, id);
    const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    const next = parseInput(inspectorState, { ...before, ...given });
    if (fieldsOf(next) === fieldsOf(before)) throw badInput('input', 'inspector.unchanged');
    if (next.badgeNumber !== before.badgeNumber) {
      const [taken] = await tx.select().from(inspectors).where(eq(inspectors.badgeNumber, next.badgeNumber));
      if (taken) throw conflict('inspector.badgeTaken', { badgeNumber: next.badgeNumber });
    }
    const [row] = await tx
      .update(inspectors)
      .set({ ...next, updatedAt: now })
      .where(eq(inspectors.id, id))
      .returning();
    await appendAudit(tx, {
      actor,
      action: 'updateInspectors',
      entity: { kind: 'inspector', id },
      before,
      after: row,
      at: now,
    });
    return row!;
  });
}

/** Takes an inspector out of every later draw (left the post, certificate withdrawn); the entry and its history stay. */
export async function deactivateInspector(db: DeptDb, id: string, clock: Clock, actor: Actor): Promise<InspectorRow> {
  const now = clock.now();
  return db.transaction(async (tx) => {
    const before = await lockInspector(tx, id);
    if (!before.active) throw conflict('inspector.alreadyInactive');
    const [row] = await tx
      .update(inspectors)
      .set({ active: false, updatedAt: now })
      .where(eq(inspectors.id, id))
      .returning();
    await appendAudit(tx, {
      actor,
      action: 'deactivateInspectors',
      entity: { kind: 'inspector', id },
      before,
      after: row,
      at: now,
    });
    return row!;
  });
}

const conflictInput = z.object({ uscc: usccField, reason: textField(500) });

/**
 * 回避 (行政处罚法 §43): records that an inspector has an interest in a business (a relative runs
 * it, a past employer, …); from then on the inspector is never drawn for it. Once per business.
 */
export async function declareConflict(
  db: DeptDb,
  inspectorId: string,
  raw: unknown,
  clock: Clock,
  actor: Actor,
): Promise<ConflictRow> {
  const input = parseInput(conflictInput, raw);
  const now = clock.now();
  return db.transaction(async (tx) => {
    await lockInspector(tx, inspectorId);
    const [row] = await tx
      .insert(inspectorConflicts)
      .values({
        inspectorId,
        ...input,
        declaredBy: actor.kind === 'user' ? actor.sub : actor.principal,
        declaredAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict('inspector.conflictDeclared', { uscc: input.uscc });
    await appendAudit(tx, {
      actor,
      action: 'declareConflicts',
      entity: { kind: 'inspectorConflict', id: row.id },
      after: row,
      at: now,
    });
    return row;
  });
}

/** Each inspector's declared conflicts, oldest first (one query for a batch). */
export async function conflictsByInspectors(db: DeptDb, ids: readonly string[]): Promise<ConflictRow[][]> {
  const valid = ids.filter(isUuid);
  const rows = valid.length
    ? await db
        .select()
        .from(inspectorConflicts)
        .where(inArray(inspectorConflicts.inspectorId, valid))
        .orderBy(asc(inspectorConflicts.declaredAt), asc(inspectorConflicts.id))
    : [];
  return ids.map((id) => rows.filter((r) => r.inspectorId === id));
}
