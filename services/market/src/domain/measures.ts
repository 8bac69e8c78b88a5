/**
 * Measures of cross-department supervision (issue 11 item 6; seed 001 §五 考核, 002 六(四)): for a
 * year, optionally one plan, department, industry (the business's, GB/T 4754 nesting) and region
 * (administrative division prefix). docs/publication.md defines each number.
 *
 * - coverage: drawn vs visited (a visit with a result) vs published, counted per plan — a merged
 *   visit counts in each of its plans' coverage.
 * - timeliness: visits recorded within their plan's window; inspection tasks published by their
 *   publishBy; tasks past it and still unpublished.
 * - jointRate: the share of visits that are merges (mergedFrom non-empty).
 * - burden (进一次门): per business, its visits in the year (coded or recorded, plannedOn in the
 *   year) across all departments — a merged visit once, a merged-away one not, checks outside
 *   plans included.
 */
import { and, arrayContains, arrayOverlaps, count, eq, gte, inArray, like, lte, or, sql, type SQL } from 'drizzle-orm';
import type { WorkingCalendar } from '@onecheck/calendar';
import { chinaDate } from '@onecheck/clock';
import { coversIndustry } from '@onecheck/codes';
import { badInput, isDepartment, isUuid, type Db } from '@onecheck/kit';
import {
  drawTargets,
  draws,
  enterprises,
  jointPlans,
  visitResults,
  visits,
  type PlanRow,
  type VisitRow,
} from '../db/schema';
import type * as schema from '../db/schema';
import { DRAWN_PLAN_STATUSES, planTasks, publishedOf, visitTasks } from './publication';
import { partsAndResultsOf, resultsFor } from './results';
import { industrySql } from './targets';

type Reader = Pick<Db<typeof schema>, 'select'>;

/** What counts as an inspection a business had (进一次门), and a plan's visit in its coverage: coded or recorded visits. */
export const BURDEN_VISIT_STATUSES = ['CODED', 'RECORDED'] as const satisfies VisitRow['status'][];

export interface MeasureFilter {
  year: number;
  planId?: string | null;
  department?: string | null;
  industry?: string | null;
  region?: string | null;
}

const yearBounds = (year: number) => ({ from: `${year}-01-01`, to: `${year}-12-31` });

/**
 * The inspections a business had in a year (进一次门): its visits planned in the year that were
 * recorded, or are coded and still to come or under way. A coded visit whose code expired with no
 * result never took place: it is no burden on the business.
 */
const burdenSql = (year: number, today: string) => {
  const { from, to } = yearBounds(year);
  const happened = sql`exists (select 1 from ${visitResults} where ${visitResults.visitId} = ${visits.id})`;
  return and(
    inArray(visits.status, [...BURDEN_VISIT_STATUSES]),
    or(eq(visits.status, 'RECORDED'), gte(visits.validUntil, today), happened),
    gte(visits.plannedOn, from),
    lte(visits.plannedOn, to),
  );
};

function checkFilter(f: MeasureFilter) {
  if (!Number.isInteger(f.year) || f.year < 2000 || f.year > 2100)
    throw badInput('year', 'input.wholeNumberRange', { minimum: 2000, maximum: 2100 });
  if (f.planId && !isUuid(f.planId)) throw badInput('planId', 'input.invalidFormat', { format: 'uuid' });
  if (f.region && !/^\d{2,6}$/.test(f.region)) throw badInput('region', 'input.invalidFormat', { format: 'region' });
  if (f.industry) industrySql(f.industry);
  // A department not configured would read as one with nothing to show.
  if (f.department && !isDepartment(f.department))
    throw badInput('department', 'department.unknown', { department: f.department });
}

/** The register's filter (industry, region) as SQL on enterprises; undefined when none. */
function businessSql(f: MeasureFilter): SQL | undefined {
  const conditions = [
    f.industry ? industrySql(f.industry) : undefined,
    f.region ? like(enterprises.region, `${f.region}%`) : undefined,
  ].filter((c): c is SQL => c !== undefined);
  return conditions.length ? and(...conditions) : undefined;
}

/** Businesses of `codes` that the register's filter keeps (all of them without one). */
async function keptBusinesses(db: Reader, f: MeasureFilter, codes: string[]): Promise<Set<string>> {
  const where = businessSql(f);
  if (!where) return new Set(codes);
  const unique = [...new Set(codes)];
  if (unique.length === 0) return new Set();
  const rows = await db
    .select({ uscc: enterprises.uscc })
    .from(enterprises)
    .where(and(inArray(enterprises.uscc, unique), where));
  return new Set(rows.map((r) => r.uscc));
}

/** The plans of the year in scope: drawn, of the plan asked, with the department, of the industry. */
async function plansInScope(db: Reader, f: MeasureFilter): Promise<PlanRow[]> {
  const rows = await db
    .select()
    .from(jointPlans)
    .where(
      and(
        eq(jointPlans.year, f.year),
        inArray(jointPlans.status, [...DRAWN_PLAN_STATUSES]),
        f.planId ? eq(jointPlans.id, f.planId) : undefined,
      ),
    );
  return rows.filter(
    (p) =>
      (!f.department || p.items.some((i) => i.department === f.department)) &&
      (!f.industry || coversIndustry(f.industry, p.industry) || coversIndustry(p.industry, f.industry)),
  );
}

/** The year's inspections (burdenSql) in scope. */
async function inspectionsInScope(db: Reader, f: MeasureFilter, today: string) {
  const rows = await db
    .select()
    .from(visits)
    .where(and(burdenSql(f.year, today), f.planId ? arrayContains(visits.planIds, [f.planId]) : undefined));
  const kept = await keptBusinesses(
    db,
    f,
    rows.map((r) => r.uscc),
  );
  const parts = await partsAndResultsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows
    .filter((r) => kept.has(r.uscc))
    .filter((r) => !f.department || parts.get(r.id)!.parts.some((p) => p.department === f.department))
    .map((visit) => ({ visit, ...parts.get(visit.id)! }));
}

export async function inspectionMeasures(db: Reader, f: MeasureFilter, calendar: WorkingCalendar, today: string) {
  checkFilter(f);
  const plans = await plansInScope(db, f);
  const planIds = plans.map((p) => p.id);

  // ── coverage, per plan ──
  const drawnRows = planIds.length
    ? await db
        .select({ planId: draws.planId, uscc: drawTargets.uscc })
        .from(drawTargets)
        .innerJoin(draws, eq(draws.id, drawTargets.drawId))
        .where(inArray(draws.planId, planIds))
    : [];
  const planVisits = planIds.length
    ? await db
        .select()
        .from(visits)
        .where(and(arrayOverlaps(visits.planIds, planIds), inArray(visits.status, [...BURDEN_VISIT_STATUSES])))
    : [];
  const kept = await keptBusinesses(db, f, [...drawnRows.map((r) => r.uscc), ...planVisits.map((v) => v.uscc)]);
  const parts = await partsAndResultsOf(
    db,
    planVisits.map((v) => v.id),
  );
  const published = await publishedOf(
    db,
    planVisits.map((v) => v.id),
  );
  const byDepartment = (department: string | null | undefined) => (d: string) => !department || d === department;
  const coverage = { drawn: 0, visited: 0, published: 0 };
  const timeliness = { recordedInWindow: 0, publishedInTime: 0, publicationOverdue: 0 };
  for (const plan of plans) {
    coverage.drawn += drawnRows.filter((r) => r.planId === plan.id && kept.has(r.uscc)).length;
    for (const visit of planVisits.filter((v) => v.planIds.includes(plan.id) && kept.has(v.uscc))) {
      const { results } = parts.get(visit.id)!;
      const mine = f.department ? resultsFor(results, f.department) : results;
      if (mine.length === 0) continue;
      coverage.visited += 1;
      if (mine.every((r) => chinaDate(r.recordedAt) <= plan.windowTo)) timeliness.recordedInWindow += 1;
      if (published.some((p) => p.visitId === visit.id && byDepartment(f.department)(p.department)))
        coverage.published += 1;
    }
  }

  // ── timeliness of publication: the plans' tasks, and checks outside plans of the year ──
  const { from, to } = yearBounds(f.year);
  const tasks = [
    ...(await planTasks(db, plans, calendar, today)),
    ...(f.planId
      ? []
      : await visitTasks(db, and(gte(visits.plannedOn, from), lte(visits.plannedOn, to)), calendar, today)),
  ].filter((t) => byDepartment(f.department)(t.department));
  const outsideKept = await keptBusinesses(
    db,
    f,
    tasks.filter((t) => !t.plan).map((t) => t.taskVisits[0]!.visit.uscc),
  );
  for (const t of tasks) {
    if (!t.plan && !outsideKept.has(t.taskVisits[0]!.visit.uscc)) continue;
    if (t.publishedAt && t.publishBy && chinaDate(t.publishedAt) <= t.publishBy) timeliness.publishedInTime += 1;
    if (t.publicationOverdue) timeliness.publicationOverdue += 1;
  }

  // ── joint rate and burden, over the year's visits ──
  const yearVisits = await inspectionsInScope(db, f, today);
  const merged = yearVisits.filter((v) => v.visit.mergedFrom.length > 0).length;
  const perBusiness = new Map<string, number>();
  for (const { visit } of yearVisits) perBusiness.set(visit.uscc, (perBusiness.get(visit.uscc) ?? 0) + 1);
  const inspections = yearVisits.length;
  const businesses = perBusiness.size;
  return {
    coverage,
    timeliness,
    jointRate: { visits: inspections, mergedVisits: merged, rate: inspections ? merged / inspections : 0 },
    burden: {
      businesses,
      inspections,
      average: businesses ? inspections / businesses : 0,
      max: Math.max(0, ...perBusiness.values()),
    },
  };
}

/** Enterprise.inspectionBurden: a business's inspections in a year, across all departments. */
export async function inspectionBurden(db: Reader, uscc: string, year: number, today: string): Promise<number> {
  if (!Number.isInteger(year) || year < 2000 || year > 2100)
    throw badInput('year', 'input.wholeNumberRange', { minimum: 2000, maximum: 2100 });
  const [row] = await db
    .select({ n: count() })
    .from(visits)
    .where(and(eq(visits.uscc, uscc), burdenSql(year, today)));
  return row?.n ?? 0;
}
