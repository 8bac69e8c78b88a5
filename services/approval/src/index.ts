import { fileURLToPath } from 'node:url';
import {
  LATE_ENTRY_DAYS,
  startService,
  subgraphTypeDefs,
  type ServiceDefinition,
  type ServiceSettings,
} from '@onecheck/kit';
import * as schema from './db/schema';
import { approvalContext, type ApprovalContext } from './context';
import { resolvers } from './resolvers';
import { approvalConsumers } from './events';
import { EXPIRY_TIMER, expireLicence, type ApprovalRules } from './domain/licence';

export const typeDefs = subgraphTypeDefs(new URL('./schema.graphql', import.meta.url));

export const DEFAULT_RULES: ApprovalRules = { lateEntryDays: LATE_ENTRY_DAYS };

export function approvalServiceWith(rules: ApprovalRules): ServiceDefinition<typeof schema, ApprovalContext> {
  return {
    name: 'approval',
    schema,
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
    typeDefs,
    resolvers,
    consumers: approvalConsumers,
    context: approvalContext(rules),
    // A licence expires by itself when its validity ends (行政许可法 §70(一)): one durable timer per
    // licence, armed at grant, moved by an amended validUntil, removed when the licence ends otherwise.
    timers: ({ clock }) => ({
      handlers: {
        [EXPIRY_TIMER]: async (job, tx, actor) => {
          await expireLicence(tx, (job.payload as { licenceId: string }).licenceId, clock, actor);
        },
      },
    }),
  };
}

export const approvalService = approvalServiceWith(DEFAULT_RULES);

export async function startApproval(settings: ServiceSettings, rules: ApprovalRules = DEFAULT_RULES) {
  return startService(approvalServiceWith(rules), settings);
}
export { schema };
