/**
 * Results received (issue 11 item 3): the departments' results on coded visits
 * (onecheck.inspection.recorded.v1) kept by the office, which follows from them a visit's status
 * (RECORDED once every item of every department's part has a result), the 经营异常名录
 * (abnormal-list.ts), a plan's inspection tasks and their publication (publication.ts), the
 * measures (measures.ts) and the plans' cool-down (recorded_checks).
 */
import { and, eq, inArray } from 'drizzle-orm';
import { chinaDate, type Clock } from '@onecheck/clock';
import type { EventData } from '@onecheck/contracts';
import { appendAudit, type Actor, type Db, type Tx } from '@onecheck/kit';
import { recordedChecks, visitResults, visits, type VisitDepartmentRow, type VisitResultRow } from '../db/schema';
import type * as schema from '../db/schema';
import { listAbnormal } from './abnormal-list';
import { partsOf } from './visits';

type MarketTx = Tx<typeof schema>;
type Reader = Pick<Db<typeof schema>, 'select'>;

/**
 * One department's part of a visit with the results it recorded: recorded (its China day, the
 * day of its last result) once every item of the part has a result, else null.
 */
export function partRecordedOn(part: Pick<VisitDepartmentRow, 'items'>, results: VisitResultRow[]): string | null {
  if (results.length === 0) return null;
  const done = new Set(results.flatMap((r) => r.items.map((i) => i.itemCode)));
  if (!part.items.every((code) => done.has(code))) return null;
  return results.map((r) => chinaDate(r.recordedAt)).reduce((a, b) => (a > b ? a : b));
}

/**
 * The parts (visits.ts partsOf, the one query for them) and results of a set of visits, by visit.
 */
export async function partsAndResultsOf(db: Reader, visitIds: readonly string[]) {
  const ids = [...new Set(visitIds)];
  const [parts, results] = ids.length
    ? await Promise.all([partsOf(db, ids), db.select().from(visitResults).where(inArray(visitResults.visitId, ids))])
    : [[], []];
  const byVisit = new Map<string, { parts: VisitDepartmentRow[]; results: VisitResultRow[] }>();
  ids.forEach((id, n) => byVisit.set(id, { parts: parts[n]!, results: [] }));
  for (const r of results) byVisit.get(r.visitId)!.results.push(r);
  return byVisit;
}

/** The results one department recorded on a visit (the department owning the items). */
export const resultsFor = (results: VisitResultRow[], department: string) =>
  results.filter((r) => r.department === department);

/**
 * A department's results on a visit, as the office receives them: stored once (the resultId; a
 * redelivered event changes nothing), on the visit's trail (全程留痕); the visit is RECORDED when
 * every item of every department's part has a result; a 无法联系 result lists the business on
 * the 经营异常名录 (企业信息公示暂行条例 §17).
 */
export async function receiveResult(
  tx: MarketTx,
  data: EventData<'onecheck.inspection.recorded.v1'>,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  const now = clock.now();
  const [row] = await tx
    .insert(visitResults)
    .values({
      resultId: data.resultId,
      visitId: data.visitId,
      department: data.department,
      recordedByDepartment: data.recordedByDepartment,
      uscc: data.uscc,
      items: data.items,
      officers: data.officers,
      findings: data.findings,
      inspectedOn: data.inspectedOn,
      recordedAt: new Date(data.recordedAt),
    })
    .onConflictDoNothing({ target: visitResults.resultId })
    .returning();
  if (!row) return;
  // The plans' cool-down counts a visit's checks like any other (a clean one: every item 未发现问题).
  const clean = data.items.every((i) => i.categories.every((c) => c === 'NO_PROBLEM'));
  await tx
    .insert(recordedChecks)
    .values({
      taskId: data.resultId,
      uscc: data.uscc,
      department: data.department,
      outcome: clean ? 'NO_PROBLEM' : 'PROBLEMS_FOUND',
      checkedOn: data.inspectedOn,
    })
    .onConflictDoNothing({ target: recordedChecks.taskId });
  const [visit] = await tx.select().from(visits).where(eq(visits.id, data.visitId)).for('update');
  let status = visit?.status;
  if (visit?.status === 'CODED') {
    const { parts, results } = (await partsAndResultsOf(tx, [visit.id])).get(visit.id)!;
    const complete =
      parts.length > 0 && parts.every((p) => partRecordedOn(p, resultsFor(results, p.department)) !== null);
    if (complete) {
      await tx
        .update(visits)
        .set({ status: 'RECORDED', updatedAt: now })
        .where(and(eq(visits.id, visit.id), eq(visits.status, 'CODED')));
      status = 'RECORDED';
    }
  }
  await appendAudit(tx, {
    actor,
    action: 'receiveVisitResults',
    entity: { kind: 'visit', id: data.visitId },
    before: visit ? { status: visit.status } : null,
    after: { result: row, status: status ?? null },
    at: now,
  });
  // 企业信息公示暂行条例 §17: 通过登记的住所（经营场所）无法联系 → 经营异常名录.
  if (data.items.some((i) => i.categories.includes('UNREACHABLE_AT_ADDRESS')))
    await listAbnormal(
      tx,
      {
        uscc: data.uscc,
        cause: 'UNREACHABLE_AT_ADDRESS',
        department: data.department,
        visitId: data.visitId,
        resultId: data.resultId,
      },
      clock,
      actor,
    );
}
