import { fileURLToPath } from 'node:url';
import { startService, subgraphTypeDefs, type ServiceDefinition, type ServiceSettings } from '@onecheck/kit';
import * as schema from './db/schema';
import { approvalContext, type ApprovalContext } from './context';
import { resolvers } from './resolvers';
import { approvalConsumers } from './events';

export const typeDefs = subgraphTypeDefs(new URL('./schema.graphql', import.meta.url));

export const approvalService: ServiceDefinition<typeof schema, ApprovalContext> = {
  name: 'approval',
  schema,
  migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  typeDefs,
  resolvers,
  consumers: approvalConsumers,
  context: approvalContext,
};

export const startApproval = (settings: ServiceSettings) => startService(approvalService, settings);
export { schema };
