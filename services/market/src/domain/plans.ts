/**
 * 年度联合抽查计划 (issue 10 item 4; seed 000 §二(二)5, 001 §三, 004 (四)): drafted by the lead
 * department (谁主管谁牵头), filed (备案) with the office, published, drawn once. Its items come from
 * the joint list version it pins; its ratios per risk class start from config/sampling.json; a plan
 * whose items are all 一般 is capped by the county's maximum, 重点 items are not (国市监信〔2019〕38号).
 * Any change after publication is an adjustment, filed with its reason and published (seed 001).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Identity } from '@onecheck/auth';
import type { CalendarBase } from '@onecheck/calendar';
import type { Clock } from '@onecheck/clock';
import { industryCover } from '@onecheck/codes';
import { PLAN_ADJUSTMENTS, RISK_CLASSES, type EventData, type RiskClass } from '@onecheck/contracts';
import { recordEvent } from '@onecheck/events';
import {
  actorOf,
  appendAudit,
  badInput,
  conflict,
  dateField,
  departmentField,
  distinctList,
  isUuid,
  notFound,
  parseInput,
  REPO_ROOT,
  requireOwnDepartment,
  requireRole,
  requireNotBefore,
  requireNotBeforeToday,
  textField,
  type Db,
  type Tx,
  referenceField,
} from '@onecheck/kit';
import { jointPlans, planAdjustments, type PlanRow } from '../db/schema';
import type * as schema from '../db/schema';
import { commitmentOf, ratioUnits } from './draw-algorithm';
import type { PlanItemRecord } from './plan-records';
import { targetTag } from './targets';
import { followPlanAdjustment } from './visits';

type MarketDb = Db<typeof schema>;
type MarketTx = Tx<typeof schema>;
const SOURCE = 'onecheck/market';

/** The county's sampling defaults (config/sampling.json): data, not code. */
const samplingFile = z.object({
  defaultRatios: z.record(z.enum(RISK_CLASSES), z.number().min(0).max(1)),
  generalItemMaxRatio: z.number().min(0).max(1),
});
let sampling: z.infer<typeof samplingFile> | undefined;
export function samplingConfig() {
  sampling ??= samplingFile.parse(JSON.parse(readFileSync(resolve(REPO_ROOT, 'config/sampling.json'), 'utf8')));
  return sampling;
}

/**
 * What a plan needs of the joint list: the items of an industry's list at a version (the current
 * one when null), with each item's department and emphasis. The joint list module answers it.
 */
export type ListLookup = (
  db: Pick<MarketDb, 'select'>,
  industry: string,
  version: number | null,
) => Promise<{ version: number; items: PlanItemRecord[] } | null>;

/** A ratio per class, held to 4 decimal places (docs/draw.md: u = round(r × 10000)); finer would draw as another. */
const ratio = z
  .number()
  .min(0)
  .max(1)
  .superRefine((r, ctx) => {
    if (Math.abs(r * 10_000 - ratioUnits(r)) > 1e-6) ctx.addIssue({ code: 'custom', message: 'plan.ratioPrecision' });
  });
/**
 * Higher risk, no lower ratio (seed 003 第十二条: 对存在失信行为、风险高的市场主体，增加抽查比例和频次;
 * 001 三是; 004 (十一)): each class's ratio is at least the one below it in risk (A ≤ B ≤ C ≤ D).
 */
const ratiosInput = z.object({ A: ratio, B: ratio, C: ratio, D: ratio }).superRefine((r, ctx) => {
  for (const [lower, higher] of [
    ['A', 'B'],
    ['B', 'C'],
    ['C', 'D'],
  ] as const)
    if (r[higher] < r[lower])
      ctx.addIssue({
        code: 'custom',
        path: [higher],
        message: 'plan.ratioBelowLowerRisk',
        params: { lower, ratio: String(r[lower]) },
      });
});
const planInput = z
  .object({
    name: textField(200),
    year: z.int().min(2000).max(2100),
    industry: z.string().refine((c) => industryCover(c) !== undefined, { message: 'industry.unknown' }),
    leadDepartment: departmentField,
    cooperatingDepartments: distinctList(departmentField, 30),
    items: distinctList(
      z.object({ department: departmentField, code: referenceField(100) }),
      200,
      (item) => `${item.department} ${item.code}`,
    ).min(1),
    listVersion: z.int().min(1).nullish(),
    ratios: ratiosInput.nullish(),
    targetFilter: z
      .object({
        region: z
          .string()
          .regex(/^\d{2,6}$/)
          .nullish(),
        tags: distinctList(targetTag, 20).nullish(),
        riskClasses: distinctList(z.enum(RISK_CLASSES), RISK_CLASSES.length).nullish(),
      })
      .nullish(),
    windowFrom: dateField,
    windowTo: dateField,
    coolDownMonths: z.int().min(0).max(60).nullish(),
  })
  .superRefine((p, ctx) => {
    if (p.windowTo < p.windowFrom)
      ctx.addIssue({
        code: 'custom',
        message: 'input.notBefore',
        params: { what: 'windowFrom', date: p.windowFrom },
        path: ['windowTo'],
      });
    if (Number(p.windowFrom.slice(0, 4)) !== p.year)
      ctx.addIssue({
        code: 'custom',
        message: 'plan.windowOutsideYear',
        params: { year: p.year },
        path: ['windowFrom'],
      });
  });

/**
 * 谁主管谁牵头: the lead department drafts, files and adjusts its plan; the office may do it for
 * it. Drafting for another department is a wrong `leadDepartment` in the input; filing or
 * adjusting someone else's plan is not the caller's to do (FORBIDDEN).
 */
/**
 * Plans are the office's and the departments' staff's to make: anyone else is refused before the
 * input is read or a plan looked up (so no answer tells a caller without the right whether an id exists).
 */
function requirePlanner(identity: Identity, action: 'draftPlans' | 'filePlans' | 'adjustPlans') {
  requireRole(identity, ['office', 'staff'], action);
}
function requireLeadToDraft(identity: Identity, lead: string) {
  if (identity.role === 'office' || (identity.role === 'staff' && identity.department === lead)) return;
  throw badInput('leadDepartment', 'plan.notLead', { department: lead });
}
function requireLeadOrOffice(identity: Identity, lead: string, action: 'filePlans' | 'adjustPlans') {
  if (identity.role !== 'office') requireOwnDepartment(identity, lead, action);
}

/** Every item a department of the plan checks, from the pinned list version, with its emphasis. */
async function pinItems(
  tx: MarketTx,
  lookup: ListLookup,
  input: { industry: string; listVersion?: number | null; items: { department: string; code: string }[] },
  departments: string[],
): Promise<{ version: number; items: PlanItemRecord[] }> {
  const list = await lookup(tx, input.industry, input.listVersion ?? null);
  if (!list) throw badInput('listVersion', 'plan.noList', { industry: input.industry });
  const items = input.items.map((i, n) => {
    if (!departments.includes(i.department))
      throw badInput(`items.${n}.department`, 'plan.itemDepartmentNotInPlan', { department: i.department });
    const listed = list.items.find((l) => l.department === i.department && l.code === i.code);
    if (!listed) throw badInput(`items.${n}.code`, 'plan.unknownItem', { code: i.code, version: list.version });
    return listed;
  });
  return { version: list.version, items };
}

/** A plan whose items are all 一般 is capped by the county's maximum; any 重点 item lifts the cap. */
function requireRatioCap(ratios: Record<RiskClass, number>, items: PlanItemRecord[]) {
  if (items.some((i) => i.emphasis === 'KEY')) return;
  const cap = samplingConfig().generalItemMaxRatio;
  for (const c of RISK_CLASSES)
    if (ratios[c] > cap) throw badInput(`ratios.${c}`, 'plan.ratioAboveCap', { cap: String(cap) });
}

export async function draftPlan(db: MarketDb, raw: unknown, lookup: ListLookup, clock: Clock, identity: Identity) {
  requirePlanner(identity, 'draftPlans');
  const input = parseInput(planInput, raw);
  // A window already over would give codes expired from the start and a task overdue at once.
  requireNotBeforeToday('windowTo', input.windowTo, clock.today());
  requireLeadToDraft(identity, input.leadDepartment);
  const departments = [input.leadDepartment, ...input.cooperatingDepartments.filter((d) => d !== input.leadDepartment)];
  const ratios = input.ratios ?? samplingConfig().defaultRatios;
  const now = clock.now();
  return db.transaction(async (tx) => {
    const pinned = await pinItems(tx, lookup, input, departments);
    requireRatioCap(ratios, pinned.items);
    const [row] = await tx
      .insert(jointPlans)
      .values({
        name: input.name,
        year: input.year,
        industry: input.industry,
        leadDepartment: input.leadDepartment,
        cooperatingDepartments: departments.slice(1),
        items: pinned.items,
        listVersion: pinned.version,
        ratios,
        targetFilter: input.targetFilter ?? {},
        windowFrom: input.windowFrom,
        windowTo: input.windowTo,
        coolDownMonths: input.coolDownMonths ?? 12,
        status: 'DRAFT',
        draftedBy: identity.department ?? 'OFFICE',
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await audit(tx, identity, 'draftPlans', null, row!, now);
    return row!;
  });
}

/** A plan, locked for the change about to be made to it (or to its draw). */
export async function lockPlan(tx: MarketTx, id: string): Promise<PlanRow> {
  if (!isUuid(id)) throw notFound('plan', id);
  const [row] = await tx.select().from(jointPlans).where(eq(jointPlans.id, id)).for('update');
  if (!row) throw notFound('plan', id);
  return row;
}

async function update(tx: MarketTx, id: string, set: Partial<PlanRow>): Promise<PlanRow> {
  const [row] = await tx.update(jointPlans).set(set).where(eq(jointPlans.id, id)).returning();
  return row!;
}

const audit = (
  tx: MarketTx,
  identity: Identity,
  action: 'draftPlans' | 'filePlans' | 'publishPlans' | 'adjustPlans' | 'drawPlans',
  before: PlanRow | null,
  after: PlanRow,
  at: Date,
) =>
  appendAudit(tx, {
    actor: actorOf(identity),
    action,
    entity: { kind: 'plan', id: after.id },
    before: before && withoutSecret(before),
    after: withoutSecret(after),
    at,
  });

/** The secret never goes into a trail or an event before the draw reveals it. */
const withoutSecret = ({ secret: _secret, ...plan }: PlanRow) => plan;

/**
 * 备案 with the office (seed 000 §二(二)5): the office commits to a secret now — its SHA-256 is
 * published with the plan, the secret itself only at the draw (docs/draw.md).
 */
export async function filePlan(db: MarketDb, id: string, clock: Clock, identity: Identity) {
  requirePlanner(identity, 'filePlans');
  const now = clock.now();
  return db.transaction(async (tx) => {
    const current = await lockPlan(tx, id);
    requireLeadOrOffice(identity, current.leadDepartment, 'filePlans');
    if (current.status !== 'DRAFT')
      throw conflict('plan.notInStatus', { id, status: current.status, expected: 'DRAFT' }, 'id');
    const secret = randomBytes(32).toString('hex');
    const row = await update(tx, id, {
      status: 'FILED',
      secret,
      commitment: commitmentOf(secret),
      filedAt: now,
      updatedAt: now,
    });
    await audit(tx, identity, 'filePlans', current, row, now);
    return row;
  });
}

/** The plan's public state, as its events carry it (计划公告). */
export function planEventData(row: PlanRow): EventData<'onecheck.plan.published.v1'> {
  return {
    planId: row.id,
    name: row.name,
    year: row.year,
    industry: row.industry,
    leadDepartment: row.leadDepartment,
    cooperatingDepartments: row.cooperatingDepartments,
    items: row.items.map(({ department, code }) => ({ department, code })),
    listVersion: row.listVersion,
    ratios: row.ratios,
    windowFrom: row.windowFrom,
    windowTo: row.windowTo,
    coolDownMonths: row.coolDownMonths,
    commitment: row.commitment!,
    status: row.status,
    recordedAt: row.updatedAt.toISOString(),
  };
}

/** The office publishes a filed plan (计划公告): drawn only once filed and published. */
export async function publishPlan(db: MarketDb, id: string, clock: Clock, identity: Identity) {
  const now = clock.now();
  return db.transaction(async (tx) => {
    const current = await lockPlan(tx, id);
    if (current.status !== 'FILED')
      throw conflict('plan.notInStatus', { id, status: current.status, expected: 'FILED' }, 'id');
    const row = await update(tx, id, { status: 'PUBLISHED', publishedAt: now, updatedAt: now });
    await recordEvent(tx, {
      source: SOURCE,
      type: 'onecheck.plan.published.v1',
      key: id,
      data: planEventData(row),
      time: now,
    });
    await audit(tx, identity, 'publishPlans', current, row, now);
    return row;
  });
}

const adjustInput = z
  .object({
    kind: z.enum(PLAN_ADJUSTMENTS),
    reason: textField(2000),
    /** DELAY: the new window. */
    windowFrom: dateField.nullish(),
    windowTo: dateField.nullish(),
    /** RATIO: the new ratios. */
    ratios: ratiosInput.nullish(),
    /** ADD: items (and so departments) added. */
    items: z
      .array(z.object({ department: departmentField, code: referenceField(100) }))
      .max(200)
      .nullish(),
  })
  .superRefine((a, ctx) => {
    const need = (field: string, present: unknown) => {
      if (!present) ctx.addIssue({ code: 'custom', message: 'input.required', path: [field] });
    };
    if (a.kind === 'DELAY') need('windowTo', a.windowTo);
    if (a.kind === 'RATIO') need('ratios', a.ratios);
    if (a.kind === 'ADD') need('items', a.items?.length);
  });

/**
 * An adjustment (seed 001: 增设, 延迟, 取消, 调整比例) of a published plan, filed with its reason and
 * published; the plan's history keeps every one. Ratios and items change only before the draw.
 */
export async function adjustPlan(
  db: MarketDb,
  id: string,
  raw: unknown,
  lookup: ListLookup,
  clock: Clock,
  identity: Identity,
  calendarBase?: CalendarBase,
) {
  requirePlanner(identity, 'adjustPlans');
  const input = parseInput(adjustInput, raw);
  const now = clock.now();
  return db.transaction(async (tx) => {
    const current = await lockPlan(tx, id);
    requireLeadOrOffice(identity, current.leadDepartment, 'adjustPlans');
    const open = ['PUBLISHED', 'DRAWN', 'IN_PROGRESS'].includes(current.status);
    if (!open) throw conflict('plan.notInStatus', { id, status: current.status, expected: 'PUBLISHED' }, 'id');
    const beforeDraw = current.status === 'PUBLISHED';
    let set: Partial<PlanRow> = {};
    if (input.kind === 'CANCEL') set = { status: 'CANCELLED' };
    if (input.kind === 'DELAY') {
      const windowFrom = input.windowFrom ?? current.windowFrom;
      requireNotBefore('windowTo', input.windowTo!, windowFrom, 'windowFrom');
      requireNotBeforeToday('windowTo', input.windowTo!, clock.today());
      set = { windowFrom, windowTo: input.windowTo! };
    }
    if (input.kind === 'RATIO' || input.kind === 'ADD') {
      if (!beforeDraw) throw conflict('plan.drawnAlready', { id }, 'kind');
      const items = [...current.items];
      const departments = [current.leadDepartment, ...current.cooperatingDepartments];
      if (input.kind === 'ADD') {
        for (const d of input.items!) if (!departments.includes(d.department)) departments.push(d.department);
        const pinned = await pinItems(
          tx,
          lookup,
          { industry: current.industry, listVersion: current.listVersion, items: input.items! },
          departments,
        );
        for (const i of pinned.items)
          if (!items.some((x) => x.department === i.department && x.code === i.code)) items.push(i);
      }
      const ratios = input.ratios ?? current.ratios;
      requireRatioCap(ratios, items);
      set = { ratios, items, cooperatingDepartments: departments.slice(1) };
    }
    const row = await update(tx, id, { ...set, updatedAt: now });
    // Drawn: its visits follow a new window or the cancellation (their codes with them).
    if (!beforeDraw && (input.kind === 'CANCEL' || input.kind === 'DELAY'))
      await followPlanAdjustment(tx, row, now, actorOf(identity), calendarBase);
    const [adjustment] = await tx
      .insert(planAdjustments)
      .values({
        planId: id,
        kind: input.kind,
        reason: input.reason,
        before: withoutSecret(current),
        after: withoutSecret(row),
        filedBy: identity.sub,
        filedAt: now,
      })
      .returning();
    await recordEvent(tx, {
      source: SOURCE,
      type: 'onecheck.plan.adjusted.v1',
      key: id,
      data: {
        ...planEventData(row),
        adjustment: { kind: input.kind, reason: input.reason, filedAt: now.toISOString() },
      },
      time: now,
    });
    await audit(tx, identity, 'adjustPlans', current, row, now);
    return { plan: row, adjustment: adjustment! };
  });
}

export const PUBLIC_PLAN_STATUSES = ['PUBLISHED', 'DRAWN', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const;

/** Plans of a year (and industry): the public sees published ones; the office and departments all. */
export async function listPlans(
  db: Pick<MarketDb, 'select'>,
  filter: { year?: number | null; industry?: string | null },
  publicOnly: boolean,
) {
  // An industry that is no code of the standard would read as one without plans.
  if (filter.industry && !industryCover(filter.industry)) throw badInput('industry', 'industry.unknown');
  return db
    .select()
    .from(jointPlans)
    .where(
      and(
        filter.year ? eq(jointPlans.year, filter.year) : undefined,
        filter.industry ? eq(jointPlans.industry, filter.industry) : undefined,
        publicOnly ? inArray(jointPlans.status, [...PUBLIC_PLAN_STATUSES]) : undefined,
      ),
    )
    .orderBy(asc(jointPlans.year), asc(jointPlans.name));
}

export async function planById(db: Pick<MarketDb, 'select'>, id: string): Promise<PlanRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await db.select().from(jointPlans).where(eq(jointPlans.id, id));
  return row ?? null;
}

/** Plans by id, in the order asked (null: none): a loader's batch in one query. */
export async function plansByIds(db: Pick<MarketDb, 'select'>, ids: readonly string[]): Promise<(PlanRow | null)[]> {
  const valid = ids.filter((id) => isUuid(id));
  const rows = valid.length ? await db.select().from(jointPlans).where(inArray(jointPlans.id, valid)) : [];
  return ids.map((id) => rows.find((r) => r.id === id) ?? null);
}

/** Each plan's adjustments, oldest first (its history beside its audit trail): the loader's batch. */
export async function adjustmentsByPlan(db: Pick<MarketDb, 'select'>, ids: readonly string[]) {
  const valid = ids.filter((id) => isUuid(id));
  const rows = valid.length
    ? await db
        .select()
        .from(planAdjustments)
        .where(inArray(planAdjustments.planId, valid))
        .orderBy(asc(planAdjustments.filedAt))
    : [];
  return ids.map((id) => rows.filter((r) => r.planId === id));
}
