/** Plans, the target directory and the draw in the graph: access (policy.ts), the domain call, and rows mapped to the SDL. */
import { actorOf, departmentRef, readAuditTrail } from '@onecheck/kit';
import { DRAW_ALGORITHM } from './domain/draw-algorithm';
import { drawnOf, drawPlace, drawPlan, drawProof, enterPublicValue, freezePool, poolOf } from './domain/draw';
import { jointListAt } from './domain/joint-list';
import {
  adjustPlan,
  draftPlan,
  filePlan,
  listPlans,
  planById,
  PUBLIC_PLAN_STATUSES,
  publishPlan,
  type ListLookup,
} from './domain/plans';
import { tagTarget, untagTarget } from './domain/targets';
import type { Resolvers } from './generated/resolvers';
import { enterpriseCode } from './domain/enterprise';
import { requireDrawAuditor, requireObserver, requireOffice, requireTagger, seesUnpublishedPlans } from './policy';

/** A plan pins the joint list of its industry (一业一单) at a version. */
const listLookup: ListLookup = async (db, industry, version) => {
  const list = await jointListAt(db as never, industry, version, 'listVersion');
  if (list.version === 0) return null;
  return {
    version: list.version,
    items: list.items.map((i) => ({ department: i.department, code: i.code, emphasis: i.emphasis })),
  };
};

const tagView = (rows: { tag: string; department: string }[]) =>
  rows.map((r) => ({ tag: r.tag, department: departmentRef(r.department) }));

const isPublic = (status: string) => (PUBLIC_PLAN_STATUSES as readonly string[]).includes(status);

export const planResolvers: Pick<Resolvers, 'JointInspectionPlan' | 'PlanItem' | 'DrawProof' | 'DrawAudit'> & {
  Query: NonNullable<Resolvers['Query']>;
  Mutation: NonNullable<Resolvers['Mutation']>;
} = {
  Query: {
    jointPlans: (_, filter, ctx) => listPlans(ctx.db, filter, !seesUnpublishedPlans(ctx.identity)),
    jointPlan: async (_, { id }, ctx) => {
      const plan = await planById(ctx.db, id);
      return plan && (isPublic(plan.status) || seesUnpublishedPlans(ctx.identity)) ? plan : null;
    },
    drawProof: (_, key, ctx) => drawProof(ctx.db, key),
    drawPlace: (_, { planId, uscc }, ctx) => drawPlace(ctx.db, planId, enterpriseCode(uscc)),
    drawAudit: (_, key, ctx) => {
      requireDrawAuditor(ctx.identity);
      return drawProof(ctx.db, key);
    },
  },
  Mutation: {
    draftPlan: (_, { input }, ctx) => draftPlan(ctx.db, input, listLookup, ctx.clock, ctx.identity),
    filePlan: (_, { id }, ctx) => filePlan(ctx.db, id, ctx.clock, ctx.identity),
    publishPlan: (_, { id }, ctx) => {
      requireOffice(ctx.identity, 'publishPlans');
      return publishPlan(ctx.db, id, ctx.clock, ctx.identity);
    },
    adjustPlan: async (_, { id, input }, ctx) =>
      (await adjustPlan(ctx.db, id, input, listLookup, ctx.clock, ctx.identity, ctx.calendarBase)).plan,
    freezeDrawPool: async (_, { planId }, ctx) => {
      requireOffice(ctx.identity, 'drawPlans');
      await freezePool(ctx.db, planId, ctx.clock, ctx.identity);
      return (await drawProof(ctx.db, { planId }))!;
    },
    enterDrawPublicValue: async (_, { planId, value }, ctx) => {
      requireObserver(ctx.identity);
      await enterPublicValue(ctx.db, planId, value, ctx.clock, ctx.identity);
      return (await drawProof(ctx.db, { planId }))!;
    },
    drawPlan: async (_, { planId }, ctx) => {
      requireOffice(ctx.identity, 'drawPlans');
      await drawPlan(ctx.db, planId, ctx.clock, ctx.identity);
      return (await drawProof(ctx.db, { planId }))!;
    },
    tagTarget: async (_, { uscc, tag }, ctx) => {
      const department = requireTagger(ctx.identity);
      return tagView(await tagTarget(ctx.db, enterpriseCode(uscc), tag, department, ctx.clock, actorOf(ctx.identity)));
    },
    untagTarget: async (_, { uscc, tag }, ctx) => {
      const department = requireTagger(ctx.identity);
      return tagView(
        await untagTarget(ctx.db, enterpriseCode(uscc), tag, department, ctx.clock, actorOf(ctx.identity)),
      );
    },
  },
  JointInspectionPlan: {
    leadDepartment: (p) => departmentRef(p.leadDepartment),
    cooperatingDepartments: (p) => p.cooperatingDepartments.map(departmentRef),
    targetFilter: (p) => p.targetFilter,
    adjustments: (p, _, ctx) => ctx.adjustmentsOfPlan.load(p.id),
    auditTrail: (p, _, ctx) => {
      requireDrawAuditor(ctx.identity);
      return readAuditTrail(ctx.db, { kind: 'plan', id: p.id });
    },
    draw: async (p, _, ctx) => {
      const draw = await ctx.drawOfPlan.load(p.id);
      return draw && { draw, plan: p };
    },
  },
  PlanItem: {
    department: (i) => departmentRef(i.department),
  },
  DrawProof: {
    drawId: ({ draw }) => draw.id,
    planId: ({ draw }) => draw.planId,
    algorithm: () => DRAW_ALGORITHM,
    commitment: ({ plan }) => plan.commitment!,
    poolHash: ({ draw }) => draw.poolHash,
    poolSize: ({ draw }) => draw.poolSize,
    ratios: ({ draw }) => draw.ratios,
    frozenAt: ({ draw }) => draw.frozenAt,
    publicValue: ({ draw }) => draw.publicValue,
    publicValueAt: ({ draw }) => draw.publicValueAt,
    // Revealed by the draw: before it, knowing the secret would let one steer the public value. A
    // cancelled plan reveals it too: its database held the secret and the public value together,
    // so anyone may now work out the draw the cancellation prevented (no quiet redraw).
    secret: ({ draw, plan }) => (draw.drawnAt || plan.status === 'CANCELLED' ? plan.secret : null),
    seed: ({ draw }) => draw.seed,
    strata: ({ draw }) => draw.strata,
    drawnAt: ({ draw }) => draw.drawnAt,
    deliveredAt: ({ draw }) => draw.deliveredAt,
    drawn: ({ draw }, _, ctx) => drawnOf(ctx.db, draw),
  },
  DrawAudit: {
    proof: (v) => v,
    pool: ({ draw }, _, ctx) => poolOf(ctx.db, draw),
  },
};
