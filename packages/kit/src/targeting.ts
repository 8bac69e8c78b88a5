import type { Identity } from '@onecheck/auth';
import { isDepartment } from './departments';
import { badInput } from './errors';

/**
 * The department a root field of the department subgraph is about (DESIGN.md §2): its
 * `department` argument, else the caller's own. The gateway routes by this rule and each
 * department instance checks it again, so both say the same thing in the same words.
 * Throws BAD_USER_INPUT on `department` when there is none to take, or the code is not configured.
 */
export function targetDepartment(argument: string | null | undefined, identity: Pick<Identity, 'department'>): string {
  const target = argument ?? identity.department;
  // An empty argument is a department no one has, not a missing one (the caller's is not meant).
  if (target === undefined || target === null) throw badInput('department', 'department.required');
  if (!isDepartment(target)) throw badInput('department', 'department.unknown', { department: target });
  return target;
}
