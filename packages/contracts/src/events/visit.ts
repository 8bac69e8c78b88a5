/**
 * 进一次门、查多项事 and 赋码检查 (issue 11; seed 000 §二(二)6, 004 (六), (十二)): the office's coded
 * visits, published on onecheck.market.visit, key: the uscc. Each department keeps its own copy of
 * every code that names it and records results only against a code it holds (无码不检查).
 */
import { z } from 'zod';
import { INSPECTOR_KINDS, VISIT_REASONS } from '../enums';
import { date, departmentCode, id, uscc } from './fields';

const at = z.iso.datetime({ offset: true });

/** One member of a department's check team, as the department drew or named it. */
export const teamMember = z.object({
  inspectorId: id.meta({ description: "the inspector's id in the department's directory (their login's subject)" }),
  certificateNumber: z.string().min(1).meta({ description: '执法证号 (officers show it anyway, 行政处罚法 §55)' }),
  kind: z.enum(INSPECTOR_KINDS).meta({ description: 'INSPECTOR counts toward the two officers; EXPERT never does' }),
  certificateValidUntil: date.optional().meta({ description: "the certificate's last valid day (none for an expert)" }),
});

export const visitCodedV1 = z
  .object({
    visitId: id,
    code: z
      .string()
      .min(1)
      .meta({ description: 'the inspection code (检查码): unguessable, checked publicly by anyone holding it' }),
    version: z
      .int()
      .min(1)
      .meta({ description: 'grows with every change of the code (merge, delegation, new date); keep the highest' }),
    uscc,
    businessName: z.string().min(1),
    reason: z
      .enum(VISIT_REASONS)
      .meta({ description: 'PLAN: drawn by joint plans; otherwise a check outside plans (seed 001)' }),
    reasonDetail: z
      .string()
      .optional()
      .meta({ description: 'for a check outside plans: what it is about (no complainant)' }),
    planIds: z
      .array(id)
      .meta({ description: 'the joint plans whose items the visit carries (two or more once merged)' }),
    requestId: id.optional().meta({ description: "a check outside plans: the requesting department's request id" }),
    plannedOn: date,
    validFrom: date,
    validUntil: date.meta({ description: 'the code expires after this day (China time)' }),
    departments: z
      .array(
        z.object({
          department: departmentCode,
          items: z
            .array(z.string().min(1))
            .min(1)
            .meta({ description: "the department's item codes checked on the visit" }),
          team: z
            .array(teamMember)
            .meta({ description: "the department's check team (empty: it could not field one)" }),
          delegatedTo: departmentCode.optional().meta({
            description: "互帮代查 (seed 004 (六)): this department's items are checked by that department's team",
          }),
        }),
      )
      .min(1),
    mergedFrom: z.array(id).meta({ description: 'visits merged into this one (their codes are revoked)' }),
    issuedAt: at.meta({ description: 'when this version was issued' }),
  })
  .meta({
    title: 'The office coded a visit (赋码), or changed its code: a new version with the full state',
    description:
      'Published by market regulation (the office) on onecheck.market.visit, key: the uscc. Each department in it keeps the highest version; a result is recorded only against a code the department holds.',
  });

export const visitCodeRevokedV1 = z
  .object({
    visitId: id,
    code: z.string().min(1),
    uscc,
    reason: z.enum(['MERGED', 'CANCELLED']),
    mergedInto: id.optional().meta({ description: 'MERGED: the visit that now carries its items' }),
    revokedAt: at,
  })
  .meta({
    title: "A visit's code was revoked: merged into another visit, or cancelled",
    description:
      'Published by the office on onecheck.market.visit, key: the uscc. No result may be recorded against it after this.',
  });
