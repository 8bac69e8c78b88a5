/**
 * 一公开 (issue 11; seed 000 §二(二)9, 001): a visit's results for one department, made public
 * within 20 working days of the department's task completing. Published on the public topic
 * onecheck.public.result, key: the uscc; nothing personal beyond certificate numbers.
 */
import { z } from 'zod';
import { RESULT_CATEGORIES, VISIT_REASONS } from '../enums';
import { date, departmentCode, id, uscc } from './fields';

export const resultPublishedV1 = z
  .object({
    publicationId: id,
    visitId: id,
    planId: id
      .optional()
      .meta({ description: 'the joint plan whose task was published (none for a check outside plans)' }),
    reason: z.enum(VISIT_REASONS),
    department: departmentCode.meta({ description: 'the department whose results these are (谁检查、谁公示)' }),
    uscc,
    businessName: z.string().min(1),
    items: z.array(
      z.object({
        itemCode: z.string().min(1),
        itemName: z.string().optional(),
        categories: z.array(z.enum(RESULT_CATEGORIES)).min(1),
      }),
    ),
    inspectedOn: date,
    departments: z.array(departmentCode).meta({ description: 'every department of the visit' }),
    certificateNumbers: z.array(z.string()).meta({ description: "the officers' 执法证号 (no names)" }),
    publishedAt: z.iso.datetime({ offset: true }),
  })
  .meta({
    title: "A visit's results for one department were published (一公开)",
    description:
      'Published by market regulation (the office) on onecheck.public.result, key: the uscc. Public: any client may read it.',
  });
