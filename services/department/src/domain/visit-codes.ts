/**
 * 赋码检查 (seed 004 (十二): 无码不检查; issue 11 item 2): the office codes each visit and sends the
 * code to every department in it (onecheck.visit.coded.v1, a new version on every change). This
 * department keeps its own copy of each code that names it — in its parts, or as the department a
 * part is delegated to (互帮代查, seed 004 (六)) — the highest version winning, and marks it revoked
 * when the office merges or cancels the visit. Results are recorded only against a copy held here
 * (inspection-results.ts), and an inspector sees only the codes whose team they are on.
 */
import type { Clock } from '@onecheck/clock';
import type { EventData } from '@onecheck/contracts';
import { and, arrayContains, arrayOverlaps, asc, count, eq, gt, inArray, or, sql } from 'drizzle-orm';
import {
  appendAudit,
  badInput,
  isUuid,
  pageArgs,
  toConnection,
  type Actor,
  type ConnectionArgs,
  type Db,
  type Tx,
} from '@onecheck/kit';
import {
  codeRequests,
  inspectionResults,
  supervisionTasks,
  visitCodes,
  type CodedPart,
  type InspectionResultRow,
  type TeamMemberData,
  type VisitCodeRow,
} from '../db/schema';
import type * as schema from '../db/schema';

type DeptTx = Tx<typeof schema>;
type DeptDb = Db<typeof schema>;
type Coded = EventData<'onecheck.visit.coded.v1'>;
type Revoked = EventData<'onecheck.visit.code-revoked.v1'>;

/** The team that checks a part's items: its own, or under 互帮代查 the delegate department's. */
export interface CheckingTeam {
  department: string;
  team: TeamMemberData[];
}

/**
 * 互帮代查 (seed 004 (六)): a part delegated to another department is checked by that department's
 * team — its team on its own part of the visit, or, when it has no part of its own, the team the
 * office put on the delegated part.
 */
export function checkingTeam(departments: readonly CodedPart[], part: CodedPart): CheckingTeam {
  if (!part.delegatedTo) return { department: part.department, team: part.team };
  const own = departments.find((d) => d.department === part.delegatedTo);
  return { department: part.delegatedTo, team: own?.team ?? part.team };
}

/** The parts of a code that concern this department: its own, and those delegated to it. */
const partsFor = (department: string, departments: readonly CodedPart[]) =>
  departments.filter((p) => p.department === department || p.delegatedTo === department);

/** `${department}|${inspectorId}` of every team that checks the parts concerning this department. */
function membersOf(department: string, departments: readonly CodedPart[]): string[] {
  const members = partsFor(department, departments).flatMap((p) => {
    const checking = checkingTeam(departments, p);
    return checking.team.map((m) => `${checking.department}|${m.inspectorId}`);
  });
  return [...new Set(members)].sort();
}

/** The key an inspector is found by in `members`. */
export const memberKey = (department: string | undefined, inspectorId: string) => `${department ?? ''}|${inspectorId}`;

/**
 * A code reached the department. Kept when it names the department; a version no higher than the
 * one held changes nothing (a redelivery, or an older version arriving late). The copy is linked
 * to the department's INSPECTION tasks for the business: those of the code's plans, the task of
 * the department's own request, and those of the visits it absorbed when it is a merged visit. A copy already held follows every newer version, also one that no
 * longer names the department (its plan cancelled, its part dropped from a merged visit): the copy
 * then has no part and no members, so nothing more is recorded on it here (visitCode.noItemsOf).
 */
export async function receiveVisitCoded(
  tx: DeptTx,
  department: string,
  coded: Coded,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  const names = partsFor(department, coded.departments).length > 0;
  const now = clock.now();
  const [before] = await tx.select().from(visitCodes).where(eq(visitCodes.visitId, coded.visitId)).for('update');
  if (!before && !names) return;
  if (before && before.version >= coded.version) return;
  const request = coded.requestId
    ? (await tx.select().from(codeRequests).where(eq(codeRequests.id, coded.requestId)))[0]
    : undefined;
  const planTasks = coded.planIds.length
    ? await tx
        .select({ id: supervisionTasks.id })
        .from(supervisionTasks)
        .where(
          and(
            eq(supervisionTasks.kind, 'INSPECTION'),
            eq(supervisionTasks.uscc, coded.uscc),
            inArray(supervisionTasks.planId, coded.planIds),
          ),
        )
    : [];
  // A merged visit carries the visits it absorbed: their tasks here (a check this department asked
  // for outside plans, say) are now checked on it, so its results close them too.
  const absorbed = coded.mergedFrom.length
    ? await tx
        .select({ taskIds: visitCodes.taskIds })
        .from(visitCodes)
        .where(inArray(visitCodes.visitId, coded.mergedFrom))
    : [];
  const taskIds = [
    ...new Set([
      ...planTasks.map((t) => t.id),
      ...(request ? [request.taskId] : []),
      ...absorbed.flatMap((a) => a.taskIds),
    ]),
  ].sort();
  const values = {
    code: coded.code,
    version: coded.version,
    uscc: coded.uscc,
    businessName: coded.businessName,
    reason: coded.reason,
    reasonDetail: coded.reasonDetail ?? null,
    planIds: coded.planIds,
    // Only this department's own request is one it knows; another department's stays unnamed here.
    requestId: request ? request.id : null,
    plannedOn: coded.plannedOn,
    validFrom: coded.validFrom,
    validUntil: coded.validUntil,
    departments: coded.departments,
    mergedFrom: coded.mergedFrom,
    members: membersOf(department, coded.departments),
    taskIds,
    issuedAt: new Date(coded.issuedAt),
    updatedAt: now,
  };
  const [after] = before
    ? await tx.update(visitCodes).set(values).where(eq(visitCodes.visitId, coded.visitId)).returning()
    : await tx
        .insert(visitCodes)
        .values({ visitId: coded.visitId, ...values, receivedAt: now })
        .returning();
  await appendAudit(tx, {
    actor,
    action: 'receiveCodes',
    entity: { kind: 'visitCode', id: coded.visitId },
    before: before ?? null,
    after: after!,
    at: now,
  });
  await revokeMergedCopies(tx, coded, now, actor);
}

/**
 * The codes a merged visit absorbed stop being usable the moment its code arrives, not only when
 * their own code-revoked.v1 does (a separate event, perhaps later): otherwise one item could be
 * recorded on the old code and on the new one at once, each recording locking only its own copy.
 * Locking the absorbed copies here puts this in order with any recording on them.
 */
async function revokeMergedCopies(tx: DeptTx, coded: Coded, now: Date, actor: Actor) {
  if (!coded.mergedFrom.length) return;
  const absorbed = await tx
    .select()
    .from(visitCodes)
    .where(and(inArray(visitCodes.visitId, coded.mergedFrom), eq(visitCodes.status, 'VALID')))
    .orderBy(asc(visitCodes.visitId))
    .for('update');
  for (const before of absorbed)
    await revokeCopy(
      tx,
      before,
      { status: 'MERGED', mergedInto: coded.visitId, revokedAt: coded.issuedAt },
      now,
      actor,
    );
}

/** Marks a locked copy revoked (merged away or cancelled), on its trail. */
async function revokeCopy(
  tx: DeptTx,
  before: VisitCodeRow,
  how: { status: 'MERGED' | 'CANCELLED'; mergedInto: string | null; revokedAt: string },
  now: Date,
  actor: Actor,
) {
  const [after] = await tx
    .update(visitCodes)
    .set({ status: how.status, mergedInto: how.mergedInto, revokedAt: new Date(how.revokedAt), updatedAt: now })
    .where(eq(visitCodes.visitId, before.visitId))
    .returning();
  await appendAudit(tx, {
    actor,
    action: 'receiveCodes',
    entity: { kind: 'visitCode', id: before.visitId },
    before,
    after: after!,
    at: now,
  });
}

/**
 * The office revoked a code: merged into another visit (which carries its items and has a code of
 * its own) or cancelled. No result may be recorded against it after this; those recorded stay.
 */
export async function receiveCodeRevoked(tx: DeptTx, revoked: Revoked, clock: Clock, actor: Actor): Promise<void> {
  const now = clock.now();
  const [before] = await tx.select().from(visitCodes).where(eq(visitCodes.visitId, revoked.visitId)).for('update');
  if (!before || before.status !== 'VALID') return;
  await revokeCopy(
    tx,
    before,
    { status: revoked.reason, mergedInto: revoked.mergedInto ?? null, revokedAt: revoked.revokedAt },
    now,
    actor,
  );
}

/** Whether a copy is usable today (China): VALID, and today inside validFrom..validUntil. */
export const validityOf = (c: Pick<VisitCodeRow, 'status' | 'validFrom' | 'validUntil'>, today: string) =>
  c.status !== 'VALID' ? c.status : today < c.validFrom ? 'NOT_YET_VALID' : today > c.validUntil ? 'EXPIRED' : 'VALID';

/**
 * The department's codes, soonest planned first. `member` limits them to those whose team holds
 * that inspector (`memberKey`): what an inspector is shown.
 */
export async function listVisitCodes(db: DeptDb, member: string | null, args: ConnectionArgs) {
  const paging = pageArgs(args, 'visitCodes');
  const { limit, after } = paging;
  const where = member ? arrayContains(visitCodes.members, [member]) : undefined;
  const [afterOn, afterId] = after?.split('|') ?? [];
  if (after && !(afterOn && isUuid(afterId ?? ''))) throw badInput('after', 'page.badCursor');
  const page =
    afterOn && afterId
      ? or(gt(visitCodes.plannedOn, afterOn), and(eq(visitCodes.plannedOn, afterOn), gt(visitCodes.visitId, afterId)))
      : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(visitCodes)
      .where(and(where, page))
      .orderBy(asc(visitCodes.plannedOn), asc(visitCodes.visitId))
      .limit(limit + 1),
    db.select({ n: count() }).from(visitCodes).where(where),
  ]);
  return toConnection(rows, paging, (r) => `${r.plannedOn}|${r.visitId}`, total?.n ?? 0);
}

export async function visitCodeByCode(db: DeptDb | DeptTx, code: string): Promise<VisitCodeRow | null> {
  const [row] = await db.select().from(visitCodes).where(eq(visitCodes.code, code));
  return row ?? null;
}

/** The visits whose results a code shows: its own, and those merged into it (recorded before the merge). */
export const visitsOfCode = (copy: Pick<VisitCodeRow, 'visitId' | 'mergedFrom'>) => [copy.visitId, ...copy.mergedFrom];

/** Each code's recorded results, item by item, those of the visits merged into it included (one query for a batch). */
export async function resultsByCodes(
  db: DeptDb,
  copies: readonly Pick<VisitCodeRow, 'visitId' | 'mergedFrom'>[],
): Promise<InspectionResultRow[][]> {
  const visits = [...new Set(copies.flatMap(visitsOfCode))];
  const rows = visits.length
    ? await db
        .select()
        .from(inspectionResults)
        .where(inArray(inspectionResults.visitId, visits))
        .orderBy(asc(inspectionResults.recordedAt), asc(inspectionResults.itemCode))
    : [];
  return copies.map((c) => rows.filter((r) => visitsOfCode(c).includes(r.visitId)));
}

/** Each task's current code (VALID first, then the latest revoked one), one query for a batch. */
export async function codesByTasks(db: DeptDb, taskIds: readonly string[]): Promise<(VisitCodeRow | null)[]> {
  const valid = taskIds.filter(isUuid);
  const rows = valid.length
    ? await db
        .select()
        .from(visitCodes)
        .where(arrayOverlaps(visitCodes.taskIds, valid))
        .orderBy(sql`${visitCodes.status} = 'VALID' desc`, sql`${visitCodes.issuedAt} desc`)
    : [];
  return taskIds.map((id) => rows.find((r) => r.taskIds.includes(id)) ?? null);
}

/** Each request's code, once the office answered it (one query for a batch). */
export async function codesByRequests(db: DeptDb, requestIds: readonly string[]): Promise<(VisitCodeRow | null)[]> {
  const valid = requestIds.filter(isUuid);
  const rows = valid.length ? await db.select().from(visitCodes).where(inArray(visitCodes.requestId, valid)) : [];
  return requestIds.map((id) => rows.find((r) => r.requestId === id) ?? null);
}
