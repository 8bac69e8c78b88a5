import type { Identity } from '@onecheck/auth';
import { startSystem, type RunningSystem, type SystemOptions } from '../scripts/system';

/** The database the suite runs on: PGlite unless TEST_DATABASE_URL names a PostgreSQL server. */
export function testDatabase(): Pick<SystemOptions, 'databaseUrl' | 'schemaPrefix'> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return {};
  return { databaseUrl: url, schemaPrefix: `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}` };
}

export async function startTestSystem(opts: SystemOptions = {}): Promise<RunningSystem> {
  return startSystem({ ...testDatabase(), ...opts });
}

export interface GraphQLResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; field?: string } & Record<string, unknown> }[];
}

/** A real HTTP client call, as a department system would make it. */
export async function gql<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as GraphQLResult<T>;
  return { ...body, status: res.status };
}

export const roles = {
  office: { sub: 'office-1', role: 'office', name: '双随机办公室' } satisfies Identity,
  approver: { sub: 'approver-1', role: 'approver', name: '审批局' } satisfies Identity,
  staff: (department: string): Identity => ({ sub: `staff-${department}`, role: 'staff', department }),
};
