import DataLoader from 'dataloader';
import { loadCalendar, type WorkingCalendar } from '@onecheck/calendar';
import { serviceContext, type RequestInfo, type ServiceContext, type ServiceDeps } from '@onecheck/kit';
import type * as schema from './db/schema';
import type { ConflictRow, FindingRow, InspectorDrawBusinessRow, InspectorRow, ItemRow, TaskRow } from './db/schema';
import { drawBusinessesByTasks } from './domain/inspector-draw';
import { conflictsByInspectors, inspectorsByIds } from './domain/inspectors';
import { itemsByIds } from './domain/items';
import { findingsByTasks, tasksByIds } from './domain/tasks';

export interface DepartmentContext extends ServiceContext<typeof schema> {
  /** The department this instance serves. */
  department: string;
  itemById: DataLoader<string, ItemRow | null>;
  inspectorById: DataLoader<string, InspectorRow | null>;
  conflictsByInspector: DataLoader<string, ConflictRow[]>;
  /** An inspection task's drawn team and proof (null for a licence task). */
  drawByTask: DataLoader<string, InspectorDrawBusinessRow | null>;
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
      itemById: new DataLoader((ids) => itemsByIds(db, ids)),
      inspectorById: new DataLoader((ids) => inspectorsByIds(db, ids)),
      conflictsByInspector: new DataLoader((ids) => conflictsByInspectors(db, ids)),
      drawByTask: new DataLoader((ids) => drawBusinessesByTasks(db, ids)),
      taskById: new DataLoader((ids) => tasksByIds(db, ids, clock.today())),
      findingsByTask: new DataLoader((ids) => findingsByTasks(db, ids)),
    };
  };
}
