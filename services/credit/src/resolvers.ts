/** Access and mapping only: each resolver asks the policy, calls the domain and maps rows to the SDL. */
import { render } from '@onecheck/i18n';
import { scalarResolvers } from '@onecheck/kit';
import { reasonMessage } from './domain/classification';
import { punishmentInForce } from '@onecheck/contracts';
import { imposePunishment, liftPunishment } from './domain/punishments';
import { repairCredit } from './domain/repair';
import type { Resolvers } from './generated/resolvers';
import { requireProfileReader, requirePunisher, requireRepairer } from './policy';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Enterprise: {
    __resolveReference: (ref) => ref,
    creditProfile: async (e, _, ctx) => {
      requireProfileReader(ctx.identity);
      return { ...(await ctx.profileByUscc.load(e.uscc)), uscc: e.uscc };
    },
  },
  // The records behind a profile load only when asked for: a list of classes costs one query.
  CreditProfile: {
    // Stored as facts, said in the reader's language.
    reason: (p, _, ctx) => {
      const { key, params } = reasonMessage(p);
      return render(ctx.locale, key, params);
    },
    licenceRevocations: (p, _, ctx) => ctx.sanctionsByUscc.load(p.uscc),
    falsePromises: (p, _, ctx) => ctx.falsePromisesByUscc.load(p.uscc),
    penaltyDecisions: (p, _, ctx) => ctx.penaltiesByUscc.load(p.uscc),
    abnormalListings: (p, _, ctx) => ctx.abnormalListingsByUscc.load(p.uscc),
    jointPunishments: (p, _, ctx) => ctx.punishmentsByUscc.load(p.uscc),
  },
  JointPunishment: {
    active: (p, _, ctx) => punishmentInForce(p, ctx.clock.today()),
    recordedAt: (p) => p.createdAt,
  },
  FalsePromise: {
    repair: (p, _, ctx) => ctx.repairByKey.load(`FALSE_PROMISE:${p.promiseId}`),
  },
  CreditPenalty: {
    repair: (p, _, ctx) => ctx.repairByKey.load(`PENALTY:${p.decisionId}`),
  },
  CreditRepair: {
    recordedAt: (r) => r.createdAt,
  },
  Mutation: {
    repairCredit: (_, { input }, ctx) => {
      requireRepairer(ctx.identity);
      return repairCredit(ctx.db, input, ctx.clock, ctx.identity);
    },
    imposeJointPunishment: (_, { input }, ctx) => {
      requirePunisher(ctx.identity);
      return imposePunishment(ctx.db, input, ctx.clock, ctx.identity);
    },
    liftJointPunishment: (_, { id, input }, ctx) => {
      requirePunisher(ctx.identity);
      return liftPunishment(ctx.db, id, input, ctx.clock, ctx.identity);
    },
  },
};
