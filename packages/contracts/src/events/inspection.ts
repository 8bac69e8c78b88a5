/**
 * What the departments tell the office about visits (issue 11), on onecheck.department.inspection:
 * the teams they drew, the codes they ask for outside plans, and the results they recorded.
 */
import { z } from 'zod';
import { CODE_REFUSAL_REASONS, INSPECTOR_SHORTFALLS, RESULT_CATEGORIES, VISIT_REASONS } from '../enums';
import { date, departmentCode, id, uscc } from './fields';
import { teamMember } from './visit';

const at = z.iso.datetime({ offset: true });

export const inspectionTeamsDrawnV1 = z
  .object({
    drawId: id,
    planId: id,
    department: departmentCode,
    teams: z.array(
      z.object({
        uscc,
        taskId: id.meta({ description: "the department's INSPECTION task for the business" }),
        team: z.array(teamMember).meta({ description: 'the drawn officers (empty when there is a shortfall)' }),
        shortfall: z.enum(INSPECTOR_SHORTFALLS).optional(),
      }),
    ),
    drawnAt: at,
  })
  .meta({
    title: 'A department drew its check teams for a target draw (双随机)',
    description:
      'Published by each department on onecheck.department.inspection, key: the plan id. The office completes its visits with the teams and codes them.',
  });

export const inspectionCodeRequestedV1 = z
  .object({
    requestId: id,
    department: departmentCode,
    uscc,
    reason: z.enum(VISIT_REASONS).exclude(['PLAN']),
    reasonDetail: z.string().min(1).meta({ description: 'what the check is about (no complainant named)' }),
    items: z.array(z.string().min(1)).min(1),
    team: z.array(teamMember).min(2),
    validFrom: date,
    validUntil: date,
    requestedAt: at,
  })
  .meta({
    title: 'A department asked the office for the code of a check outside plans (投诉举报, 专项行动, 重点领域)',
    description:
      'Published by each department on onecheck.department.inspection, key: the uscc. The office codes it at once (onecheck.visit.coded.v1 with the requestId), or refuses it when it has not registered the business or it is deregistered (onecheck.inspection.code-refused.v1).',
  });

export const inspectionCodeRefusedV1 = z
  .object({
    requestId: id.meta({ description: "the requesting department's request id (code-requested.v1)" }),
    department: departmentCode.meta({ description: 'the department that asked' }),
    uscc,
    reason: z.enum(CODE_REFUSAL_REASONS).meta({
      description:
        'NOT_REGISTERED: market regulation has never registered the business; DEREGISTERED: it is deregistered (注销)',
    }),
    refusedAt: at.meta({ description: "when the office refused it (the office's own time)" }),
  })
  .meta({
    title: "The office refused to code a department's check outside plans (赋码检查, seed 004 (十二))",
    description:
      'Published by market regulation (the office, the registration authority) on onecheck.market.visit, key: the uscc, in answer to onecheck.inspection.code-requested.v1. No visit and no code exist for the request; the department closes its task (无码不检查).',
  });

export const inspectionRecordedV1 = z
  .object({
    resultId: id,
    visitId: id,
    code: z.string().min(1),
    department: departmentCode.meta({ description: 'the department that owns the items and stores the result' }),
    recordedByDepartment: departmentCode.meta({ description: "the team's department (another one under 互帮代查)" }),
    uscc,
    items: z
      .array(z.object({ itemCode: z.string().min(1), categories: z.array(z.enum(RESULT_CATEGORIES)).min(1) }))
      .min(1),
    officers: z.array(z.string().min(1)).min(2).meta({ description: "the officers' certificate numbers" }),
    findings: z
      .int()
      .min(0)
      .meta({ description: 'findings recorded with it (each also onecheck.finding.recorded.v1)' }),
    inspectedOn: date,
    recordedAt: at,
  })
  .meta({
    title: 'A department recorded results on a coded visit (per item, in the national result categories)',
    description:
      'Published by each department on onecheck.department.inspection, key: the uscc. The office follows its visits, publication and measures by it.',
  });
