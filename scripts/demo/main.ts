/**
 * The demo loader as a one-off process of `npm start` (scripts/start.ts runs it under the
 * supervisor once the services are up): loads the demo county into each service's own database,
 * or finds it there and does nothing.
 */
import { demoEnv } from '../env';
import { seedDemo } from './seed';

const settings = demoEnv();
await seedDemo(new Map(Object.entries(settings.databases)), {
  clock: settings.clock,
  say: (line) => console.log(line),
  businesses: settings.businesses,
});
