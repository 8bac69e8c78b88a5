import { sql } from 'drizzle-orm';
import { TOPICS, type CloudEvent, type EventHandlers } from '@onecheck/events';
import type { ServiceDeps, Tx } from '@onecheck/kit';
import { knownEnterprises } from './db/schema';
import type * as schema from './db/schema';

type EnterpriseEvent = CloudEvent<
  'onecheck.enterprise.registered.v1' | 'onecheck.enterprise.changed.v1' | 'onecheck.enterprise.deregistered.v1'
>;

/**
 * The bureau's projection of the business registry, from market regulation's events. An older
 * version never overwrites a newer one, so redelivery and reordering across restarts are harmless.
 */
async function project(event: EnterpriseEvent, tx: Tx<typeof schema>) {
  const e = event.data;
  await tx
    .insert(knownEnterprises)
    .values({ uscc: e.uscc, name: e.name, status: e.status, version: e.version })
    .onConflictDoUpdate({
      target: knownEnterprises.uscc,
      set: { name: e.name, status: e.status, version: e.version },
      setWhere: sql`${knownEnterprises.version} < ${e.version}`,
    });
}

export const approvalConsumers = (_deps: ServiceDeps<typeof schema>) => [
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
