/** What the credit platform consumes: each event mapped to one domain call (the rules and SQL are in domain/). */
import { TOPICS, type EventHandlers } from '@onecheck/events';
import { serviceActor, type ServiceDeps } from '@onecheck/kit';
import type * as schema from './db/schema';
import { recordFinding, registerBusiness } from './domain/profile';
import { recordFalsePromise } from './domain/promises';
import { recordAbnormalListing, recordPenalty, recordRevocation } from './domain/sanctions';

/** The platform's own principal acting on an event: who its audit trail names for these changes. */
const byEvent = (event: { id: string }) => serviceActor('credit', { event: event.id });

export function creditConsumers({ clock }: ServiceDeps<typeof schema>) {
  const enterprises = {
    'onecheck.enterprise.registered.v1': (event, tx) =>
      registerBusiness(tx, event.data.uscc, event.data.name, clock, byEvent(event)),
    'onecheck.enterprise.abnormal-listed.v1': (event, tx) =>
      recordAbnormalListing(tx, event.data, clock, byEvent(event)),
  } satisfies EventHandlers<typeof schema>;
  const findings = {
    'onecheck.finding.recorded.v1': (event, tx) => recordFinding(tx, event.data, clock, byEvent(event)),
    // A penalty decision the finding's home accepted (行政处罚法 §29: one authority per finding).
    'onecheck.finding.handled.v1': (event, tx) => recordPenalty(tx, event.data, clock, byEvent(event)),
  } satisfies EventHandlers<typeof schema>;
  const licences = {
    'onecheck.licence.revoked.v2': (event, tx) => recordRevocation(tx, event.data, clock, byEvent(event)),
    // 告知承诺's dishonesty records come on the licence topic too (seed 003 第二十三条).
    'onecheck.promise.broken.v1': (event, tx) => recordFalsePromise(tx, event.data, clock, byEvent(event)),
  } satisfies EventHandlers<typeof schema>;
  return [
    { name: 'enterprises', topics: [TOPICS.enterprise], handlers: enterprises },
    { name: 'findings', topics: [TOPICS.finding], handlers: findings },
    { name: 'licences', topics: [TOPICS.licence], handlers: licences },
  ];
}
