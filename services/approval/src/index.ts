import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PAGE_INFO_SDL, SCALARS_SDL, startService, type ServiceDefinition, type ServiceSettings } from '@onecheck/kit';
import * as schema from './db/schema';
import { approvalContext, type ApprovalContext } from './context';
import { resolvers } from './resolvers';
import { approvalConsumers } from './events';

export const typeDefs =
  readFileSync(fileURLToPath(new URL('./schema.graphql', import.meta.url)), 'utf8') + SCALARS_SDL + PAGE_INFO_SDL;

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
