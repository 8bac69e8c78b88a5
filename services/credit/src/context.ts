import DataLoader from 'dataloader';
import { inArray } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import type { Db, ServiceDeps } from '@onecheck/kit';
import * as schema from './db/schema';
import { profileOf } from './domain/profile';

export interface CreditContext {
  identity: Identity;
  db: Db<typeof schema>;
  profileByUscc: DataLoader<string, ReturnType<typeof profileOf>>;
}

export function creditContext(identity: Identity, { db }: ServiceDeps<typeof schema>): CreditContext {
  const { creditProfiles } = schema;
  return {
    identity,
    db,
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
