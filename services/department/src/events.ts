import { loadCalendar, saveCalendarYear, type YearData } from '@onecheck/calendar';
import { TOPICS, type CloudEvent, type EventHandlers } from '@onecheck/events';
import type { Tx } from '@onecheck/kit';
import type * as schema from './db/schema';
import { closeTasksForLicence, createTaskFromLicence, recountDeadlines } from './domain/tasks';

interface LicenceData {
  licenceId: string;
  licenceNumber: string;
  uscc: string;
  approvalItem: string;
  supervisingDepartment: string;
  grantedOn: string;
  status: string;
  reason?: string;
}

/**
 * 审管联动 (seed 003): every department hears every licence event and acts on those it
 * supervises — a grant becomes a task, a revocation or cancellation closes the open ones.
 */
export function departmentConsumers(department: string) {
  const mine = (event: CloudEvent) => (event.data as LicenceData).supervisingDepartment === department;
  const close = (what: string) => async (event: CloudEvent, tx: Tx<typeof schema>) => {
    if (!mine(event)) return;
    const l = event.data as LicenceData;
    await closeTasksForLicence(tx, l.licenceId, `licence ${l.licenceNumber} ${what}${l.reason ? `: ${l.reason}` : ''}`);
  };
  const handlers: EventHandlers<typeof schema> = {
    'onecheck.licence.granted.v1': async (event, tx) => {
      if (!mine(event)) return;
      await createTaskFromLicence(tx, await loadCalendar(tx), event.data as LicenceData);
    },
    'onecheck.licence.revoked.v1': close('revoked'),
    'onecheck.licence.cancelled.v1': close('cancelled'),
  };
  return [
    { name: 'licences', topics: [TOPICS.licence], handlers },
    {
      // The office's calendar years: deadlines here count exactly as the office's calendar says.
      name: 'calendar',
      topics: [TOPICS.calendar],
      handlers: {
        'onecheck.calendar.year-set.v1': async (event, tx) => {
          const year = event.data as YearData;
          await saveCalendarYear(tx, year);
          await recountDeadlines(tx, await loadCalendar(tx), year.year);
        },
      } satisfies EventHandlers<typeof schema>,
    },
  ];
}
