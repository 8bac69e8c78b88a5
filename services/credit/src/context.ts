import DataLoader from 'dataloader';
import { serviceContext, type RequestInfo, type ServiceContext, type ServiceDeps } from '@onecheck/kit';
import * as schema from './db/schema';
import type {
  AbnormalListingRow,
  CreditPenaltyRow,
  CreditRepairRow,
  FalsePromiseRow,
  JointPunishmentRow,
  LicenceSanctionRow,
} from './db/schema';
import { profilesByUscc, type Profile } from './domain/profile';
import { falsePromisesByUscc } from './domain/promises';
import { punishmentsByUscc } from './domain/punishments';
import { repairsByKey } from './domain/repair';
import { abnormalListingsByUscc, penaltiesByUscc, sanctionsByUscc } from './domain/sanctions';

export interface CreditContext extends ServiceContext<typeof schema> {
  profileByUscc: DataLoader<string, Profile>;
  sanctionsByUscc: DataLoader<string, LicenceSanctionRow[]>;
  falsePromisesByUscc: DataLoader<string, FalsePromiseRow[]>;
  penaltiesByUscc: DataLoader<string, CreditPenaltyRow[]>;
  abnormalListingsByUscc: DataLoader<string, AbnormalListingRow[]>;
  /** By `<record>:<id>` (FALSE_PROMISE:<promise id>, PENALTY:<decision id>). */
  repairByKey: DataLoader<string, CreditRepairRow | null>;
  punishmentsByUscc: DataLoader<string, JointPunishmentRow[]>;
}

/** Fresh loaders per request: batching within it, no caching across callers. */
export function creditContext(request: RequestInfo, deps: ServiceDeps<typeof schema>): CreditContext {
  return {
    ...serviceContext(request, deps),
    profileByUscc: new DataLoader((codes) => profilesByUscc(deps.db, codes)),
    sanctionsByUscc: new DataLoader((codes) => sanctionsByUscc(deps.db, codes)),
    falsePromisesByUscc: new DataLoader((codes) => falsePromisesByUscc(deps.db, codes)),
    penaltiesByUscc: new DataLoader((codes) => penaltiesByUscc(deps.db, codes)),
    abnormalListingsByUscc: new DataLoader((codes) => abnormalListingsByUscc(deps.db, codes)),
    repairByKey: new DataLoader((keys) => repairsByKey(deps.db, keys)),
    punishmentsByUscc: new DataLoader((codes) => punishmentsByUscc(deps.db, codes)),
  };
}
