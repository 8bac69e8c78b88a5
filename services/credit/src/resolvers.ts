/** Access and mapping only: each resolver asks the policy, calls the domain and maps rows to the SDL. */
import { render } from '@onecheck/i18n';
import { scalarResolvers } from '@onecheck/kit';
import { reasonMessage } from './domain/classification';
import type { Resolvers } from './generated/resolvers';
import { requireProfileReader } from './policy';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Enterprise: {
    __resolveReference: (ref) => ref,
    creditProfile: async (e, _, ctx) => {
      requireProfileReader(ctx.identity);
      const profile = await ctx.profileByUscc.load(e.uscc);
      // Stored as facts, said in the reader's language.
      const { key, params } = reasonMessage(profile);
      return {
        ...profile,
        reason: render(ctx.locale, key, params),
        licenceRevocations: await ctx.sanctionsByUscc.load(e.uscc),
        falsePromises: await ctx.falsePromisesByUscc.load(e.uscc),
      };
    },
  },
};
