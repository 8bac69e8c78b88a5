import { todayInChina } from '@onecheck/calendar';
import {
  badInput,
  forbidden,
  maskIdentifier,
  maskName,
  requireOwnDepartment,
  requireRole,
  requireSignedIn,
  scalarResolvers,
} from '@onecheck/kit';
import type { DepartmentContext } from './context';
import { listItems, publishItem, withdrawItem, type ItemRow } from './domain/items';
import { addInspector, listInspectors, type InspectorRow } from './domain/inspectors';
import { claimTask, listTasks, overdue, recordTaskResult, type TaskFilter, type TaskRow } from './domain/tasks';

/**
 * The department a root field is about: its argument, else the caller's own. The gateway routes
 * by the same rule, so an instance asked about another department was misrouted.
 */
function targetDepartment(ctx: DepartmentContext, department: string | null | undefined): string {
  const target = department ?? ctx.identity.department;
  if (!target) throw badInput('department', 'name the department: the caller belongs to none');
  if (target !== ctx.department) throw badInput('department', `this instance serves ${ctx.department}, not ${target}`);
  return target;
}

/** Inspectors' identities are personal data: in full only for their own department's staff (DESIGN.md §5). */
const ownsPersonalData = (ctx: DepartmentContext) =>
  ctx.identity.role === 'staff' && ctx.identity.department === ctx.department;

/** Entity references name their department; an instance answers only for its own. */
function ownRef(ctx: DepartmentContext, ref: { department: string; id: string }) {
  requireSignedIn(ctx.identity);
  return ref.department === ctx.department;
}

type DeptArgs = { department?: string | null };

/** Tasks are the department's own work: its staff and inspectors see them, the office and the approval bureau follow them. */
function requireTaskReader(ctx: DepartmentContext, department: string) {
  requireSignedIn(ctx.identity);
  const { role } = ctx.identity;
  if (role === 'office' || role === 'approver') return;
  if ((role === 'staff' || role === 'inspector') && ctx.identity.department === department) return;
  throw forbidden(`${ctx.identity.department ?? role} may not see ${department}'s tasks`);
}

/** 谁检查、谁录入: the department's inspectors (or its staff, entering a paper record) record results. */
function requireResultRecorder(ctx: DepartmentContext, department: string) {
  requireRole(ctx.identity, ['inspector', 'staff'], 'record check results');
  if (ctx.identity.department !== department)
    throw forbidden(`${ctx.identity.department} may not record ${department}'s results`);
}

export const resolvers = {
  ...scalarResolvers,
  Query: {
    supervisionItems: (
      _: unknown,
      args: DeptArgs & { industry?: string; first?: number; after?: string },
      ctx: DepartmentContext,
    ) => {
      requireSignedIn(ctx.identity);
      targetDepartment(ctx, args.department);
      return listItems(ctx.db, args.industry, args);
    },
    itemsForIndustry: (_: unknown, { industry }: { industry: string }, ctx: DepartmentContext) => {
      requireSignedIn(ctx.identity);
      return ctx.itemsForIndustry.load(industry);
    },
    supervisionTasks: (
      _: unknown,
      args: DeptArgs & { filter?: TaskFilter; first?: number; after?: string },
      ctx: DepartmentContext,
    ) => {
      requireTaskReader(ctx, targetDepartment(ctx, args.department));
      return listTasks(ctx.db, args.filter ?? {}, args, todayInChina());
    },
    supervisionTask: (_: unknown, args: DeptArgs & { id: string }, ctx: DepartmentContext) => {
      requireTaskReader(ctx, targetDepartment(ctx, args.department));
      return ctx.taskById.load(args.id);
    },
    inspectors: (_: unknown, args: DeptArgs & { first?: number; after?: string }, ctx: DepartmentContext) => {
      requireSignedIn(ctx.identity);
      targetDepartment(ctx, args.department);
      return listInspectors(ctx.db, args);
    },
  },
  Mutation: {
    publishSupervisionItem: (_: unknown, args: DeptArgs & { input: unknown }, ctx: DepartmentContext) => {
      requireOwnDepartment(ctx.identity, targetDepartment(ctx, args.department), 'publish supervision items');
      return publishItem(ctx.db, args.input);
    },
    withdrawSupervisionItem: (_: unknown, args: DeptArgs & { code: string }, ctx: DepartmentContext) => {
      requireOwnDepartment(ctx.identity, targetDepartment(ctx, args.department), 'withdraw supervision items');
      return withdrawItem(ctx.db, args.code);
    },
    claimSupervisionTask: (
      _: unknown,
      args: DeptArgs & { id: string; claimedOn?: string | null },
      ctx: DepartmentContext,
    ) => {
      requireOwnDepartment(ctx.identity, targetDepartment(ctx, args.department), 'claim tasks');
      return claimTask(ctx.db, args.id, ctx.identity, args.claimedOn);
    },
    recordTaskResult: (_: unknown, args: DeptArgs & { id: string; input: unknown }, ctx: DepartmentContext) => {
      const department = targetDepartment(ctx, args.department);
      requireResultRecorder(ctx, department);
      return recordTaskResult(ctx.db, department, args.id, ctx.identity, args.input);
    },
    addInspector: (_: unknown, args: DeptArgs & { input: unknown }, ctx: DepartmentContext) => {
      requireOwnDepartment(ctx.identity, targetDepartment(ctx, args.department), 'add inspectors');
      return addInspector(ctx.db, args.input);
    },
  },
  SupervisionItem: {
    __resolveReference: (ref: { department: string; id: string }, ctx: DepartmentContext) =>
      ownRef(ctx, ref) ? ctx.itemById.load(ref.id) : null,
    department: (_: ItemRow, __: unknown, ctx: DepartmentContext) => ctx.department,
  },
  SupervisionTask: {
    __resolveReference: (ref: { department: string; id: string }, ctx: DepartmentContext) => {
      if (!ownRef(ctx, ref)) return null;
      requireTaskReader(ctx, ctx.department);
      return ctx.taskById.load(ref.id);
    },
    department: (_: TaskRow, __: unknown, ctx: DepartmentContext) => ctx.department,
    licence: (t: TaskRow) => ({ __typename: 'Licence', id: t.licenceId }),
    enterprise: (t: TaskRow) => ({ __typename: 'Enterprise', uscc: t.uscc }),
    claimOverdue: (t: TaskRow) => overdue(t, todayInChina()).claimOverdue,
    checkOverdue: (t: TaskRow) => overdue(t, todayInChina()).checkOverdue,
    findings: (t: TaskRow, _: unknown, ctx: DepartmentContext) => ctx.findingsByTask.load(t.id),
  },
  Finding: {
    department: (_: unknown, __: unknown, ctx: DepartmentContext) => ctx.department,
  },
  Inspector: {
    __resolveReference: (ref: { department: string; id: string }, ctx: DepartmentContext) =>
      ownRef(ctx, ref) ? ctx.inspectorById.load(ref.id) : null,
    department: (_: InspectorRow, __: unknown, ctx: DepartmentContext) => ctx.department,
    name: (row: InspectorRow, _: unknown, ctx: DepartmentContext) =>
      ownsPersonalData(ctx) ? row.name : maskName(row.name),
    badgeNumber: (row: InspectorRow, _: unknown, ctx: DepartmentContext) =>
      ownsPersonalData(ctx) ? row.badgeNumber : maskIdentifier(row.badgeNumber),
  },
  Enterprise: {
    __resolveReference: (ref: { uscc: string; industryCode?: string }) => ref,
    applicableItems: (e: { industryCode?: string }, _: unknown, ctx: DepartmentContext) => {
      requireSignedIn(ctx.identity);
      return e.industryCode ? ctx.itemsForIndustry.load(e.industryCode) : [];
    },
  },
};
