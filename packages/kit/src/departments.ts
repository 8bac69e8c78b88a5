import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { departmentCode } from '@onecheck/auth';
import { REPO_ROOT } from './config';

const file = z.object({
  departments: z
    .array(z.object({ code: departmentCode, name: z.string().min(1), nameEn: z.string().optional() }))
    .min(1),
});
export type DepartmentInfo = z.infer<typeof file>['departments'][number];

let cached: DepartmentInfo[] | undefined;

/** The configured departments (config/departments.json: adding one is configuration, not code). */
export function departments(): DepartmentInfo[] {
  cached ??= file.parse(JSON.parse(readFileSync(resolve(REPO_ROOT, 'config/departments.json'), 'utf8'))).departments;
  return cached;
}

export function isDepartment(code: string): boolean {
  return departments().some((d) => d.code === code);
}
