/** Access and mapping only: each resolver asks the policy, calls the domain and maps rows to the SDL. */
import {
  actorOf,
  auditResolvers,
  departmentRef,
  departmentResolvers,
  readAuditTrail,
  scalarResolvers,
} from '@onecheck/kit';
import { usccField, parseInput } from '@onecheck/kit';
import { amendLicence, grantLicence, grantLicences, listLicences, setLicenceStatus } from './domain/licence';
import { answerLicenceAct, claimLicenceAct, claimOverdueDays, listLicenceActs } from './domain/licence-acts';
import { listApprovalItems, setApprovalItem } from './domain/approval-items';
import { creditCheck, promiseAllowed } from './domain/credit-check';
import {
  annulPromisedApproval,
  grantOnPromise,
  isOverdue,
  listPromises,
  receivePromisedMaterials,
  verifyPromise,
} from './domain/promises';
import type { Resolvers } from './generated/resolvers';
import {
  requireApprover,
  requireCreditChecker,
  requirePromiseReader,
  requirePushedActsReader,
  requireReader,
  requireTrailReader,
} from './policy';

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
    approvalItems: (_, __, ctx) => {
      requireReader(ctx.identity);
      return listApprovalItems(ctx.db);
    },
    creditCheck: async (_, { uscc }, ctx) => {
      requireCreditChecker(ctx.identity);
      const code = parseInput(usccField, uscc, 'uscc');
      return { uscc: code, ...(await creditCheck(ctx.db, code, ctx.clock)) };
    },
    approvalPromise: (_, { id }, ctx) => {
      requirePromiseReader(ctx.identity);
      return ctx.promiseById.load(id);
    },
    approvalPromises: (_, args, ctx) => {
      requirePromiseReader(ctx.identity);
      return listPromises(ctx.db, args.filter ?? {}, args, ctx.clock.today());
    },
  },
  Mutation: {
    setApprovalItem: (_, { input }, ctx) => {
      requireApprover(ctx.identity, 'setApprovalItems');
      return setApprovalItem(ctx.db, input, ctx.clock, actorOf(ctx.identity));
    },
    grantOnPromise: async (_, { input }, ctx) => {
      requireApprover(ctx.identity, 'grantLicences');
      return grantOnPromise(ctx.db, input, await ctx.calendar(), ctx.clock, ctx.rules, actorOf(ctx.identity));
    },
    receivePromisedMaterials: (_, { id }, ctx) => {
      requireApprover(ctx.identity, 'settlePromises');
      return receivePromisedMaterials(ctx.db, id, ctx.clock, ctx.rules, actorOf(ctx.identity));
    },
    verifyPromise: (_, { id, input }, ctx) => {
      requireApprover(ctx.identity, 'settlePromises');
      return verifyPromise(ctx.db, id, input, ctx.clock, actorOf(ctx.identity));
    },
    annulPromisedApproval: (_, { id, input }, ctx) => {
      requireApprover(ctx.identity, 'settlePromises');
      return annulPromisedApproval(ctx.db, id, input, ctx.clock, actorOf(ctx.identity));
    },
    grantLicence: (_, { input }, ctx) => {
      requireApprover(ctx.identity, 'grantLicences');
      return grantLicence(ctx.db, input, ctx.clock, ctx.rules, actorOf(ctx.identity));
    },
    grantLicences: (_, { inputs }, ctx) => {
      requireApprover(ctx.identity, 'grantLicences');
      return grantLicences(ctx.db, inputs, ctx.clock, ctx.rules, actorOf(ctx.identity));
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
    promise: (l, _, ctx) => {
      if (!l.promiseId) return null;
      requirePromiseReader(ctx.identity);
      return ctx.promiseById.load(l.promiseId);
    },
    creditSeen: (l, _, ctx) => {
      if (!l.creditSeen) return null;
      requirePromiseReader(ctx.identity);
      return { uscc: l.uscc, ...l.creditSeen };
    },
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
  ApprovalItem: {
    supervisingDepartment: (i) => departmentRef(i.supervisingDepartment),
  },
  ApprovalPromise: {
    enterprise: (p) => ({ __typename: 'Enterprise', uscc: p.uscc }),
    supervisingDepartment: (p) => departmentRef(p.supervisingDepartment),
    licence: (p, _, ctx) => (p.licenceId ? ctx.licenceById.load(p.licenceId) : null),
    scope: (p) => p.terms.scope,
    validFrom: (p) => p.terms.validFrom,
    validUntil: (p) => p.terms.validUntil,
    recordedAt: (p) => p.createdAt,
    overdue: (p, _, ctx) => isOverdue(p, ctx.clock.today()),
    reviewOverdue: (p, _, ctx) => p.status === 'OVERDUE' && !!p.reviewBy && p.reviewBy < ctx.clock.today(),
    creditSeen: (p) => ({ uscc: p.uscc, ...p.creditSeen }),
    auditTrail: (p, _, ctx) => {
      requireTrailReader(ctx.identity);
      return readAuditTrail(ctx.db, { kind: 'promise', id: p.id });
    },
  },
  PromiseOutcome: {
    foundByDepartment: (o) => (o.foundBy === 'APPROVAL' ? null : departmentRef(o.foundBy)),
  },
  CreditCheck: {
    falsePromises: async (c, _, ctx) =>
      (await ctx.promiseById.loadMany(c.falsePromises)).filter((p) => p && !(p instanceof Error)) as never,
    promiseAllowed: (c) => promiseAllowed(c),
    jointPunishments: (c) => c.punishments ?? [],
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
