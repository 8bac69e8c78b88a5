/**
 * 进一次门、查多项事 (seed 000 §二(二)6, 002 三(二)) and 赋码检查 (seed 004 (十二)): the office's visits
 * (docs/visits.md). The draw makes one visit per drawn business, carrying every department's items;
 * each department's teams-drawn event fills its team; once every department part has its team
 * (possibly none, with a shortfall) the visit is coded and the code goes to the departments as
 * onecheck.visit.coded.v1. Every later change of a coded visit (merge, 互帮代查, a new date) is a
 * new version with the full state. A department's check outside plans is coded at once.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Identity } from '@onecheck/auth';
import { loadCalendar, type CalendarBase } from '@onecheck/calendar';
import { addDays, type Clock } from '@onecheck/clock';
import { VISIT_STATUSES, type EventData, type VisitStatus } from '@onecheck/contracts';
import { recordEvent, recordEvents } from '@onecheck/events';
import {
  usccField,
  actorOf,
  appendAudit,
  appendAuditMany,
  badInput,
  conflict,
  dateField,
  anyOf,
  arrayOf,
  departmentField,
  isUuid,
  notFound,
  pageArgs,
  parseInput,
  REPO_ROOT,
  toConnection,
  type Action,
  type Actor,
  type ConnectionArgs,
  type Db,
  type Tx,
} from '@onecheck/kit';
import {
  drawPool,
  drawTargets,
  enterprises,
  jointListChanges,
  jointPlans,
  jointListItems,
  visitDepartments,
  visitResults,
  visits,
  type PlanRow,
  type VisitDepartmentRow,
  type VisitRow,
} from '../db/schema';
import type * as schema from '../db/schema';
import { codeStatus, newInspectionCode, normaliseInspectionCode } from './visit-code';
import { codeRefusalFor, refusedAlready, refuseCodeRequest } from './code-refusals';

type MarketDb = Db<typeof schema>;
export type MarketTx = Tx<typeof schema>;
type Reader = Pick<MarketDb, 'select' | 'selectDistinct'>;
const SOURCE = 'onecheck/market';

/** Visits that still carry a code or are waiting for one: the others were merged away, cancelled or recorded. */
export const ACTIVE_STATUSES = ['AWAITING_TEAMS', 'CODED'] as const satisfies readonly VisitStatus[];

/** The rows of a raw statement (node-postgres and PGlite both answer `{ rows }`). */
export const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

// ── The county's merge setting (config/visits.json) ─────────────────────────────────────────

const visitsFile = z.object({ mergeWindowDays: z.int().min(0).max(366).nullable() });
let visitSettings: z.infer<typeof visitsFile> | undefined;
/** mergeWindowDays null: visits overlap when their windows intersect (the plan's window, the default). */
export function visitsConfig() {
  visitSettings ??= visitsFile.parse(JSON.parse(readFileSync(resolve(REPO_ROOT, 'config/visits.json'), 'utf8')));
  return visitSettings;
}

// ── Planned dates ───────────────────────────────────────────────────────────────────────────

/** The working days (official calendar) of a window from `today` on; every day of it if it has none. */
export async function workingDaysOf(
  db: Reader,
  from: string,
  to: string,
  today: string,
  base: CalendarBase | undefined,
): Promise<string[]> {
  const calendar = await loadCalendar(db as never, base);
  const start = today > from && today <= to ? today : from;
  const all: string[] = [];
  for (let d = start; d <= to && all.length < 400; d = addDays(d, 1)) all.push(d);
  const working = all.filter((d) => calendar.isWorkingDay(d));
  return working.length ? working : all.length ? all : [from];
}

/** A planned date moved inside a (narrower) window: the nearest working day in it. */
export async function plannedInside(
  db: Reader,
  plannedOn: string,
  from: string,
  to: string,
  base: CalendarBase | undefined,
): Promise<string> {
  if (plannedOn >= from && plannedOn <= to) return plannedOn;
  const days = await workingDaysOf(db, from, to, from, base);
  return plannedOn < from ? days[0]! : days.at(-1)!;
}

// ── At the draw: one visit per drawn business ───────────────────────────────────────────────

/**
 * In the draw's transaction: one visit per drawn business (AWAITING_TEAMS, the plan's window, a
 * planned working day spread over the window in draw order) and one part per department of the
 * plan with its items. Set-based: two statements whatever the number drawn. Resolves to the count.
 */
export async function createPlanVisits(
  tx: MarketTx,
  input: { plan: PlanRow; drawId: string; departments: { department: string; items: string[] }[] },
  now: Date,
  today: string,
  base: CalendarBase | undefined,
): Promise<number> {
  const { plan, drawId, departments } = input;
  const days = await workingDaysOf(tx, plan.windowFrom, plan.windowTo, today, base);
  const result = await tx.execute(sql`
    with drawn as (
      select t.uscc, p.name, (row_number() over (order by t.place) - 1) as n, count(*) over () as total
      from ${drawTargets} t join ${drawPool} p on p.draw_id = t.draw_id and p.uscc = t.uscc
      where t.draw_id = ${drawId}
    ), created as (
      insert into ${visits} (uscc, business_name, reason, plan_ids, planned_on, valid_from, valid_until,
                             status, created_at, updated_at)
      select uscc, name, 'PLAN', array[${plan.id}]::uuid[],
             (${arrayOf(days, 'date')})[1 + (n * ${days.length} / total)::int],
             ${plan.windowFrom}::date, ${plan.windowTo}::date, 'AWAITING_TEAMS',
             ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
      from drawn
      returning id
    ), parts as (
      insert into ${visitDepartments} (visit_id, department, items)
      select c.id, d.department, array(select jsonb_array_elements_text(d.items))
      from created c
      cross join jsonb_to_recordset(${JSON.stringify(departments)}::jsonb) as d(department text, items jsonb)
      returning visit_id
    )
    select count(distinct visit_id)::int as n from parts`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}

// ── Coding (赋码) and the code's versions ─────────────────────────────────────────────────────

/** Parts of visits, by visit, in department order. */
export async function partsOf(db: Pick<MarketDb, 'select'>, ids: readonly string[]): Promise<VisitDepartmentRow[][]> {
  const valid = ids.filter(isUuid);
  const rows = valid.length
    ? await db
        .select()
        .from(visitDepartments)
        .where(anyOf(visitDepartments.visitId, valid, 'uuid'))
        .orderBy(asc(visitDepartments.department))
    : [];
  return ids.map((id) => rows.filter((r) => r.visitId === id));
}

/** The full state a coded visit's event carries (onecheck.visit.coded.v1). */
export function codedEventData(
  v: VisitRow,
  parts: VisitDepartmentRow[],
  issuedAt: Date,
): EventData<'onecheck.visit.coded.v1'> {
  return {
    visitId: v.id,
    code: v.code!,
    version: v.version,
    uscc: v.uscc,
    businessName: v.businessName,
    reason: v.reason,
    ...(v.reasonDetail ? { reasonDetail: v.reasonDetail } : {}),
    planIds: v.planIds,
    ...(v.requestId ? { requestId: v.requestId } : {}),
    plannedOn: v.plannedOn,
    validFrom: v.validFrom,
    validUntil: v.validUntil,
    departments: parts.map((p) => ({
      department: p.department,
      items: p.items,
      team: (p.team ?? []).map((m) => ({
        inspectorId: m.inspectorId,
        certificateNumber: m.certificateNumber,
        kind: m.kind,
        ...(m.certificateValidUntil ? { certificateValidUntil: m.certificateValidUntil } : {}),
      })),
      ...(p.delegatedTo ? { delegatedTo: p.delegatedTo } : {}),
    })),
    mergedFrom: v.mergedFrom,
    issuedAt: issuedAt.toISOString(),
  };
}

/**
 * After a change to a visit (locked by the caller): once every department part has its team, the
 * visit is coded (version 1) or, coded already, its code gets the next version; either way the
 * full state is published. A visit still waiting for a team keeps what it has (its code, if it
 * had one, stays valid; the new version follows when the last team arrives). Audited as `action`.
 */
export async function issueVersion(
  tx: MarketTx,
  before: VisitRow,
  change: Partial<VisitRow>,
  now: Date,
  actor: Actor,
  action: Action,
  detail: Record<string, unknown> = {},
): Promise<VisitRow> {
  const [parts] = await partsOf(tx, [before.id]);
  const complete = parts!.length > 0 && parts!.every((p) => p.team !== null);
  const set: Partial<VisitRow> = { ...change, updatedAt: now };
  if (complete && !before.code) {
    Object.assign(set, {
      code: newInspectionCode(before.validFrom.slice(0, 4)),
      version: 1,
      codedAt: now,
      status: 'CODED',
    });
  } else if (complete) set.version = before.version + 1;
  const [row] = await tx.update(visits).set(set).where(eq(visits.id, before.id)).returning();
  if (complete)
    await recordEvent(tx, {
      source: SOURCE,
      type: 'onecheck.visit.coded.v1',
      key: row!.uscc,
      data: codedEventData(row!, parts!, now),
      time: now,
    });
  await appendAudit(tx, {
    actor,
    action: complete && !before.code ? 'codeVisits' : action,
    entity: { kind: 'visit', id: before.id },
    before,
    after: { ...row, ...detail, departments: parts },
    at: now,
  });
  return row!;
}

/**
 * issueVersion for many visits changed alike (a department's teams for a whole draw): the same
 * codes, versions, events and trail entries, in a few statements rather than a few per visit.
 */
export async function issueVersions(
  tx: MarketTx,
  befores: VisitRow[],
  now: Date,
  actor: Actor,
  action: Action,
  detail: Record<string, unknown> = {},
): Promise<VisitRow[]> {
  if (!befores.length) return [];
  const ids = befores.map((v) => v.id);
  const partsList = await partsOf(tx, ids);
  const next = befores.map((v, n) => {
    const parts = partsList[n]!;
    const complete = parts.length > 0 && parts.every((p) => p.team !== null);
    const first = complete && !v.code;
    return {
      before: v,
      parts,
      complete,
      first,
      set: {
        id: v.id,
        code: first ? newInspectionCode(v.validFrom.slice(0, 4)) : v.code,
        version: first ? 1 : complete ? v.version + 1 : v.version,
        status: first ? 'CODED' : v.status,
        coded_at: first ? now.toISOString() : (v.codedAt?.toISOString() ?? null),
      },
    };
  });
  await tx.execute(sql`
    update ${visits} v
    set code = x.code, version = x.version, status = x.status, coded_at = x.coded_at,
        updated_at = ${now.toISOString()}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(next.map((n) => n.set))}::jsonb)
      as x(id uuid, code text, version int, status text, coded_at timestamptz)
    where v.id = x.id`);
  const rows = new Map(
    (
      await tx
        .select()
        .from(visits)
        .where(anyOf(visits.id, ids, 'uuid'))
    ).map((r) => [r.id, r] as const),
  );
  await recordEvents(
    tx,
    'onecheck.visit.coded.v1',
    next
      .filter((n) => n.complete)
      .map((n) => {
        const row = rows.get(n.before.id)!;
        return { source: SOURCE, key: row.uscc, data: codedEventData(row, n.parts, now) };
      }),
    now,
  );
  await appendAuditMany(
    tx,
    next.map((n) => ({
      actor,
      action: n.first ? 'codeVisits' : action,
      entity: { kind: 'visit' as const, id: n.before.id },
      before: n.before,
      after: { ...rows.get(n.before.id), ...detail, departments: n.parts },
      at: now,
    })),
  );
  return next.map((n) => rows.get(n.before.id)!);
}

/** Visits locked for a change, in id order (two changes never wait on each other crosswise). */
export async function lockVisits(tx: MarketTx, ids: string[]): Promise<VisitRow[]> {
  const valid = [...new Set(ids)].filter(isUuid).sort();
  if (!valid.length) return [];
  return tx
    .select()
    .from(visits)
    .where(anyOf(visits.id, valid, 'uuid'))
    .orderBy(asc(visits.id))
    .for('update');
}

export async function lockVisit(tx: MarketTx, id: string, field = 'id'): Promise<VisitRow> {
  const [row] = await lockVisits(tx, [id]);
  if (!row) throw notFound('visit', id, field);
  return row;
}

const isActive = (v: VisitRow) => (ACTIVE_STATUSES as readonly string[]).includes(v.status);

export function requireActive(v: VisitRow, field: string) {
  if (!isActive(v)) throw conflict('visit.notActive', { id: v.id, status: v.status }, field);
}

/**
 * The active visits carrying a plan (of these businesses, when given), locked. Found, locked, then
 * found again and locked: a merge or cancellation that committed while this waited for a lock may
 * have ended a visit found first (MERGED, CANCELLED: it must not be coded again) or moved the plan
 * onto the kept visit (READ COMMITTED: each statement sees what committed before it). Any later
 * change of these visits waits for this transaction.
 */
async function lockPlanVisits(tx: MarketTx, planId: string, usccs?: readonly string[]): Promise<VisitRow[]> {
  const find = () =>
    tx
      .select({ id: visits.id })
      .from(visits)
      .where(
        and(
          sql`${visits.planIds} @> array[${planId}]::uuid[]`,
          anyOf(visits.status, ACTIVE_STATUSES, 'text'),
          usccs ? anyOf(visits.uscc, usccs, 'text') : undefined,
        ),
      );
  await lockVisits(
    tx,
    (await find()).map((v) => v.id),
  );
  const locked = await lockVisits(
    tx,
    (await find()).map((v) => v.id),
  );
  return locked.filter((v) => isActive(v) && v.planIds.includes(planId));
}

/** Whether results were recorded on these visits (visit_results, filled from the departments' events). */
export async function visitsWithResults(db: Reader, ids: string[]): Promise<Set<string>> {
  const valid = ids.filter(isUuid);
  if (!valid.length) return new Set();
  const rows = await db
    .selectDistinct({ visitId: visitResults.visitId })
    .from(visitResults)
    .where(inArray(visitResults.visitId, valid));
  return new Set(rows.map((r) => r.visitId));
}

// ── A plan's adjustment after its draw (seed 001: 延迟, 取消) ────────────────────────────────

/**
 * In the adjustment's transaction: a drawn plan delayed or cancelled takes its visits along.
 * Cancelled: a visit of that plan alone is CANCELLED and its code revoked
 * (onecheck.visit.code-revoked.v1, CANCELLED); a merged visit drops the plan and the items only
 * it brought, and its code gets a new version. Delayed: a visit of that plan alone gets the new
 * window (its planned date moved inside it) as a new version; a merged visit keeps the window its
 * merge set. Audited on each visit as the plan's adjustment.
 */
export async function followPlanAdjustment(
  tx: MarketTx,
  plan: PlanRow,
  now: Date,
  actor: Actor,
  base?: CalendarBase,
): Promise<void> {
  const locked = await lockPlanVisits(tx, plan.id);
  if (!locked.length) return;
  if (plan.status !== 'CANCELLED') {
    for (const v of locked.filter((v) => v.planIds.length === 1)) {
      if (v.validFrom === plan.windowFrom && v.validUntil === plan.windowTo) continue;
      const plannedOn = await plannedInside(tx, v.plannedOn, plan.windowFrom, plan.windowTo, base);
      await issueVersion(
        tx,
        v,
        { validFrom: plan.windowFrom, validUntil: plan.windowTo, plannedOn },
        now,
        actor,
        'adjustPlans',
        { plan: plan.id },
      );
    }
    return;
  }
  const alone = locked.filter((v) => v.planIds.length === 1);
  if (alone.length) {
    await tx
      .update(visits)
      .set({ status: 'CANCELLED', updatedAt: now })
      .where(
        anyOf(
          visits.id,
          alone.map((v) => v.id),
          'uuid',
        ),
      );
    await recordEvents(
      tx,
      'onecheck.visit.code-revoked.v1',
      alone
        .filter((v) => v.code)
        .map((v) => ({
          source: SOURCE,
          key: v.uscc,
          data: {
            visitId: v.id,
            code: v.code!,
            uscc: v.uscc,
            reason: 'CANCELLED' as const,
            revokedAt: now.toISOString(),
          },
        })),
      now,
    );
    await appendAuditMany(
      tx,
      alone.map((v) => ({
        actor,
        action: 'adjustPlans' as const,
        entity: { kind: 'visit' as const, id: v.id },
        before: v,
        after: { ...v, status: 'CANCELLED', updatedAt: now, plan: plan.id },
        at: now,
      })),
    );
  }
  // A merged visit keeps its other plans' items, and any item the cancelled plan did not bring.
  const cancelled = new Set(plan.items.map((i) => `${i.department}\t${i.code}`));
  for (const v of locked.filter((v) => v.planIds.length > 1)) {
    const planIds = v.planIds.filter((id) => id !== plan.id);
    const others = await tx
      .select({ items: jointPlans.items })
      .from(jointPlans)
      .where(anyOf(jointPlans.id, planIds, 'uuid'));
    const kept = new Set(others.flatMap((o) => o.items.map((i) => `${i.department}\t${i.code}`)));
    const [parts] = await partsOf(tx, [v.id]);
    for (const p of parts!) {
      const items = p.items.filter(
        (code) => kept.has(`${p.department}\t${code}`) || !cancelled.has(`${p.department}\t${code}`),
      );
      if (items.length === p.items.length) continue;
      const where = and(eq(visitDepartments.visitId, v.id), eq(visitDepartments.department, p.department));
      if (items.length) await tx.update(visitDepartments).set({ items }).where(where);
      else await tx.delete(visitDepartments).where(where);
    }
    await issueVersion(tx, v, { planIds }, now, actor, 'adjustPlans', { plan: plan.id });
  }
}

// ── From the departments: teams, and codes for checks outside plans ─────────────────────────

/**
 * A department drew its check teams for a plan's draw: each drawn business's visit carrying that
 * plan (merged or not) gets the department's team, shortfall and task; a visit whose every part
 * now has its team is coded. A part holding another task's team keeps it (the kept visit's team,
 * as in a merge); the same event again changes nothing.
 */
export async function receiveTeams(
  tx: MarketTx,
  data: EventData<'onecheck.inspection.teams-drawn.v1'>,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  if (!data.teams.length) return;
  const now = clock.now();
  const locked = await lockPlanVisits(
    tx,
    data.planId,
    data.teams.map((t) => t.uscc),
  );
  if (!locked.length) return;
  const teams = data.teams.map((t) => ({
    uscc: t.uscc,
    task_id: t.taskId,
    team: t.team,
    shortfall: t.shortfall ?? null,
  }));
  const changed = rowsOf<{ visit_id: string }>(
    await tx.execute(sql`
      update ${visitDepartments} d
      set team = t.team, shortfall = t.shortfall, task_id = t.task_id
      from (
        select v.id as visit_id, x.team, x.shortfall, x.task_id
        from jsonb_to_recordset(${JSON.stringify(teams)}::jsonb) as x(uscc text, task_id uuid, team jsonb, shortfall text)
        join ${visits} v on v.uscc = x.uscc
        where ${anyOf(
          sql`v.id`,
          locked.map((v) => v.id),
          'uuid',
        )}
      ) t
      where d.visit_id = t.visit_id and d.department = ${data.department}
        and (d.team is null or d.task_id = t.task_id)
        and (d.team is distinct from t.team or d.shortfall is distinct from t.shortfall
             or d.task_id is distinct from t.task_id)
      returning d.visit_id`),
  );
  const ids = new Set(changed.map((c) => c.visit_id));
  await issueVersions(
    tx,
    locked.filter((v) => ids.has(v.id)),
    now,
    actor,
    'receiveTeams',
    { teamsFrom: { department: data.department, planId: data.planId, drawId: data.drawId } },
  );
}

/**
 * A department's check outside plans (投诉举报, 专项行动, 重点领域; seed 001 §三 exemptions): coded at
 * once, with the request's reason, team and items — unless the office, the registration authority,
 * has no such business or it is deregistered: then refused (code-refusals.ts). The request id is
 * unique: the same request again changes nothing.
 */
export async function receiveCodeRequest(
  tx: MarketTx,
  data: EventData<'onecheck.inspection.code-requested.v1'>,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  if (data.validUntil < data.validFrom)
    throw new Error(`code request ${data.requestId}: validUntil ${data.validUntil} before validFrom`);
  const now = clock.now();
  const today = clock.today();
  const [business] = await tx
    .select({ name: enterprises.name, status: enterprises.status })
    .from(enterprises)
    .where(eq(enterprises.uscc, data.uscc));
  // Seed 004 (十二) 赋码检查备案: the office codes only a business in its register that still exists.
  const refusal = codeRefusalFor(business);
  if (refusal) return refuseCodeRequest(tx, data, refusal, clock, actor);
  if (await refusedAlready(tx, data.requestId)) return;
  const plannedOn = today < data.validFrom ? data.validFrom : today > data.validUntil ? data.validUntil : today;
  const [created] = await tx
    .insert(visits)
    .values({
      uscc: data.uscc,
      businessName: business!.name,
      reason: data.reason,
      reasonDetail: data.reasonDetail,
      planIds: [],
      requestId: data.requestId,
      plannedOn,
      validFrom: data.validFrom,
      validUntil: data.validUntil,
      status: 'AWAITING_TEAMS',
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: visits.requestId })
    .returning();
  if (!created) return;
  await tx
    .insert(visitDepartments)
    .values({ visitId: created.id, department: data.department, items: data.items, team: data.team });
  await issueVersion(tx, created, {}, now, actor, 'receiveCodeRequests', { requestedAt: data.requestedAt });
}

// ── The office's and the departments' changes ───────────────────────────────────────────────

const delegationInput = z.object({ visitId: z.string(), department: departmentField, to: departmentField });

/**
 * 互帮代查 (seed 004 (六)): a department's items on a visit are checked by another department's team
 * on the same visit; the legal representative's presence is never required. Recorded on the visit
 * and in the code's next version. By the delegating department's staff or the office.
 */
export async function delegateVisitItems(
  db: MarketDb,
  raw: { visitId: string; department: string; to: string },
  clock: Clock,
  identity: Identity,
): Promise<VisitRow> {
  const input = parseInput(delegationInput, raw);
  const now = clock.now();
  return db.transaction(async (tx) => {
    const visit = await lockVisit(tx, input.visitId, 'visitId');
    requireActive(visit, 'visitId');
    const [parts] = await partsOf(tx, [visit.id]);
    const from = parts!.find((p) => p.department === input.department);
    if (!from) throw badInput('department', 'visit.departmentNotOnVisit', { department: input.department });
    if (input.to === input.department) throw badInput('to', 'visit.delegateToSelf');
    const to = parts!.find((p) => p.department === input.to);
    if (!to) throw badInput('to', 'visit.departmentNotOnVisit', { department: input.to });
    if (!to.team?.length) throw badInput('to', 'visit.delegateNoTeam', { department: input.to });
    const recorded = await tx
      .select({ id: visitResults.resultId })
      .from(visitResults)
      .where(and(eq(visitResults.visitId, visit.id), eq(visitResults.department, input.department)))
      .limit(1);
    if (recorded.length) throw conflict('visit.delegateRecorded', { department: input.department }, 'department');
    if (from.delegatedTo === input.to) return visit;
    await tx
      .update(visitDepartments)
      .set({ delegatedTo: input.to })
      .where(and(eq(visitDepartments.visitId, visit.id), eq(visitDepartments.department, input.department)));
    return issueVersion(tx, visit, {}, now, actorOf(identity), 'delegateVisitItems', {
      delegated: { department: input.department, to: input.to },
    });
  });
}

/** A new planned date as asked for (built once: zod compiles a schema on its first parse). */
const rescheduleInput = z.object({ plannedOn: dateField });

/** The office moves a visit's planned date, inside its window and not into the past: a new code version. */
export async function rescheduleVisit(
  db: MarketDb,
  id: string,
  rawDate: string,
  clock: Clock,
  identity: Identity,
): Promise<VisitRow> {
  const plannedOn = parseInput(rescheduleInput, { plannedOn: rawDate }).plannedOn;
  const now = clock.now();
  const today = clock.today();
  return db.transaction(async (tx) => {
    const visit = await lockVisit(tx, id);
    requireActive(visit, 'id');
    if (plannedOn < visit.validFrom || plannedOn > visit.validUntil)
      throw badInput('plannedOn', 'visit.plannedOnOutsideWindow', { from: visit.validFrom, to: visit.validUntil });
    if (plannedOn < today) throw badInput('plannedOn', 'visit.plannedOnPast', { today });
    if (plannedOn === visit.plannedOn) return visit;
    return issueVersion(tx, visit, { plannedOn }, now, actorOf(identity), 'rescheduleVisits');
  });
}

// ── Reading ────────────────────────────────────────────────────────────────────────────────

/** Whose visits a caller sees (policy.ts decides): all, a department's, or an inspector's own. */
export type VisitScope = { all: true } | { department: string } | { inspector: string };

function scopeSql(scope: VisitScope): SQL | undefined {
  if ('all' in scope) return undefined;
  if ('department' in scope)
    return sql`exists (select 1 from ${visitDepartments} d where d.visit_id = ${visits.id} and d.department = ${scope.department})`;
  return sql`exists (select 1 from ${visitDepartments} d where d.visit_id = ${visits.id}
    and d.team @> ${JSON.stringify([{ inspectorId: scope.inspector }])}::jsonb)`;
}

export interface VisitFilter {
  planId?: string | null;
  uscc?: string | null;
  status?: VisitStatus | null;
}

const filterInput = z.object({
  planId: z.uuid().nullish(),
  uscc: usccField.nullish(),
  status: z.enum(VISIT_STATUSES).nullish(),
});

export async function listVisits(db: MarketDb, raw: VisitFilter, scope: VisitScope, args: ConnectionArgs) {
  const filter = parseInput(filterInput, raw);
  const paging = pageArgs(args, 'visits');
  const { limit, after } = paging;
  // The cursor is a visit id: anything else is a bad cursor, not a failed query.
  if (after && !isUuid(after)) throw badInput('after', 'page.badCursor');
  const where = and(
    filter.planId ? sql`${visits.planIds} @> array[${filter.planId}]::uuid[]` : undefined,
    filter.uscc ? eq(visits.uscc, filter.uscc) : undefined,
    filter.status ? eq(visits.status, filter.status) : undefined,
    scopeSql(scope),
  );
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(visits)
      .where(and(where, after ? gt(visits.id, after) : undefined))
      .orderBy(asc(visits.id))
      .limit(limit + 1),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(visits)
      .where(where),
  ]);
  return toConnection(rows, paging, (r) => r.id, Number(total?.n ?? 0));
}

export async function visitById(db: Reader, id: string, scope: VisitScope): Promise<VisitRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select()
    .from(visits)
    .where(and(eq(visits.id, id), scopeSql(scope)));
  return row ?? null;
}

/** A plan's visits (merged ones included: they carry the plan too), as the caller may see them. */
export function visitsOfPlan(db: Reader, planId: string, scope: VisitScope) {
  return db
    .select()
    .from(visits)
    .where(and(sql`${visits.planIds} @> array[${planId}]::uuid[]`, scopeSql(scope)))
    .orderBy(asc(visits.uscc), asc(visits.createdAt));
}

export async function visitsByIds(db: Reader, ids: readonly string[]): Promise<(VisitRow | null)[]> {
  const valid = ids.filter(isUuid);
  const rows = valid.length ? await db.select().from(visits).where(inArray(visits.id, valid)) : [];
  return ids.map((id) => rows.find((r) => r.id === id) ?? null);
}

/** Departments with results on each visit (VisitDepartment.recorded). */
export async function recordedDepartments(db: Reader, ids: readonly string[]): Promise<string[][]> {
  const valid = ids.filter(isUuid);
  const rows = valid.length
    ? await db
        .selectDistinct({ visitId: visitResults.visitId, department: visitResults.department })
        .from(visitResults)
        .where(inArray(visitResults.visitId, valid))
    : [];
  return ids.map((id) => rows.filter((r) => r.visitId === id).map((r) => r.department));
}

/** The joint list's current record of items, by `department\tcode` (null: not on the list). */
export async function listItemsByKey(db: Pick<MarketDb, 'select'>, keys: readonly string[]) {
  const pairs = keys.map((k) => k.split('\t') as [string, string]);
  if (!pairs.length) return [];
  const rows = await db
    .select({ department: jointListItems.department, code: jointListItems.code, item: jointListChanges.item })
    .from(jointListItems)
    .innerJoin(jointListChanges, eq(jointListChanges.seq, jointListItems.changeSeq))
    .where(inArray(jointListItems.code, [...new Set(pairs.map((p) => p[1]))]));
  return pairs.map(([d, c]) => rows.find((r) => r.department === d && r.code === c)?.item ?? null);
}

/** What the public code check shows: no names, no inspector ids, no complainant (issue 11 item 2). */
export interface CodeCheckView {
  visit: VisitRow;
  status: ReturnType<typeof codeStatus>;
  parts: VisitDepartmentRow[];
}

/**
 * 赋码检查, checked by anyone holding the code (the business at whose door an inspection stands):
 * a known code's standing and what it covers; anything else, however it looks, the same NOT_FOUND.
 */
export async function checkInspectionCode(db: Reader, raw: string, today: string): Promise<CodeCheckView> {
  const code = normaliseInspectionCode(String(raw ?? '').slice(0, 64));
  const [visit] = code ? await db.select().from(visits).where(eq(visits.code, code)) : [];
  if (!visit) throw notFound('inspectionCode', '', 'code');
  const [parts] = await partsOf(db, [visit.id]);
  return { visit, status: codeStatus(visit, today), parts: parts! };
}
