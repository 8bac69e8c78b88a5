import DataLoader from 'dataloader';
import { serviceContext, type RequestInfo, type ServiceContext, type ServiceDeps } from '@onecheck/kit';
import * as schema from './db/schema';
import type { FalsePromiseRow, LicenceSanctionRow } from './db/schema';
import { profilesByUscc, type Profile } from './domain/profile';
import { falsePromisesByUscc } from './domain/promises';
import { sanctionsByUscc } from './domain/sanctions';

export interface CreditContext extends ServiceContext<typeof schema> {
  profileByUscc: DataLoader<string, Profile>;
  sanctionsByUscc: DataLoader<string, LicenceSanctionRow[]>;
  falsePromisesByUscc: DataLoader<string, FalsePromiseRow[]>;
}

/** Fresh loaders per request: batching within it, no caching across callers. */
export function creditContext(request: RequestInfo, deps: ServiceDeps<typeof schema>): CreditContext {
  return {
    ...serviceContext(request, deps),
    profileByUscc: new DataLoader((codes) => profilesByUscc(deps.db, codes)),
    sanctionsByUscc: new DataLoader((codes) => sanctionsByUscc(deps.db, codes)),
    falsePromisesByUscc: new DataLoader((codes) => falsePromisesByUscc(deps.db, codes)),
  };
}
