/**
 * A fault inside a resolver (a bug, a database error) answers "internal error" with no detail in
 * any mode, so the detail must be in the service's log: an operator reading it finds the cause
 * and the field. A refusal (bad input) is the caller's mistake, not a fault, and is not logged.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GATEWAY_HEADER, signGatewayCredential, type Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { badInput } from '../src/errors';
import { startSubgraph, type RequestInfo, type RunningSubgraph } from '../src/subgraph';

const secret = randomBytes(32);
const clock = testClock('2026-11-30T09:00:00+08:00');
const staff: Identity = { sub: 'u1', role: 'staff', department: 'HEALTH', name: '李四' };
const lines: Record<string, unknown>[] = [];
let subgraph: RunningSubgraph;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  subgraph = await startSubgraph<RequestInfo>({
    name: 'faults-test',
    host: '127.0.0.1',
    port: 0,
    typeDefs: 'type Query { broken: String refused: String }',
    resolvers: {
      Query: {
        broken: () => {
          throw new RangeError('day number out of range: 0001-01-01');
        },
        refused: () => {
          throw badInput('date', 'input.invalidDate');
        },
      },
    } as never,
    gatewaySecret: secret,
    context: (request) => request,
    clock,
    ready: async () => {},
    logger: pino({ level: 'warn' }, sink),
  });
});

afterAll(() => subgraph?.stop());

const ask = async (query: string) => {
  const res = await fetch(subgraph.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [GATEWAY_HEADER]: await signGatewayCredential(secret, staff, clock),
    },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] };
};

it('logs a fault with its cause and field, and shows the caller no stack', async () => {
  const answer = await ask('{ broken }');
  expect(answer.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  expect(JSON.stringify(answer)).not.toMatch(/stacktrace|RangeError|\.ts:\d+/);
  const logged = lines.filter((l) => l.msg === 'operation failed');
  expect(logged).toHaveLength(1);
  expect(logged[0]).toMatchObject({ level: 50, path: ['broken'], err: { type: 'RangeError' } });
  expect(String((logged[0]!.err as { stack: string }).stack)).toContain('day number out of range');
});

it('does not log a refusal of bad input as a fault', async () => {
  lines.length = 0;
  const answer = await ask('{ refused }');
  expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'date' });
  expect(JSON.stringify(answer)).not.toMatch(/stacktrace/);
  expect(lines.filter((l) => l.msg === 'operation failed')).toEqual([]);
});
