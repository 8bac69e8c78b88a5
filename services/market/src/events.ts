/** What the office consumes: each event mapped to one domain call (the rules and SQL are in domain/). */
import { TOPICS, type EventHandlers } from '@onecheck/events';
import { serviceActor, type ServiceDeps } from '@onecheck/kit';
import type * as schema from './db/schema';
import { receiveItem } from './domain/joint-list';
import { projectKeySupervision, projectRiskClass, recordCheck } from './domain/targets';
import { receiveCodeRequest, receiveTeams } from './domain/visits';
import { receiveResult } from './domain/results';

/** The office's own principal, acting on an event: who its audit trail names for these changes. */
const byEvent = (event: { id: string }) => serviceActor('market', { event: event.id });

export const marketConsumers = ({ clock }: ServiceDeps<typeof schema>) => {
  // 一业一单 (seed 000 §二, 004 (一)): the departments' items, each event carrying the item's full state.
  const items = {
    'onecheck.item.published.v1': (event, tx) => receiveItem(tx, event.data, clock, byEvent(event)),
    'onecheck.item.revised.v1': (event, tx) => receiveItem(tx, event.data, clock, byEvent(event)),
    'onecheck.item.withdrawn.v1': (event, tx) => receiveItem(tx, event.data, clock, byEvent(event)),
  } satisfies EventHandlers<typeof schema>;
  // The target directory's risk classes (信用风险分类) and 纳入重点监管范围 (联合惩戒), from the credit platform.
  const credit = {
    'onecheck.credit.class-changed.v2': (event, tx) =>
      projectRiskClass(tx, event.data, new Date(event.time), clock, byEvent(event)),
    'onecheck.credit.punishment-imposed.v1': (event, tx) =>
      projectKeySupervision(tx, { type: 'imposed', data: event.data }, clock, byEvent(event)),
    'onecheck.credit.punishment-lifted.v1': (event, tx) =>
      projectKeySupervision(tx, { type: 'lifted', data: event.data }, clock, byEvent(event)),
  } satisfies EventHandlers<typeof schema>;
  // The departments' recorded checks, for a plan's cool-down.
  const checks = {
    'onecheck.supervision.checked.v1': (event, tx) => recordCheck(tx, event.data, clock, byEvent(event)),
  } satisfies EventHandlers<typeof schema>;
  // 进一次门 and 赋码 (issue 11): the departments' check teams for a draw, and their checks outside plans;
  // and the results they record on coded visits (status, 经营异常名录, publication and measures).
  const visits = {
    'onecheck.inspection.teams-drawn.v1': (event, tx) => receiveTeams(tx, event.data, clock, byEvent(event)),
    'onecheck.inspection.code-requested.v1': (event, tx) => receiveCodeRequest(tx, event.data, clock, byEvent(event)),
    'onecheck.inspection.recorded.v1': (event, tx) => receiveResult(tx, event.data, clock, byEvent(event)),
  } satisfies EventHandlers<typeof schema>;
  return [
    { name: 'visits', topics: [TOPICS.inspection], handlers: visits },
    { name: 'items', topics: [TOPICS.item], handlers: items },
    { name: 'credit', topics: [TOPICS.credit], handlers: credit },
    { name: 'checks', topics: [TOPICS.finding], handlers: checks },
  ];
};
