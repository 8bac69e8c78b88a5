import { fileURLToPath } from 'node:url';
import { startService, subgraphTypeDefs, type ServiceDefinition, type ServiceSettings } from '@onecheck/kit';
import * as schema from './db/schema';
import { creditContext, type CreditContext } from './context';
import { resolvers } from './resolvers';
import { creditConsumers } from './events';

export const typeDefs = subgraphTypeDefs(new URL('./schema.graphql', import.meta.url));

export const creditService: ServiceDefinition<typeof schema, CreditContext> = {
  name: 'credit',
  schema,
  migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  typeDefs,
  resolvers,
  consumers: creditConsumers,
  context: creditContext,
};

export const startCredit = (settings: ServiceSettings) => startService(creditService, settings);
export { schema };
