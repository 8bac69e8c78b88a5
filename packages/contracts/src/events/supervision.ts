/**
 * What a department pushes to the approval bureau (监管信息推送, seed 003 第二十条): the result of
 * every check, and its decisions on, or requests about, a licence it supervises (反向推送).
 */
import { z } from 'zod';
import { CHECK_OUTCOMES, LICENCE_ACT_KINDS, LICENCE_ACT_KINDS_V1, LICENCE_ACT_STATUSES } from '../enums';
import { date, departmentCode, id, uscc } from './fields';

const recordedAt = z.iso.datetime({ offset: true });

export const supervisionCheckedV1 = z
  .object({
    taskId: id,
    department: departmentCode,
    licenceId: id,
    licenceNumber: z.string().min(1),
    uscc,
    outcome: z.enum(CHECK_OUTCOMES),
    summary: z.string().min(1),
    findings: z.int().min(0).meta({
      description: 'how many findings the check recorded (each also goes out as onecheck.finding.recorded.v1)',
    }),
    checkedOn: date.meta({ description: 'the day the check took place, as the inspector entered it' }),
    recordedAt: recordedAt.meta({ description: "when the result was recorded (the system's own time)" }),
    promiseKept: z.boolean().optional().meta({
      description:
        '事后核查 of a licence granted on a promise (告知承诺, seed 003 第二十三条): whether the promise proved true',
    }),
    rectification: z
      .object({
        findingIds: z.array(id).min(1).meta({ description: 'the findings that order it (handling RECTIFICATION)' }),
        dueOn: date.meta({ description: 'the last of their due days' }),
      })
      .optional()
      .meta({
        description:
          'promiseKept false with 限期整改 ordered (seed 003 (三)9): the promise is settled by the re-check of these findings (finding.handled.v1 RECHECKED), untrue only if one is not rectified',
      }),
  })
  .meta({
    title: 'A department fed back the result of a check on a licence it supervises (no problem included)',
    description:
      'Published by each department on onecheck.department.finding the moment the result is recorded (seed 003 第八条, 第九条: the same day), key: the uscc. The approval bureau keeps it with the licence.',
  });

export const licenceActPushedV1 = z
  .object({
    actId: id,
    department: departmentCode,
    licenceId: id,
    licenceNumber: z.string().min(1),
    uscc,
    kind: z.enum(LICENCE_ACT_KINDS_V1).meta({
      description:
        "SUSPEND and REVOKE are the department's own decisions; CHANGE, WITHDRAW, ANNUL, CANCEL ask the bureau to act",
    }),
    documentNumber: z.string().min(1).meta({ description: "the department's 决定书/函 number" }),
    legalBasis: z.string().min(1).meta({ description: '法律依据' }),
    reason: z.string().min(1),
    decidedOn: date.meta({ description: 'the date on the decision or letter' }),
    pushBy: date.meta({ description: 'the last day to push it: 3 working days after decidedOn (第二十条(二))' }),
    recordedAt: recordedAt.meta({ description: "when it was recorded and pushed (the system's own time)" }),
  })
  .meta({
    title: 'A department pushed a decision on, or a request about, a licence it supervises (反向推送; retired: see v2)',
    description:
      'Was published by each department on onecheck.department.finding, key: the uscc. Replaced by v2, which adds RESUME; no longer published, still read by the bureau.',
  });

/** v1 with RESUME (解除责令停产停业) among the kinds: widening an enum is a new version. */
export const licenceActPushedV2 = licenceActPushedV1
  .extend({
    kind: z.enum(LICENCE_ACT_KINDS).meta({
      description:
        "SUSPEND, REVOKE and RESUME (解除责令停产停业, of the department's own suspension) are the department's own decisions; CHANGE, WITHDRAW, ANNUL, CANCEL ask the bureau to act",
    }),
  })
  .meta({
    title: 'A department pushed a decision on, or a request about, a licence it supervises (反向推送)',
    description:
      'Published by each department on onecheck.department.finding, key: the uscc. The approval bureau claims it within 3 working days (seed 003 第二十条(二)); a decision takes effect on the licence, a request waits for the bureau.',
  });

export const licenceActAnsweredV1 = z
  .object({
    actId: id,
    department: departmentCode.meta({ description: 'the department that pushed the act' }),
    licenceId: id,
    uscc,
    status: z.enum(LICENCE_ACT_STATUSES).meta({
      description: 'CLAIMED: the bureau claimed it; ACCEPTED / REJECTED: its answer to a request',
    }),
    claimedAt: z.iso.datetime({ offset: true }).meta({ description: 'when the bureau claimed it' }),
    answerDocumentNumber: z.string().optional().meta({ description: "the bureau's document number for its answer" }),
    answerReason: z.string().optional(),
    answeredAt: z.iso.datetime({ offset: true }).optional(),
  })
  .meta({
    title: 'The approval bureau claimed, or answered, an act a department pushed (反向推送)',
    description:
      "Published by the approval bureau on onecheck.approval.licence, key: the uscc. The pushing department follows its act by it; an accepted act's effect on the licence goes out as the licence's own event.",
  });
