/** Access and mapping only: each resolver asks the policy, calls the domain and maps rows to the SDL. */
import {
  actorOf,
  auditResolvers,
  departmentRef,
  departmentResolvers,
  readAuditTrail,
  scalarResolvers,
} from '@onecheck/kit';
import { amendLicence, grantLicence, listLicences, setLicenceStatus } from './domain/licence';
import { answerLicenceAct, claimLicenceAct, claimOverdueDays, listLicenceActs } from './domain/licence-acts';
import type { Resolvers } from './generated/resolvers';
import { requireApprover, requirePushedActsReader, requireReader, requireTrailReader } from './policy';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  ...departmentResolvers,
  ...auditResolvers,
  Query: {
    licence: (_, { id }, ctx) => {
      requireReader(ctx.identity);
      return ctx.licenceById.load(id);
    },
    licences: (_, args, ctx) => {
      requireReader(ctx.identity);
      return listLicences(ctx.db, args.filter ?? {}, args);
    },
    pushedLicenceActs: (_, args, ctx) => {
      requirePushedActsReader(ctx.identity);
      return listLicenceActs(ctx.db, args.filter ?? {}, args, ctx.clock.today());
    },
  },
  Mutation: {
    grantLicence: (_, { input }, ctx) => {
      requireApprover(ctx.identity, 'grantLicences');
      return grantLicence(ctx.db, input, ctx.clock, ctx.rules, actorOf(ctx.identity));
    },
    setLicenceStatus: (_, { id, ...input }, ctx) => {
      requireApprover(ctx.identity, 'changeLicences');
      return setLicenceStatus(ctx.db, id, input, ctx.clock, actorOf(ctx.identity));
    },
    amendLicence: (_, { id, input }, ctx) => {
      requireApprover(ctx.identity, 'changeLicences');
      return amendLicence(ctx.db, id, input, ctx.clock, actorOf(ctx.identity));
    },
    claimLicenceAct: (_, { id }, ctx) => {
      requireApprover(ctx.identity, 'claimLicenceActs');
      return claimLicenceAct(ctx.db, id, ctx.identity, ctx.clock);
    },
    answerLicenceAct: (_, { id, input }, ctx) => {
      requireApprover(ctx.identity, 'claimLicenceActs');
      return answerLicenceAct(ctx.db, id, ctx.identity, input, ctx.clock);
    },
  },
  Licence: {
    __resolveReference: (ref, ctx) => {
      requireReader(ctx.identity);
      return ctx.licenceById.load(ref.id);
    },
    enterprise: (l) => ({ __typename: 'Enterprise', uscc: l.uscc }),
    supervisingDepartment: (l) => departmentRef(l.supervisingDepartment),
    recordedAt: (l) => l.createdAt,
    statusAct: (l) =>
      l.statusAct && {
        ...l.statusAct,
        decidedByDepartment: l.statusAct.decidedBy === 'APPROVAL' ? null : departmentRef(l.statusAct.decidedBy),
      },
    pushedActs: async (l, _, ctx) => {
      requirePushedActsReader(ctx.identity);
      const page = await listLicenceActs(ctx.db, { licenceId: l.id }, { first: 100 }, ctx.clock.today());
      return page.edges.map((e) => e.node);
    },
    supervisionResults: (l, _, ctx) => ctx.resultsByLicence.load(l.id),
    auditTrail: (l, _, ctx) => {
      requireTrailReader(ctx.identity);
      return readAuditTrail(ctx.db, { kind: 'licence', id: l.id });
    },
  },
  PushedLicenceAct: {
    department: (a) => departmentRef(a.department),
    licence: (a, _, ctx) => ctx.licenceById.load(a.licenceId),
    pushOverdue: (a) => a.pushedOn > a.pushBy,
    claimOverdue: (a, _, ctx) => a.status === 'PENDING_CLAIM' && a.claimBy < ctx.clock.today(),
    claimOverdueDays: async (a, _, ctx) => claimOverdueDays(await ctx.calendar(), a, ctx.clock.today()),
  },
  SupervisionResult: {
    department: (r) => departmentRef(r.department),
  },
  Enterprise: {
    __resolveReference: (ref) => ref,
    licences: (e, _, ctx) => {
      requireReader(ctx.identity);
      return ctx.licencesByUscc.load(e.uscc);
    },
  },
};
