/**
 * Every event type and its payload, defined once. `schema/events/<type>.json` is generated from
 * these by `npm run compose`; producers (`recordEvent`) and consumers (`EventHandlers`) are typed
 * and validated from the same map.
 *
 * Versioning: a published `vN` may only gain optional fields. Anything else (a field removed or
 * renamed, a new required field, a type changed, an enum narrowed or widened) is a new type
 * `….vN+1` beside the old one; `compatibilityProblems` finds such changes and a test enforces it.
 */
import type { z } from 'zod';
import { auditAnchoredV1 } from './audit';
import { calendarYearSetV1 } from './calendar';
import {
  creditClassChangedV1,
  creditClassChangedV2,
  creditPunishmentImposedV1,
  creditPunishmentLiftedV1,
  creditRepairedV1,
} from './credit';
import {
  enterpriseAbnormalListedV1,
  enterpriseChangedV1,
  enterpriseDeregisteredV1,
  enterpriseRegisteredV1,
} from './enterprise';
import { findingHandledV1, findingRecordedV1 } from './finding';
import {
  inspectionCodeRefusedV1,
  inspectionCodeRequestedV1,
  inspectionRecordedV1,
  inspectionTeamsDrawnV1,
} from './inspection';
import { resultPublishedV1 } from './publication';
import { visitCodedV1, visitCodeRevokedV1 } from './visit';
import {
  licenceAnnulledV1,
  licenceCancelledV1,
  licenceCancelledV2,
  licenceChangedV1,
  licenceChangedV2,
  licenceExpiredV1,
  licenceGrantedV1,
  licenceGrantedV2,
  licenceRevokedV1,
  licenceRevokedV2,
  licenceSuspendedV1,
  licenceSuspendedV2,
  licenceWithdrawnV1,
} from './licence';
import { promiseBrokenV1, promiseRemindedV1 } from './promise';
import { itemPublishedV1, itemRevisedV1, itemWithdrawnV1 } from './item';
import { drawMadeV1, drawMadeV2, planAdjustedV1, planPublishedV1 } from './plan';
import { licenceActAnsweredV1, licenceActPushedV1, licenceActPushedV2, supervisionCheckedV1 } from './supervision';

export const EVENT_PAYLOADS = {
  'onecheck.enterprise.registered.v1': enterpriseRegisteredV1,
  'onecheck.enterprise.changed.v1': enterpriseChangedV1,
  'onecheck.enterprise.deregistered.v1': enterpriseDeregisteredV1,
  'onecheck.licence.granted.v1': licenceGrantedV1,
  'onecheck.licence.changed.v1': licenceChangedV1,
  'onecheck.licence.suspended.v1': licenceSuspendedV1,
  'onecheck.licence.revoked.v1': licenceRevokedV1,
  'onecheck.licence.cancelled.v1': licenceCancelledV1,
  'onecheck.licence.granted.v2': licenceGrantedV2,
  'onecheck.licence.changed.v2': licenceChangedV2,
  'onecheck.licence.suspended.v2': licenceSuspendedV2,
  'onecheck.licence.revoked.v2': licenceRevokedV2,
  'onecheck.licence.cancelled.v2': licenceCancelledV2,
  'onecheck.licence.withdrawn.v1': licenceWithdrawnV1,
  'onecheck.licence.annulled.v1': licenceAnnulledV1,
  'onecheck.licence.expired.v1': licenceExpiredV1,
  'onecheck.supervision.checked.v1': supervisionCheckedV1,
  'onecheck.licence-act.pushed.v1': licenceActPushedV1,
  'onecheck.licence-act.pushed.v2': licenceActPushedV2,
  'onecheck.licence-act.answered.v1': licenceActAnsweredV1,
  'onecheck.promise.reminded.v1': promiseRemindedV1,
  'onecheck.promise.broken.v1': promiseBrokenV1,
  'onecheck.finding.recorded.v1': findingRecordedV1,
  'onecheck.credit.class-changed.v1': creditClassChangedV1,
  'onecheck.credit.class-changed.v2': creditClassChangedV2,
  'onecheck.credit.repaired.v1': creditRepairedV1,
  'onecheck.credit.punishment-imposed.v1': creditPunishmentImposedV1,
  'onecheck.credit.punishment-lifted.v1': creditPunishmentLiftedV1,
  'onecheck.calendar.year-set.v1': calendarYearSetV1,
  'onecheck.item.published.v1': itemPublishedV1,
  'onecheck.item.revised.v1': itemRevisedV1,
  'onecheck.item.withdrawn.v1': itemWithdrawnV1,
  'onecheck.plan.published.v1': planPublishedV1,
  'onecheck.plan.adjusted.v1': planAdjustedV1,
  'onecheck.draw.made.v1': drawMadeV1,
  'onecheck.draw.made.v2': drawMadeV2,
  'onecheck.audit.anchored.v1': auditAnchoredV1,
  'onecheck.enterprise.abnormal-listed.v1': enterpriseAbnormalListedV1,
  'onecheck.finding.handled.v1': findingHandledV1,
  'onecheck.visit.coded.v1': visitCodedV1,
  'onecheck.visit.code-revoked.v1': visitCodeRevokedV1,
  'onecheck.inspection.teams-drawn.v1': inspectionTeamsDrawnV1,
  'onecheck.inspection.code-requested.v1': inspectionCodeRequestedV1,
  'onecheck.inspection.recorded.v1': inspectionRecordedV1,
  'onecheck.result.published.v1': resultPublishedV1,
  'onecheck.inspection.code-refused.v1': inspectionCodeRefusedV1,
} as const;

export type EventType = keyof typeof EVENT_PAYLOADS;
export const EVENT_TYPE_NAMES = Object.keys(EVENT_PAYLOADS) as EventType[];

/** The payload (`data`) of an event type, as the producer writes it and the consumer reads it. */
export type EventData<T extends EventType> = z.output<(typeof EVENT_PAYLOADS)[T]>;

/** A 联合惩戒 notice as its consumers take it in (the bureau, the office): imposed, or lifted early. */
export type PunishmentNotice =
  | { type: 'imposed'; data: EventData<'onecheck.credit.punishment-imposed.v1'> }
  | { type: 'lifted'; data: EventData<'onecheck.credit.punishment-lifted.v1'> };

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_PAYLOADS, type);
}

export * from './audit';
export * from './calendar';
export * from './credit';
export * from './enterprise';
export * from './envelope';
export * from './finding';
export * from './inspection';
export * from './publication';
export * from './visit';
export * from './licence';
export * from './promise';
export * from './item';
export * from './plan';
export * from './supervision';
