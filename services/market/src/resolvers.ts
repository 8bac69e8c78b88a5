/** Access and mapping only: each resolver asks the policy, calls the domain and maps rows to the SDL. */
import type { DayInfo } from '@onecheck/calendar';
import { actorOf, auditResolvers, departmentRef, personalData, readAuditTrail, scalarResolvers } from '@onecheck/kit';
import { departmentResolvers } from '@onecheck/kit';
import { addWorkingDays, setCalendarYear, workingDay } from './domain/calendar';
import { enterpriseCode, listEnterprises, registerEnterprise, updateEnterprise } from './domain/enterprise';
import { industryCatalogue } from './domain/industry';
import { asksDirectory } from './domain/targets';
import { industryOf } from './industry-view';
import type { CalendarCoverage, DayKind, Resolvers } from './generated/resolvers';
import {
  requireCalendarKeeper,
  requireReader,
  requireRegistrar,
  requireTargetReader,
  requireTrailReader,
} from './policy';
import { enterpriseItems, jointListMutations, jointListQueries } from './joint-list-resolvers';
import { planResolvers } from './plan-resolvers';
import { visitResolvers } from './visit-resolvers';
import { publicationResolvers } from './publication-resolvers';

/** The calendar's and the code catalogue's words, as the SDL enums spell them. */
const DAY_KINDS: Record<DayInfo['kind'], DayKind> = {
  weekday: 'WEEKDAY',
  weekend: 'WEEKEND',
  holiday: 'HOLIDAY',
  'adjusted-workday': 'ADJUSTED_WORKDAY',
};
const COVERAGES: Record<DayInfo['coverage'], CalendarCoverage> = {
  office: 'OFFICE',
  shipped: 'SHIPPED',
  'weekends-only': 'WEEKENDS_ONLY',
};
export const resolvers: Resolvers = {
  ...scalarResolvers,
  ...auditResolvers,
  ...departmentResolvers,
  ...planResolvers,
  ...visitResolvers,
  JointInspectionPlan: {
    ...planResolvers.JointInspectionPlan,
    ...visitResolvers.JointInspectionPlan,
    ...publicationResolvers.JointInspectionPlan,
  },
  InspectionTask: publicationResolvers.InspectionTask,
  PublishedResult: publicationResolvers.PublishedResult,
  AbnormalListing: publicationResolvers.AbnormalListing,
  Query: {
    ...jointListQueries,
    ...planResolvers.Query,
    ...visitResolvers.Query,
    ...publicationResolvers.Query,
    workingDay: async (_, { date }, ctx) => {
      requireReader(ctx.identity);
      const info = await workingDay(ctx.db, date, ctx.calendarBase);
      return { ...info, kind: DAY_KINDS[info.kind], coverage: COVERAGES[info.coverage] };
    },
    addWorkingDays: (_, { date, days }, ctx) => {
      requireReader(ctx.identity);
      return addWorkingDays(ctx.db, date, days, ctx.calendarBase);
    },
    enterprise: (_, { uscc }, ctx) => {
      requireReader(ctx.identity);
      // A code that cannot exist is a mistake worth saying; a valid one not registered is null.
      return ctx.enterpriseByUscc.load(enterpriseCode(uscc));
    },
    enterprises: (_, args, ctx) => {
      requireReader(ctx.identity);
      const filter = args.filter ?? {};
      // Selecting by a class, a tag or key supervision tells as much as reading them.
      if (asksDirectory(filter)) requireTargetReader(ctx.identity);
      return listEnterprises(ctx.db, filter, args, ctx.clock.today());
    },
    industries: (_, { section }, ctx) => {
      requireReader(ctx.identity);
      return industryCatalogue(section).map((i) => industryOf(i.code));
    },
  },
  Mutation: {
    ...jointListMutations,
    ...planResolvers.Mutation,
    ...visitResolvers.Mutation,
    ...publicationResolvers.Mutation,
    setCalendarYear: async (_, { input }, ctx) => {
      requireCalendarKeeper(ctx.identity);
      const year = await setCalendarYear(ctx.db, input, ctx.clock, actorOf(ctx.identity));
      return { ...year, coverage: 'OFFICE' };
    },
    registerEnterprise: (_, { input }, ctx) => {
      requireRegistrar(ctx.identity, 'registerBusinesses');
      return registerEnterprise(ctx.db, input, ctx.clock, actorOf(ctx.identity));
    },
    updateEnterprise: (_, { uscc, input }, ctx) => {
      requireRegistrar(ctx.identity, 'changeBusinesses');
      return updateEnterprise(ctx.db, uscc, input, ctx.clock, actorOf(ctx.identity));
    },
  },
  Enterprise: {
    __resolveReference: (ref, ctx) => {
      requireReader(ctx.identity);
      return ctx.enterpriseByUscc.load(ref.uscc);
    },
    industry: (e) => industryOf(e.industry),
    industryCode: (e) => e.industry,
    ...enterpriseItems,
    ...publicationResolvers.Enterprise,
    // Personal data: in full only for the roles that need it (kit mask.ts).
    legalRepresentative: (e, _, ctx) => personalData(ctx.identity, 'legalRepresentative', e.legalRepresentative),
    auditTrail: (e, _, ctx) => {
      requireTrailReader(ctx.identity);
      return readAuditTrail(ctx.db, { kind: 'business', id: e.uscc });
    },
    riskClass: (e, _, ctx) => {
      requireTargetReader(ctx.identity);
      return ctx.riskClassOf.load(e.uscc);
    },
    targetTags: async (e, _, ctx) => {
      requireTargetReader(ctx.identity);
      return (await ctx.tagsOf.load(e.uscc)).map((t) => ({ tag: t.tag, department: departmentRef(t.department) }));
    },
    keySupervision: (e, _, ctx) => {
      requireTargetReader(ctx.identity);
      return ctx.keySupervisionOf.load(e.uscc);
    },
  },
};
