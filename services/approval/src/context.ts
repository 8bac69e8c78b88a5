import DataLoader from 'dataloader';
import { loadCalendar, type WorkingCalendar } from '@onecheck/calendar';
import { serviceContext, type RequestInfo, type ServiceContext, type ServiceDeps } from '@onecheck/kit';
import * as schema from './db/schema';
import type { LicenceActRow, PromiseRow, SupervisionResultRow } from './db/schema';
import { licencesById, licencesByUscc, type ApprovalRules, type LicenceRow } from './domain/licence';
import { licenceActsById, resultsByLicence } from './domain/licence-acts';
import { promisesById } from './domain/promises';

export interface ApprovalContext extends ServiceContext<typeof schema> {
  rules: ApprovalRules;
  licenceById: DataLoader<string, LicenceRow | null>;
  licencesByUscc: DataLoader<string, LicenceRow[]>;
  licenceActById: DataLoader<string, LicenceActRow | null>;
  resultsByLicence: DataLoader<string, SupervisionResultRow[]>;
  promiseById: DataLoader<string, PromiseRow | null>;
  /** The working calendar, loaded once per request when a field needs it. */
  calendar: () => Promise<WorkingCalendar>;
}

/** Fresh loaders per request: batching within it, no caching across callers. */
export function approvalContext(rules: ApprovalRules) {
  return (request: RequestInfo, deps: ServiceDeps<typeof schema>): ApprovalContext => {
    let calendar: Promise<WorkingCalendar> | undefined;
    return {
      ...serviceContext(request, deps),
      rules,
      licenceById: new DataLoader((ids) => licencesById(deps.db, ids)),
      licencesByUscc: new DataLoader((codes) => licencesByUscc(deps.db, codes)),
      licenceActById: new DataLoader((ids) => licenceActsById(deps.db, ids)),
      resultsByLicence: new DataLoader((ids) => resultsByLicence(deps.db, ids)),
      promiseById: new DataLoader((ids) => promisesById(deps.db, ids)),
      calendar: () => (calendar ??= loadCalendar(deps.db, deps.calendarBase)),
    };
  };
}
