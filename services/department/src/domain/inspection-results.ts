/**
 * Results on a coded visit (issue 11 item 3): per item, in the national result categories
 * (domain-notes §5), with the check form's answers, evidence and the officers. The rules, each a
 * refusal that names its field and writes nothing:
 *
 * - 无码不检查 (seed 004 (十二)): the code must be one this department holds — one it has not
 *   received yet is RETRY_LATER (the office's event may be on its way); a revoked code (merged,
 *   cancelled) names the visit that carries its items now; outside its validity it is refused.
 * - 谁检查、谁录入: the caller is an inspector of the team that checks these items — the
 *   department's own, or under 互帮代查 (seed 004 (六)) the delegate department's.
 * - 执法人员不得少于两人 (行政处罚法 §42) who show their certificates (§55): two or more distinct
 *   INSPECTORs of that team whose certificates are valid on the day of the inspection; experts
 *   are listed apart and never counted.
 * - The day of the inspection is a business date: not after today (China), not before the code is
 *   valid; the time of recording is the server's (DESIGN.md §4).
 * - Items: the department's items on the code, each once, not recorded before on this visit (or a
 *   visit merged into it); categories non-empty with 未发现问题 alone; answers from the item's
 *   check form.
 *
 * Once every item of the department on the code is recorded, its INSPECTION tasks for the business
 * are CHECKED. The result goes to the office (onecheck.inspection.recorded.v1), each finding as
 * onecheck.finding.recorded.v1 (findings.ts), all in the same transaction, with the audit trail.
 */
import { chinaDate, type Clock } from '@onecheck/clock';
import { isProblemCategory, RESULT_CATEGORIES } from '@onecheck/contracts';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Identity } from '@onecheck/auth';
import { recordEvent } from '@onecheck/events';
import {
  actorOf,
  appendAudit,
  badInput,
  conflict,
  dateField,
  isLateEntry,
  parseInput,
  requireNotAfterToday,
  requireNotBefore,
  retryLater,
  textField,
  type Db,
  type Tx,
} from '@onecheck/kit';
import {
  findings as findingRows,
  inspectionResults,
  supervisionItems,
  supervisionTasks,
  visitCodes,
  type FindingRow,
  type InspectionResultRow,
  type VisitCodeRow,
} from '../db/schema';
import type * as schema from '../db/schema';
import { requireOnCheckTeam } from '../policy';
import { findingInput, recordFinding } from './findings';
import { TEAM_SIZE } from './inspector-draw';
import { markChecked } from './tasks';
import { checkingTeam, validityOf, visitsOfCode } from './visit-codes';

type DeptDb = Db<typeof schema>;
type DeptTx = Tx<typeof schema>;

const itemResultInput = z.object({
  itemCode: textField(64),
  categories: z
    .array(z.enum(RESULT_CATEGORIES))
    .min(1)
    .refine((c) => new Set(c).size === c.length, 'inspectionResult.categoryTwice')
    // 未发现问题 stands alone: it cannot be said beside a problem.
    .refine((c) => !c.includes('NO_PROBLEM') || c.length === 1, 'inspectionResult.noProblemAlone'),
  answers: z
    .array(z.object({ point: textField(500), answer: textField(200) }))
    .max(200)
    .nullish(),
  evidence: z.array(textField(500)).max(50).nullish(),
});

const resultInput = z.object({
  code: textField(100),
  inspectedOn: dateField,
  items: z.array(itemResultInput).min(1).max(100),
  officers: z.array(z.string()).max(20),
  experts: z.array(textField(100)).max(20).nullish(),
  findings: z.array(findingInput).max(50).nullish(),
});

export interface RecordedResult {
  resultId: string;
  visitId: string;
  code: string;
  items: InspectionResultRow[];
  findings: FindingRow[];
}

export async function recordInspectionResult(
  db: DeptDb,
  department: string,
  identity: Identity,
  raw: unknown,
  clock: Clock,
  lateEntryDays: number,
): Promise<RecordedResult> {
  const input = parseInput(resultInput, raw);
  const now = clock.now();
  const today = clock.today();
  return db.transaction(async (tx) => {
    // Locked: two recordings on one visit at once are put in order (the second sees the first's items).
    const [copy] = await tx.select().from(visitCodes).where(eq(visitCodes.code, input.code)).for('update');
    if (!copy) throw retryLater('code', 'visitCode.notReceived', { code: input.code });
    await requireUsable(tx, copy, today);
    const part = copy.departments.find((p) => p.department === department);
    if (!part) throw badInput('code', 'visitCode.noItemsOf', { code: input.code, department });
    const checking = checkingTeam(copy.departments, part);
    requireOnCheckTeam(identity, checking, input.code);

    const { inspectedOn } = input;
    requireNotAfterToday('inspectedOn', inspectedOn, today);
    requireNotBefore('inspectedOn', inspectedOn, copy.validFrom, 'validFrom');
    // No code, no inspection (seed 004 (十二) 未经备案的，不得实施): not before the day it was issued. A
    // merged code is exempt: the visits it carries were checked under their own, earlier codes.
    if (!copy.mergedFrom.length) requireNotBefore('inspectedOn', inspectedOn, chinaDate(copy.issuedAt), 'coding');

    // 行政处罚法 §42, §55: two or more officers of the team, certified on the day; experts never count.
    if (new Set(input.officers).size !== input.officers.length)
      throw badInput('officers', 'inspectionResult.officerTwice');
    const officers = input.officers.map((id) => {
      const m = checking.team.find((t) => t.inspectorId === id);
      if (!m) throw badInput('officers', 'inspectionResult.officerNotOnTeam', { inspectorId: id });
      if (m.kind !== 'INSPECTOR') throw badInput('officers', 'inspectionResult.expertNotOfficer', { inspectorId: id });
      if (!m.certificateValidUntil || m.certificateValidUntil < inspectedOn)
        throw badInput('officers', 'inspectionResult.certificateInvalid', { inspectorId: id, date: inspectedOn });
      return m;
    });
    if (officers.length < TEAM_SIZE) throw badInput('officers', 'inspectionResult.twoOfficers');

    const codes = input.items.map((i) => i.itemCode);
    input.items.forEach((item, i) => {
      if (!part.items.includes(item.itemCode))
        throw badInput(`items.${i}.itemCode`, 'inspectionResult.itemNotOnCode', { itemCode: item.itemCode });
      if (codes.indexOf(item.itemCode) !== i)
        throw badInput(`items.${i}.itemCode`, 'inspectionResult.itemTwice', { itemCode: item.itemCode });
    });
    const visits = visitsOfCode(copy);
    const recordedBefore = await tx
      .select({ itemCode: inspectionResults.itemCode })
      .from(inspectionResults)
      .where(and(inArray(inspectionResults.visitId, visits), inArray(inspectionResults.itemCode, codes)));
    if (recordedBefore.length)
      throw conflict('inspectionResult.alreadyRecorded', { itemCode: recordedBefore[0]!.itemCode }, 'items');
    await requireFormAnswers(tx, input.items);

    const taskIds = copy.taskIds;
    const tasks = taskIds.length
      ? await tx
          .select()
          .from(supervisionTasks)
          .where(inArray(supervisionTasks.id, taskIds))
          .orderBy(asc(supervisionTasks.createdAt), asc(supervisionTasks.id))
          .for('update')
      : [];
    // A merged visit carries a task per plan: an item, and a finding on it, belong to the task that
    // has the item (its plan's work, published with that plan), else to the earliest task.
    const taskFor = (itemCode?: string | null) =>
      (itemCode ? tasks.find((t) => t.items?.includes(itemCode)) : undefined) ?? tasks[0];
    const findingsIn = input.findings ?? [];
    findingsIn.forEach((f, i) => {
      if (f.itemCode && !codes.includes(f.itemCode))
        throw badInput(`findings.${i}.itemCode`, 'inspectionResult.findingItem', { itemCode: f.itemCode });
      // 未发现问题 closes the item (domain-notes §5: 未发现问题 → 归档): a problem found on it, or on
      // a recording whose every item found none, contradicts the result it comes with.
      const on = f.itemCode ? input.items.filter((it) => it.itemCode === f.itemCode) : input.items;
      if (on.every((it) => it.categories.includes('NO_PROBLEM')))
        throw badInput(`findings.${i}.itemCode`, 'inspectionResult.findingOnNoProblem');
    });
    // A finding needs its task (the department's work on this business); a code without one cannot carry findings.
    if (findingsIn.length && !tasks.length) throw conflict('inspectionResult.noTask', { code: input.code }, 'findings');

    const resultId = randomUUID();
    const lateEntry = isLateEntry(inspectedOn, today, lateEntryDays);
    const rows = await tx
      .insert(inspectionResults)
      .values(
        input.items.map((item) => ({
          resultId,
          visitId: copy.visitId,
          code: copy.code,
          uscc: copy.uscc,
          itemCode: item.itemCode,
          categories: item.categories,
          answers: item.answers ?? [],
          evidence: item.evidence ?? [],
          officers: officers.map((o) => o.inspectorId),
          officerCertificates: officers.map((o) => o.certificateNumber),
          experts: input.experts ?? [],
          inspectedOn,
          recordedAt: now,
          lateEntry,
          recordedBy: identity.sub,
          recordedByDepartment: checking.department,
          taskId: taskFor(item.itemCode)?.id ?? null,
        })),
      )
      .returning();
    const findings: FindingRow[] = [];
    for (const [i, f] of findingsIn.entries()) {
      const facts = {
        department,
        taskId: taskFor(f.itemCode)!.id,
        uscc: copy.uscc,
        recordedOn: inspectedOn,
        recordedBy: identity.sub,
        visitId: copy.visitId,
        code: copy.code,
        now,
        field: `findings.${i}`,
      };
      findings.push(await recordFinding(tx, facts, f));
    }
    await recordEvent(tx, {
      source: `onecheck/department/${department}`,
      type: 'onecheck.inspection.recorded.v1',
      key: copy.uscc,
      data: {
        resultId,
        visitId: copy.visitId,
        code: copy.code,
        department,
        recordedByDepartment: checking.department,
        uscc: copy.uscc,
        items: input.items.map((i) => ({ itemCode: i.itemCode, categories: i.categories })),
        officers: officers.map((o) => o.certificateNumber),
        findings: findings.length,
        inspectedOn,
        recordedAt: now.toISOString(),
      },
      time: now,
    });
    const actor = actorOf(identity);
    await appendAudit(tx, {
      actor,
      action: 'recordResults',
      entity: { kind: 'inspectionResult', id: resultId },
      after: { items: rows, findings },
      at: now,
    });
    await checkTasksWhenComplete(tx, copy, part.items, tasks, identity, now, today, lateEntryDays);
    return { resultId, visitId: copy.visitId, code: copy.code, items: rows, findings };
  });
}

/** A revoked code names the visit that carries its items now; one outside its validity says which end. */
async function requireUsable(tx: DeptTx, copy: VisitCodeRow, today: string) {
  const validity = validityOf(copy, today);
  if (validity === 'VALID') return;
  if (validity === 'MERGED') {
    const [into] = copy.mergedInto
      ? await tx.select({ code: visitCodes.code }).from(visitCodes).where(eq(visitCodes.visitId, copy.mergedInto))
      : [];
    throw badInput('code', 'visitCode.merged', { visitId: copy.mergedInto ?? '', code: into?.code ?? '' });
  }
  if (validity === 'CANCELLED') throw badInput('code', 'visitCode.cancelled', { code: copy.code });
  if (validity === 'EXPIRED') throw badInput('code', 'visitCode.expired', { validUntil: copy.validUntil });
  throw badInput('code', 'visitCode.notYetValid', { validFrom: copy.validFrom });
}

/** Each answer is a point of the item's check form, once, with one of its answers. */
async function requireFormAnswers(
  tx: DeptTx,
  items: readonly { itemCode: string; answers?: { point: string; answer: string }[] | null }[],
) {
  const forms = await tx
    .select({ code: supervisionItems.code, checkPoints: supervisionItems.checkPoints })
    .from(supervisionItems)
    .where(
      inArray(
        supervisionItems.code,
        items.map((i) => i.itemCode),
      ),
    );
  items.forEach((item, i) => {
    const form = forms.find((f) => f.code === item.itemCode)?.checkPoints ?? [];
    const seen = new Set<string>();
    (item.answers ?? []).forEach((a, j) => {
      const field = `items.${i}.answers.${j}`;
      const point = form.find((p) => p.point === a.point);
      if (!point) throw badInput(`${field}.point`, 'inspectionResult.unknownPoint', { point: a.point });
      if (seen.has(a.point)) throw badInput(`${field}.point`, 'inspectionResult.pointTwice', { point: a.point });
      seen.add(a.point);
      if (!point.answers.includes(a.answer))
        throw badInput(`${field}.answer`, 'inspectionResult.unknownAnswer', { values: point.answers });
    });
  });
}

/**
 * When every item of the department on the code is recorded (on this visit or one merged into it),
 * its open INSPECTION tasks for the business are CHECKED: the day of the last inspection, and
 * PROBLEMS_FOUND when any item found a problem or any finding was recorded.
 */
async function checkTasksWhenComplete(
  tx: DeptTx,
  copy: VisitCodeRow,
  items: readonly string[],
  tasks: (typeof supervisionTasks.$inferSelect)[],
  identity: Identity,
  now: Date,
  today: string,
  lateEntryDays: number,
) {
  const open = tasks.filter((t) => t.status === 'PENDING_CLAIM' || t.status === 'CLAIMED');
  if (!open.length) return;
  const recorded = await tx
    .select()
    .from(inspectionResults)
    .where(inArray(inspectionResults.visitId, visitsOfCode(copy)));
  if (!items.every((code) => recorded.some((r) => r.itemCode === code))) return;
  const mine = recorded.filter((r) => items.includes(r.itemCode));
  const checkedOn = mine
    .map((r) => r.inspectedOn)
    .sort()
    .at(-1)!;
  const problems = mine.some((r) => r.categories.some(isProblemCategory));
  for (const task of open) {
    const found = await tx
      .select({ id: findingRows.id })
      .from(findingRows)
      .where(eq(findingRows.taskId, task.id))
      .limit(1);
    const outcome = problems || found.length ? ('PROBLEMS_FOUND' as const) : ('NO_PROBLEM' as const);
    const row = await markChecked(tx, task.id, { checkedOn, outcome }, identity, { now, today, lateEntryDays });
    await appendAudit(tx, {
      actor: actorOf(identity),
      action: 'recordResults',
      entity: { kind: 'supervisionTask', id: task.id },
      before: task,
      after: { ...row, code: copy.code },
      at: now,
    });
  }
}
