import { badInput, maskIdentifier, maskName, requireOwnDepartment, requireSignedIn, scalarResolvers } from '@onecheck/kit';
import type { DepartmentContext } from './context';
import { listItems, publishItem, withdrawItem, type ItemRow } from './domain/items';
import { addInspector, listInspectors, type InspectorRow } from './domain/inspectors';

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
const ownsPersonalData = (ctx: DepartmentContext) => ctx.identity.role === 'staff' && ctx.identity.department === ctx.department;

/** Entity references name their department; an instance answers only for its own. */
function ownRef(ctx: DepartmentContext, ref: { department: string; id: string }) {
  requireSignedIn(ctx.identity);
  return ref.department === ctx.department;
}

type DeptArgs = { department?: string | null };

export const resolvers = {
  ...scalarResolvers,
  Query: {
    supervisionItems: (_: unknown, args: DeptArgs & { industry?: string; first?: number; after?: string }, ctx: DepartmentContext) => {
      requireSignedIn(ctx.identity);
      targetDepartment(ctx, args.department);
      return listItems(ctx.db, args.industry, args);
    },
    itemsForIndustry: (_: unknown, { industry }: { industry: string }, ctx: DepartmentContext) => {
      requireSignedIn(ctx.identity);
      return ctx.itemsForIndustry.load(industry);
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
  Inspector: {
    __resolveReference: (ref: { department: string; id: string }, ctx: DepartmentContext) =>
      ownRef(ctx, ref) ? ctx.inspectorById.load(ref.id) : null,
    department: (_: InspectorRow, __: unknown, ctx: DepartmentContext) => ctx.department,
    name: (row: InspectorRow, _: unknown, ctx: DepartmentContext) => (ownsPersonalData(ctx) ? row.name : maskName(row.name)),
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
