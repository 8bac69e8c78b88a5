/**
 * 合并检查 (seed 000 §二(二)6: 多个部门对同一对象检查的合并为一次联合检查; 002 三(二); 优化营商环境条例
 * §54 — 能够合并进行的检查，应当合并进行): the office is shown a plan's visits that overlap other visits of
 * the same business and merges them into one (docs/visits.md). The kept visit carries every plan's
 * and department's items under one code; the others are MERGED and their codes revoked. Recorded.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Identity } from '@onecheck/auth';
import type { CalendarBase } from '@onecheck/calendar';
import type { Clock } from '@onecheck/clock';
import { recordEvent } from '@onecheck/events';
import { actorOf, appendAudit, badInput, conflict, distinctList, notFound, parseInput, type Db } from '@onecheck/kit';
import { visitDepartments, visits, type VisitRow } from '../db/schema';
import { planById } from './plans';
import type * as schema from '../db/schema';
import {
  ACTIVE_STATUSES,
  issueVersion,
  lockVisits,
  partsOf,
  plannedInside,
  requireActive,
  rowsOf,
  visitsByIds,
  visitsConfig,
  visitsWithResults,
  type MarketTx,
} from './visits';

type MarketDb = Db<typeof schema>;
type Reader = Pick<MarketDb, 'select' | 'selectDistinct' | 'execute'>;
const SOURCE = 'onecheck/market';
const active = sql.raw(`(${ACTIVE_STATUSES.map((s) => `'${s}'`).join(', ')})`);

/** One of a plan's visits with the other visits of its business it overlaps. */
export interface VisitOverlapView {
  visit: VisitRow;
  overlapping: VisitRow[];
}

/**
 * For a plan's active visits without results: the other active visits of the same business, also
 * without results, whose windows intersect — or, when the county set mergeWindowDays
 * (config/visits.json), whose windows intersect and whose planned dates are that close.
 */
/** A plan asked about by id must exist: an unknown one is NOT_FOUND on planId, not an empty answer. */
async function requirePlan(db: Reader, planId: string): Promise<void> {
  if (!(await planById(db, planId))) throw notFound('plan', planId, 'planId');
}

export async function visitOverlaps(
  db: Reader,
  planId: string,
  days: number | null = visitsConfig().mergeWindowDays,
): Promise<VisitOverlapView[]> {
  await requirePlan(db, planId);
  const pairs = rowsOf<{ visit: string; other: string }>(
    await db.execute(sql`
      select v.id as visit, o.id as other
      from ${visits} v
      join ${visits} o on o.uscc = v.uscc and o.id <> v.id
      where v.plan_ids @> array[${planId}]::uuid[] and v.status in ${active} and o.status in ${active}
        and v.valid_from <= o.valid_until and o.valid_from <= v.valid_until
        and (${days}::int is null or abs(v.planned_on - o.planned_on) <= ${days}::int)
        and not exists (select 1 from visit_results r where r.visit_id = v.id)
        and not exists (select 1 from visit_results r where r.visit_id = o.id)
      order by v.uscc, v.created_at, v.id, o.created_at, o.id`),
  );
  const ids = [...new Set(pairs.flatMap((p) => [p.visit, p.other]))];
  const rows = await visitsByIds(db, ids);
  const byId = new Map(rows.filter((r): r is VisitRow => r !== null).map((r) => [r.id, r]));
  const out = new Map<string, VisitOverlapView>();
  for (const p of pairs) {
    const entry = out.get(p.visit) ?? { visit: byId.get(p.visit)!, overlapping: [] };
    entry.overlapping.push(byId.get(p.other)!);
    out.set(p.visit, entry);
  }
  return [...out.values()];
}

const mergeInput = z.object({
  into: z.string(),
  from: distinctList(z.string(), 50).min(1),
});

/**
 * Merges visits of one business into `into` (in the caller's transaction): all active, none with
 * results, windows intersecting. The kept visit gets every plan and department (one department
 * twice: its items united, the kept visit's team unless it has none), the windows' intersection,
 * a planned date inside it, and mergedFrom; the others become MERGED with mergedInto, and a coded
 * one's code is revoked (onecheck.visit.code-revoked.v1). The kept visit's code gets a new version.
 */
export async function mergeInto(
  tx: MarketTx,
  intoId: string,
  fromIds: string[],
  now: Date,
  identity: Identity,
  base: CalendarBase | undefined,
): Promise<VisitRow> {
  fromIds.forEach((id, n) => {
    if (id === intoId) throw badInput(`from.${n}`, 'visit.mergeSelf', { id });
  });
  const locked = await lockVisits(tx, [intoId, ...fromIds]);
  const into = locked.find((v) => v.id === intoId);
  if (!into) throw notFound('visit', intoId, 'into');
  const from = fromIds.map((id, n) => {
    const v = locked.find((l) => l.id === id);
    if (!v) throw notFound('visit', id, `from.${n}`);
    return v;
  });
  requireActive(into, 'into');
  from.forEach((v, n) => requireActive(v, `from.${n}`));
  from.forEach((v, n) => {
    if (v.uscc !== into.uscc) throw badInput(`from.${n}`, 'visit.mergeOtherBusiness', { id: v.id });
  });
  let validFrom = into.validFrom;
  let validUntil = into.validUntil;
  from.forEach((v, n) => {
    validFrom = v.validFrom > validFrom ? v.validFrom : validFrom;
    validUntil = v.validUntil < validUntil ? v.validUntil : validUntil;
    if (validFrom > validUntil) throw badInput(`from.${n}`, 'visit.mergeWindowsDisjoint', { id: v.id });
  });
  const withResults = await visitsWithResults(tx, [into.id, ...fromIds]);
  if (withResults.has(into.id)) throw conflict('visit.hasResults', { id: into.id }, 'into');
  from.forEach((v, n) => {
    if (withResults.has(v.id)) throw conflict('visit.hasResults', { id: v.id }, `from.${n}`);
  });

  // The kept visit's parts, then each absorbed part: a new department joins; one already there
  // has its items united and keeps its team (or takes the absorbed one's when it has none).
  const [keptParts, ...absorbedParts] = await partsOf(tx, [into.id, ...fromIds]);
  const parts = new Map(keptParts!.map((p) => [p.department, { ...p }]));
  for (const p of absorbedParts.flat()) {
    const kept = parts.get(p.department);
    if (!kept) {
      parts.set(p.department, { ...p, visitId: into.id });
      continue;
    }
    kept.items = [...new Set([...kept.items, ...p.items])];
    if (kept.team === null && p.team !== null)
      Object.assign(kept, { team: p.team, shortfall: p.shortfall, taskId: p.taskId });
    kept.delegatedTo ??= p.delegatedTo;
  }
  await tx.delete(visitDepartments).where(sql`${visitDepartments.visitId} = ${into.id}`);
  await tx.insert(visitDepartments).values([...parts.values()].map((p) => ({ ...p, visitId: into.id })));

  const actor = actorOf(identity);
  for (const v of from) {
    const [row] = await tx
      .update(visits)
      .set({ status: 'MERGED', mergedInto: into.id, updatedAt: now })
      .where(sql`${visits.id} = ${v.id}`)
      .returning();
    if (v.code)
      await recordEvent(tx, {
        source: SOURCE,
        type: 'onecheck.visit.code-revoked.v1',
        key: v.uscc,
        data: {
          visitId: v.id,
          code: v.code,
          uscc: v.uscc,
          reason: 'MERGED',
          mergedInto: into.id,
          revokedAt: now.toISOString(),
        },
        time: now,
      });
    await appendAudit(tx, {
      actor,
      action: 'mergeVisits',
      entity: { kind: 'visit', id: v.id },
      before: v,
      after: row,
      at: now,
    });
  }
  const planIds = [...new Set([...into.planIds, ...from.flatMap((v) => v.planIds)])];
  const plannedOn = await plannedInside(tx, into.plannedOn, validFrom, validUntil, base);
  return issueVersion(
    tx,
    into,
    { planIds, validFrom, validUntil, plannedOn, mergedFrom: [...into.mergedFrom, ...fromIds] },
    now,
    actor,
    'mergeVisits',
    { merged: fromIds },
  );
}

/** The office merges visits of one business into one (mergeVisits). */
export async function mergeVisits(
  db: MarketDb,
  raw: { into: string; from: string[] },
  clock: Clock,
  identity: Identity,
  base: CalendarBase | undefined,
): Promise<VisitRow> {
  const input = parseInput(mergeInput, raw);
  const now = clock.now();
  return db.transaction((tx) => mergeInto(tx, input.into, [...new Set(input.from)], now, identity, base));
}

/**
 * The office merges every overlap of a plan's visits (mergePlanOverlaps): per business, the
 * visits overlapping go into the earliest created one, one at a time (each merge narrows the
 * window; a visit no longer intersecting it stays apart and is still shown as an overlap). One
 * transaction. Resolves to the kept visits.
 */
export async function mergePlanOverlaps(
  db: MarketDb,
  planId: string,
  clock: Clock,
  identity: Identity,
  base: CalendarBase | undefined,
): Promise<VisitRow[]> {
  const now = clock.now();
  return db.transaction(async (tx) => {
    const overlaps = await visitOverlaps(tx, planId); // NOT_FOUND on planId for a plan that does not exist
    const groups = new Map<string, VisitRow[]>();
    for (const o of overlaps) {
      const group = groups.get(o.visit.uscc) ?? [];
      for (const v of [o.visit, ...o.overlapping]) if (!group.some((g) => g.id === v.id)) group.push(v);
      groups.set(o.visit.uscc, group);
    }
    const kept: VisitRow[] = [];
    for (const group of groups.values()) {
      group.sort((a, b) => +a.createdAt - +b.createdAt || (a.id < b.id ? -1 : 1));
      let into = group[0]!;
      for (const other of group.slice(1)) {
        if (other.validFrom > into.validUntil || into.validFrom > other.validUntil) continue;
        into = await mergeInto(tx, into.id, [other.id], now, identity, base);
      }
      kept.push(into);
    }
    return kept;
  });
}
