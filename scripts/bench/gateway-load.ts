/**
 * The load generator of the gateway benchmark, in its own process (pinned by the parent to the
 * subgraphs' core, so the gateway's core serves only the gateway): autocannon over a list of
 * request bodies taken in turn (the variables vary), after a warm-up whose figures are dropped.
 * A response is counted as an error when its status is not 2xx or its body carries `errors`.
 *
 * Argument: LoadArgs (JSON). Prints one JSON line: LoadResult.
 */
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { GATEWAY_HEADER, signGatewayCredential } from '@onecheck/auth';
import { systemClock } from '@onecheck/clock';
import { BENCH_IDENTITY, encode } from './gateway-common';

export interface LoadArgs {
  url: string;
  bodies: string[];
  /** A user token for a gateway; or the gateway secret, to call a subgraph directly as the gateway would. */
  token?: string;
  gatewaySecret?: string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  /** The first error body seen, to say what went wrong. */
  sample?: string;
}

const args = JSON.parse(process.argv[2]!) as LoadArgs;

async function headers(): Promise<Record<string, string>> {
  const h: Record<string, string> = { 'content-type': 'application/json' };
  if (args.token) h.authorization = `Bearer ${args.token}`;
  if (args.gatewaySecret) {
    h[GATEWAY_HEADER] = await signGatewayCredential(encode(args.gatewaySecret), BENCH_IDENTITY, systemClock);
  }
  return h;
}

async function load(seconds: number): Promise<LoadResult> {
  let next = 0;
  let errors = 0;
  let sample: string | undefined;
  const h = await headers();
  // A direct subgraph call carries a credential that lives two minutes: sign it again each minute.
  const refresh = args.gatewaySecret
    ? setInterval(() => void headers().then((x) => Object.assign(h, x)), 60_000)
    : undefined;
  const result = await autocannon({
    url: args.url,
    method: 'POST',
    connections: args.connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (req) => ({ ...req, headers: h, body: args.bodies[next++ % args.bodies.length] }),
        onResponse: (status, body) => {
          if (status >= 300 || body.includes('"errors"')) {
            errors++;
            sample ??= `${status} ${body.slice(0, 400)}`;
          }
        },
      },
    ],
  });
  clearInterval(refresh);
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: errors + result.errors + result.timeouts,
    sample,
  };
}

if (args.warmupSeconds > 0) await load(args.warmupSeconds);
// The parent reads the server's CPU time between the warm-up and the measured run: it says `go`.
process.stdout.write('@bench warm\n');
await new Promise<void>((resolve) =>
  createInterface({ input: process.stdin }).on('line', (line) => line === 'go' && resolve()),
);
process.stdout.write(`@bench ${JSON.stringify(await load(args.seconds))}\n`);
process.exit(0);
