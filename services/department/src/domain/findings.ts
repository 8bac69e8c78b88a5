import { z } from 'zod';
import { FINDING_HANDLINGS, FINDING_SEVERITIES } from '@onecheck/contracts';
import { recordEvent } from '@onecheck/events';
import { badInput, dateField, isDepartment, textField, type Tx, referenceField } from '@onecheck/kit';
import { findings, type FindingRow } from '../db/schema';
import type * as schema from '../db/schema';

/**
 * 发现问题 and what its handling needs from the start (issue 11 item 4): a rectification order
 * has its due day, a transfer its receiving department, a transfer to the judiciary its organ.
 * How a finding is handled afterwards is in `finding-handling.ts`.
 */

/** One finding as a check's result carries it (a task's result, or an item's result on a coded visit). */
export const findingInput = z
  .object({
    itemCode: referenceField(64).nullish(),
    description: textField(2000),
    severity: z.enum(FINDING_SEVERITIES),
    handling: z.enum(FINDING_HANDLINGS),
    /** RECTIFICATION: 责令限期改正 (行政处罚法 §28) names the day; seed 004 (八): 整改 with a deadline. */
    dueOn: dateField.nullish(),
    /** TRANSFER: 移交/抄告 to the department competent for it (seed 001 (四): 抄告、移交). */
    transferTo: textField(64).nullish(),
    /** JUDICIAL_TRANSFER: 移送司法 (行政处罚法 §27, 行刑衔接) names the receiving organ. */
    judicialOrgan: textField(200).nullish(),
  })
  .superRefine((f, ctx) => {
    const need = (field: 'dueOn' | 'transferTo' | 'judicialOrgan', key: string) => {
      if (f[field] == null) ctx.addIssue({ code: 'custom', path: [field], message: key });
    };
    if (f.handling === 'RECTIFICATION') need('dueOn', 'finding.dueOnRequired');
    if (f.handling === 'TRANSFER') need('transferTo', 'finding.transferToRequired');
    if (f.handling === 'JUDICIAL_TRANSFER') need('judicialOrgan', 'finding.judicialOrganRequired');
  });
export type FindingInput = z.infer<typeof findingInput>;

export interface FindingFacts {
  /** The department that records it: its home, the one authority on its penalties. */
  department: string;
  taskId: string;
  uscc: string;
  /** The day of the check (a business date). */
  recordedOn: string;
  recordedBy: string;
  /** On a coded visit: the visit and its inspection code. */
  visitId?: string | null;
  code?: string | null;
  /** The system's time of recording. */
  now: Date;
  /** Where the finding sits in the caller's input (e.g. `findings.0`), for the field errors name. */
  field?: string;
}

/**
 * The rules a finding's handling fields obey beside its check day and its department: a due day
 * after the check day, a transfer to another configured department. A refusal names the field.
 */
export function checkFinding(f: FindingInput, facts: Pick<FindingFacts, 'department' | 'recordedOn' | 'field'>) {
  const at = (name: string) => (facts.field ? `${facts.field}.${name}` : name);
  if (f.handling === 'RECTIFICATION' && f.dueOn! <= facts.recordedOn)
    throw badInput(at('dueOn'), 'finding.dueOnAfterCheck', { date: facts.recordedOn });
  if (f.handling === 'TRANSFER') {
    if (!isDepartment(f.transferTo!))
      throw badInput(at('transferTo'), 'department.unknown', { department: f.transferTo! });
    if (f.transferTo === facts.department)
      throw badInput(at('transferTo'), 'finding.transferToSelf', { department: facts.department });
  }
}

/**
 * Records one finding inside the caller's transaction and publishes it
 * (`onecheck.finding.recorded.v1`, same transaction: a finding exists exactly when its event
 * does). Only the fields its handling uses are kept. The caller audits the act it belongs to.
 */
export async function recordFinding(tx: Tx<typeof schema>, facts: FindingFacts, f: FindingInput): Promise<FindingRow> {
  checkFinding(f, facts);
  const handlingFacts = {
    dueOn: f.handling === 'RECTIFICATION' ? f.dueOn! : null,
    transferTo: f.handling === 'TRANSFER' ? f.transferTo! : null,
    transferStatus: f.handling === 'TRANSFER' ? ('PENDING' as const) : null,
    judicialOrgan: f.handling === 'JUDICIAL_TRANSFER' ? f.judicialOrgan! : null,
  };
  const [finding] = await tx
    .insert(findings)
    .values({
      taskId: facts.taskId,
      uscc: facts.uscc,
      itemCode: f.itemCode ?? null,
      description: f.description,
      severity: f.severity,
      handling: f.handling,
      recordedOn: facts.recordedOn,
      recordedBy: facts.recordedBy,
      visitId: facts.visitId ?? null,
      code: facts.code ?? null,
      ...handlingFacts,
      createdAt: facts.now,
      updatedAt: facts.now,
    })
    .returning();
  const defined = <T>(value: T | null | undefined) => value ?? undefined;
  await recordEvent(tx, {
    source: `onecheck/department/${facts.department}`,
    type: 'onecheck.finding.recorded.v1',
    key: facts.uscc,
    data: stripUndefined({
      findingId: finding!.id,
      department: facts.department,
      uscc: facts.uscc,
      taskId: facts.taskId,
      itemCode: defined(f.itemCode),
      description: f.description,
      severity: f.severity,
      handling: f.handling,
      recordedOn: facts.recordedOn,
      visitId: defined(facts.visitId),
      code: defined(facts.code),
      dueOn: defined(handlingFacts.dueOn),
      transferTo: defined(handlingFacts.transferTo),
      judicialOrgan: defined(handlingFacts.judicialOrgan),
    }),
    time: facts.now,
  });
  return finding!;
}

/** Events carry a field or leave it out (a strict JSON Schema has no nulls, and no undefined keys are sent). */
function stripUndefined<T extends Record<string, unknown>>(data: T): T {
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)) as T;
}
