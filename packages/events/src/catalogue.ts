/**
 * The topic catalogue (docs/events.md explains it to outside consumers). One topic per owner
 * and subject; the message key is the business's uscc (the calendar's: `calendar-<year>`), so
 * one business's events stay in order (DESIGN.md §3). The event types and their payloads are
 * defined in @onecheck/contracts; this file only says where each type travels.
 */
import type { EventType } from '@onecheck/contracts';

export type { EventData, EventType } from '@onecheck/contracts';

export const TOPICS = {
  enterprise: 'onecheck.market.enterprise',
  licence: 'onecheck.approval.licence',
  finding: 'onecheck.department.finding',
  credit: 'onecheck.credit.class',
  calendar: 'onecheck.market.calendar',
  /** The departments' supervision items, which the office's joint lists are built from (一业一单). */
  item: 'onecheck.department.item',
  /** The office's annual joint plans and their draws (一业一查). */
  plan: 'onecheck.market.plan',
  /** Every service's audit-chain anchors (全程留痕; kit audit.ts), key: the service principal. */
  audit: 'onecheck.audit.anchor',
  /**
   * The office's coded visits (赋码检查, 进一次门): each department keeps the codes that name it;
   * and its refusals of codes asked for outside plans.
   */
  visit: 'onecheck.market.visit',
  /** What departments tell the office about visits: teams drawn, codes asked for, results recorded. */
  inspection: 'onecheck.department.inspection',
  /** 一公开: published results, for anyone (outside consumers included). */
  publicResult: 'onecheck.public.result',
} as const;
export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** Every event type with its topic; the JSON Schema lives at schema/events/<type>.json. */
export const EVENT_TYPES = {
  'onecheck.enterprise.registered.v1': TOPICS.enterprise,
  'onecheck.enterprise.changed.v1': TOPICS.enterprise,
  'onecheck.enterprise.deregistered.v1': TOPICS.enterprise,
  'onecheck.licence.granted.v1': TOPICS.licence,
  'onecheck.licence.changed.v1': TOPICS.licence,
  'onecheck.licence.suspended.v1': TOPICS.licence,
  'onecheck.licence.revoked.v1': TOPICS.licence,
  'onecheck.licence.cancelled.v1': TOPICS.licence,
  'onecheck.licence.granted.v2': TOPICS.licence,
  'onecheck.licence.changed.v2': TOPICS.licence,
  'onecheck.licence.suspended.v2': TOPICS.licence,
  'onecheck.licence.revoked.v2': TOPICS.licence,
  'onecheck.licence.cancelled.v2': TOPICS.licence,
  'onecheck.licence.withdrawn.v1': TOPICS.licence,
  'onecheck.licence.annulled.v1': TOPICS.licence,
  'onecheck.licence.expired.v1': TOPICS.licence,
  // A department's supervision information for the bureau (seed 003 第二十条) travels on the departments' topic.
  'onecheck.supervision.checked.v1': TOPICS.finding,
  'onecheck.licence-act.pushed.v1': TOPICS.finding,
  'onecheck.licence-act.pushed.v2': TOPICS.finding,
  'onecheck.licence-act.answered.v1': TOPICS.licence,
  'onecheck.promise.reminded.v1': TOPICS.licence,
  'onecheck.promise.broken.v1': TOPICS.licence,
  'onecheck.finding.recorded.v1': TOPICS.finding,
  'onecheck.credit.class-changed.v1': TOPICS.credit,
  'onecheck.credit.class-changed.v2': TOPICS.credit,
  'onecheck.credit.repaired.v1': TOPICS.credit,
  'onecheck.credit.punishment-imposed.v1': TOPICS.credit,
  'onecheck.credit.punishment-lifted.v1': TOPICS.credit,
  'onecheck.calendar.year-set.v1': TOPICS.calendar,
  'onecheck.audit.anchored.v1': TOPICS.audit,
  'onecheck.item.published.v1': TOPICS.item,
  'onecheck.item.revised.v1': TOPICS.item,
  'onecheck.item.withdrawn.v1': TOPICS.item,
  'onecheck.plan.published.v1': TOPICS.plan,
  'onecheck.plan.adjusted.v1': TOPICS.plan,
  'onecheck.draw.made.v1': TOPICS.plan,
  'onecheck.draw.made.v2': TOPICS.plan,
  'onecheck.enterprise.abnormal-listed.v1': TOPICS.enterprise,
  'onecheck.finding.handled.v1': TOPICS.finding,
  'onecheck.visit.coded.v1': TOPICS.visit,
  'onecheck.visit.code-revoked.v1': TOPICS.visit,
  'onecheck.inspection.teams-drawn.v1': TOPICS.inspection,
  'onecheck.inspection.code-requested.v1': TOPICS.inspection,
  'onecheck.inspection.recorded.v1': TOPICS.inspection,
  'onecheck.result.published.v1': TOPICS.publicResult,
  // The office's answer to a code request it will not code travels with its codes, to the departments.
  'onecheck.inspection.code-refused.v1': TOPICS.visit,
} as const satisfies Record<EventType, Topic>;

/**
 * Who may produce on each topic: a Kafka principal of infra/kafka/access.json (`*` at the end: a
 * prefix), or several. A consumer applies an event only if its signature is by a key of that
 * principal (signing.ts, checkProducer).
 */
export const TOPIC_PRODUCERS = {
  [TOPICS.enterprise]: 'market',
  [TOPICS.calendar]: 'market',
  [TOPICS.licence]: 'approval',
  [TOPICS.credit]: 'credit',
  [TOPICS.finding]: 'department-*',
  [TOPICS.item]: 'department-*',
  [TOPICS.plan]: 'market',
  [TOPICS.visit]: 'market',
  [TOPICS.inspection]: 'department-*',
  [TOPICS.publicResult]: 'market',
  // Each service anchors its own chain (checkProducer: the anchor names its signer).
  [TOPICS.audit]: ['market', 'approval', 'credit', 'department-*'],
} as const satisfies Record<Topic, string | readonly string[]>;

/**
 * The public keys events are signed with, as a JWKS document (key `jwks`); written by the admin
 * at setup, readable by every principal (signing.ts, publishSigningKeys). Not an event topic.
 */
export const KEYS_TOPIC = 'onecheck.security.keys';

/** Dead letters of a topic go to `<topic>.dlq`, keeping the original bytes and headers. */
export const deadLetterTopic = (topic: string) => `${topic}.dlq`;

/** Every topic of the catalogue and its dead-letter topic, and the keys topic: what a deployment must have. */
export const ALL_TOPICS: readonly string[] = [
  ...Object.values(TOPICS).flatMap((t) => [t, deadLetterTopic(t)]),
  KEYS_TOPIC,
];
