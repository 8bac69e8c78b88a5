/**
 * 一业一册, the compliance guide per industry (seed 000 ⑴, 002, 004 (九); issue 10 item 2): what a
 * business of the industry will be checked for, by which department, on what legal basis and by
 * which check points — told to businesses in advance, so it is public and holds nothing personal.
 * Generated from the industry's current joint list (joint-list.ts), never kept apart from it, and
 * from the results the office received on coded visits (results.ts) for its 常见问题.
 */
import { sql } from 'drizzle-orm';
import { monthsBefore, type Clock } from '@onecheck/clock';
import { PROBLEM_RESULT_CATEGORIES, type JointListRole, type ResultCategory } from '@onecheck/contracts';
import type { Db } from '@onecheck/kit';
import { enterprises, jointListChanges, jointListItems, visitResults } from '../db/schema';
import type * as schema from '../db/schema';
import { jointListAt, type JointListItemState } from './joint-list';
import { industrySql } from './targets';
import { rowsOf } from './visits';

export type GuideRole = JointListRole;

export interface GuideDepartment {
  department: string;
  role: GuideRole;
  items: JointListItemState[];
}

export interface ComplianceGuide {
  industry: string;
  listVersion: number;
  listMadeAt: Date | null;
  lead: string | null;
  cooperating: string[];
  departments: GuideDepartment[];
  /** 常见问题 (commonProblems below), counted over results inspected from this day to today. */
  commonProblemsSince: string;
  commonProblems: CommonProblem[];
}

/**
 * 常见问题: one item's problem category as the industry's checks found it — counts only, nothing
 * about a business (the guide is public).
 */
export interface CommonProblem {
  department: string;
  itemCode: string;
  /** The item's name as the office last received it; null for an item it never received. */
  itemName: string | null;
  category: ResultCategory;
  /** Checks (visits) of the item that found it. */
  count: number;
  /** Checks (visits) of the item with a result, whatever it was: the share's base. */
  checks: number;
  share: number;
}

/** How far back the guide looks (months before the clock's today). */
export const COMMON_PROBLEM_MONTHS = 12;
/** A problem is shown only when seen at this many businesses: a smaller count could point at one. */
export const COMMON_PROBLEM_MIN_BUSINESSES = 3;
/** How many problems the guide lists. */
export const COMMON_PROBLEM_LIMIT = 10;

/**
 * 常见问题 of an industry (seed 000 ⑴ 一业一册; 004 (九)): over the results inspected in the last 12
 * months on businesses registered in the industry or under it (GB/T 4754 nesting), per item and
 * problem category (PROBLEM_RESULT_CATEGORIES: not 未发现问题, nor the results that found nothing to
 * check), the checks that found it and its share of the item's checks, most frequent first; a
 * category seen at fewer than 3 businesses is left out. A visit counts once per item and category.
 */
export async function commonProblems(
  db: Db<typeof schema>,
  industry: string,
  since: string,
  today: string,
): Promise<CommonProblem[]> {
  const problems = sql.join(
    PROBLEM_RESULT_CATEGORIES.map((c) => sql`${c}`),
    sql`, `,
  );
  const rows = rowsOf<{
    department: string;
    item_code: string;
    item_name: string | null;
    category: ResultCategory;
    count: number;
    checks: number;
  }>(
    await db.execute(sql`
      with checked as (
        select ${visitResults.visitId} as visit, ${visitResults.uscc} as uscc, ${visitResults.department} as department,
          item.value->>'itemCode' as item_code, item.value->'categories' as categories
        from ${visitResults}
        join ${enterprises} on ${enterprises.uscc} = ${visitResults.uscc}
        cross join lateral jsonb_array_elements(${visitResults.items}) as item
        where ${industrySql(industry)}
          and ${visitResults.inspectedOn} >= ${since}::date and ${visitResults.inspectedOn} <= ${today}::date
      ),
      item_checks as (
        select department, item_code, count(distinct visit)::int as checks from checked group by department, item_code
      ),
      found as (
        select department, item_code, category.value as category,
          count(distinct visit)::int as count, count(distinct uscc)::int as businesses
        from checked cross join lateral jsonb_array_elements_text(categories) as category
        where category.value in (${problems})
        group by department, item_code, category.value
      )
      select found.department, found.item_code, found.category, found.count, item_checks.checks,
        ${jointListChanges.item}->>'name' as item_name
      from found
      join item_checks using (department, item_code)
      left join ${jointListItems}
        on ${jointListItems.department} = found.department and ${jointListItems.code} = found.item_code
      left join ${jointListChanges} on ${jointListChanges.seq} = ${jointListItems.changeSeq}
      where found.businesses >= ${COMMON_PROBLEM_MIN_BUSINESSES}
      order by found.count desc, found.count::float / item_checks.checks desc,
        found.department, found.item_code, found.category
      limit ${COMMON_PROBLEM_LIMIT}`),
  );
  return rows.map((r) => ({
    department: r.department,
    itemCode: r.item_code,
    itemName: r.item_name,
    category: r.category,
    count: Number(r.count),
    checks: Number(r.checks),
    share: Number(r.count) / Number(r.checks),
  }));
}

const ROLE_ORDER: Record<GuideRole, number> = { LEAD: 0, COOPERATING: 1, OTHER: 2 };

export async function complianceGuide(db: Db<typeof schema>, industry: string, clock: Clock): Promise<ComplianceGuide> {
  const list = await jointListAt(db, industry);
  const today = clock.today();
  const since = monthsBefore(today, COMMON_PROBLEM_MONTHS);
  const roleOf = (code: string): GuideRole =>
    code === list.lead ? 'LEAD' : list.cooperating.includes(code) ? 'COOPERATING' : 'OTHER';
  const byDepartment = new Map<string, JointListItemState[]>();
  // The lead and cooperating departments appear even before they have published an item.
  for (const code of [list.lead, ...list.cooperating]) if (code) byDepartment.set(code, []);
  for (const item of list.items)
    byDepartment.set(item.department, [...(byDepartment.get(item.department) ?? []), item]);
  const departments = [...byDepartment]
    .map(([department, items]) => ({ department, role: roleOf(department), items }))
    .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.department.localeCompare(b.department));
  return {
    industry: list.industry,
    listVersion: list.version,
    listMadeAt: list.madeAt,
    lead: list.lead,
    cooperating: list.cooperating,
    departments,
    commonProblemsSince: since,
    commonProblems: await commonProblems(db, list.industry, since, today),
  };
}
