/**
 * Who may read what of the credit platform's subgraph (DESIGN.md §5): every access rule of the
 * service, in one place. Resolvers call these before they call the domain.
 */
import type { Identity } from '@onecheck/auth';
import { requireRole } from '@onecheck/kit';

/**
 * The class and the records behind it stay internal to those who plan, decide and oversee (不评价、
 * 不公开): the office, the departments' staff, the approval bureau (差异化审批, seed 003 第十二条) and
 * auditors. Not the public, and not inspectors in the field, who may not read the target
 * directory's classes either (market regulation's requireTargetReader): a check is not to be
 * prejudged by the class.
 */
export function requireProfileReader(identity: Identity): void {
  requireRole(identity, ['office', 'staff', 'approver', 'auditor'], 'readCredit');
}

/** 信用修复 is decided by the office, which runs the platform's records for the county. */
export function requireRepairer(identity: Identity): void {
  requireRole(identity, ['office'], 'repairCredit');
}

/** 联合惩戒 is imposed and lifted by the office, as it runs the platform's records. */
export function requirePunisher(identity: Identity): void {
  requireRole(identity, ['office'], 'punishJointly');
}
