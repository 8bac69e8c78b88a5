import { requireSignedIn, scalarResolvers } from '@onecheck/kit';
import type { Resolvers } from './generated/resolvers';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Enterprise: {
    __resolveReference: (ref) => ref,
    creditProfile: (e, _, ctx) => {
      // The class stays internal to government users (不评价、不公开): never for the public.
      requireSignedIn(ctx.identity);
      return ctx.profileByUscc.load(e.uscc);
    },
  },
};
