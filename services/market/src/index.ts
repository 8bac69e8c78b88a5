import { fileURLToPath } from 'node:url';
import { startService, subgraphTypeDefs, type ServiceDefinition, type ServiceSettings } from '@onecheck/kit';
import * as schema from './db/schema';
import { marketContext, type MarketContext } from './context';
import { resolvers } from './resolvers';
import { marketConsumers } from './events';

export const typeDefs = subgraphTypeDefs(new URL('./schema.graphql', import.meta.url));

export const marketService: ServiceDefinition<typeof schema, MarketContext> = {
  name: 'market',
  schema,
  migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  typeDefs,
  resolvers,
  context: marketContext,
  consumers: marketConsumers,
};

export const startMarket = (settings: ServiceSettings) => startService(marketService, settings);
export { schema };
