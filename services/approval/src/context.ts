import DataLoader from 'dataloader';
import { desc, inArray } from 'drizzle-orm';
import {
  isUuid,
  type Db,
  serviceContext,
  type RequestInfo,
  type ServiceContext,
  type ServiceDeps,
} from '@onecheck/kit';
import * as schema from './db/schema';
import type { LicenceRow } from './domain/licence';

export interface ApprovalContext extends ServiceContext<typeof schema> {
  licenceById: DataLoader<string, LicenceRow | null>;
  licencesByUscc: DataLoader<string, LicenceRow[]>;
}

export function approvalContext(request: RequestInfo, deps: ServiceDeps<typeof schema>): ApprovalContext {
  const { db } = deps;
  const { licences } = schema;
  return {
    ...serviceContext(request, deps),
    licenceById: new DataLoader(async (ids) => {
      // A malformed id can name no licence; keep it out of the uuid-typed query.
      const valid = ids.filter((id) => isUuid(id));
      const rows = valid.length ? await db.select().from(licences).where(inArray(licences.id, valid)) : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    licencesByUscc: new DataLoader(async (keys) => {
      const rows = await db
        .select()
        .from(licences)
        .where(inArray(licences.uscc, [...keys]))
        .orderBy(desc(licences.grantedOn), desc(licences.licenceNumber));
      return keys.map((k) => rows.filter((r) => r.uscc === k));
    }),
  };
}
