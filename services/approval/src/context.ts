import DataLoader from 'dataloader';
import { desc, inArray } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import { isUuid, type Db, type ServiceDeps } from '@onecheck/kit';
import * as schema from './db/schema';
import type { LicenceRow } from './domain/licence';

export interface ApprovalContext {
  identity: Identity;
  db: Db<typeof schema>;
  licenceById: DataLoader<string, LicenceRow | null>;
  licencesByUscc: DataLoader<string, LicenceRow[]>;
}

export function approvalContext(identity: Identity, { db }: ServiceDeps<typeof schema>): ApprovalContext {
  const { licences } = schema;
  return {
    identity,
    db,
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
