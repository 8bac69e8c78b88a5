import DataLoader from 'dataloader';
import { serviceContext, type RequestInfo, type ServiceContext, type ServiceDeps } from '@onecheck/kit';
import * as schema from './db/schema';
import { enterprisesByUscc, type EnterpriseRow } from './domain/enterprise';

export interface MarketContext extends ServiceContext<typeof schema> {
  enterpriseByUscc: DataLoader<string, EnterpriseRow | null>;
}

/** Fresh loaders per request: batching within it, no caching across callers. */
export function marketContext(request: RequestInfo, deps: ServiceDeps<typeof schema>): MarketContext {
  return {
    ...serviceContext(request, deps),
    enterpriseByUscc: new DataLoader((codes) => enterprisesByUscc(deps.db, codes)),
  };
}
