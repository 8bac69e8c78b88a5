/**
 * A department's finding (发现问题) and how it is handled. v1 takes its enums from enums.ts; when
 * FINDING_SEVERITIES or FINDING_HANDLINGS change, v1 keeps its published values (write them out
 * here) and the new values go out as v2 (the compatibility test says so).
 */
import { z } from 'zod';
import { FINDING_HANDLINGS, FINDING_SEVERITIES, FINDING_STEPS, PENALTY_KINDS } from '../enums';
import { date, departmentCode, id, uscc } from './fields';

export const findingRecordedV1 = z
  .object({
    findingId: id,
    department: departmentCode,
    uscc,
    taskId: id,
    itemCode: z.string().optional().meta({ description: 'the supervision item (监管事项) checked' }),
    description: z.string().min(1),
    severity: z.enum(FINDING_SEVERITIES),
    handling: z.enum(FINDING_HANDLINGS),
    recordedOn: date,
    // Issue 11: optional, so v1 stays v1 (a finding on a coded visit, and what its handling needs).
    visitId: id.optional().meta({ description: 'the coded visit it was found on' }),
    code: z.string().optional().meta({ description: 'the inspection code of that visit' }),
    dueOn: date.optional().meta({ description: 'RECTIFICATION: the day it must be rectified by' }),
    transferTo: departmentCode.optional().meta({ description: 'TRANSFER: the department that must accept it' }),
    judicialOrgan: z
      .string()
      .optional()
      .meta({ description: 'JUDICIAL_TRANSFER: the receiving organ (e.g. 县公安局)' }),
  })
  .meta({
    title: 'A department recorded a finding (发现问题) on an inspection',
    description:
      'Published by each department on onecheck.department.finding, key: the uscc. The credit platform keeps it as a credit record.',
  });

export const findingHandledV1 = z
  .object({
    findingId: id,
    homeDepartment: departmentCode.meta({
      description: 'the department that recorded the finding: the one authority on its penalties (行政处罚法 §29)',
    }),
    department: departmentCode.meta({ description: 'the department that acted' }),
    uscc,
    step: z.enum(FINDING_STEPS),
    rectified: z
      .boolean()
      .optional()
      .meta({ description: 'RECHECKED: whether the rectification was done (true closes it)' }),
    penalty: z
      .object({
        decisionId: id,
        kind: z.enum(PENALTY_KINDS),
        amountYuan: z.number().nonnegative().optional().meta({ description: 'FINE: the amount in yuan' }),
        documentNumber: z.string().min(1).meta({ description: '处罚决定书 number' }),
        decidedOn: date,
        department: departmentCode
          .optional()
          .meta({ description: 'the department whose decision it is (the home department publishes it)' }),
      })
      .optional()
      .meta({ description: 'PENALTY_DECIDED: the decision the home department accepted' }),
    transferTo: departmentCode
      .optional()
      .meta({ description: 'TRANSFER_ACCEPTED / TRANSFER_REFUSED: the receiving department' }),
    feedback: z
      .string()
      .optional()
      .meta({ description: "JUDICIAL_FEEDBACK: the organ's feedback; TRANSFER_REFUSED: the reason" }),
    on: date.meta({ description: 'the business date of the step' }),
    recordedAt: z.iso.datetime({ offset: true }),
  })
  .meta({
    title:
      'A finding was handled: re-checked, a case opened or decided, a transfer answered, judicial feedback, closed',
    description:
      'Published on onecheck.department.finding by the department that acted, key: the uscc. The credit platform and the lead department follow findings by it.',
  });
