import { requireSignedIn, scalarResolvers } from '@onecheck/kit';
import type { CreditContext } from './context';

export const resolvers = {
  ...scalarResolvers,
  Enterprise: {
    __resolveReference: (ref: { uscc: string }) => ref,
    creditProfile: (e: { uscc: string }, _: unknown, ctx: CreditContext) => {
      // The class stays internal to government users (不评价、不公开): never for the public.
      requireSignedIn(ctx.identity);
      return ctx.profileByUscc.load(e.uscc);
    },
  },
};
