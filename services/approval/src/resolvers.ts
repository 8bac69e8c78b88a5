/** Access and mapping only: each resolver asks the policy, calls the domain and maps rows to the SDL. */
import { departmentRef, departmentResolvers, scalarResolvers } from '@onecheck/kit';
import { amendLicence, grantLicence, listLicences, setLicenceStatus } from './domain/licence';
import type { Resolvers } from './generated/resolvers';
import { requireApprover, requireReader } from './policy';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  ...departmentResolvers,
  Query: {
    licence: (_, { id }, ctx) => {
      requireReader(ctx.identity);
      return ctx.licenceById.load(id);
    },
    licences: (_, args, ctx) => {
      requireReader(ctx.identity);
      return listLicences(ctx.db, args.filter ?? {}, args);
    },
  },
  Mutation: {
    grantLicence: (_, { input }, ctx) => {
      requireApprover(ctx.identity, 'grantLicences');
      return grantLicence(ctx.db, input, ctx.clock);
    },
    setLicenceStatus: (_, { id, ...input }, ctx) => {
      requireApprover(ctx.identity, 'changeLicences');
      return setLicenceStatus(ctx.db, id, input, ctx.clock);
    },
    amendLicence: (_, { id, input }, ctx) => {
      requireApprover(ctx.identity, 'changeLicences');
      return amendLicence(ctx.db, id, input, ctx.clock);
    },
  },
  Licence: {
    __resolveReference: (ref, ctx) => {
      requireReader(ctx.identity);
      return ctx.licenceById.load(ref.id);
    },
    enterprise: (l) => ({ __typename: 'Enterprise', uscc: l.uscc }),
    supervisingDepartment: (l) => departmentRef(l.supervisingDepartment),
  },
  Enterprise: {
    __resolveReference: (ref) => ref,
    licences: (e, _, ctx) => {
      requireReader(ctx.identity);
      return ctx.licencesByUscc.load(e.uscc);
    },
  },
};
