import {
  badInput,
  forbidden,
  maskIdentifier,
  maskName,
  requireOwnDepartment,
  requireRole,
  requireSignedIn,
  scalarResolvers,
  targetDepartment as sharedTarget,
} from '@onecheck/kit';
import type { DepartmentContext } from './context';
import { listItems, publishItem, withdrawItem } from './domain/items';
import { addInspector, listInspectors } from './domain/inspectors';
import { claimTask, listTasks, overdue, recordTaskResult } from './domain/tasks';
import type { Resolvers } from './generated/resolvers';

/**
 * The department a root field is about, by the rule the gateway routes by (kit's
 * `targetDepartment`); an instance asked about another department was misrouted.
 */
function targetDepartment(ctx: DepartmentContext, department: string | null | undefined): string {
  const target = sharedTarget(department, ctx.identity);
  if (target !== ctx.department)
    throw badInput('department', 'department.wrongInstance', { serves: ctx.department, target });
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

/** Tasks are the department's own work: its staff and inspectors see them, the office and the approval bureau follow them. */
function requireTaskReader(ctx: DepartmentContext, department: string) {
  requireSignedIn(ctx.identity);
  const { role } = ctx.identity;
  if (role === 'office' || role === 'approver') return;
  if ((role === 'staff' || role === 'inspector') && ctx.identity.department === department) return;
  throw forbidden('auth.tasksForbidden', { who: ctx.identity.department ?? role, department });
}

/** 谁检查、谁录入: the department's inspectors (or its staff, entering a paper record) record results. */
function requireResultRecorder(ctx: DepartmentContext, department: string) {
  requireRole(ctx.identity, ['inspector', 'staff'], 'recordResults');
  if (ctx.identity.department !== department)
    throw forbidden('auth.resultsForbidden', { who: ctx.identity.department ?? ctx.identity.role, department });
}

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: {
    supervisionItems: (_, args, ctx) => {
      requireSignedIn(ctx.identity);
      targetDepartment(ctx, args.department);
      return listItems(ctx.db, args.industry, args);
    },
    itemsForIndustry: (_, { industry }, ctx) => {
      requireSignedIn(ctx.identity);
      return ctx.itemsForIndustry.load(industry);
    },
    supervisionTasks: (_, args, ctx) => {
      requireTaskReader(ctx, targetDepartment(ctx, args.department));
      return listTasks(ctx.db, args.filter ?? {}, args, ctx.clock.today());
    },
    supervisionTask: (_, args, ctx) => {
      requireTaskReader(ctx, targetDepartment(ctx, args.department));
      return ctx.taskById.load(args.id);
    },
    inspectors: (_, args, ctx) => {
      requireSignedIn(ctx.identity);
      targetDepartment(ctx, args.department);
      return listInspectors(ctx.db, args);
    },
  },
  Mutation: {
    publishSupervisionItem: (_, args, ctx) => {
      requireOwnDepartment(ctx.identity, targetDepartment(ctx, args.department), 'publishItems');
      return publishItem(ctx.db, args.input, ctx.clock);
    },
    withdrawSupervisionItem: (_, args, ctx) => {
      requireOwnDepartment(ctx.identity, targetDepartment(ctx, args.department), 'withdrawItems');
      return withdrawItem(ctx.db, args.code, ctx.clock);
    },
    claimSupervisionTask: (_, args, ctx) => {
      requireOwnDepartment(ctx.identity, targetDepartment(ctx, args.department), 'claimTasks');
      return claimTask(ctx.db, args.id, ctx.identity, args.claimedOn, ctx.clock);
    },
    recordTaskResult: (_, args, ctx) => {
      const department = targetDepartment(ctx, args.department);
      requireResultRecorder(ctx, department);
      return recordTaskResult(ctx.db, department, args.id, ctx.identity, args.input, ctx.clock);
    },
    addInspector: (_, args, ctx) => {
      requireOwnDepartment(ctx.identity, targetDepartment(ctx, args.department), 'addInspectors');
      return addInspector(ctx.db, args.input);
    },
  },
  SupervisionItem: {
    __resolveReference: (ref, ctx) => (ownRef(ctx, ref) ? ctx.itemById.load(ref.id) : null),
    department: (_item, _, ctx) => ctx.department,
  },
  SupervisionTask: {
    __resolveReference: (ref, ctx) => {
      if (!ownRef(ctx, ref)) return null;
      requireTaskReader(ctx, ctx.department);
      return ctx.taskById.load(ref.id);
    },
    department: (_task, _, ctx) => ctx.department,
    licence: (t) => ({ __typename: 'Licence', id: t.licenceId }),
    enterprise: (t) => ({ __typename: 'Enterprise', uscc: t.uscc }),
    claimOverdue: (t, _, ctx) => overdue(t, ctx.clock.today()).claimOverdue,
    checkOverdue: (t, _, ctx) => overdue(t, ctx.clock.today()).checkOverdue,
    findings: (t, _, ctx) => ctx.findingsByTask.load(t.id),
  },
  Finding: {
    department: (_finding, _, ctx) => ctx.department,
  },
  Inspector: {
    __resolveReference: (ref, ctx) => (ownRef(ctx, ref) ? ctx.inspectorById.load(ref.id) : null),
    department: (_inspector, _, ctx) => ctx.department,
    name: (row, _, ctx) => (ownsPersonalData(ctx) ? row.name : maskName(row.name)),
    badgeNumber: (row, _, ctx) => (ownsPersonalData(ctx) ? row.badgeNumber : maskIdentifier(row.badgeNumber)),
  },
  Enterprise: {
    __resolveReference: (ref) => ref,
    applicableItems: (e, _, ctx) => {
      requireSignedIn(ctx.identity);
      return e.industryCode ? ctx.itemsForIndustry.load(e.industryCode) : [];
    },
  },
};
