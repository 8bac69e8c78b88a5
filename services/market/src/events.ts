/** What the office consumes: each event mapped to one domain call (the rules and SQL are in domain/). */
import { TOPICS, type EventHandlers } from '@onecheck/events';
import { serviceActor, type ServiceDeps } from '@onecheck/kit';
import type * as schema from './db/schema';
import { receiveItem } from './domain/joint-list';
import { projectRiskClass, recordCheck } from './domain/targets';

/** The office's own principal, acting on an event: who its audit trail names for these changes. */
const byEvent = (event: { id: string }) => serviceActor('market', { event: event.id });

export const marketConsumers = ({ clock }: ServiceDeps<typeof schema>) => {
  // 一业一单 (seed 000 §二, 004 (一)): the departments' items, each event carrying the item's full state.
  const items = {
    'onecheck.item.published.v1': (event, tx) => receiveItem(tx, event.data, clock, byEvent(event)),
    'onecheck.item.revised.v1': (event, tx) => receiveItem(tx, event.data, clock, byEvent(event)),
    'onecheck.item.withdrawn.v1': (event, tx) => receiveItem(tx, event.data, clock, byEvent(event)),
  } satisfies EventHandlers<typeof schema>;
  // The target directory's risk classes (信用风险分类, from the credit platform).
  const credit = {
    'onecheck.credit.class-changed.v2': (event, tx) =>
      projectRiskClass(tx, event.data, new Date(event.time), clock, byEvent(event)),
  } satisfies EventHandlers<typeof schema>;
  // The departments' recorded checks, for a plan's cool-down.
  const checks = {
    'onecheck.supervision.checked.v1': (event, tx) => recordCheck(tx, event.data, clock, byEvent(event)),
  } satisfies EventHandlers<typeof schema>;
  return [
    { name: 'items', topics: [TOPICS.item], handlers: items },
    { name: 'credit', topics: [TOPICS.credit], handlers: credit },
    { name: 'checks', topics: [TOPICS.finding], handlers: checks },
  ];
};
