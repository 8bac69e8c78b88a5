/**
 * Findings and their handling in the department's graph (issue 11 item 4): 整改 and its re-check,
 * penalty decisions through the finding's home, transfers, 移送司法. Access (policy.ts) and mapping
 * only; the rules are in domain/finding-handling.ts.
 */
import DataLoader from 'dataloader';
import { departmentRef } from '@onecheck/kit';
import type { DepartmentContext } from './context';
import type { FindingRow } from './db/schema';
import {
  answerTransfer,
  decidePenalty,
  findingsByIds,
  isRectificationOverdue,
  listFindings,
  listIncomingTransfers,
  penaltiesByFindings,
  recheckFinding,
  recordJudicialFeedback,
} from './domain/finding-handling';
import { leadsPlan, listPlanFindings } from './domain/led-findings';
import type { Resolvers } from './generated/resolvers';
import {
  answersFor,
  requireFindingReader,
  requireOwnWriter,
  requirePenaltyDecider,
  requirePlanFindingsReader,
  requireRechecker,
  servedDepartment,
} from './policy';

function newLoaders({ db }: DepartmentContext) {
  return {
    findingById: new DataLoader((ids: readonly string[]) => findingsByIds(db, ids)),
    penaltiesByFinding: new DataLoader((ids: readonly string[]) => penaltiesByFindings(db, ids)),
  };
}
const loaders = new WeakMap<DepartmentContext, ReturnType<typeof newLoaders>>();
function loadersOf(ctx: DepartmentContext) {
  let l = loaders.get(ctx);
  if (!l) loaders.set(ctx, (l = newLoaders(ctx)));
  return l;
}

/** One finding, for a caller who may read it (a transferred one also for the receiving staff). */
async function readableFinding(ctx: DepartmentContext, id: string): Promise<FindingRow | null> {
  const row = await loadersOf(ctx).findingById.load(id);
  requireFindingReader(ctx.identity, ctx.department, row?.transferTo);
  return row;
}

export const findingQueries: Resolvers['Query'] = {
  findings: (_, args, ctx) => {
    requireFindingReader(ctx.identity, servedDepartment(ctx.identity, args.department, ctx.department));
    return listFindings(ctx.db, args.filter, args, ctx.clock.today());
  },
  finding: (_, args, ctx) => {
    servedDepartment(ctx.identity, args.department, ctx.department);
    return readableFinding(ctx, args.id);
  },
  incomingTransfers: (_, args, ctx) => {
    requireOwnWriter(ctx.identity, servedDepartment(ctx.identity, args.department, ctx.department), 'answerTransfers');
    return listIncomingTransfers(ctx.db, args.status);
  },
  planFindings: async (_, args, ctx) => {
    const department = servedDepartment(ctx.identity, args.department, ctx.department);
    requirePlanFindingsReader(ctx.identity, department, args.planId, await leadsPlan(ctx.db, args.planId));
    return listPlanFindings(ctx.db, department, args.planId, args);
  },
};

export const findingMutations: Resolvers['Mutation'] = {
  recheckFinding: (_, args, ctx) => {
    const department = servedDepartment(ctx.identity, args.department, ctx.department);
    requireRechecker(ctx.identity, department);
    return recheckFinding(ctx.db, department, args.id, ctx.identity, args.input, ctx.clock);
  },
  // Sent to the home (args.department, where the gateway routed it) by the deciding department's staff.
  decidePenalty: (_, args, ctx) => {
    const home = servedDepartment(ctx.identity, args.department, ctx.department);
    requirePenaltyDecider(ctx.identity);
    return decidePenalty(ctx.db, home, args.findingId, ctx.identity, args.input, ctx.clock);
  },
  answerTransfer: (_, args, ctx) => {
    const department = servedDepartment(ctx.identity, args.department, ctx.department);
    requireOwnWriter(ctx.identity, department, 'answerTransfers');
    const answer = { accept: args.accept, reason: args.reason };
    return answerTransfer(ctx.db, department, args.findingId, ctx.identity, answer, ctx.clock);
  },
  recordJudicialFeedback: (_, args, ctx) => {
    const department = servedDepartment(ctx.identity, args.department, ctx.department);
    requireOwnWriter(ctx.identity, department, 'recordJudicialFeedback');
    return recordJudicialFeedback(ctx.db, department, args.findingId, ctx.identity, args.input, ctx.clock);
  },
};

export const findingTypes: Pick<Resolvers, 'Finding' | 'PenaltyDecision' | 'IncomingTransfer' | 'PlanFinding'> = {
  Finding: {
    __resolveReference: async (ref, ctx) =>
      answersFor(ctx.identity, ref.department.code, ctx.department) ? readableFinding(ctx, ref.id) : null,
    department: (_row, _, ctx) => departmentRef(ctx.department),
    enterprise: (f) => ({ __typename: 'Enterprise', uscc: f.uscc }),
    rectificationOverdue: (f, _, ctx) => isRectificationOverdue(f, ctx.clock.today()),
    transferTo: (f) => (f.transferTo ? departmentRef(f.transferTo) : null),
    penalties: (f, _, ctx) => loadersOf(ctx).penaltiesByFinding.load(f.id),
  },
  PenaltyDecision: {
    decidedBy: (d) => departmentRef(d.department),
    recordedAt: (d) => d.decidedAt,
  },
  IncomingTransfer: {
    from: (t) => departmentRef(t.homeDepartment),
    enterprise: (t) => ({ __typename: 'Enterprise', uscc: t.uscc }),
  },
  PlanFinding: {
    department: (f) => departmentRef(f.department),
    enterprise: (f) => ({ __typename: 'Enterprise', uscc: f.uscc }),
    rectificationOverdue: (f, _, ctx) => isRectificationOverdue(f, ctx.clock.today()),
    transferTo: (f) => (f.transferTo ? departmentRef(f.transferTo) : null),
  },
};
