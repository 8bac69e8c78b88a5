import { sql } from 'drizzle-orm';
import { TOPICS, type CloudEvent, type EventHandlers } from '@onecheck/events';
import type { Tx } from '@onecheck/kit';
import { knownEnterprises } from './db/schema';
import type * as schema from './db/schema';

interface EnterpriseData {
  uscc: string;
  name: string;
  status: string;
  version: number;
}

/**
 * The bureau's projection of the business registry, from market regulation's events. An older
 * version never overwrites a newer one, so redelivery and reordering across restarts are harmless.
 */
async function project(event: CloudEvent, tx: Tx<typeof schema>) {
  const e = event.data as EnterpriseData;
  await tx
    .insert(knownEnterprises)
    .values({ uscc: e.uscc, name: e.name, status: e.status, version: e.version })
    .onConflictDoUpdate({
      target: knownEnterprises.uscc,
      set: { name: e.name, status: e.status, version: e.version },
      setWhere: sql`${knownEnterprises.version} < ${e.version}`,
    });
}

export const approvalConsumers = [
  {
    name: 'enterprises',
    topics: [TOPICS.enterprise],
    handlers: {
      'onecheck.enterprise.registered.v1': project,
      'onecheck.enterprise.changed.v1': project,
      'onecheck.enterprise.deregistered.v1': project,
    } satisfies EventHandlers<typeof schema>,
  },
];
