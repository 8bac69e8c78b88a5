import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { departmentCode } from '@onecheck/auth';
import type { Locale } from '@onecheck/i18n';
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

/** A department as the graph returns it: the code; the name is rendered per reader. */
export interface DepartmentRef {
  code: string;
}

export const departmentRef = (code: string): DepartmentRef => ({ code });

/** Its name in the reader's language (config/departments.json has both); an unknown code shows as itself. */
export function departmentName(code: string, locale: Locale): string {
  const info = departments().find((d) => d.code === code);
  if (!info) return code;
  return locale === 'en' ? (info.nameEn ?? info.name) : info.name;
}

/**
 * The Department type every subgraph shares (a value type, identical in each): records carry the
 * code, people read the name.
 */
export const DEPARTMENT_SDL = /* GraphQL */ `
  "A department OneCheck knows (config/departments.json): a code for machines, a name for people."
  type Department @shareable {
    "Its code (MARKET, HEALTH, FIRE …): what arguments and inputs take and records carry."
    code: String!
    "Its name, in the reader's language."
    name: String!
  }
`;

export const departmentResolvers = {
  Department: {
    name: (department: DepartmentRef, _args: unknown, ctx: { locale: Locale }) =>
      departmentName(department.code, ctx.locale),
  },
};
