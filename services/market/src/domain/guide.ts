/**
 * 一业一册, the compliance guide per industry (seed 000 ⑴, 002, 004 (九); issue 10 item 2): what a
 * business of the industry will be checked for, by which department, on what legal basis and by
 * which check points — told to businesses in advance, so it is public and holds nothing personal.
 * Generated from the industry's current joint list (joint-list.ts), never kept apart from it.
 */
import type { JointListRole } from '@onecheck/contracts';
import type { Db } from '@onecheck/kit';
import type * as schema from '../db/schema';
import { jointListAt, type JointListItemState } from './joint-list';

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
  /** 常见问题: from the findings of on-site checks, which issue 10 part 2 brings; none until then. */
  commonProblems: string[];
}

const ROLE_ORDER: Record<GuideRole, number> = { LEAD: 0, COOPERATING: 1, OTHER: 2 };

export async function complianceGuide(db: Db<typeof schema>, industry: string): Promise<ComplianceGuide> {
  const list = await jointListAt(db, industry);
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
    commonProblems: [],
  };
}
