/**
 * 赋码检查 in the department's graph (issue 11): its coded visits, the checks outside plans it asks
 * to be coded, the results recorded on them. Access (policy.ts) and mapping only; the rules are in
 * domain/visit-codes.ts, code-requests.ts and inspection-results.ts.
 */
import DataLoader from 'dataloader';
import { inArray } from 'drizzle-orm';
import { render } from '@onecheck/i18n';
import { departmentRef, forbidden } from '@onecheck/kit';
import type { DepartmentContext } from './context';
import { supervisionItems, type ItemRow, type VisitCodeRow } from './db/schema';
import { codeRequestsByIds, requestInspectionCode } from './domain/code-requests';
import { recordInspectionResult } from './domain/inspection-results';
import {
  codesByRequests,
  codesByTasks,
  listVisitCodes,
  resultsByCodes,
  validityOf,
  visitCodeByCode,
} from './domain/visit-codes';
import type { Resolvers } from './generated/resolvers';
import { isOwnPeople, requireCodeRequester, requireVisitRecorder, servedDepartment, visitCodeReader } from './policy';

/** Per-request loaders of this module, made on first use (the context stays as every other caller knows it). */
function newLoaders({ db }: DepartmentContext) {
  return {
    codeByTask: new DataLoader((ids: readonly string[]) => codesByTasks(db, ids)),
    codeByRequest: new DataLoader((ids: readonly string[]) => codesByRequests(db, ids)),
    requestById: new DataLoader((ids: readonly string[]) => codeRequestsByIds(db, ids)),
    // A code's results include those of the visits merged into it: one rule for the query and the field.
    resultsByCode: new DataLoader((copies: readonly VisitCodeRow[]) => resultsByCodes(db, copies), {
      cacheKeyFn: (c) => c.visitId,
    }),
    itemByCode: new DataLoader(async (codes: readonly string[]): Promise<(ItemRow | null)[]> => {
      const rows = await db
        .select()
        .from(supervisionItems)
        .where(inArray(supervisionItems.code, [...codes]));
      return codes.map((c) => rows.find((r) => r.code === c) ?? null);
    }),
  };
}
const loaders = new WeakMap<DepartmentContext, ReturnType<typeof newLoaders>>();
function loadersOf(ctx: DepartmentContext) {
  let l = loaders.get(ctx);
  if (!l) loaders.set(ctx, (l = newLoaders(ctx)));
  return l;
}

/** A code an inspector may see: one whose team holds them (staff see all). */
function requireCodeVisible(ctx: DepartmentContext, copy: VisitCodeRow, member: string | null) {
  if (member && !copy.members.includes(member))
    throw forbidden('auth.visitCodesForbidden', {
      who: ctx.identity.department ?? ctx.identity.role,
      department: ctx.department,
    });
}

export const visitQueries: Resolvers['Query'] = {
  visitCodes: (_, args, ctx) => {
    const { member } = visitCodeReader(ctx.identity, servedDepartment(ctx.identity, args.department, ctx.department));
    return listVisitCodes(ctx.db, member, args);
  },
  inspectionResults: async (_, args, ctx) => {
    const { member } = visitCodeReader(ctx.identity, servedDepartment(ctx.identity, args.department, ctx.department));
    const copy = await visitCodeByCode(ctx.db, args.code);
    if (!copy) return null;
    requireCodeVisible(ctx, copy, member);
    return loadersOf(ctx).resultsByCode.load(copy);
  },
  inspectionCodeRequest: (_, args, ctx) => {
    requireCodeRequester(ctx.identity, servedDepartment(ctx.identity, args.department, ctx.department));
    return loadersOf(ctx).requestById.load(args.id);
  },
};

export const visitMutations: Resolvers['Mutation'] = {
  requestInspectionCode: (_, args, ctx) => {
    const department = servedDepartment(ctx.identity, args.department, ctx.department);
    requireCodeRequester(ctx.identity, department);
    return requestInspectionCode(ctx.db, department, ctx.identity, args.input, ctx.clock);
  },
  recordInspectionResult: (_, args, ctx) => {
    const department = servedDepartment(ctx.identity, args.department, ctx.department);
    requireVisitRecorder(ctx.identity);
    return recordInspectionResult(ctx.db, department, ctx.identity, args.input, ctx.clock, ctx.lateEntryDays);
  },
};

/** The department's staff and inspectors read its tasks from a code; a delegate's inspectors do not. */
const readsTasks = (ctx: DepartmentContext) => isOwnPeople(ctx.identity, ctx.department);

export const visitTypes: Pick<
  Resolvers,
  'VisitCode' | 'InspectionCodeRequest' | 'InspectionResult' | 'InspectionRecording'
> = {
  VisitCode: {
    department: (_row, _, ctx) => departmentRef(ctx.department),
    enterprise: (c) => ({ __typename: 'Enterprise', uscc: c.uscc }),
    request: (c, _, ctx) => (c.requestId ? loadersOf(ctx).requestById.load(c.requestId) : null),
    usableToday: (c, _, ctx) => validityOf(c, ctx.clock.today()) === 'VALID',
    tasks: async (c, _, ctx) => {
      if (!readsTasks(ctx)) return [];
      const tasks = await ctx.taskById.loadMany(c.taskIds);
      return tasks.filter((t): t is NonNullable<typeof t> & object => !!t && !(t instanceof Error)) as never;
    },
    results: (c, _, ctx) => loadersOf(ctx).resultsByCode.load(c),
  },
  InspectionCodeRequest: {
    department: (_row, _, ctx) => departmentRef(ctx.department),
    enterprise: (r) => ({ __typename: 'Enterprise', uscc: r.uscc }),
    task: (r, _, ctx) => ctx.taskById.load(r.taskId),
    code: async (r, _, ctx) => (await loadersOf(ctx).codeByRequest.load(r.id))?.code ?? null,
    visitCode: (r, _, ctx) => loadersOf(ctx).codeByRequest.load(r.id),
    // The office's answer, from the facts held: its refusal, else the code it issued, else none yet.
    status: async (r, _, ctx) => {
      if (r.refusedBecause) return 'REFUSED';
      return (await loadersOf(ctx).codeByRequest.load(r.id)) ? 'CODED' : 'PENDING';
    },
    refusedReason: (r, _, ctx) =>
      r.refusedBecause ? render(ctx.locale, `codeRefusal.${r.refusedBecause}`, { uscc: r.uscc }) : null,
  },
  InspectionResult: {
    department: (_row, _, ctx) => departmentRef(ctx.department),
    item: (r, _, ctx) => loadersOf(ctx).itemByCode.load(r.itemCode),
  },
  InspectionRecording: {},
};

/** SupervisionTask.inspectionCode: for the department's own people and the office that issued it. */
export const taskInspectionCode: NonNullable<Resolvers['SupervisionTask']>['inspectionCode'] = (t, _, ctx) =>
  t.kind === 'INSPECTION' && (isOwnPeople(ctx.identity, ctx.department) || ctx.identity.role === 'office')
    ? loadersOf(ctx).codeByTask.load(t.id)
    : null;
