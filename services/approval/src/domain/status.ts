/**
 * The licence lifecycle after the grant, in one table (行政许可法 §69 撤销, §70 注销; suspension
 * pending rectification): from each status, the statuses it may become, and the event that
 * announces arriving in it. The statuses themselves are @onecheck/contracts' LICENCE_STATUSES
 * (the SDL enum, the db column and the events take them from there); the input check, the
 * transition rule and the status → event map are all read from LIFECYCLE below.
 */
import { z } from 'zod';
import { LICENCE_STATUSES, type EventType, type LicenceStatus } from '@onecheck/contracts';
import { textField } from '@onecheck/kit';

export type { LicenceStatus };

/** Revoked and cancelled are final: a licence once 吊销/注销 is never valid again (a new grant is). */
const LIFECYCLE = {
  VALID: { next: ['SUSPENDED', 'REVOKED', 'CANCELLED'], event: 'onecheck.licence.changed.v1' },
  SUSPENDED: { next: ['VALID', 'REVOKED', 'CANCELLED'], event: 'onecheck.licence.suspended.v1' },
  REVOKED: { next: [], event: 'onecheck.licence.revoked.v1' },
  CANCELLED: { next: [], event: 'onecheck.licence.cancelled.v1' },
} as const satisfies Record<LicenceStatus, { next: readonly LicenceStatus[]; event: EventType }>;

/** What setLicenceStatus takes: a status of the contract's list and why (in the approver's words). */
export const statusInput = z.object({
  status: z.enum(LICENCE_STATUSES),
  reason: textField(2000),
});

export function canBecome(from: LicenceStatus, to: LicenceStatus): boolean {
  return (LIFECYCLE[from].next as readonly LicenceStatus[]).includes(to);
}

/** A final status allows no change at all, not even to the licence's details. */
export function isFinal(status: LicenceStatus): boolean {
  return LIFECYCLE[status].next.length === 0;
}

/** The event published when a licence arrives in `status` (reinstated as VALID: changed). */
export function statusEvent(status: LicenceStatus) {
  return LIFECYCLE[status].event;
}
