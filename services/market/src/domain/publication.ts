/**
 * 一公开 (issue 11 item 5; seed 000 §二(二)9 "检查结果在20个工作日内公示", 001; domain-notes §5
 * "谁检查、谁录入、谁公示"): a plan's inspection task for one department — its visits of that plan
 * that have a part for the department — completes when its last visit is recorded for the
 * department, or when the plan's window closes; its results are due in public 20 working days after
 * completion (official calendar). Each recorded visit's results for the department become a public
 * record: business name and code, items with names and result categories, the inspection date, the
 * visit's departments and the officers' certificate numbers — no officer's name or id, no
 * complainant, no reason detail. Each record goes out on the public topic
 * (onecheck.result.published.v1, onecheck.public.result, key: the uscc). A check outside plans is
 * published per visit, due 20 working days after its result. docs/publication.md says it in full.
 */
import { and, arrayOverlaps, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import type { WorkingCalendar } from '@onecheck/calendar';
import type { Clock } from '@onecheck/clock';
import type { EventData } from '@onecheck/contracts';
import { recordEvent } from '@onecheck/events';
import {
  checkListFilter,
  actorOf,
  appendAudit,
  badInput,
  conflict,
  isUuid,
  notFound,
  pageArgs,
  toConnection,
  type ConnectionArgs,
  type Db,
  type Tx,
} from '@onecheck/kit';
import {
  jointPlans,
  resultPublications,
  taskPublications,
  visits,
  type PlanRow,
  type ResultPublicationRow,
  type VisitDepartmentRow,
  type VisitResultRow,
  type VisitRow,
} from '../db/schema';
import type * as schema from '../db/schema';
import { lockPlan } from './plans';
import { partRecordedOn, partsAndResultsOf, resultsFor } from './results';
import { listItemsByKey } from './visits';

type MarketDb = Db<typeof schema>;
type MarketTx = Tx<typeof schema>;
type Reader = Pick<MarketDb, 'select'>;
const SOURCE = 'onecheck/market';

/** Seed 000 §二(二)9: 检查结果在20个工作日内公示 (the start day not counted, 民法典 §201). */
export const PUBLISH_WORKING_DAYS = 20;

/** Plans whose draw was made: they have inspection tasks. */
export const DRAWN_PLAN_STATUSES = ['DRAWN', 'IN_PROGRESS', 'COMPLETED'] as const satisfies PlanRow['status'][];
/** Visits that happen (or happened): not merged into another, not cancelled. */
export const LIVE_VISIT_STATUSES = ['AWAITING_TEAMS', 'CODED', 'RECORDED'] as const satisfies VisitRow['status'][];

/** One department's visit part with its results and the day it was recorded (null: not yet). */
export interface TaskVisit {
  visit: VisitRow;
  part: VisitDepartmentRow;
  results: VisitResultRow[];
  parts: VisitDepartmentRow[];
  recordedOn: string | null;
}

/**
 * An inspection task (InspectionTask in the graph): a plan's task for one department, or a check
 * outside plans for one department (plan null, visitId set).
 */
export interface InspectionTaskView {
  plan: PlanRow | null;
  visitId: string | null;
  department: string;
  taskVisits: TaskVisit[];
  visits: number;
  recorded: number;
  completedOn: string | null;
  publishBy: string | null;
  publishedAt: Date | null;
  publicationOverdue: boolean;
}

const departmentsOfPlan = (plan: PlanRow) =>
  [plan.leadDepartment, ...plan.cooperatingDepartments].filter((d) => plan.items.some((i) => i.department === d));

const isDrawn = (plan: PlanRow) => (DRAWN_PLAN_STATUSES as readonly string[]).includes(plan.status);
const maxOf = (days: string[]) => days.reduce((a, b) => (a > b ? a : b));

/**
 * Completion (docs/publication.md): all visits recorded for the department → the day of the last
 * result, but never after windowTo; the window closed with visits still open (today after
 * windowTo) → windowTo. Otherwise not complete.
 */
export function completionOf(plan: PlanRow, taskVisits: TaskVisit[], today: string): string | null {
  const recorded = taskVisits.filter((v) => v.recordedOn !== null);
  if (taskVisits.length > 0 && recorded.length === taskVisits.length) {
    const last = maxOf(recorded.map((v) => v.recordedOn!));
    return last < plan.windowTo ? last : plan.windowTo;
  }
  return today > plan.windowTo ? plan.windowTo : null;
}

function taskView(
  plan: PlanRow | null,
  visitId: string | null,
  department: string,
  taskVisits: TaskVisit[],
  completedOn: string | null,
  published: { publishedAt: Date; completedOn?: string; publishBy: string } | undefined,
  calendar: WorkingCalendar,
  today: string,
): InspectionTaskView {
  // What was published is kept as it stood; before that, the dates follow the records and the calendar.
  const done = published?.completedOn ?? completedOn;
  const publishBy = published?.publishBy ?? (done ? calendar.addWorkingDays(done, PUBLISH_WORKING_DAYS) : null);
  return {
    plan,
    visitId,
    department,
    taskVisits,
    visits: taskVisits.length,
    recorded: taskVisits.filter((v) => v.recordedOn !== null).length,
    completedOn: done,
    publishBy,
    publishedAt: published?.publishedAt ?? null,
    publicationOverdue: !published && publishBy !== null && today > publishBy,
  };
}

/** The live visits of plans with their parts and results (one query each). */
async function visitsOfPlans(db: Reader, planIds: string[]) {
  if (planIds.length === 0) return { rows: [] as VisitRow[], parts: await partsAndResultsOf(db, []) };
  const rows = await db
    .select()
    .from(visits)
    .where(and(arrayOverlaps(visits.planIds, planIds), inArray(visits.status, [...LIVE_VISIT_STATUSES])));
  return {
    rows,
    parts: await partsAndResultsOf(
      db,
      rows.map((r) => r.id),
    ),
  };
}

const toTaskVisit = (
  visit: VisitRow,
  department: string,
  all: { parts: VisitDepartmentRow[]; results: VisitResultRow[] },
): TaskVisit | null => {
  const part = all.parts.find((p) => p.department === department);
  if (!part) return null;
  const results = resultsFor(all.results, department);
  return { visit, part, results, parts: all.parts, recordedOn: partRecordedOn(part, results) };
};

/** The inspection tasks of plans (a drawn plan: one per department with items in it). */
export async function planTasks(
  db: Reader,
  plans: PlanRow[],
  calendar: WorkingCalendar,
  today: string,
): Promise<InspectionTaskView[]> {
  const drawn = plans.filter(isDrawn);
  if (drawn.length === 0) return [];
  const ids = drawn.map((p) => p.id);
  const [{ rows, parts }, published] = await Promise.all([
    visitsOfPlans(db, ids),
    db.select().from(taskPublications).where(inArray(taskPublications.planId, ids)),
  ]);
  return drawn.flatMap((plan) =>
    departmentsOfPlan(plan).map((department) => {
      const taskVisits = rows
        .filter((v) => v.planIds.includes(plan.id))
        .map((v) => toTaskVisit(v, department, parts.get(v.id)!))
        .filter((v): v is TaskVisit => v !== null);
      const pub = published.find((p) => p.planId === plan.id && p.department === department);
      return taskView(plan, null, department, taskVisits, completionOf(plan, taskVisits, today), pub, calendar, today);
    }),
  );
}

/**
 * Checks outside plans (投诉举报, 专项行动, 重点领域, seed 001) as tasks, one per visit and
 * department: complete with the department's last result, published per visit.
 */
export async function visitTasks(
  db: Reader,
  where: SQL | undefined,
  calendar: WorkingCalendar,
  today: string,
): Promise<InspectionTaskView[]> {
  const rows = await db
    .select()
    .from(visits)
    .where(and(sql`cardinality(${visits.planIds}) = 0`, inArray(visits.status, [...LIVE_VISIT_STATUSES]), where));
  if (rows.length === 0) return [];
  const [parts, published] = await Promise.all([
    partsAndResultsOf(
      db,
      rows.map((r) => r.id),
    ),
    db
      .select()
      .from(resultPublications)
      .where(
        inArray(
          resultPublications.visitId,
          rows.map((r) => r.id),
        ),
      ),
  ]);
  return rows.flatMap((visit) =>
    parts.get(visit.id)!.parts.map((p) => {
      const tv = toTaskVisit(visit, p.department, parts.get(visit.id)!)!;
      const pub = published.find((x) => x.visitId === visit.id && x.department === p.department);
      return taskView(null, visit.id, p.department, [tv], tv.recordedOn, pub, calendar, today);
    }),
  );
}

/** Every overdue publication (the office), or one department's (its staff). */
export async function overduePublications(
  db: Reader,
  department: string | null,
  calendar: WorkingCalendar,
  today: string,
): Promise<InspectionTaskView[]> {
  const plans = await db
    .select()
    .from(jointPlans)
    .where(inArray(jointPlans.status, [...DRAWN_PLAN_STATUSES]));
  const tasks = [
    ...(await planTasks(db, plans, calendar, today)),
    ...(await visitTasks(db, undefined, calendar, today)),
  ];
  return tasks
    .filter((t) => t.publicationOverdue && (department === null || t.department === department))
    .sort((a, b) => (a.publishBy! < b.publishBy! ? -1 : a.publishBy! > b.publishBy! ? 1 : 0));
}

/** Item names as the joint list has them (the public record names each item). */
async function itemNames(db: Reader, parts: { department: string; items: string[] }[]) {
  const keys = [...new Set(parts.flatMap((p) => p.items.map((code) => `${p.department}\t${code}`)))];
  const items = await listItemsByKey(db, keys);
  const names = new Map(keys.map((key, n) => [key, items[n]?.name]));
  return (department: string, code: string) => names.get(`${department}\t${code}`);
}

/**
 * The public record of a department's results on a visit: facts only, nothing personal beyond
 * the officers' certificate numbers (行政处罚法 §55: officers show them anyway).
 */
function publicRecord(
  tv: TaskVisit,
  nameOf: (department: string, code: string) => string | undefined,
): Omit<ResultPublicationRow, 'id' | 'planId' | 'publishBy' | 'publishedAt'> {
  const latest = [...tv.results].sort((a, b) => b.recordedAt.getTime() - a.recordedAt.getTime());
  const items = tv.part.items.map((itemCode) => {
    const categories = latest.flatMap((r) => r.items).find((i) => i.itemCode === itemCode)!.categories;
    const itemName = nameOf(tv.part.department, itemCode);
    return { itemCode, ...(itemName ? { itemName } : {}), categories };
  });
  return {
    visitId: tv.visit.id,
    department: tv.part.department,
    planIds: tv.visit.planIds,
    reason: tv.visit.reason,
    uscc: tv.visit.uscc,
    businessName: tv.visit.businessName,
    items,
    inspectedOn: maxOf(tv.results.map((r) => r.inspectedOn)),
    departments: tv.parts.map((p) => p.department).sort(),
    certificateNumbers: [...new Set(tv.results.flatMap((r) => r.officers))].sort(),
  };
}

/** Stores one public record and puts it on the public topic; null when it is public already. */
async function publishRecord(
  tx: MarketTx,
  tv: TaskVisit,
  planId: string | null,
  publishBy: string,
  nameOf: (department: string, code: string) => string | undefined,
  now: Date,
): Promise<ResultPublicationRow | null> {
  const record = publicRecord(tv, nameOf);
  const [row] = await tx
    .insert(resultPublications)
    .values({ ...record, planId, publishBy, publishedAt: now })
    .onConflictDoNothing()
    .returning();
  if (!row) return null;
  const data: EventData<'onecheck.result.published.v1'> = {
    publicationId: row.id,
    visitId: row.visitId,
    ...(planId ? { planId } : {}),
    reason: row.reason,
    department: row.department,
    uscc: row.uscc,
    businessName: row.businessName,
    items: row.items,
    inspectedOn: row.inspectedOn,
    departments: row.departments,
    certificateNumbers: row.certificateNumbers,
    publishedAt: now.toISOString(),
  };
  await recordEvent(tx, { source: SOURCE, type: 'onecheck.result.published.v1', key: row.uscc, data, time: now });
  return row;
}

const publishedAlready = (at: Date) => conflict('publication.publishedAlready', { publishedAt: at.toISOString() });

/**
 * Publishes a plan's inspection task for one department (its staff, or the office): refused
 * before the task is complete and when published already. Each recorded visit's results for the
 * department not public yet (a merged visit may be, through its other plan) become public.
 */
export async function publishInspectionResults(
  db: MarketDb,
  planId: string,
  department: string,
  calendar: WorkingCalendar,
  clock: Clock,
  identity: Identity,
): Promise<InspectionTaskView> {
  const now = clock.now();
  const today = clock.today();
  return db.transaction(async (tx) => {
    const plan = await lockPlan(tx, planId);
    if (!isDrawn(plan)) throw conflict('publication.planNotDrawn', { id: planId }, 'planId');
    if (!departmentsOfPlan(plan).includes(department))
      throw badInput('department', 'publication.departmentNotInPlan', { department });
    const [task] = (await planTasks(tx, [plan], calendar, today)).filter((t) => t.department === department);
    if (task!.publishedAt) throw publishedAlready(task!.publishedAt);
    if (!task!.completedOn)
      throw conflict(
        'publication.taskNotComplete',
        { recorded: task!.recorded, visits: task!.visits, windowTo: plan.windowTo },
        'planId',
      );
    const nameOf = await itemNames(tx, [
      { department, items: [...new Set(task!.taskVisits.flatMap((v) => v.part.items))] },
    ]);
    const records: ResultPublicationRow[] = [];
    for (const tv of task!.taskVisits.filter((v) => v.recordedOn !== null)) {
      const row = await publishRecord(tx, tv, planId, task!.publishBy!, nameOf, now);
      if (row) records.push(row);
    }
    const [pub] = await tx
      .insert(taskPublications)
      .values({
        planId,
        department,
        completedOn: task!.completedOn,
        publishBy: task!.publishBy!,
        published: records.length,
        publishedAt: now,
      })
      .returning();
    await appendAudit(tx, {
      actor: actorOf(identity),
      action: 'publishResults',
      entity: { kind: 'plan', id: planId },
      after: { taskPublication: pub, publications: records.map((r) => r.id) },
      at: now,
    });
    return { ...task!, publishedAt: now, publicationOverdue: false };
  });
}

/**
 * Publishes a check outside plans for one department (its staff, or the office): refused until
 * the department's results on it are all in, and when published already; due 20 working days
 * after its last result.
 */
export async function publishVisitResults(
  db: MarketDb,
  visitId: string,
  department: string,
  calendar: WorkingCalendar,
  clock: Clock,
  identity: Identity,
): Promise<ResultPublicationRow> {
  const now = clock.now();
  return db.transaction(async (tx) => {
    if (!isUuid(visitId)) throw notFound('visit', visitId);
    const [visit] = await tx.select().from(visits).where(eq(visits.id, visitId)).for('update');
    if (!visit || !(LIVE_VISIT_STATUSES as readonly string[]).includes(visit.status)) throw notFound('visit', visitId);
    if (visit.planIds.length > 0) throw conflict('publication.visitInPlan', {}, 'visitId');
    const all = (await partsAndResultsOf(tx, [visit.id])).get(visit.id)!;
    const tv = toTaskVisit(visit, department, all);
    if (!tv) throw badInput('department', 'publication.departmentNotOnVisit', { department });
    const [existing] = await tx
      .select()
      .from(resultPublications)
      .where(and(eq(resultPublications.visitId, visit.id), eq(resultPublications.department, department)));
    if (existing) throw publishedAlready(existing.publishedAt);
    if (!tv.recordedOn) throw conflict('publication.visitNotRecorded', { department }, 'visitId');
    const nameOf = await itemNames(tx, [tv.part]);
    const publishBy = calendar.addWorkingDays(tv.recordedOn, PUBLISH_WORKING_DAYS);
    const row = (await publishRecord(tx, tv, null, publishBy, nameOf, now))!;
    await appendAudit(tx, {
      actor: actorOf(identity),
      action: 'publishResults',
      entity: { kind: 'visit', id: visit.id },
      after: { publication: row },
      at: now,
    });
    return row;
  });
}

export interface PublishedFilter {
  uscc?: string | null;
  planId?: string | null;
  department?: string | null;
}

/**
 * The public query (no token): published records, newest first, by business, plan (a merged
 * visit under each of its plans) and department. The cursor is (publishedAt, id).
 */
export async function publishedResults(db: Reader, raw: PublishedFilter, args: ConnectionArgs) {
  // Its filters are the query's own arguments: a refusal names them (uscc, department).
  const filter = checkListFilter(raw, null);
  const paging = pageArgs(args, 'publishedResults');
  const { limit, after } = paging;
  if (filter.planId && !isUuid(filter.planId)) throw badInput('planId', 'input.invalidFormat', { format: 'uuid' });
  const where = and(
    filter.uscc ? eq(resultPublications.uscc, filter.uscc) : undefined,
    filter.planId ? sql`${resultPublications.planIds} @> array[${filter.planId}]::uuid[]` : undefined,
    filter.department ? eq(resultPublications.department, filter.department) : undefined,
  );
  let before: SQL | undefined;
  if (after) {
    const [at, id] = after.split('|');
    if (!at || !id || !isUuid(id) || Number.isNaN(Date.parse(at))) throw badInput('after', 'page.badCursor');
    before = sql`(${resultPublications.publishedAt}, ${resultPublications.id}) < (${at}::timestamptz, ${id}::uuid)`;
  }
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(resultPublications)
      .where(and(where, before))
      .orderBy(desc(resultPublications.publishedAt), desc(resultPublications.id))
      .limit(limit + 1),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(resultPublications)
      .where(where),
  ]);
  return toConnection(rows, paging, (r) => `${r.publishedAt.toISOString()}|${r.id}`, total?.n ?? 0);
}

/** Which visits are public, per department (the measures' coverage). */
export const publishedOf = (db: Reader, visitIds: string[]) =>
  visitIds.length
    ? db
        .select({ visitId: resultPublications.visitId, department: resultPublications.department })
        .from(resultPublications)
        .where(inArray(resultPublications.visitId, visitIds))
    : Promise.resolve([]);
