/**
 * Production mode (NODE_ENV=production in docker-compose): introspection and detailed errors off
 * (DESIGN.md §5), while the errors clients branch on keep their codes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSystem } from '../scripts/system';
import { gql, roles, startTestSystem } from './helpers';

let sys: RunningSystem;
beforeAll(async () => {
  sys = await startTestSystem({ departments: ['HEALTH'], production: true });
});
afterAll(() => sys?.stop());

it('refuses introspection', async () => {
  const r = await gql(sys.gatewayUrl, '{ __schema { types { name } } }', {}, await sys.token(roles.office));
  expect(r.status).toBe(400);
  expect(r.errors?.[0]?.message).toMatch(/introspection/i);
});

it('keeps error codes and fields but no stack traces', async () => {
  const r = await gql(sys.gatewayUrl, '{ enterprise(uscc: "123") { name } }', {}, await sys.token(roles.office));
  expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'uscc' });
  expect(JSON.stringify(r.errors)).not.toMatch(/stacktrace|\.ts:\d+/);
});
