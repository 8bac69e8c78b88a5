/** What the bureau consumes: each event mapped to one domain call (the rules and SQL are in domain/). */
import { loadCalendar, saveCalendarYear, type WorkingCalendar } from '@onecheck/calendar';
import { TOPICS, type EventHandlers } from '@onecheck/events';
import { appendAudit, serviceActor, type ServiceDeps, type Tx } from '@onecheck/kit';
import type * as schema from './db/schema';
import { projectEnterprise } from './domain/enterprises';
import { receiveCheckResult, receiveLicenceAct } from './domain/licence-acts';
import { receivePostCheck, receiveRecheck } from './domain/promises';
import { projectCreditClass, projectPunishment, receiveRepair } from './domain/credit-check';

type ApprovalTx = Tx<typeof schema>;

/** The bureau's own principal, acting on an event: who its audit trail names for these changes. */
const byEvent = (event: { id: string }) => serviceActor('approval', { event: event.id });

export const approvalConsumers = ({ clock, calendarBase }: ServiceDeps<typeof schema>) => {
  const handlers = {
    'onecheck.enterprise.registered.v1': (event, tx) => projectEnterprise(tx, event.data, clock, byEvent(event)),
    'onecheck.enterprise.changed.v1': (event, tx) => projectEnterprise(tx, event.data, clock, byEvent(event)),
    'onecheck.enterprise.deregistered.v1': (event, tx) => projectEnterprise(tx, event.data, clock, byEvent(event)),
  } satisfies EventHandlers<typeof schema>;
  // A batch of events shares one transaction: load the calendar once per transaction.
  const calendars = new WeakMap<ApprovalTx, Promise<WorkingCalendar>>();
  const calendarIn = (tx: ApprovalTx) => {
    let calendar = calendars.get(tx);
    if (!calendar) calendars.set(tx, (calendar = loadCalendar(tx, calendarBase)));
    return calendar;
  };
  // 监管信息推送 (seed 003 第二十条): the departments' decisions, requests and check results.
  const supervision = {
    // v1 is no longer published, but a department not yet upgraded (or a backlog) may still send it.
    'onecheck.licence-act.pushed.v1': async (event, tx) =>
      receiveLicenceAct(tx, await calendarIn(tx), event.data, clock, byEvent(event)),
    'onecheck.licence-act.pushed.v2': async (event, tx) =>
      receiveLicenceAct(tx, await calendarIn(tx), event.data, clock, byEvent(event)),
    'onecheck.supervision.checked.v1': async (event, tx) => {
      await receiveCheckResult(tx, event.data, clock, byEvent(event));
      await receivePostCheck(tx, event.data, clock, byEvent(event));
    },
    // The re-check of a rectification a post-check ordered settles the promise (seed 003 (三)9).
    'onecheck.finding.handled.v1': (event, tx) => receiveRecheck(tx, event.data, clock, byEvent(event)),
  } satisfies EventHandlers<typeof schema>;
  const calendar = {
    // The office's calendar years: the bureau's claim deadlines count by the same calendar.
    'onecheck.calendar.year-set.v1': async (event, tx) => {
      await saveCalendarYear(tx, event.data, clock.now());
      await appendAudit(tx, {
        actor: byEvent(event),
        action: 'receiveCalendar',
        entity: { kind: 'calendarYear', id: String(event.data.year) },
        after: event.data,
        at: clock.now(),
      });
    },
  } satisfies EventHandlers<typeof schema>;
  // The pre-approval credit check reads the bureau's own projection of the platform's classes (seed 003 第十二条).
  const credit = {
    'onecheck.credit.class-changed.v2': (event, tx) =>
      projectCreditClass(tx, event.data, new Date(event.time), clock, byEvent(event)),
    // 信用修复 lifts the bar a false promise puts on 告知承诺 (国办发〔2020〕42号).
    'onecheck.credit.repaired.v1': (event, tx) => receiveRepair(tx, event.data, clock, byEvent(event)),
    // 联合惩戒: one limiting 便利措施 bars 告知承诺 while in force (seed 000 ¶10).
    'onecheck.credit.punishment-imposed.v1': (event, tx) =>
      projectPunishment(tx, { type: 'imposed', data: event.data }, clock, byEvent(event)),
    'onecheck.credit.punishment-lifted.v1': (event, tx) =>
      projectPunishment(tx, { type: 'lifted', data: event.data }, clock, byEvent(event)),
  } satisfies EventHandlers<typeof schema>;
  return [
    { name: 'enterprises', topics: [TOPICS.enterprise], handlers },
    { name: 'supervision', topics: [TOPICS.finding], handlers: supervision },
    { name: 'calendar', topics: [TOPICS.calendar], handlers: calendar },
    { name: 'credit', topics: [TOPICS.credit], handlers: credit },
  ];
};
