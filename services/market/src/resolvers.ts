import { industries, industry as lookupIndustry } from '@onecheck/codes';
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
import {
  listEnterprises,
  registerEnterprise,
  updateEnterprise,
  type EnterpriseRow,
  type EnterpriseFilter,
} from './domain/enterprise';

/** Registration is market regulation's own work: its staff, or the 双随机 office inside it. */
function requireRegistrar(ctx: MarketContext, action: string) {
  if (ctx.identity.role === 'office') return;
  requireOwnDepartment(ctx.identity, 'MARKET', action);
}

function industryOf(code: string) {
  const found = lookupIndustry(code);
  if (!found) return { code, name: code, level: 'DIVISION', section: '?' };
  return { ...found, level: found.level.toUpperCase() };
}

export const resolvers = {
  ...scalarResolvers,
  Query: {
    workingDay: async (_: unknown, { date }: { date: string }, ctx: MarketContext) => {
      requireSignedIn(ctx.identity);
      const info = await workingDay(ctx.db, date);
      return {
        ...info,
        kind: info.kind.toUpperCase().replace('-', '_'),
        coverage: info.coverage.toUpperCase().replace('-', '_'),
      };
    },
    addWorkingDays: (_: unknown, { date, days }: { date: string; days: number }, ctx: MarketContext) => {
      requireSignedIn(ctx.identity);
      return addWorkingDays(ctx.db, date, days);
    },
    enterprise: (_: unknown, args: { uscc: string }, ctx: MarketContext) => {
      requireSignedIn(ctx.identity);
      // A code that cannot exist is a mistake worth saying; a valid one not registered is null.
      const { uscc } = parseInput(z.object({ uscc: usccField }), args);
      return ctx.enterpriseByUscc.load(uscc);
    },
    enterprises: (
      _: unknown,
      args: { filter?: EnterpriseFilter; first?: number; after?: string },
      ctx: MarketContext,
    ) => {
      requireSignedIn(ctx.identity);
      return listEnterprises(ctx.db, args.filter ?? {}, args);
    },
    industries: (_: unknown, { section }: { section?: string }, ctx: MarketContext) => {
      requireSignedIn(ctx.identity);
      if (section && lookupIndustry(section)?.level !== 'section')
        throw badInput('section', 'not a GB/T 4754-2017 section letter');
      return industries()
        .filter((i) => (section ? i.section === section && i.level === 'division' : i.level === 'section'))
        .map((i) => industryOf(i.code));
    },
  },
  Mutation: {
    setCalendarYear: async (_: unknown, { input }: { input: unknown }, ctx: MarketContext) => {
      requireRole(ctx.identity, ['office'], 'enter the official calendar');
      const year = await setCalendarYear(ctx.db, input);
      return { ...year, coverage: 'OFFICE' };
    },
    registerEnterprise: async (_: unknown, { input }: { input: unknown }, ctx: MarketContext) => {
      requireRegistrar(ctx, 'register businesses');
      return registerEnterprise(ctx.db, input);
    },
    updateEnterprise: async (_: unknown, { uscc, input }: { uscc: string; input: unknown }, ctx: MarketContext) => {
      requireRegistrar(ctx, 'change businesses');
      return updateEnterprise(ctx.db, uscc, input);
    },
  },
  Enterprise: {
    __resolveReference: (ref: { uscc: string }, ctx: MarketContext) => {
      requireSignedIn(ctx.identity);
      return ctx.enterpriseByUscc.load(ref.uscc);
    },
    industry: (e: EnterpriseRow) => industryOf(e.industry),
    industryCode: (e: EnterpriseRow) => e.industry,
  },
};
