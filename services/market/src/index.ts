import { fileURLToPath } from 'node:url';
import { startService, subgraphTypeDefs, type ServiceDefinition, type ServiceSettings } from '@onecheck/kit';
import * as schema from './db/schema';
import { marketContext, type MarketContext } from './context';
import { resolvers } from './resolvers';
import { marketConsumers } from './events';
import { deliverDraw, DRAW_DELIVERY_TIMER } from './domain/draw';

export const typeDefs = subgraphTypeDefs(new URL('./schema.graphql', import.meta.url));

export const marketService: ServiceDefinition<typeof schema, MarketContext> = {
  name: 'market',
  schema,
  migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  typeDefs,
  resolvers,
  context: marketContext,
  consumers: marketConsumers,
  // A draw is delivered right after it commits (its visits and the departments' events), by a
  // durable job: once, whatever the number of instances, retried until it succeeds.
  timers: ({ clock, calendarBase }) => ({
    handlers: {
      [DRAW_DELIVERY_TIMER]: async (job, tx) => {
        await deliverDraw(tx, (job.payload as { drawId: string }).drawId, clock, calendarBase);
      },
    },
  }),
};

export const startMarket = (settings: ServiceSettings) => startService(marketService, settings);
export { schema };
