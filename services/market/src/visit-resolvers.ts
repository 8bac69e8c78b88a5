/** Visits, merges, 互帮代查 and the public code check in the graph: access (policy.ts), the domain call, rows mapped to the SDL. */
import { departmentRef, personalData, readAuditTrail } from '@onecheck/kit';
import type { MarketContext } from './context';
import type { PlanRow } from './db/schema';
import type { JointListItemState } from './domain/joint-list';
import { mergePlanOverlaps, mergeVisits, visitOverlaps } from './domain/visit-merge';
import {
  checkInspectionCode,
  delegateVisitItems,
  listVisits,
  rescheduleVisit,
  visitById,
  visitsOfPlan,
  type VisitScope,
} from './domain/visits';
import type { Resolvers } from './generated/resolvers';
import { listItem } from './joint-list-resolvers';
import { allowCodeCheck, requireDelegator, requireVisitOffice, requireVisitTrailReader, visitScope } from './policy';

const scopeOf = (ctx: MarketContext): VisitScope => visitScope(ctx.identity);

export const visitResolvers: Pick<Resolvers, 'Visit' | 'VisitDepartment' | 'VisitOverlap' | 'InspectionCodeCheck'> & {
  Query: NonNullable<Resolvers['Query']>;
  Mutation: NonNullable<Resolvers['Mutation']>;
  JointInspectionPlan: NonNullable<Resolvers['JointInspectionPlan']>;
} = {
  Query: {
    visit: (_, { id }, ctx) => visitById(ctx.db, id, scopeOf(ctx)),
    visits: (_, args, ctx) =>
      listVisits(ctx.db, { planId: args.planId, uscc: args.uscc, status: args.status }, scopeOf(ctx), {
        first: args.first,
        after: args.after,
      }),
    visitOverlaps: (_, { planId }, ctx) => {
      requireVisitOffice(ctx.identity, 'mergeVisits');
      return visitOverlaps(ctx.db, planId);
    },
    checkInspectionCode: (_, { code }, ctx) => {
      allowCodeCheck(ctx.identity);
      return checkInspectionCode(ctx.db, code, ctx.clock.today());
    },
  },
  Mutation: {
    mergeVisits: (_, { into, from }, ctx) => {
      requireVisitOffice(ctx.identity, 'mergeVisits');
      return mergeVisits(ctx.db, { into, from }, ctx.clock, ctx.identity, ctx.calendarBase);
    },
    mergePlanOverlaps: (_, { planId }, ctx) => {
      requireVisitOffice(ctx.identity, 'mergeVisits');
      return mergePlanOverlaps(ctx.db, planId, ctx.clock, ctx.identity, ctx.calendarBase);
    },
    delegateVisitItems: (_, { visitId, department, to }, ctx) => {
      requireDelegator(ctx.identity, department);
      return delegateVisitItems(ctx.db, { visitId, department, to }, ctx.clock, ctx.identity);
    },
    rescheduleVisit: (_, { id, plannedOn }, ctx) => {
      requireVisitOffice(ctx.identity, 'rescheduleVisits');
      return rescheduleVisit(ctx.db, id, plannedOn, ctx.clock, ctx.identity);
    },
  },
  JointInspectionPlan: {
    visits: (p, _, ctx) => visitsOfPlan(ctx.db, p.id, scopeOf(ctx)),
  },
  Visit: {
    enterprise: (v, _, ctx) => ctx.enterpriseByUscc.load(v.uscc),
    plans: async (v, _, ctx) =>
      (await ctx.planById.loadMany(v.planIds)).filter((p): p is PlanRow => !!p && !(p instanceof Error)),
    departments: (v, _, ctx) => ctx.visitParts.load(v.id),
    auditTrail: (v, _, ctx) => {
      requireVisitTrailReader(ctx.identity);
      return readAuditTrail(ctx.db, { kind: 'visit', id: v.id });
    },
  },
  VisitDepartment: {
    department: (p) => departmentRef(p.department),
    listItems: async (p, _, ctx) =>
      (await ctx.listItemByKey.loadMany(p.items.map((code) => `${p.department}\t${code}`)))
        .filter((i): i is JointListItemState => !!i && !(i instanceof Error))
        .map(listItem),
    // 执法证号 by the one rule of docs/security.md §3 (kit mask.ts): in full for the team's own
    // department, `********` for the office and other departments; the business reads them on the code.
    team: (p, _, ctx) =>
      p.team?.map((m) => ({
        inspectorId: m.inspectorId,
        certificateNumber: personalData(ctx.identity, 'inspectorBadge', m.certificateNumber, {
          department: p.department,
        }),
        kind: m.kind,
      })) ?? null,
    delegatedTo: (p) => (p.delegatedTo ? departmentRef(p.delegatedTo) : null),
    recorded: async (p, _, ctx) => (await ctx.visitRecorded.load(p.visitId)).includes(p.department),
  },
  VisitOverlap: {
    uscc: (o) => o.visit.uscc,
    visit: (o) => o.visit,
    overlapping: (o) => o.overlapping,
  },
  InspectionCodeCheck: {
    code: ({ visit }) => visit.code!,
    status: ({ status }) => status,
    uscc: ({ visit }) => visit.uscc,
    businessName: ({ visit }) => visit.businessName,
    reason: ({ visit }) => visit.reason,
    validFrom: ({ visit }) => visit.validFrom,
    validUntil: ({ visit }) => visit.validUntil,
    plannedOn: ({ visit }) => visit.plannedOn,
    // Names of items and certificate numbers only: no inspector's name or id, no complainant.
    departments: async ({ parts }, _, ctx) => {
      const known = await ctx.listItemByKey.loadMany(
        parts.flatMap((p) => p.items.map((code) => `${p.department}\t${code}`)),
      );
      let n = 0;
      return parts.map((p) => ({
        department: departmentRef(p.department),
        items: p.items.map((code) => {
          const item = known[n++];
          return item && !(item instanceof Error) ? item.name : code;
        }),
        certificateNumbers: (p.team ?? []).filter((m) => m.kind === 'INSPECTOR').map((m) => m.certificateNumber),
        delegatedTo: p.delegatedTo ? departmentRef(p.delegatedTo) : null,
      }));
    },
  },
};
