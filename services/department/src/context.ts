import DataLoader from 'dataloader';
import { loadCalendar, type WorkingCalendar } from '@onecheck/calendar';
import { serviceContext, type RequestInfo, type ServiceContext, type ServiceDeps } from '@onecheck/kit';
import type * as schema from './db/schema';
import type { FindingRow, InspectorRow, ItemRow, TaskRow } from './db/schema';
import { inspectorsByIds } from './domain/inspectors';
import { itemsByIds, itemsForIndustries } from './domain/items';
import { findingsByTasks, tasksByIds } from './domain/tasks';

export interface DepartmentContext extends ServiceContext<typeof schema> {
  /** The department this instance serves. */
  department: string;
  itemsForIndustry: DataLoader<string, ItemRow[]>;
  itemById: DataLoader<string, ItemRow | null>;
  inspectorById: DataLoader<string, InspectorRow | null>;
  findingsByTask: DataLoader<string, FindingRow[]>;
  taskById: DataLoader<string, TaskRow | null>;
  /** The late-entry days (issue 9 item 1: configurable per deployment). */
  lateEntryDays: number;
  /** The working calendar, loaded once per request when needed. */
  calendar: () => Promise<WorkingCalendar>;
}

/** Each request's context: who asks, and fresh loaders wired to the domain's batch queries. */
export function departmentContext(department: string, lateEntryDays: number) {
  return (request: RequestInfo, deps: ServiceDeps<typeof schema>): DepartmentContext => {
    const { db, clock } = deps;
    let calendar: Promise<WorkingCalendar> | undefined;
    return {
      ...serviceContext(request, deps),
      department,
      lateEntryDays,
      calendar: () => (calendar ??= loadCalendar(db, deps.calendarBase)),
      itemsForIndustry: new DataLoader((codes) => itemsForIndustries(db, codes)),
      itemById: new DataLoader((ids) => itemsByIds(db, ids)),
      inspectorById: new DataLoader((ids) => inspectorsByIds(db, ids)),
      taskById: new DataLoader((ids) => tasksByIds(db, ids, clock.today())),
      findingsByTask: new DataLoader((ids) => findingsByTasks(db, ids)),
    };
  };
}
