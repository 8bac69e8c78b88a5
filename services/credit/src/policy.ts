/**
 * Who may read what of the credit platform's subgraph (DESIGN.md §5): every access rule of the
 * service, in one place. Resolvers call these before they call the domain.
 */
import type { Identity } from '@onecheck/auth';
import { requireRole } from '@onecheck/kit';

/**
 * The class and the records behind it stay internal to supervision (不评价、不公开): the office, the
 * departments' staff and auditors — the readers of market regulation's target directory
 * (requireTargetReader). Not the public; not inspectors in the field, whose check is not to be
 * prejudged by the class; not the approval bureau, which sees what it grants by in its own
 * pre-approval credit check (creditCheck, seed 003 第十二条).
 */
export function requireProfileReader(identity: Identity): void {
  requireRole(identity, ['office', 'staff', 'auditor'], 'readCredit');
}

/** 信用修复 is decided by the office, which runs the platform's records for the county. */
export function requireRepairer(identity: Identity): void {
  requireRole(identity, ['office'], 'repairCredit');
}

/** 联合惩戒 is imposed and lifted by the office, as it runs the platform's records. */
export function requirePunisher(identity: Identity): void {
  requireRole(identity, ['office'], 'punishJointly');
}
