/**
 * The licence lifecycle after the grant, in one table: from each status, the statuses it may
 * become, who owns the act that makes it (issue 9: the one the law names) and the event that
 * announces it. The statuses are @onecheck/contracts' LICENCE_STATUSES.
 *
 * - 责令停产停业 (SUSPENDED) and 吊销 (REVOKED) are penalties the supervising department decides
 *   (行政处罚法 §9, §63) and pushes to the bureau (seed 003 第二十条(二)): owner DEPARTMENT.
 * - 撤回 (WITHDRAWN, 行政许可法 §8), 撤销 (ANNULLED, §69), 注销 (CANCELLED, §70) are the bureau's
 *   (seed 003 第二十条, 第二十八条): owner BUREAU, on its own or on a department's request.
 * - EXPIRED comes by itself when the validity ends (§70(一)): owner SYSTEM; an expired licence is
 *   then cancelled (注销) by the bureau.
 * - VALID again: the department that ordered the suspension lifts it (RESUME, 解除责令停产停业:
 *   the decision's owner undoes it, 行政处罚法 §9, §63) and pushes that too: owner DEPARTMENT. A
 *   licence VALID again carries no act (the licence events' `act` is absent for VALID); the lift is
 *   kept as a pushed act.
 */
import { z } from 'zod';
import {
  LICENCE_STATUSES,
  type EventType,
  type LicenceActKind,
  type LicenceActRecord,
  type LicenceStatus,
} from '@onecheck/contracts';
import { conflict, dateField, textField, referenceField } from '@onecheck/kit';

export type { LicenceStatus };
export type StatusOwner = 'DEPARTMENT' | 'BUREAU' | 'SYSTEM';

const ENDED = ['REVOKED', 'WITHDRAWN', 'ANNULLED', 'CANCELLED'] as const;

const LIFECYCLE = {
  VALID: {
    next: ['SUSPENDED', ...ENDED, 'EXPIRED'],
    owner: 'DEPARTMENT',
    act: null,
    event: 'onecheck.licence.changed.v2',
  },
  SUSPENDED: {
    next: ['VALID', ...ENDED, 'EXPIRED'],
    owner: 'DEPARTMENT',
    act: 'SUSPEND',
    event: 'onecheck.licence.suspended.v2',
  },
  REVOKED: { next: [], owner: 'DEPARTMENT', act: 'REVOKE', event: 'onecheck.licence.revoked.v2' },
  WITHDRAWN: { next: [], owner: 'BUREAU', act: 'WITHDRAW', event: 'onecheck.licence.withdrawn.v1' },
  ANNULLED: { next: [], owner: 'BUREAU', act: 'ANNUL', event: 'onecheck.licence.annulled.v1' },
  CANCELLED: { next: [], owner: 'BUREAU', act: 'CANCEL', event: 'onecheck.licence.cancelled.v2' },
  EXPIRED: { next: ['CANCELLED'], owner: 'SYSTEM', act: null, event: 'onecheck.licence.expired.v1' },
} as const satisfies Record<
  LicenceStatus,
  { next: readonly LicenceStatus[]; owner: StatusOwner; act: LicenceActRecord['kind'] | null; event: EventType }
>;

/**
 * What setLicenceStatus takes: a status the bureau owns, why, and for an act its document number,
 * legal basis and date (each act has its own, issue 9); the date defaults to today.
 */
export const statusInput = z
  .object({
    status: z.enum(LICENCE_STATUSES),
    reason: textField(2000),
    documentNumber: referenceField(100).nullish(),
    legalBasis: textField(500).nullish(),
    decidedOn: dateField.nullish(),
  })
  .superRefine((i, ctx) => {
    // Only the bureau's own acts are made here; the others are refused by their owner first.
    if (ownerOf(i.status) !== 'BUREAU' || (i.documentNumber && i.legalBasis)) return;
    ctx.addIssue({
      code: 'custom',
      message: 'licence.actRequiresDocument',
      params: { status: i.status },
      path: [i.documentNumber ? 'legalBasis' : 'documentNumber'],
    });
  });

export function canBecome(from: LicenceStatus, to: LicenceStatus): boolean {
  return (LIFECYCLE[from].next as readonly LicenceStatus[]).includes(to);
}

/** Refuses a status the licence cannot reach from where it is: CONFLICT naming both. */
export function requireTransition(from: LicenceStatus, to: LicenceStatus): void {
  if (!canBecome(from, to)) throw conflict('licence.transition', { from, to });
}

/** Who may put a licence in `status`. */
export function ownerOf(status: LicenceStatus): StatusOwner {
  return LIFECYCLE[status].owner;
}

/** The act a licence in `status` carries (null for VALID and EXPIRED). */
export function actFor(status: LicenceStatus): LicenceActRecord['kind'] | null {
  return LIFECYCLE[status].act;
}

/** The status an act puts a licence in (CHANGE: none, the licence stays as it is, amended). */
export function statusOf(kind: LicenceActKind): LicenceStatus | null {
  // The lift of a suspension is the one act whose status carries no act: VALID again.
  if (kind === 'RESUME') return 'VALID';
  const found = (Object.keys(LIFECYCLE) as LicenceStatus[]).find((s) => LIFECYCLE[s].act === kind);
  return found ?? null;
}

/** A final status allows no change at all, not even to the licence's details. */
export function isFinal(status: LicenceStatus): boolean {
  return LIFECYCLE[status].next.length === 0;
}

/** The event published when a licence arrives in `status` (VALID again, its suspension lifted: changed). */
export function statusEvent(status: LicenceStatus) {
  return LIFECYCLE[status].event;
}
