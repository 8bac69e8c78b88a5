/**
 * 牵头 (谁主管谁牵头, seed 000 §二(二); issue 11 item 4: "the credit platform and the lead department
 * consume them"): the department that leads a joint plan follows every department's findings on
 * that plan's visits. It learns which plans it leads from the office's plan events, which plans
 * each coded visit carries from the office's codes (all plan visits, also those without its own
 * items), and keeps each other department's finding on such a visit from its finding.recorded.v1,
 * following its steps (finding.handled.v1). Its own findings are in `findings` already.
 *
 * Order across topics: a plan is published before its draw and its visits are coded (the plan
 * topic is applied before codes are linked to tasks, as visit-codes.ts assumes too). A finding can
 * come before its visit's code when the visits consumer lags: it is kept as awaiting its visit,
 * and the code, when it comes, keeps it (the visit is of a plan led here) or drops it.
 */
import type { Clock } from '@onecheck/clock';
import type { EventData } from '@onecheck/contracts';
import { and, arrayContains, asc, count, eq, gt, inArray, or, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import {
  appendAudit,
  badInput,
  dateField,
  isUuid,
  pageArgs,
  toConnection,
  type Actor,
  type ConnectionArgs,
  type Db,
  type Tx,
} from '@onecheck/kit';
import { findings, ledFindings, ledPlans, planVisits, type FindingRow, type LedFindingRow } from '../db/schema';
import type * as schema from '../db/schema';

type DeptTx = Tx<typeof schema>;
type DeptDb = Db<typeof schema>;
type PlanState = EventData<'onecheck.plan.published.v1'>;
type Coded = EventData<'onecheck.visit.coded.v1'>;
type Recorded = EventData<'onecheck.finding.recorded.v1'>;
type Step = EventData<'onecheck.finding.handled.v1'>;

/** A finding on a led plan's visit as planFindings shows it: the department's own, or another's. */
export interface PlanFindingView {
  id: string;
  department: string;
  uscc: string;
  visitId: string;
  code: string | null;
  itemCode: string | null;
  description: string;
  severity: FindingRow['severity'];
  handling: FindingRow['handling'];
  recordedOn: string;
  status: FindingRow['status'];
  dueOn: string | null;
  transferTo: string | null;
  lastStep: FindingRow['lastStep'];
  lastStepOn: string | null;
}

/**
 * A plan's state from the office (published, or adjusted): kept when this department leads it.
 * A plan whose lead became another department is no longer one it leads.
 */
export async function receivePlanState(
  tx: DeptTx,
  department: string,
  plan: PlanState,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  const now = clock.now();
  const [before] = await tx.select().from(ledPlans).where(eq(ledPlans.planId, plan.planId)).for('update');
  const entity = { kind: 'plan' as const, id: plan.planId };
  if (plan.leadDepartment !== department) {
    if (!before) return;
    await tx.delete(ledPlans).where(eq(ledPlans.planId, plan.planId));
    await appendAudit(tx, { actor, action: 'receivePlans', entity, before, after: null, at: now });
    return;
  }
  const values = { name: plan.name, year: plan.year, status: plan.status, updatedAt: now };
  if (before && before.name === values.name && before.year === values.year && before.status === values.status) return;
  const [after] = await tx
    .insert(ledPlans)
    .values({ planId: plan.planId, ...values })
    .onConflictDoUpdate({ target: ledPlans.planId, set: values })
    .returning();
  await appendAudit(tx, { actor, action: 'receivePlans', entity, before: before ?? null, after: after!, at: now });
}

/** Whether any of these plans is led here. */
async function leadsAny(tx: DeptTx | DeptDb, planIds: readonly string[]): Promise<boolean> {
  if (!planIds.length) return false;
  const [led] = await tx
    .select({ n: count() })
    .from(ledPlans)
    .where(inArray(ledPlans.planId, [...planIds]));
  return (led?.n ?? 0) > 0;
}

/**
 * A coded plan visit: which plans it carries (the highest version wins). A finding that came
 * before the code is now kept (the visit is of a plan led here) or dropped.
 */
export async function receiveVisitPlans(tx: DeptTx, coded: Coded, clock: Clock, actor: Actor): Promise<void> {
  if (!coded.planIds.length) return;
  const now = clock.now();
  const values = { planIds: coded.planIds, version: coded.version, updatedAt: now };
  const [mapped] = await tx
    .insert(planVisits)
    .values({ visitId: coded.visitId, ...values })
    .onConflictDoUpdate({
      target: planVisits.visitId,
      set: values,
      setWhere: sql`${planVisits.version} < ${coded.version}`,
    })
    .returning();
  if (!mapped) return;
  const waiting = await tx
    .select()
    .from(ledFindings)
    .where(and(eq(ledFindings.visitId, coded.visitId), eq(ledFindings.awaitingVisit, true)))
    .for('update');
  if (!waiting.length) return;
  const keep = await leadsAny(tx, coded.planIds);
  for (const before of waiting) {
    const entity = { kind: 'finding' as const, id: before.findingId };
    if (keep) {
      const [after] = await tx
        .update(ledFindings)
        .set({ awaitingVisit: false, updatedAt: now })
        .where(eq(ledFindings.findingId, before.findingId))
        .returning();
      await appendAudit(tx, { actor, action: 'receiveFindings', entity, before, after: after!, at: now });
    } else {
      await tx.delete(ledFindings).where(eq(ledFindings.findingId, before.findingId));
      await appendAudit(tx, { actor, action: 'receiveFindings', entity, before, after: null, at: now });
    }
  }
}

/**
 * Another department's finding on a coded visit: kept (once, by its id) when the visit is of a plan
 * this department leads, or its visit is not known here yet. Its own findings are its own already.
 */
export async function receiveLedFinding(
  tx: DeptTx,
  department: string,
  f: Recorded,
  eventId: string,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  if (f.department === department || !f.visitId) return;
  const [visit] = await tx.select().from(planVisits).where(eq(planVisits.visitId, f.visitId));
  if (visit && !(await leadsAny(tx, visit.planIds))) return;
  const now = clock.now();
  const [row] = await tx
    .insert(ledFindings)
    .values({
      findingId: f.findingId,
      department: f.department,
      uscc: f.uscc,
      visitId: f.visitId,
      code: f.code ?? null,
      itemCode: f.itemCode ?? null,
      description: f.description,
      severity: f.severity,
      handling: f.handling,
      recordedOn: f.recordedOn,
      dueOn: f.dueOn ?? null,
      transferTo: f.transferTo ?? null,
      awaitingVisit: !visit,
      eventId,
      receivedAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) return;
  const entity = { kind: 'finding' as const, id: f.findingId };
  await appendAudit(tx, { actor, action: 'receiveFindings', entity, after: row, at: now });
}

/**
 * A step in the handling of a finding kept here: its last step, and CLOSED when a re-check found it
 * rectified or it was closed (as its home records it, finding-handling.ts). A step already applied
 * (the same step on the same day, redelivered) changes nothing.
 */
export async function followLedFinding(tx: DeptTx, s: Step, clock: Clock, actor: Actor): Promise<void> {
  const [before] = await tx.select().from(ledFindings).where(eq(ledFindings.findingId, s.findingId)).for('update');
  if (!before) return;
  const closes = s.step === 'CLOSED' || (s.step === 'RECHECKED' && s.rectified === true);
  const status = closes ? 'CLOSED' : before.status;
  if (before.lastStep === s.step && before.lastStepOn === s.on && before.status === status) return;
  const now = clock.now();
  const [after] = await tx
    .update(ledFindings)
    .set({ status, lastStep: s.step, lastStepOn: s.on, updatedAt: now })
    .where(eq(ledFindings.findingId, s.findingId))
    .returning();
  const entity = { kind: 'finding' as const, id: s.findingId };
  await appendAudit(tx, { actor, action: 'receiveFindingSteps', entity, before, after: after!, at: now });
}

/** Whether this department leads the plan (as the office's plan events said). */
export async function leadsPlan(db: DeptDb, planId: string): Promise<boolean> {
  return isUuid(planId) && leadsAny(db, [planId]);
}

/** The fields a finding shows the same whether it is this department's own or kept from another. */
const sharedOf = (f: FindingRow | LedFindingRow) => ({
  uscc: f.uscc,
  code: f.code,
  itemCode: f.itemCode,
  description: f.description,
  severity: f.severity,
  handling: f.handling,
  recordedOn: f.recordedOn,
  status: f.status,
  dueOn: f.dueOn,
  transferTo: f.transferTo,
  lastStep: f.lastStep,
  lastStepOn: f.lastStepOn,
});
const ownView = (department: string, f: FindingRow): PlanFindingView => ({
  ...sharedOf(f),
  id: f.id,
  department,
  visitId: f.visitId!,
});
const ledView = (f: LedFindingRow): PlanFindingView => ({
  ...sharedOf(f),
  id: f.findingId,
  department: f.department,
  visitId: f.visitId,
});

/**
 * Every department's findings on the plan's visits (a merged visit counts for each plan it
 * carries): this department's own and those it keeps from the others, by the day found, then id.
 * The caller has checked that this department leads the plan.
 */
export async function listPlanFindings(db: DeptDb, department: string, planId: string, args: ConnectionArgs) {
  const paging = pageArgs(args, 'planFindings');
  const { limit, after } = paging;
  const [afterDay, afterId] = after?.split('|') ?? [];
  if (after && !(dateField.safeParse(afterDay).success && isUuid(afterId!))) throw badInput('after', 'page.badCursor');
  const visitsOfPlan = db
    .select({ visitId: planVisits.visitId })
    .from(planVisits)
    .where(arrayContains(planVisits.planIds, [planId]));
  const own = inArray(findings.visitId, visitsOfPlan);
  const others = and(inArray(ledFindings.visitId, visitsOfPlan), eq(ledFindings.awaitingVisit, false));
  // After the cursor in (day found, id) order, for either table.
  const pastCursor = (day: PgColumn, id: PgColumn) =>
    afterDay && afterId ? or(gt(day, afterDay), and(eq(day, afterDay), gt(id, afterId))) : undefined;
  const ownPage = pastCursor(findings.recordedOn, findings.id);
  const othersPage = pastCursor(ledFindings.recordedOn, ledFindings.findingId);
  const [ownRows, otherRows, [ownTotal], [otherTotal]] = await Promise.all([
    db
      .select()
      .from(findings)
      .where(and(own, ownPage))
      .orderBy(asc(findings.recordedOn), asc(findings.id))
      .limit(limit + 1),
    db
      .select()
      .from(ledFindings)
      .where(and(others, othersPage))
      .orderBy(asc(ledFindings.recordedOn), asc(ledFindings.findingId))
      .limit(limit + 1),
    db.select({ n: count() }).from(findings).where(own),
    db.select({ n: count() }).from(ledFindings).where(others),
  ]);
  const rows = [...ownRows.map((f) => ownView(department, f)), ...otherRows.map(ledView)]
    .sort((a, b) => (a.recordedOn === b.recordedOn ? (a.id < b.id ? -1 : 1) : a.recordedOn < b.recordedOn ? -1 : 1))
    .slice(0, limit + 1);
  return toConnection(rows, paging, (r) => `${r.recordedOn}|${r.id}`, (ownTotal?.n ?? 0) + (otherTotal?.n ?? 0));
}
