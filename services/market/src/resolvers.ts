import type { DayInfo } from '@onecheck/calendar';
import { industries, industry as lookupIndustry, type Industry as CodesIndustry } from '@onecheck/codes';
import { z } from 'zod';
import {
  badInput,
  parseInput,
  requireOwnDepartment,
  requireRole,
  requireSignedIn,
  scalarResolvers,
  usccField,
} from '@onecheck/kit';
import type { MarketContext } from './context';
import { addWorkingDays, setCalendarYear, workingDay } from './domain/calendar';
import { listEnterprises, registerEnterprise, updateEnterprise } from './domain/enterprise';
import type { CalendarCoverage, DayKind, Industry, IndustryLevel, Resolvers } from './generated/resolvers';

/** Registration is market regulation's own work: its staff, or the 双随机 office inside it. */
function requireRegistrar(ctx: MarketContext, action: string) {
  if (ctx.identity.role === 'office') return;
  requireOwnDepartment(ctx.identity, 'MARKET', action);
}

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
const INDUSTRY_LEVELS: Record<CodesIndustry['level'], IndustryLevel> = {
  section: 'SECTION',
  division: 'DIVISION',
  group: 'GROUP',
};

function industryOf(code: string): Industry {
  const found = lookupIndustry(code);
  if (!found) return { code, name: code, level: 'DIVISION', section: '?' };
  return { ...found, level: INDUSTRY_LEVELS[found.level] };
}

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: {
    workingDay: async (_, { date }, ctx) => {
      requireSignedIn(ctx.identity);
      const info = await workingDay(ctx.db, date);
      return {
        ...info,
        kind: DAY_KINDS[info.kind],
        coverage: COVERAGES[info.coverage],
      };
    },
    addWorkingDays: (_, { date, days }, ctx) => {
      requireSignedIn(ctx.identity);
      return addWorkingDays(ctx.db, date, days);
    },
    enterprise: (_, args, ctx) => {
      requireSignedIn(ctx.identity);
      // A code that cannot exist is a mistake worth saying; a valid one not registered is null.
      const { uscc } = parseInput(z.object({ uscc: usccField }), args);
      return ctx.enterpriseByUscc.load(uscc);
    },
    enterprises: (_, args, ctx) => {
      requireSignedIn(ctx.identity);
      return listEnterprises(ctx.db, args.filter ?? {}, args);
    },
    industries: (_, { section }, ctx) => {
      requireSignedIn(ctx.identity);
      if (section && lookupIndustry(section)?.level !== 'section') throw badInput('section', 'industry.unknownSection');
      return industries()
        .filter((i) => (section ? i.section === section && i.level === 'division' : i.level === 'section'))
        .map((i) => industryOf(i.code));
    },
  },
  Mutation: {
    setCalendarYear: async (_, { input }, ctx) => {
      requireRole(ctx.identity, ['office'], 'enter the official calendar');
      const year = await setCalendarYear(ctx.db, input);
      return { ...year, coverage: 'OFFICE' };
    },
    registerEnterprise: async (_, { input }, ctx) => {
      requireRegistrar(ctx, 'register businesses');
      return registerEnterprise(ctx.db, input);
    },
    updateEnterprise: async (_, { uscc, input }, ctx) => {
      requireRegistrar(ctx, 'change businesses');
      return updateEnterprise(ctx.db, uscc, input);
    },
  },
  Enterprise: {
    __resolveReference: (ref, ctx) => {
      requireSignedIn(ctx.identity);
      return ctx.enterpriseByUscc.load(ref.uscc);
    },
    industry: (e) => industryOf(e.industry),
    industryCode: (e) => e.industry,
  },
};
