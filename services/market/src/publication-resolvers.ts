/** 一公开, the 经营异常名录 and the measures in the graph: access (policy.ts), the domain call, rows mapped to the SDL. */
import { loadCalendar } from '@onecheck/calendar';
import { departmentRef } from '@onecheck/kit';
import { inspectionBurden, inspectionMeasures } from './domain/measures';
import {
  overduePublications,
  planTasks,
  publishedResults,
  publishInspectionResults,
  publishVisitResults,
} from './domain/publication';
import type { MarketContext } from './context';
import type { Resolvers } from './generated/resolvers';
import {
  allowPublicationReader,
  publicationScope,
  requireMeasureReader,
  requirePublisher,
  requireReader,
  requireTaskReader,
} from './policy';

const calendarOf = (ctx: MarketContext) => loadCalendar(ctx.db, ctx.calendarBase);

export const publicationResolvers: Pick<Resolvers, 'InspectionTask' | 'PublishedResult' | 'AbnormalListing'> & {
  Query: Pick<NonNullable<Resolvers['Query']>, 'overduePublications' | 'publishedResults' | 'inspectionMeasures'>;
  Mutation: Pick<NonNullable<Resolvers['Mutation']>, 'publishInspectionResults' | 'publishVisitResults'>;
  JointInspectionPlan: Pick<NonNullable<Resolvers['JointInspectionPlan']>, 'inspectionTasks'>;
  Enterprise: Pick<NonNullable<Resolvers['Enterprise']>, 'abnormalListings' | 'inspectionBurden'>;
} = {
  Query: {
    overduePublications: async (_, __, ctx) => {
      const department = publicationScope(ctx.identity);
      return overduePublications(ctx.db, department, await calendarOf(ctx), ctx.clock.today());
    },
    publishedResults: (_, args, ctx) => {
      allowPublicationReader(ctx.identity);
      return publishedResults(ctx.db, args, args);
    },
    inspectionMeasures: async (_, args, ctx) => {
      requireMeasureReader(ctx.identity);
      return inspectionMeasures(ctx.db, args, await calendarOf(ctx), ctx.clock.today());
    },
  },
  Mutation: {
    publishInspectionResults: async (_, { planId, department }, ctx) => {
      requirePublisher(ctx.identity, department);
      return publishInspectionResults(ctx.db, planId, department, await calendarOf(ctx), ctx.clock, ctx.identity);
    },
    publishVisitResults: async (_, { visitId, department }, ctx) => {
      requirePublisher(ctx.identity, department);
      return publishVisitResults(ctx.db, visitId, department, await calendarOf(ctx), ctx.clock, ctx.identity);
    },
  },
  JointInspectionPlan: {
    inspectionTasks: async (plan, _, ctx) => {
      requireTaskReader(ctx.identity);
      return planTasks(ctx.db, [plan], await calendarOf(ctx), ctx.clock.today());
    },
  },
  Enterprise: {
    abnormalListings: (e, _, ctx) => {
      requireReader(ctx.identity);
      return ctx.abnormalListingsOf.load(e.uscc);
    },
    inspectionBurden: (e, { year }, ctx) => {
      requireTaskReader(ctx.identity);
      return inspectionBurden(ctx.db, e.uscc, year, ctx.clock.today());
    },
  },
  InspectionTask: {
    department: (t) => departmentRef(t.department),
  },
  PublishedResult: {
    department: (r) => departmentRef(r.department),
    departments: (r) => r.departments.map(departmentRef),
  },
  AbnormalListing: {
    department: (l) => departmentRef(l.department),
  },
};
