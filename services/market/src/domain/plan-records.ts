/** Shapes a plan keeps as JSON beside its row: written once here, read by the schema and the domain. */
import type { RiskClass } from '@onecheck/contracts';

/** One item of a plan: a department's item from the pinned joint list, with its emphasis (重点 or 一般). */
export interface PlanItemRecord {
  department: string;
  code: string;
  emphasis: 'KEY' | 'GENERAL';
}

/** Which businesses of the plan's industry are in its pool (检查对象名录库 filters). */
export interface TargetFilter {
  /** Administrative division code prefix (e.g. 420626 for one county). */
  region?: string | null;
  /** 重点 tags the business must carry, all of them. */
  tags?: string[] | null;
  /** Only these risk classes (default: all). */
  riskClasses?: RiskClass[] | null;
}
