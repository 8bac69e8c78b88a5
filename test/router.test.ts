/**
 * The department router against two small department instances that answer over real HTTP with
 * what a subgraph sends when one item fails: the error must point at the same item after the
 * lists of several departments are concatenated.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DepartmentRouter } from '../gateway/src/department-router';
import { SubgraphSource } from '../gateway/src/subgraph-source';

const answers: Record<string, unknown> = {
  HEALTH: {
    data: { itemsForIndustry: [{ code: 'H-1' }, { code: 'H-2' }] },
  },
  FIRE: {
    data: { itemsForIndustry: [{ code: 'F-1' }, { code: null }] },
    errors: [{ message: 'item F-2 is broken', path: ['itemsForIndustry', 1, 'code'] }],
  },
};
const servers: Server[] = [];
const urls = new Map<string, string>();

beforeAll(async () => {
  for (const department of Object.keys(answers)) {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answers[department]));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    urls.set(department, `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`);
  }
});
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

it('moves an error’s list index by the items of the departments merged before it', async () => {
  const router = new DepartmentRouter(
    new Map([...urls].map(([code, url]) => [code, new SubgraphSource({ url })])),
    new Map([['itemsForIndustry', false]]),
  );
  const response = await router.process({
    kind: 'incoming operation' as never,
    request: { query: '{ itemsForIndustry(industry: "H") { code } }', variables: {} },
    context: { identity: { sub: 'o', role: 'office' }, credential: async () => 'x' },
    incomingRequestContext: {} as never,
  } as never);
  const items = (response.data as { itemsForIndustry: { code: string | null }[] }).itemsForIndustry;
  expect(items.map((i) => i.code)).toEqual(['H-1', 'H-2', 'F-1', null]);
  expect(response.errors).toEqual([{ message: 'item F-2 is broken', path: ['itemsForIndustry', 3, 'code'] }]);
});
