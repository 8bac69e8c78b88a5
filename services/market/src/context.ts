import DataLoader from 'dataloader';
import { inArray } from 'drizzle-orm';
import { serviceContext, type RequestInfo, type ServiceContext, type ServiceDeps } from '@onecheck/kit';
import * as schema from './db/schema';
import type { EnterpriseRow } from './domain/enterprise';

export interface MarketContext extends ServiceContext<typeof schema> {
  enterpriseByUscc: DataLoader<string, EnterpriseRow | null>;
}

/** Fresh loaders per request: batching within it, no caching across callers. */
export function marketContext(request: RequestInfo, deps: ServiceDeps<typeof schema>): MarketContext {
  const { db } = deps;
  return {
    ...serviceContext(request, deps),
    enterpriseByUscc: new DataLoader(async (keys) => {
      const rows = await db
        .select()
        .from(schema.enterprises)
        .where(inArray(schema.enterprises.uscc, [...keys]));
      const byKey = new Map(rows.map((r) => [r.uscc, r]));
      return keys.map((k) => byKey.get(k) ?? null);
    }),
  };
}
