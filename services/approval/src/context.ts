import DataLoader from 'dataloader';
import { serviceContext, type RequestInfo, type ServiceContext, type ServiceDeps } from '@onecheck/kit';
import * as schema from './db/schema';
import { licencesById, licencesByUscc, type LicenceRow } from './domain/licence';

export interface ApprovalContext extends ServiceContext<typeof schema> {
  licenceById: DataLoader<string, LicenceRow | null>;
  licencesByUscc: DataLoader<string, LicenceRow[]>;
}

/** Fresh loaders per request: batching within it, no caching across callers. */
export function approvalContext(request: RequestInfo, deps: ServiceDeps<typeof schema>): ApprovalContext {
  return {
    ...serviceContext(request, deps),
    licenceById: new DataLoader((ids) => licencesById(deps.db, ids)),
    licencesByUscc: new DataLoader((codes) => licencesByUscc(deps.db, codes)),
  };
}
