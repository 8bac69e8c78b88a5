import { requireRole, requireSignedIn, scalarResolvers } from '@onecheck/kit';
import type { ApprovalContext } from './context';
import {
  amendLicence,
  grantLicence,
  listLicences,
  setLicenceStatus,
  type LicenceFilter,
  type LicenceRow,
} from './domain/licence';

export const resolvers = {
  ...scalarResolvers,
  Query: {
    licence: (_: unknown, { id }: { id: string }, ctx: ApprovalContext) => {
      requireSignedIn(ctx.identity);
      return ctx.licenceById.load(id);
    },
    licences: (_: unknown, args: { filter?: LicenceFilter; first?: number; after?: string }, ctx: ApprovalContext) => {
      requireSignedIn(ctx.identity);
      return listLicences(ctx.db, args.filter ?? {}, args);
    },
  },
  Mutation: {
    grantLicence: (_: unknown, { input }: { input: unknown }, ctx: ApprovalContext) => {
      // Only the approval bureau grants licences (相对集中行政许可, seed 003).
      requireRole(ctx.identity, ['approver'], 'grant licences');
      return grantLicence(ctx.db, input);
    },
    setLicenceStatus: (
      _: unknown,
      { id, ...input }: { id: string; status: string; reason: string },
      ctx: ApprovalContext,
    ) => {
      requireRole(ctx.identity, ['approver'], 'change licences');
      return setLicenceStatus(ctx.db, id, input);
    },
    amendLicence: (_: unknown, { id, input }: { id: string; input: unknown }, ctx: ApprovalContext) => {
      requireRole(ctx.identity, ['approver'], 'change licences');
      return amendLicence(ctx.db, id, input);
    },
  },
  Licence: {
    __resolveReference: (ref: { id: string }, ctx: ApprovalContext) => {
      requireSignedIn(ctx.identity);
      return ctx.licenceById.load(ref.id);
    },
    enterprise: (l: LicenceRow) => ({ __typename: 'Enterprise', uscc: l.uscc }),
  },
  Enterprise: {
    __resolveReference: (ref: { uscc: string }) => ref,
    licences: (e: { uscc: string }, _: unknown, ctx: ApprovalContext) => {
      requireSignedIn(ctx.identity);
      return ctx.licencesByUscc.load(e.uscc);
    },
  },
};
