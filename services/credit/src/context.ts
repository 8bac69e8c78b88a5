import DataLoader from 'dataloader';
import { inArray } from 'drizzle-orm';
import { serviceContext, type RequestInfo, type ServiceContext, type ServiceDeps } from '@onecheck/kit';
import * as schema from './db/schema';
import { profileOf } from './domain/profile';

export interface CreditContext extends ServiceContext<typeof schema> {
  profileByUscc: DataLoader<string, ReturnType<typeof profileOf>>;
}

export function creditContext(request: RequestInfo, deps: ServiceDeps<typeof schema>): CreditContext {
  const { db } = deps;
  const { creditProfiles } = schema;
  return {
    ...serviceContext(request, deps),
    profileByUscc: new DataLoader(async (keys) => {
      const rows = await db
        .select()
        .from(creditProfiles)
        .where(inArray(creditProfiles.uscc, [...keys]));
      const byKey = new Map(rows.map((r) => [r.uscc, r]));
      return keys.map((k) => profileOf(byKey.get(k)));
    }),
  };
}
