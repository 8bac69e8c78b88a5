import { fileURLToPath } from 'node:url';
import {
  LATE_ENTRY_DAYS,
  startService,
  subgraphTypeDefs,
  type ServiceDefinition,
  type ServiceSettings,
} from '@onecheck/kit';
import * as schema from './db/schema';
import { departmentContext, type DepartmentContext } from './context';
import { resolvers } from './resolvers';
import { departmentConsumers } from './events';

export const typeDefs = subgraphTypeDefs(new URL('./schema.graphql', import.meta.url));

/** One codebase, one instance per department: the code picks the instance's database and identity. */
export function departmentService(
  department: string,
  lateEntryDays: number = LATE_ENTRY_DAYS,
): ServiceDefinition<typeof schema, DepartmentContext> {
  return {
    name: `department-${department.toLowerCase()}`,
    schema,
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
    typeDefs,
    resolvers,
    context: departmentContext(department, lateEntryDays),
    consumers: (deps) => departmentConsumers(department, deps),
  };
}

export const startDepartment = (department: string, settings: ServiceSettings, lateEntryDays?: number) =>
  startService(departmentService(department, lateEntryDays), settings);
export { schema };
