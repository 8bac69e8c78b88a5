import { loadCalendar, saveCalendarYear, type WorkingCalendar } from '@onecheck/calendar';
import {
  TOPICS,
  type BatchEventHandlers,
  type CloudEvent,
  type EventConcern,
  type EventHandlers,
} from '@onecheck/events';
import type { TaskClosedReason } from '@onecheck/contracts';
import { appendAudit, serviceActor, type ServiceDeps, type Tx } from '@onecheck/kit';
import type * as schema from './db/schema';
import { receiveDraw, receiveDrawPart } from './domain/inspector-draw';
import { receiveCodeRevoked, receiveVisitCoded } from './domain/visit-codes';
import { receiveCodeRefusal } from './domain/code-requests';
import { followAnswer } from './domain/licence-acts';
import { followTransferAnswer, receiveTransfer } from './domain/finding-handling';
import { followLedFinding, receiveLedFinding, receivePlanState, receiveVisitPlans } from './domain/led-findings';
import { closeTasksForLicence, createTasksFromLicences, recountDeadlines } from './domain/task-lifecycle';

type DeptTx = Tx<typeof schema>;

/**
 * 审管联动 (seed 003): every department hears every licence event and acts on those it
 * supervises — a grant becomes a task, a revocation or cancellation closes the open ones.
 */
export function departmentConsumers(department: string, { clock, calendarBase }: ServiceDeps<typeof schema>) {
  // The instance's own principal acting on an event: who its audit trail names for these changes.
  const byEvent = (event: { id: string }) =>
    serviceActor(`department-${department.toLowerCase()}`, { event: event.id });
  // What of the licence topic is this department's (the one rule: the handlers below and the
  // consumer's `concerns` ask it): the licences it supervises, and the answers to its own acts.
  const supervisedHere = (licence: { supervisingDepartment?: unknown }) => licence.supervisingDepartment === department;
  const askedHere = (answer: { department?: unknown }) => answer.department === department;
  const close =
    (because: TaskClosedReason) =>
    async (
      event: CloudEvent<
        | 'onecheck.licence.revoked.v1'
        | 'onecheck.licence.cancelled.v1'
        | 'onecheck.licence.revoked.v2'
        | 'onecheck.licence.cancelled.v2'
        | 'onecheck.licence.annulled.v1'
        | 'onecheck.licence.withdrawn.v1'
        | 'onecheck.licence.expired.v1'
      >,
      tx: DeptTx,
    ) => {
      const l = event.data;
      if (!supervisedHere(l)) return;
      const ended = { licenceId: l.licenceId, because, licenceReason: l.reason };
      await closeTasksForLicence(tx, ended, clock, byEvent(event));
    };
  // A batch of events shares one transaction: load the calendar once per transaction, not per grant.
  const calendars = new WeakMap<DeptTx, Promise<WorkingCalendar>>();
  const calendarIn = (tx: DeptTx) => {
    let calendar = calendars.get(tx);
    if (!calendar) calendars.set(tx, (calendar = loadCalendar(tx, calendarBase)));
    return calendar;
  };
  /** The grants among `events` that this department supervises, as pushes: each becomes a task. */
  const grants =
    <T extends 'onecheck.licence.granted.v1' | 'onecheck.licence.granted.v2'>(
      pushedAt: (event: CloudEvent<T>) => Date,
    ) =>
    async (events: CloudEvent<T>[], tx: DeptTx) => {
      const ours = events.filter((e) => supervisedHere(e.data));
      if (!ours.length) return;
      const pushes = ours.map((e) => ({ licence: e.data, pushedAt: pushedAt(e), actor: byEvent(e) }));
      await createTasksFromLicences(tx, await calendarIn(tx), pushes, clock);
    };
  // A batch of grants becomes its tasks in one statement (provincial volume, issue 7).
  const licenceBatches: BatchEventHandlers<typeof schema> = {
    // v1 (no longer published) carried no recorded time: its push counts from the event's own stamp.
    'onecheck.licence.granted.v1': grants((e) => new Date(e.time)),
    'onecheck.licence.granted.v2': grants((e) => new Date(e.data.recordedAt)),
  };
  const licences: EventHandlers<typeof schema> = {
    'onecheck.licence.revoked.v1': close('LICENCE_REVOKED'),
    'onecheck.licence.cancelled.v1': close('LICENCE_CANCELLED'),
    'onecheck.licence.revoked.v2': close('LICENCE_REVOKED'),
    'onecheck.licence.cancelled.v2': close('LICENCE_CANCELLED'),
    'onecheck.licence.annulled.v1': close('LICENCE_ANNULLED'),
    'onecheck.licence.withdrawn.v1': close('LICENCE_WITHDRAWN'),
    'onecheck.licence.expired.v1': close('LICENCE_EXPIRED'),
    // The bureau's claim of, or answer to, an act this department pushed (反向推送).
    'onecheck.licence-act.answered.v1': async (event, tx) => {
      if (!askedHere(event.data)) return;
      await followAnswer(tx, event.data, clock, byEvent(event));
    },
  };
  // The only licence events the handlers act on: the others are skipped before their signatures
  // are checked (consumer.ts).
  const ownLicence: EventConcern = ({ type, data = {} }) =>
    type === 'onecheck.licence-act.answered.v1' ? askedHere(data) : supervisedHere(data);
  const calendar: EventHandlers<typeof schema> = {
    // The office's calendar years: deadlines here count exactly as the office's calendar says.
    'onecheck.calendar.year-set.v1': async (event, tx) => {
      const year = event.data;
      await saveCalendarYear(tx, year, clock.now());
      await appendAudit(tx, {
        actor: byEvent(event),
        action: 'receiveCalendar',
        entity: { kind: 'calendarYear', id: String(year.year) },
        after: year,
        at: clock.now(),
      });
      await recountDeadlines(tx, await loadCalendar(tx, calendarBase), year.year, clock, byEvent(event));
    },
  };
  const plans: EventHandlers<typeof schema> = {
    // 双随机 (seed 001): the office drew the targets; this department draws its inspectors for its part.
    'onecheck.draw.made.v1': async (event, tx) => {
      await receiveDraw(tx, department, event.data, event.id, clock, byEvent(event));
    },
    // The same, the drawn list in parts: drawn once the last part is here.
    'onecheck.draw.made.v2': async (event, tx) => {
      await receiveDrawPart(tx, department, event.data, event.id, clock, byEvent(event));
    },
    // 牵头 (谁主管谁牵头): the plans this department leads, whose findings it follows (led-findings.ts).
    'onecheck.plan.published.v1': async (event, tx) => {
      await receivePlanState(tx, department, event.data, clock, byEvent(event));
    },
    'onecheck.plan.adjusted.v1': async (event, tx) => {
      await receivePlanState(tx, department, event.data, clock, byEvent(event));
    },
  };
  // 赋码检查 (seed 004 (十二)): the office's codes that name this department, kept as its own copy,
  // and its refusals of the codes this department asked for (the request refused, its task closed).
  const visits: EventHandlers<typeof schema> = {
    'onecheck.visit.coded.v1': async (event, tx) => {
      await receiveVisitCoded(tx, department, event.data, clock, byEvent(event));
      await receiveVisitPlans(tx, event.data, clock, byEvent(event));
    },
    'onecheck.visit.code-revoked.v1': async (event, tx) => {
      await receiveCodeRevoked(tx, event.data, clock, byEvent(event));
    },
    'onecheck.inspection.code-refused.v1': async (event, tx) => {
      if (!askedHere(event.data)) return;
      await receiveCodeRefusal(tx, department, event.data, clock, byEvent(event));
    },
  };
  // A refusal answers one department's request: the others skip it unverified (consumer.ts).
  const ownVisit: EventConcern = ({ type, data = {} }) =>
    type === 'onecheck.inspection.code-refused.v1' ? askedHere(data) : true;
  // 移交/抄告 (issue 11 item 4): a finding transferred to this department arrives with its id; the
  // answer to one this department transferred comes back. As the lead (牵头) of a plan, it keeps
  // every other department's finding on that plan's visits, with its steps. Others pass by.
  const findingSteps: EventHandlers<typeof schema> = {
    'onecheck.finding.recorded.v1': async (event, tx) => {
      await receiveTransfer(tx, department, event.data, event.id, clock, byEvent(event));
      await receiveLedFinding(tx, department, event.data, event.id, clock, byEvent(event));
    },
    'onecheck.finding.handled.v1': async (event, tx) => {
      await followTransferAnswer(tx, department, event.data, clock, byEvent(event));
      await followLedFinding(tx, event.data, clock, byEvent(event));
    },
  };
  return [
    // The older consumers keep their places (tests and tools reach them by index); new ones come after.
    {
      name: 'licences',
      topics: [TOPICS.licence],
      handlers: licences,
      batchHandlers: licenceBatches,
      concerns: ownLicence,
    },
    { name: 'calendar', topics: [TOPICS.calendar], handlers: calendar },
    { name: 'plans', topics: [TOPICS.plan], handlers: plans },
    { name: 'visits', topics: [TOPICS.visit], handlers: visits, concerns: ownVisit },
    { name: 'findings', topics: [TOPICS.finding], handlers: findingSteps },
  ];
}
