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
import { loadCalendar } from '@onecheck/calendar';
import { EXPIRY_TIMER, expireLicence, type ApprovalRules } from './domain/licence';
import { listOverduePromise, OVERDUE_TIMER, REMIND_TIMER, remindPromise } from './domain/promises';

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
    // 告知承诺 (seed 003 第二十三条): the reminder the day before the promised materials are due, and
    // the listing for the bureau when they did not come — once each, whatever the number of instances.
    timers: ({ clock, calendarBase }) => ({
      handlers: {
        [EXPIRY_TIMER]: async (job, tx, actor) => {
          await expireLicence(tx, (job.payload as { licenceId: string }).licenceId, clock, actor);
        },
        [REMIND_TIMER]: async (job, tx, actor) => {
          await remindPromise(tx, (job.payload as { promiseId: string }).promiseId, clock, actor);
        },
        [OVERDUE_TIMER]: async (job, tx, actor) => {
          const calendar = await loadCalendar(tx, calendarBase);
          await listOverduePromise(tx, calendar, (job.payload as { promiseId: string }).promiseId, clock, actor);
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
