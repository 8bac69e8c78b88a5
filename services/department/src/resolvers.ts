import { render } from '@onecheck/i18n';
import {
  actorOf,
  auditResolvers,
  departmentRef,
  departmentResolvers,
  personalData,
  readAuditTrail,
  scalarResolvers,
} from '@onecheck/kit';
import { isPostCheck, resultPush } from './domain/deadlines';
import { readInspectorDraw } from './domain/inspector-draw';
import {
  addInspector,
  deactivateInspector,
  declareConflict,
  listInspectors,
  updateInspector,
} from './domain/inspectors';
import { listItems, publishItem, reviseItem, withdrawItem } from './domain/items';
import { listLicenceActs, pushLicenceAct } from './domain/licence-acts';
import { claimTask, listTasks, recordTaskResult } from './domain/tasks';
import type { InspectorRow } from './db/schema';
import type { Resolvers } from './generated/resolvers';
import { taskInspectionCode, visitMutations, visitQueries, visitTypes } from './visit-resolvers';
import { findingMutations, findingQueries, findingTypes } from './finding-resolvers';
import {
  answersFor,
  isOwnPeople,
  requireDrawProofReader,
  requireDrawReader,
  requireOwnWriter,
  requireReader,
  requireResultRecorder,
  requireTaskReader,
  requireTaskTrailReader,
  servedDepartment,
} from './policy';

/** Access (policy.ts) and mapping only: every rule and query is in domain/. */
export const resolvers: Resolvers = {
  ...scalarResolvers,
  ...auditResolvers,
  ...departmentResolvers,
  Query: {
    supervisionItems: (_, args, ctx) => {
      requireReader(ctx.identity);
      servedDepartment(ctx.identity, args.department, ctx.department);
      return listItems(ctx.db, args.industry, args);
    },
    supervisionTasks: (_, args, ctx) => {
      requireTaskReader(ctx.identity, servedDepartment(ctx.identity, args.department, ctx.department));
      return listTasks(ctx.db, args.filter ?? {}, args, ctx.clock.today());
    },
    supervisionTask: (_, args, ctx) => {
      requireTaskReader(ctx.identity, servedDepartment(ctx.identity, args.department, ctx.department));
      return ctx.taskById.load(args.id);
    },
    licenceActs: (_, args, ctx) => {
      requireTaskReader(ctx.identity, servedDepartment(ctx.identity, args.department, ctx.department));
      return listLicenceActs(ctx.db);
    },
    inspectors: (_, args, ctx) => {
      requireReader(ctx.identity);
      servedDepartment(ctx.identity, args.department, ctx.department);
      return listInspectors(ctx.db, args);
    },
    inspectorDraw: (_, args, ctx) => {
      requireDrawReader(ctx.identity, servedDepartment(ctx.identity, args.department, ctx.department));
      return readInspectorDraw(ctx.db, args.drawId);
    },
    inspectorDrawProof: (_, args, ctx) => {
      requireDrawProofReader(ctx.identity, servedDepartment(ctx.identity, args.department, ctx.department));
      return readInspectorDraw(ctx.db, args.drawId);
    },
    ...visitQueries,
    ...findingQueries,
  },
  Mutation: {
    ...visitMutations,
    ...findingMutations,
    publishSupervisionItem: (_, args, ctx) => {
      requireOwnWriter(ctx.identity, servedDepartment(ctx.identity, args.department, ctx.department), 'publishItems');
      return publishItem(ctx.db, ctx.department, args.input, ctx.clock, actorOf(ctx.identity));
    },
    reviseSupervisionItem: (_, args, ctx) => {
      requireOwnWriter(ctx.identity, servedDepartment(ctx.identity, args.department, ctx.department), 'reviseItems');
      return reviseItem(ctx.db, ctx.department, args.code, args.input, ctx.clock, actorOf(ctx.identity));
    },
    withdrawSupervisionItem: (_, args, ctx) => {
      requireOwnWriter(ctx.identity, servedDepartment(ctx.identity, args.department, ctx.department), 'withdrawItems');
      return withdrawItem(ctx.db, ctx.department, args.code, ctx.clock, actorOf(ctx.identity));
    },
    claimSupervisionTask: (_, args, ctx) => {
      requireOwnWriter(ctx.identity, servedDepartment(ctx.identity, args.department, ctx.department), 'claimTasks');
      // A claimedOn the caller sends is ignored: the claim is stamped with the system's time (issue 9 item 1).
      return ctx.calendar().then((calendar) => claimTask(ctx.db, calendar, args.id, ctx.identity, ctx.clock));
    },
    recordTaskResult: (_, args, ctx) => {
      const department = servedDepartment(ctx.identity, args.department, ctx.department);
      requireResultRecorder(ctx.identity, department);
      return recordTaskResult(ctx.db, department, args.id, ctx.identity, args.input, ctx.clock, ctx.lateEntryDays);
    },
    pushLicenceAct: async (_, args, ctx) => {
      const department = servedDepartment(ctx.identity, args.department, ctx.department);
      requireOwnWriter(ctx.identity, department, 'pushLicenceActs');
      const calendar = await ctx.calendar();
      return pushLicenceAct(ctx.db, calendar, department, ctx.identity, args.input, ctx.clock, ctx.lateEntryDays);
    },
    addInspector: (_, args, ctx) => {
      requireOwnWriter(ctx.identity, servedDepartment(ctx.identity, args.department, ctx.department), 'addInspectors');
      return addInspector(ctx.db, args.input, ctx.clock, actorOf(ctx.identity));
    },
    updateInspector: (_, args, ctx) => {
      requireOwnWriter(
        ctx.identity,
        servedDepartment(ctx.identity, args.department, ctx.department),
        'updateInspectors',
      );
      return updateInspector(ctx.db, args.id, args.input, ctx.clock, actorOf(ctx.identity));
    },
    deactivateInspector: (_, args, ctx) => {
      const department = servedDepartment(ctx.identity, args.department, ctx.department);
      requireOwnWriter(ctx.identity, department, 'deactivateInspectors');
      return deactivateInspector(ctx.db, args.id, ctx.clock, actorOf(ctx.identity));
    },
    declareConflict: (_, args, ctx) => {
      requireOwnWriter(
        ctx.identity,
        servedDepartment(ctx.identity, args.department, ctx.department),
        'declareConflicts',
      );
      const { inspectorId, uscc, reason } = args;
      return declareConflict(ctx.db, inspectorId, { uscc, reason }, ctx.clock, actorOf(ctx.identity));
    },
  },
  SupervisionItem: {
    __resolveReference: (ref, ctx) =>
      answersFor(ctx.identity, ref.department.code, ctx.department) ? ctx.itemById.load(ref.id) : null,
    department: (_row, _, ctx) => departmentRef(ctx.department),
  },
  SupervisionTask: {
    __resolveReference: (ref, ctx) => {
      if (!answersFor(ctx.identity, ref.department.code, ctx.department)) return null;
      requireTaskReader(ctx.identity, ctx.department);
      return ctx.taskById.load(ref.id);
    },
    department: (_row, _, ctx) => departmentRef(ctx.department),
    licence: (t) => (t.licenceId ? { __typename: 'Licence', id: t.licenceId } : null),
    enterprise: (t) => ({ __typename: 'Enterprise', uscc: t.uscc }),
    teamSize: async (t, _, ctx) =>
      t.kind === 'INSPECTION' ? ((await ctx.drawByTask.load(t.id))?.team.length ?? 0) : null,
    teamShortfall: async (t, _, ctx) =>
      t.kind === 'INSPECTION' ? ((await ctx.drawByTask.load(t.id))?.shortfall ?? null) : null,
    teamShortfallReason: async (t, _, ctx) => {
      const shortfall = t.kind === 'INSPECTION' ? (await ctx.drawByTask.load(t.id))?.shortfall : null;
      return shortfall ? render(ctx.locale, `inspectorShortfall.${shortfall}`) : null;
    },
    // 执法人员: personal data, only for the department's own people (no inspector's data leaves it).
    team: async (t, _, ctx) => {
      if (t.kind !== 'INSPECTION' || !isOwnPeople(ctx.identity, ctx.department)) return null;
      const drawn = await ctx.drawByTask.load(t.id);
      return teamOf(drawn?.team ?? [], ctx);
    },
    closedReason: (t, _, ctx) =>
      t.closedBecause ? render(ctx.locale, `task.closed.${t.closedBecause}`, { licenceNumber: t.licenceNumber }) : null,
    findings: (t, _, ctx) => ctx.findingsByTask.load(t.id),
    inspectionCode: taskInspectionCode,
    auditTrail: (t, _, ctx) => {
      requireTaskTrailReader(ctx.identity, ctx.department);
      return readAuditTrail(ctx.db, { kind: 'supervisionTask', id: t.id });
    },
    // Working days late: a claim made is fixed; one still waiting grows with today (seed 003 第十九条(一)).
    claimOverdueDays: async (t, _, ctx) =>
      t.claimLateDays ??
      (t.status === 'PENDING_CLAIM' ? (await ctx.calendar()).workingDaysAfter(t.claimBy, ctx.clock.today()) : 0),
    postCheck: (t) => isPostCheck(t),
    // 核查结果作出后3个工作日内推送 (seed 003 第二十三条; the rule is deadlines.ts `resultPush`).
    resultPushBy: async (t, _, ctx) => (t.checkedOn ? resultPush(await ctx.calendar(), t).by : null),
    resultPushLate: async (t, _, ctx) => (t.checkedOn ? resultPush(await ctx.calendar(), t).late : false),
  },
  LicenceAct: {
    department: (_row, _, ctx) => departmentRef(ctx.department),
    licence: (a) => ({ __typename: 'Licence', id: a.licenceId }),
    pushOverdue: (a) => a.pushedOn > a.pushBy,
  },
  InspectorDraw: {
    department: (_row, _, ctx) => departmentRef(ctx.department),
    shortfalls: (d) => d.businesses.filter((b) => b.shortfall).length,
  },
  InspectorDrawBusiness: {
    enterprise: (b) => ({ __typename: 'Enterprise', uscc: b.uscc }),
    task: (b, _, ctx) => ctx.taskById.load(b.taskId),
    teamSize: (b) => b.team.length,
    shortfallReason: (b, _, ctx) => (b.shortfall ? render(ctx.locale, `inspectorShortfall.${b.shortfall}`) : null),
    team: (b, _, ctx) => (isOwnPeople(ctx.identity, ctx.department) ? teamOf(b.team, ctx) : null),
    experts: (b, _, ctx) => (isOwnPeople(ctx.identity, ctx.department) ? teamOf(b.experts, ctx) : null),
  },
  InspectorDrawProof: {
    department: (_row, _, ctx) => departmentRef(ctx.department),
  },
  InspectorDrawBusinessProof: {
    activeInspectors: (b) => b.funnel.activeInspectors,
    validCertificates: (b) => b.funnel.validCertificates,
    qualified: (b) => b.funnel.qualified,
    notConflicted: (b) => b.funnel.notConflicted,
    eligible: (b) => b.eligible.map((c) => ({ ...c, chosen: b.team.includes(c.inspectorId) })),
    expertEligible: (b) => b.expertEligible.map((c) => ({ ...c, chosen: b.experts.includes(c.inspectorId) })),
  },
  DrawCandidate: {
    // Hidden whole outside the department (kit mask.ts), except from the 纪检 auditor re-deriving the draw.
    certificateNumber: (c, _, ctx) =>
      personalData(ctx.identity, 'inspectorBadge', c.certificateNumber, {
        department: ctx.department,
        purpose: 'drawProof',
      }),
  },
  Inspector: {
    __resolveReference: (ref, ctx) =>
      answersFor(ctx.identity, ref.department.code, ctx.department) ? ctx.inspectorById.load(ref.id) : null,
    department: (_row, _, ctx) => departmentRef(ctx.department),
    // Personal data: in full only for the inspector's own department (kit mask.ts). The visits
    // issue's inspection code shows them to the business checked with { purpose: 'inspectionCode' }.
    name: (row, _, ctx) => personalData(ctx.identity, 'inspectorName', row.name, { department: ctx.department }),
    badgeNumber: (row, _, ctx) =>
      personalData(ctx.identity, 'inspectorBadge', row.badgeNumber, { department: ctx.department }),
    certificateNumber: (row, _, ctx) =>
      personalData(ctx.identity, 'inspectorBadge', row.badgeNumber, { department: ctx.department }),
    // Whom an inspector is related to is personal too: the department keeps it for itself.
    conflicts: (row, _, ctx) =>
      isOwnPeople(ctx.identity, ctx.department) ? ctx.conflictsByInspector.load(row.id) : null,
  },
  Enterprise: {
    __resolveReference: (ref) => ref,
  },
  ...visitTypes,
  ...findingTypes,
};

/** A team's inspectors, in the order drawn. */
async function teamOf(
  ids: readonly string[],
  ctx: { inspectorById: { loadMany: (ids: readonly string[]) => Promise<unknown[]> } },
) {
  const rows = await ctx.inspectorById.loadMany(ids);
  return rows.filter((r): r is InspectorRow => !!r && !(r instanceof Error));
}
