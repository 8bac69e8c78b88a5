/** What the bureau consumes: each event mapped to one domain call (the rules and SQL are in domain/). */
import { TOPICS, type EventHandlers } from '@onecheck/events';
import type { ServiceDeps } from '@onecheck/kit';
import type * as schema from './db/schema';
import { projectEnterprise } from './domain/enterprises';

export const approvalConsumers = (_deps: ServiceDeps<typeof schema>) => {
  const handlers = {
    'onecheck.enterprise.registered.v1': (event, tx) => projectEnterprise(tx, event.data),
    'onecheck.enterprise.changed.v1': (event, tx) => projectEnterprise(tx, event.data),
    'onecheck.enterprise.deregistered.v1': (event, tx) => projectEnterprise(tx, event.data),
  } satisfies EventHandlers<typeof schema>;
  return [{ name: 'enterprises', topics: [TOPICS.enterprise], handlers }];
};
