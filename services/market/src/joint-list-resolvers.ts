/** 一业一单 and 一业一册 in the graph: access (policy.ts), the domain call, and the rows mapped to the SDL. */
import { actorOf, departmentRef } from '@onecheck/kit';
import { complianceGuide } from './domain/guide';
import { jointListAt, jointListDiff, setJointListDepartments, type JointListItemState } from './domain/joint-list';
import type { EnterpriseResolvers, MutationResolvers, QueryResolvers, ResolversTypes } from './generated/resolvers';
import { allowGuideReader, requireListKeeper, requireReader } from './policy';
import { industryOf } from './industry-view';

/** An item as the list recorded it (the department's published state): no department is asked. */
export const listItem = (item: JointListItemState): ResolversTypes['JointListItem'] => ({
  ...item,
  id: `${item.department}:${item.code}`,
  department: departmentRef(item.department),
  frequencyPerYear: item.frequencyPerYear ?? null,
  publishedAt: new Date(item.recordedAt),
});

const departmentOrNull = (code: string | null) => (code ? departmentRef(code) : null);

const jointListView = (list: Awaited<ReturnType<typeof jointListAt>>) => ({
  ...list,
  industry: industryOf(list.industry),
  lead: departmentOrNull(list.lead),
  cooperating: list.cooperating.map(departmentRef),
  items: list.items.map(listItem),
});

export const jointListQueries: QueryResolvers = {
  jointList: async (_, { industry, version }, ctx) => {
    requireReader(ctx.identity);
    return jointListView(await jointListAt(ctx.db, industry, version));
  },
  jointListChanges: async (_, { industry, from, to }, ctx) => {
    requireReader(ctx.identity);
    const diff = await jointListDiff(ctx.db, industry, from, to);
    return {
      ...diff,
      industry: industryOf(diff.industry),
      added: diff.added.map(listItem),
      removed: diff.removed.map(listItem),
      changed: diff.changed.map((c) => ({ before: listItem(c.before), after: listItem(c.after), fields: c.fields })),
      leadBefore: departmentOrNull(diff.leadBefore),
      leadAfter: departmentOrNull(diff.leadAfter),
      cooperatingAdded: diff.cooperatingAdded.map(departmentRef),
      cooperatingRemoved: diff.cooperatingRemoved.map(departmentRef),
    };
  },
  itemsForIndustry: async (_, { industry }, ctx) => {
    requireReader(ctx.identity);
    return (await jointListAt(ctx.db, industry)).items.map(listItem);
  },
  complianceGuide: async (_, { industry }, ctx) => {
    allowGuideReader(ctx.identity);
    const guide = await complianceGuide(ctx.db, industry, ctx.clock);
    return {
      ...guide,
      industry: industryOf(guide.industry),
      lead: departmentOrNull(guide.lead),
      cooperating: guide.cooperating.map(departmentRef),
      departments: guide.departments.map((d) => ({
        department: departmentRef(d.department),
        role: d.role,
        items: d.items.map(listItem),
      })),
      commonProblems: guide.commonProblems.map((p) => ({ ...p, department: departmentRef(p.department) })),
    };
  },
};

export const jointListMutations: MutationResolvers = {
  setJointListDepartments: async (_, { industry, input }, ctx) => {
    requireListKeeper(ctx.identity);
    return jointListView(await setJointListDepartments(ctx.db, industry, input, ctx.clock, actorOf(ctx.identity)));
  },
};

/** A business's items, from the list's own records (the loader batches a page of businesses into one query). */
export const enterpriseItems: Pick<EnterpriseResolvers, 'applicableItems'> = {
  applicableItems: async (e, _, ctx) => {
    requireReader(ctx.identity);
    return (await ctx.itemsForBusinessIndustry.load(e.industry)).map(listItem);
  },
};
