import { todayInChina } from '@onecheck/calendar';
import { TOPICS, type CloudEvent, type EventHandlers } from '@onecheck/events';
import type { Tx } from '@onecheck/kit';
import { creditProfiles, creditRecords } from './db/schema';
import type * as schema from './db/schema';
import { DEFAULT_PROFILE } from './domain/profile';
import { reclassify } from './domain/risk';

type CreditTx = Tx<typeof schema>;

/** A newly registered business is known to the platform at general risk (B) until records say otherwise. */
async function registered(event: CloudEvent, tx: CreditTx) {
  const { uscc, name } = event.data as { uscc: string; name: string };
  await tx
    .insert(creditProfiles)
    .values({
      uscc,
      name,
      riskClass: DEFAULT_PROFILE.riskClass,
      reason: 'Newly registered: general risk (B) until records accumulate.',
    })
    .onConflictDoNothing();
}

interface FindingData {
  findingId: string;
  department: string;
  uscc: string;
  description: string;
  severity: 'MINOR' | 'GENERAL' | 'SERIOUS';
  handling: string;
  recordedOn: string;
}

/** Each finding becomes a credit record against the business, and the business is re-classified. */
async function finding(event: CloudEvent, tx: CreditTx) {
  const f = event.data as FindingData;
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
  await reclassify(tx, f.uscc, todayInChina());
}

export const creditConsumers = [
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
