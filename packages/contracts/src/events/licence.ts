/** The approval bureau's licence events (审管联动): each carries the licence's full state. */
import { z } from 'zod';
import { LICENCE_STATUSES } from '../enums';
import { date, departmentCode, id, uscc } from './fields';

const licenceState = z.object({
  licenceId: id,
  licenceNumber: z.string().min(1),
  uscc,
  approvalItem: z.string().min(1),
  supervisingDepartment: departmentCode.meta({ description: 'the department that supervises the licence holder' }),
  scope: z.string(),
  validFrom: date,
  validUntil: date,
  grantedOn: date,
  status: z.enum(LICENCE_STATUSES),
  reason: z.string().optional().meta({ description: 'why it was suspended, revoked, cancelled or reinstated' }),
});

const description =
  "Published by the approval bureau on onecheck.approval.licence, key: the holder's uscc. Carries the licence's full state; the supervising department acts on the ones it supervises (审管联动).";

export const licenceGrantedV1 = licenceState.meta({
  title: 'A licence was granted by the approval bureau (审管联动: pushed to the supervising department)',
  description,
});
export const licenceChangedV1 = licenceState.meta({
  title: "A licence's details changed, or it was reinstated",
  description,
});
export const licenceSuspendedV1 = licenceState.meta({ title: 'A licence was suspended', description });
export const licenceRevokedV1 = licenceState.meta({ title: 'A licence was revoked (吊销/撤销)', description });
export const licenceCancelledV1 = licenceState.meta({ title: 'A licence was cancelled (注销)', description });
