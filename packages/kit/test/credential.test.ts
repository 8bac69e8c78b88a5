/**
 * A subgraph answers only the gateway (DESIGN.md §5). It checks a credential's signature once and
 * trusts the same credential again for a while (the gateway reuses each caller's for a minute),
 * but never past its expiry by the subgraph's clock, and a refused one is refused every time.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GATEWAY_HEADER, signGatewayCredential, type Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { createLogger } from '../src/logger';
import { startSubgraph, type RequestInfo, type RunningSubgraph } from '../src/subgraph';

const secret = randomBytes(32);
const clock = testClock('2026-11-30T09:00:00+08:00');
const staff: Identity = { sub: 'u1', role: 'staff', department: 'HEALTH', name: '李四' };
let subgraph: RunningSubgraph;

beforeAll(async () => {
  subgraph = await startSubgraph<RequestInfo>({
    name: 'credential-test',
    host: '127.0.0.1',
    port: 0,
    typeDefs: 'type Query { me: String }',
    resolvers: { Query: { me: (_: unknown, __: unknown, ctx: RequestInfo) => ctx.identity.sub } } as never,
    gatewaySecret: secret,
    context: (request) => request,
    clock,
    ready: async () => {},
    logger: createLogger('credential-test', 'silent'),
  });
});

afterAll(() => subgraph?.stop());

const ask = (credential: string) =>
  fetch(subgraph.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [GATEWAY_HEADER]: credential },
    body: '{"query":"{ me }"}',
  });

it('answers a credential again while it lives, and refuses it once it has expired', async () => {
  const credential = await signGatewayCredential(secret, staff, clock);
  for (let i = 0; i < 3; i++) {
    const res = await ask(credential);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { me: 'u1' } });
  }
  // Accepted again 90 s on (checked afresh), then refused a second after its two minutes are up,
  // though it was accepted 31 s before.
  clock.advance(90_000);
  expect((await ask(credential)).status).toBe(200);
  clock.advance(31_000);
  expect((await ask(credential)).status).toBe(401);
});

it('refuses a credential signed with another secret every time', async () => {
  const forged = await signGatewayCredential(randomBytes(32), staff, clock);
  expect((await ask(forged)).status).toBe(401);
  expect((await ask(forged)).status).toBe(401);
});
