import DataLoader from 'dataloader';
import { inArray } from 'drizzle-orm';
import {
  isUuid,
  serviceContext,
  type Db,
  type RequestInfo,
  type ServiceContext,
  type ServiceDeps,
} from '@onecheck/kit';
import * as schema from './db/schema';
import type { InspectorRow } from './domain/inspectors';
import type { FindingRow, TaskRow } from './domain/tasks';
import { itemsForIndustries, type ItemRow } from './domain/items';

export interface DepartmentContext extends ServiceContext<typeof schema> {
  /** The department this instance serves. */
  department: string;
  itemsForIndustry: DataLoader<string, ItemRow[]>;
  itemById: DataLoader<string, ItemRow | null>;
  inspectorById: DataLoader<string, InspectorRow | null>;
  findingsByTask: DataLoader<string, FindingRow[]>;
  taskById: DataLoader<string, TaskRow | null>;
}

export function departmentContext(department: string) {
  return (request: RequestInfo, deps: ServiceDeps<typeof schema>): DepartmentContext => {
    const { db } = deps;
    return {
      ...serviceContext(request, deps),
      department,
      itemsForIndustry: new DataLoader((codes) => itemsForIndustries(db, codes)),
      itemById: byId(db, schema.supervisionItems),
      inspectorById: byId(db, schema.inspectors),
      taskById: byId(db, schema.supervisionTasks),
      findingsByTask: new DataLoader(async (taskIds) => {
        const rows = await db
          .select()
          .from(schema.findings)
          .where(inArray(schema.findings.taskId, [...taskIds]));
        return taskIds.map((id) => rows.filter((r) => r.taskId === id));
      }),
    };
  };
}

/** A batch loader by uuid primary key; ids that are not uuids name nothing and skip the query. */
function byId<T extends typeof schema.supervisionItems | typeof schema.inspectors | typeof schema.supervisionTasks>(
  db: Db<typeof schema>,
  table: T,
) {
  return new DataLoader<string, T['$inferSelect'] | null>(async (ids) => {
    const valid = ids.filter((id) => isUuid(id));
    const rows = (
      valid.length
        ? await db
            .select()
            .from(table as typeof schema.inspectors)
            .where(inArray(table.id, valid))
        : []
    ) as T['$inferSelect'][];
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}
