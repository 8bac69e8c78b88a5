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
import type { ApprovalRules } from './domain/licence';
import { startExpirySweep } from './expiry';

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
  };
}

export const approvalService = approvalServiceWith(DEFAULT_RULES);

export async function startApproval(settings: ServiceSettings, rules: ApprovalRules = DEFAULT_RULES) {
  const running = await startService(approvalServiceWith(rules), settings);
  // INTERIM (issue 9 item 4): licence expiry by a sweep in this process until the kit's durable
  // timers land (/work/helpers/issue9-handoff.md); then a timer per licence replaces it.
  const sweep = startExpirySweep(running.database.db, settings.clock, settings.logger);
  const stop = running.stop;
  return Object.assign(running, { expireDue: sweep.runNow, stop: async () => (await sweep.stop(), stop()) });
}
export { schema };
