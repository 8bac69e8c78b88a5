import { fileURLToPath } from 'node:url';
import { startService, subgraphTypeDefs, type ServiceDefinition, type ServiceSettings } from '@onecheck/kit';
import * as schema from './db/schema';
import { creditContext, type CreditContext } from './context';
import { resolvers } from './resolvers';
import { creditConsumers } from './events';
import { AGING_EVERY_MS, AGING_TIMER, reclassifyAged } from './domain/profile';

export const typeDefs = subgraphTypeDefs(new URL('./schema.graphql', import.meta.url));

export const creditService: ServiceDefinition<typeof schema, CreditContext> = {
  name: 'credit',
  schema,
  migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  typeDefs,
  resolvers,
  consumers: creditConsumers,
  context: creditContext,
  // Records age out of the look-back window by themselves: a daily sweep lifts the classes they held.
  timers: ({ clock }) => ({
    handlers: {
      [AGING_TIMER]: async (_job, tx, actor) => {
        await reclassifyAged(tx, clock, actor);
      },
    },
    recurring: [{ id: AGING_TIMER, kind: AGING_TIMER, everyMs: AGING_EVERY_MS }],
  }),
};

export const startCredit = (settings: ServiceSettings) => startService(creditService, settings);
export { schema };
