import { requireRole, requireSignedIn, scalarResolvers } from '@onecheck/kit';
import { amendLicence, grantLicence, listLicences, setLicenceStatus } from './domain/licence';
import type { Resolvers } from './generated/resolvers';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: {
    licence: (_, { id }, ctx) => {
      requireSignedIn(ctx.identity);
      return ctx.licenceById.load(id);
    },
    licences: (_, args, ctx) => {
      requireSignedIn(ctx.identity);
      return listLicences(ctx.db, args.filter ?? {}, args);
    },
  },
  Mutation: {
    grantLicence: (_, { input }, ctx) => {
      // Only the approval bureau grants licences (相对集中行政许可, seed 003).
      requireRole(ctx.identity, ['approver'], 'grant licences');
      return grantLicence(ctx.db, input);
    },
    setLicenceStatus: (_, { id, ...input }, ctx) => {
      requireRole(ctx.identity, ['approver'], 'change licences');
      return setLicenceStatus(ctx.db, id, input);
    },
    amendLicence: (_, { id, input }, ctx) => {
      requireRole(ctx.identity, ['approver'], 'change licences');
      return amendLicence(ctx.db, id, input);
    },
  },
  Licence: {
    __resolveReference: (ref, ctx) => {
      requireSignedIn(ctx.identity);
      return ctx.licenceById.load(ref.id);
    },
    enterprise: (l) => ({ __typename: 'Enterprise', uscc: l.uscc }),
  },
  Enterprise: {
    __resolveReference: (ref) => ref,
    licences: (e, _, ctx) => {
      requireSignedIn(ctx.identity);
      return ctx.licencesByUscc.load(e.uscc);
    },
  },
};
