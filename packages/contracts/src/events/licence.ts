/**
 * The approval bureau's licence events (审管联动): each carries the licence's full state.
 *
 * v1 is no longer published (issue 9: its status list could not tell 吊销 from 撤销 and it lacked
 * what the department needs); it keeps its published values, written out here. v2 carries the
 * push of seed 003 第十九条(二) and the act that set the status.
 */
import { z } from 'zod';
import { LICENCE_ACT_KINDS_V1, LICENCE_STATUSES, PROMISE_MODES } from '../enums';
import { date, departmentCode, id, uscc } from './fields';

const licenceStateV1 = z.object({
  licenceId: id,
  licenceNumber: z.string().min(1),
  uscc,
  approvalItem: z.string().min(1),
  supervisingDepartment: departmentCode.meta({ description: 'the department that supervises the licence holder' }),
  scope: z.string(),
  validFrom: date,
  validUntil: date,
  grantedOn: date,
  status: z.enum(['VALID', 'SUSPENDED', 'REVOKED', 'CANCELLED']),
  reason: z.string().optional().meta({ description: 'why it was suspended, revoked, cancelled or reinstated' }),
});

const descriptionV1 =
  "Was published by the approval bureau on onecheck.approval.licence, key: the holder's uscc. Replaced by v2 (issue 9); no longer published.";

export const licenceGrantedV1 = licenceStateV1.meta({
  title: 'A licence was granted by the approval bureau (retired: see v2)',
  description: descriptionV1,
});
export const licenceChangedV1 = licenceStateV1.meta({
  title: "A licence's details changed, or it was reinstated (retired: see v2)",
  description: descriptionV1,
});
export const licenceSuspendedV1 = licenceStateV1.meta({
  title: 'A licence was suspended (retired: see v2)',
  description: descriptionV1,
});
export const licenceRevokedV1 = licenceStateV1.meta({
  title: 'A licence was revoked (retired: see v2)',
  description: descriptionV1,
});
export const licenceCancelledV1 = licenceStateV1.meta({
  title: 'A licence was cancelled (retired: see v2)',
  description: descriptionV1,
});

/** The act that put a licence in its status: who decided it (the owner the law names), on what basis, by which document. */
export const licenceActRecord = z.object({
  actId: id.optional().meta({ description: "the pushed act's id, when a department pushed it (反向推送)" }),
  kind: z
    .enum(LICENCE_ACT_KINDS_V1)
    .meta({ description: 'never RESUME: a lifted suspension leaves the licence VALID, with no act' }),
  decidedBy: z
    .string()
    .min(1)
    .meta({ description: 'APPROVAL for the bureau, else the code of the department that decided it' }),
  documentNumber: z.string().min(1).meta({ description: '决定书文号' }),
  legalBasis: z.string().min(1).meta({ description: '法律依据' }),
  decidedOn: date.meta({ description: 'the date on the decision' }),
});

export type LicenceActRecord = z.output<typeof licenceActRecord>;

const licenceStateV2 = z.object({
  licenceId: id,
  licenceNumber: z.string().min(1).meta({ description: '法律文书编号' }),
  uscc,
  businessName: z.string().min(1).meta({ description: '行政相对人名称' }),
  contact: z.string().optional().meta({ description: '联系方式, as the applicant gave it' }),
  address: z.string().optional().meta({ description: '地址' }),
  approvalItem: z.string().min(1).meta({ description: '事项名称' }),
  supervisionItem: z.string().optional().meta({
    description: "the supervising department's item (监管子项) the approval item is mapped to, when configured",
  }),
  supervisingDepartment: departmentCode.meta({ description: 'the department that supervises the licence holder' }),
  scope: z.string().meta({ description: '许可内容' }),
  validFrom: date,
  validUntil: date.meta({ description: '有效期 (last valid day)' }),
  grantedOn: date.meta({ description: '许可日期: the date on the decision' }),
  recordedAt: z.iso.datetime({ offset: true }).meta({
    description: "when the bureau recorded the grant (the system's own time); the push and its deadlines count from it",
  }),
  status: z.enum(LICENCE_STATUSES),
  reason: z.string().optional().meta({ description: "why its status changed, in the deciding authority's words" }),
  act: licenceActRecord.optional().meta({ description: 'the act that set the status (absent for VALID and EXPIRED)' }),
  promise: z
    .object({
      promiseId: id,
      mode: z.enum(PROMISE_MODES),
      checkBy: date.optional().meta({ description: 'POST_CHECK: the last day of the on-site check (规定的核查时间)' }),
    })
    .optional()
    .meta({
      description:
        "告知承诺: granted on the applicant's promise (承诺情况, seed 003 第二十三条); a POST_CHECK licence is checked on site by the department",
    }),
});

const description =
  "Published by the approval bureau on onecheck.approval.licence, key: the holder's uscc. Carries the licence's full state and what the supervising department needs (seed 003 第十九条(二)); the supervising department acts on the ones it supervises (审管联动).";

export const licenceGrantedV2 = licenceStateV2.meta({
  title: 'A licence was granted by the approval bureau (审管联动: pushed to the supervising department)',
  description,
});
export const licenceChangedV2 = licenceStateV2.meta({
  title: "A licence's details changed, or it was reinstated",
  description,
});
export const licenceSuspendedV2 = licenceStateV2.meta({
  title: 'A licence was suspended (责令停产停业, decided by the supervising department)',
  description,
});
export const licenceRevokedV2 = licenceStateV2.meta({
  title: 'A licence was revoked (吊销, decided by the supervising department)',
  description,
});
export const licenceCancelledV2 = licenceStateV2.meta({
  title: 'A licence was cancelled (注销, by the bureau)',
  description,
});
export const licenceWithdrawnV1 = licenceStateV2.meta({
  title: 'A licence was withdrawn (撤回, by the bureau)',
  description,
});
export const licenceAnnulledV1 = licenceStateV2.meta({
  title: 'A licence was annulled (撤销, by the bureau)',
  description,
});
export const licenceExpiredV1 = licenceStateV2.meta({
  title: 'A licence reached the end of its validity (行政许可法 §70(一)): it expired by itself',
  description,
});
