import { TOPICS, type CloudEvent, type EventHandlers } from '@onecheck/events';
import type { ServiceDeps, Tx } from '@onecheck/kit';
import { creditProfiles, creditRecords } from './db/schema';
import type * as schema from './db/schema';
import { DEFAULT_PROFILE } from './domain/profile';
import { reclassify } from './domain/risk';

type CreditTx = Tx<typeof schema>;

export function creditConsumers({ clock }: ServiceDeps<typeof schema>) {
  /** A newly registered business is known to the platform at the default class until records say otherwise. */
  async function registered(event: CloudEvent<'onecheck.enterprise.registered.v1'>, tx: CreditTx) {
    const { uscc, name } = event.data;
    await tx
      .insert(creditProfiles)
      .values({ uscc, name, riskClass: DEFAULT_PROFILE.riskClass, reason: DEFAULT_PROFILE.reason })
      .onConflictDoNothing();
  }

  /** Each finding becomes a credit record against the business, and the business is re-classified. */
  async function finding(event: CloudEvent<'onecheck.finding.recorded.v1'>, tx: CreditTx) {
    const f = event.data;
    await tx
      .insert(creditRecords)
      .values({
        id: f.findingId,
        uscc: f.uscc,
        department: f.department,
        severity: f.severity,
        handling: f.handling,
        description: f.description,
        recordedOn: f.recordedOn,
      })
      .onConflictDoNothing();
    await reclassify(tx, f.uscc, clock.today(), clock);
  }

  return [
    {
      name: 'enterprises',
      topics: [TOPICS.enterprise],
      handlers: { 'onecheck.enterprise.registered.v1': registered } satisfies EventHandlers<typeof schema>,
    },
    {
      name: 'findings',
      topics: [TOPICS.finding],
      handlers: { 'onecheck.finding.recorded.v1': finding } satisfies EventHandlers<typeof schema>,
    },
  ];
}
