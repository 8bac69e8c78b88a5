import DataLoader from 'dataloader';
import { serviceContext, type RequestInfo, type ServiceContext, type ServiceDeps } from '@onecheck/kit';
import * as schema from './db/schema';
import { enterprisesByUscc, type EnterpriseRow } from './domain/enterprise';
import { currentItemsFor, type JointListItemState } from './domain/joint-list';

export interface MarketContext extends ServiceContext<typeof schema> {
  enterpriseByUscc: DataLoader<string, EnterpriseRow | null>;
  /** 一业一单: the current list's items applying to a business industry (one query per batch). */
  itemsForBusinessIndustry: DataLoader<string, JointListItemState[]>;
}

/** Fresh loaders per request: batching within it, no caching across callers. */
export function marketContext(request: RequestInfo, deps: ServiceDeps<typeof schema>): MarketContext {
  return {
    ...serviceContext(request, deps),
    enterpriseByUscc: new DataLoader((codes) => enterprisesByUscc(deps.db, codes)),
    itemsForBusinessIndustry: new DataLoader((codes) => currentItemsFor(deps.db, codes)),
  };
}
