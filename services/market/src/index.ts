import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PAGE_INFO_SDL, SCALARS_SDL, startService, type ServiceDefinition, type ServiceSettings } from '@onecheck/kit';
import * as schema from './db/schema';
import { marketContext, type MarketContext } from './context';
import { resolvers } from './resolvers';

export const typeDefs =
  readFileSync(fileURLToPath(new URL('./schema.graphql', import.meta.url)), 'utf8') + SCALARS_SDL + PAGE_INFO_SDL;

export const marketService: ServiceDefinition<typeof schema, MarketContext> = {
  name: 'market',
  schema,
  migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  typeDefs,
  resolvers,
  context: marketContext,
};

export const startMarket = (settings: ServiceSettings) => startService(marketService, settings);
export { schema };
