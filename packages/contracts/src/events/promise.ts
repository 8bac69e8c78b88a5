/**
 * 告知承诺 (seed 003 第二十三条; domain-notes §7): what the approval bureau announces about an
 * approval granted on the applicant's promise — the reminder the day before the promised
 * materials are due (材料延期), and the dishonesty record when a promise proves untrue or its
 * materials never came and the bureau annulled the approval (纳入信用记录).
 */
import { z } from 'zod';
import { PROMISE_BREACHES, PROMISE_MODES } from '../enums';
import { date, departmentCode, id, uscc } from './fields';

const at = z.iso.datetime({ offset: true });

export const promiseRemindedV1 = z
  .object({
    promiseId: id,
    uscc,
    businessName: z.string().min(1).meta({ description: '行政相对人名称' }),
    contact: z.string().optional().meta({ description: '联系方式, as the applicant gave it: where the reminder goes' }),
    approvalItem: z.string().min(1).meta({ description: '事项名称' }),
    mode: z.enum(PROMISE_MODES),
    dueOn: date.meta({ description: 'the last day to hand in the promised materials' }),
    remindedAt: at.meta({ description: "when the reminder went out (the system's own time)" }),
  })
  .meta({
    title: 'A reminder to an applicant: the materials promised under 告知承诺 are due tomorrow (截止前一天)',
    description:
      'Published by the approval bureau on onecheck.approval.licence the day before the promised period ends (seed 003 第二十三条, domain-notes §7), key: the uscc. The channel that notifies applicants sends it on.',
  });

export const promiseBrokenV1 = z
  .object({
    promiseId: id,
    uscc,
    businessName: z.string().min(1),
    approvalItem: z.string().min(1),
    mode: z.enum(PROMISE_MODES),
    breach: z.enum(PROMISE_BREACHES).meta({
      description:
        'MATERIALS_OVERDUE: the promised materials never came and the bureau annulled the approval; MATERIALS_UNTRUE: the materials did not match the e-licences; CHECK_UNTRUE: the on-site check found the promise untrue',
    }),
    licenceId: id.optional().meta({ description: 'the licence, when one was issued' }),
    licenceNumber: z.string().optional(),
    foundBy: z
      .union([z.literal('APPROVAL'), departmentCode])
      .meta({ description: 'APPROVAL, or the department whose on-site check found it' }),
    documentNumber: z.string().optional().meta({ description: "the bureau's decision number, when it annulled" }),
    legalBasis: z.string().optional().meta({ description: "法律依据 of the bureau's decision or finding" }),
    reason: z.string().min(1),
    decidedOn: date.meta({ description: 'the date of the finding or decision' }),
    recordedAt: at,
  })
  .meta({
    title: 'A promise under 告知承诺 proved untrue or unkept: a dishonesty record (失信记录)',
    description:
      'Published by the approval bureau on onecheck.approval.licence, key: the uscc (seed 003 第二十三条: 纳入信用记录). The credit platform keeps it on the business; the bureau itself refuses 告知承诺 to the business while it stands (国办发〔2020〕42号).',
  });
