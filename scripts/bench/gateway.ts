/**
 * Gateway benchmark (issue 7, item 4): OneCheck's gateway against stock @apollo/gateway and Hive
 * Gateway, where the gateway is the bottleneck. The gateway under test runs alone on one core
 * (`taskset -c 0`); the subgraphs (all in one child process, demo county loaded) and the load
 * generator (autocannon, its own process) share the other. Every gateway serves the same
 * supergraph from the same subgraphs; each figure is a ratio to a baseline measured in this run.
 * Then a CPU profile of our gateway under load says where its time goes.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { GATEWAY_HEADER, issueDemoToken, signGatewayCredential } from '@onecheck/auth';
import { systemClock } from '@onecheck/clock';
import { REPO_ROOT } from '@onecheck/kit';
import { DEFAULT_RATE_LIMIT } from '../../gateway/src/rate-limit';
import { BENCH_IDENTITY, BENCH_RATE_LIMIT, encode, type GatewayArgs } from './gateway-common';
import type { LoadArgs, LoadResult } from './gateway-load';
import { summariseProfile, type ProfileSummary } from './gateway-profile';
import { buildEntries } from '../build';
import { cpuMs } from './proc';
import { freePort } from '@onecheck/pgserver';

const BENCH_DIR = resolve(REPO_ROOT, 'scripts/bench');
/** The gateway's core, and the core the subgraphs and the load generator share. */
const GATEWAY_CORE = '0';
const OTHER_CORE = '1';
/** Marks the line of a child's stdout that is its answer. */
const MARK = '@bench ';

interface Settings {
  businesses: number;
  /** How many times each row measures every target (interleaved); each keeps its best. */
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  profileSeconds: number;
}
const QUICK: Settings = {
  businesses: 200,
  rounds: 1,
  seconds: 4,
  warmupSeconds: 2,
  connections: 16,
  profileSeconds: 6,
};
const FULL: Settings = {
  businesses: 1000,
  rounds: 2,
  seconds: 12,
  warmupSeconds: 3,
  connections: 32,
  profileSeconds: 15,
};

// ——— processes ———

const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** The children's scripts. */
const CHILDREN = [
  'gateway-subgraphs.ts',
  'gateway-load.ts',
  'gateway-ours.ts',
  'gateway-stock.ts',
  'gateway-hive.ts',
] as const;
type ChildScript = (typeof CHILDREN)[number];

/**
 * Each child's script bundled as `npm start` bundles the services (scripts/build.ts), so that every
 * gateway runs on node alone, as deployed: under tsx each request paid its module hooks (Apollo's
 * query hash requires node's crypto anew on every call, through tsx's resolver: 3 % of the gateway).
 */
async function bundleChildren(): Promise<Map<ChildScript, string>> {
  const bundles = await buildEntries(
    REPO_ROOT,
    CHILDREN.map((s) => resolve(BENCH_DIR, s)),
    resolve(REPO_ROOT, 'tmp', 'build'),
  );
  return new Map(CHILDREN.map((s) => [s, bundles.get(resolve(BENCH_DIR, s))!]));
}
/** Set by run() before any child starts. */
let bundles: Map<ChildScript, string> | undefined;

/** A child running a script's bundle on node, pinned to `core` when taskset exists. */
function child(
  core: string,
  script: ChildScript,
  arg: unknown,
  nodeFlags: string[] = [],
): ChildProcessWithoutNullStreams {
  const bundle = bundles?.get(script);
  if (!bundle) throw new Error(`${script} is not bundled`);
  const node = [process.execPath, ...nodeFlags, '--enable-source-maps', bundle, JSON.stringify(arg)];
  // NODE_ENV=production for every process: the mode each gateway is deployed in.
  const command = ['env', 'NODE_ENV=production', 'APOLLO_TELEMETRY_DISABLED=1', ...node];
  const full = hasTaskset ? ['taskset', '-c', core, ...command] : command;
  const proc = spawn(full[0]!, full.slice(1), { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  proc.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[${script}] ${chunk.toString()}`));
  return proc;
}

/**
 * The child's answers on stdout, in order (its URLs, `ready`, `warm`, its result): the lines
 * marked `@bench `; the services' own log lines on stdout are passed over.
 */
function answers(proc: ChildProcessWithoutNullStreams, what: string): () => Promise<string> {
  const queue: string[] = [];
  let waiting: { resolve: (line: string) => void; reject: (err: Error) => void } | undefined;
  let exited: Error | undefined;
  createInterface({ input: proc.stdout }).on('line', (line) => {
    if (!line.startsWith(MARK)) return;
    if (waiting) waiting.resolve(line.slice(MARK.length));
    else queue.push(line.slice(MARK.length));
    waiting = undefined;
  });
  proc.once('exit', (code) => {
    exited = new Error(`${what} exited (${code}) before it answered`);
    waiting?.reject(exited);
  });
  return () =>
    queue.length
      ? Promise.resolve(queue.shift()!)
      : exited
        ? Promise.reject(exited)
        : new Promise((resolve, reject) => (waiting = { resolve, reject }));
}

/** Closes the child's stdin (each ends itself cleanly then) and waits for it to exit. */
async function stop(proc: ChildProcessWithoutNullStreams): Promise<void> {
  if (proc.exitCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.stdin.end();
  const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

// ——— queries ———

interface Query {
  key: string;
  title: string;
  text: string;
  variables: (i: number) => Record<string, unknown>;
}

function queries(usccs: string[]): Query[] {
  const sections = [...'ABCDEFGHIJKLMNOPQRST'];
  const industries = ['61', '62', '52', '90', '83', '84', 'H', 'Q', null];
  const items = `query Items($department: String, $industry: String, $first: Int) {
  supervisionItems(department: $department, industry: $industry, first: $first) { totalCount edges { node { code name level } } }
}`;
  return [
    {
      // The GB/T 4754 catalogue the market service holds in memory: no database, so the gateway is
      // what is measured. (workingDay reads the calendar's years from the database on every call.)
      key: 'memory',
      title: 'the divisions of a section (answered from memory)',
      text: 'query Divisions($section: String) { industries(section: $section) { code name section } }',
      variables: (i) => ({ section: sections[i % sections.length] }),
    },
    {
      key: 'one',
      title: 'one business, one subgraph',
      text: 'query Business($uscc: String!) { enterprise(uscc: $uscc) { uscc name status industry { code name } } }',
      variables: (i) => ({ uscc: usccs[i % usccs.length] }),
    },
    {
      key: 'hop',
      title: 'one business with licences and class (one hop)',
      text: `query Business360($uscc: String!) {
  enterprise(uscc: $uscc) { uscc name licences { licenceNumber status validUntil } creditProfile { riskClass } }
}`,
      variables: (i) => ({ uscc: usccs[i % usccs.length] }),
    },
    {
      key: 'items',
      title: "a department's items (department routing)",
      text: items,
      // Many distinct requests, so no gateway can answer several callers with one subgraph request.
      variables: (i) => ({ department: 'HEALTH', industry: industries[i % industries.length], first: 1 + (i % 20) }),
    },
  ];
}

const bodies = (q: Query, n = 200) =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ query: q.text, variables: q.variables(i) }));

// ——— measuring ———

type Load = Omit<LoadArgs, 'connections' | 'seconds' | 'warmupSeconds'>;

/**
 * One load against `load.url`: a warm-up, then the measured run. With the pid of the process
 * serving it, also the CPU it spent per request over the measured run — the figure that holds on a
 * busy machine, where the throughput of a pinned core also depends on what else runs on it — and
 * likewise the subgraphs' process's (what a gateway makes the subgraphs spend on a request).
 */
async function measure(
  settings: Settings,
  load: Load,
  servedBy?: number,
  subgraphs?: number,
  /** Called as the measured run starts and as it ends (the profile's window). */
  around?: { started(): void; finished(): void },
): Promise<Measured> {
  const args: LoadArgs = {
    ...load,
    connections: settings.connections,
    seconds: settings.seconds,
    warmupSeconds: settings.warmupSeconds,
  };
  const proc = child(OTHER_CORE, 'gateway-load.ts', args);
  const next = answers(proc, 'the load generator');
  await next(); // warmed up
  around?.started();
  const before = [cpuMs(servedBy), cpuMs(subgraphs)];
  proc.stdin.write('go\n');
  const result = JSON.parse(await next()) as LoadResult;
  const after = [cpuMs(servedBy), cpuMs(subgraphs)];
  around?.finished();
  await stop(proc);
  const perRequest = (i: number) =>
    before[i] !== undefined && after[i] !== undefined ? (after[i]! - before[i]!) / result.requests : undefined;
  return { ...result, cpuMsPerRequest: perRequest(0), subgraphCpuMsPerRequest: perRequest(1) };
}

type Measured = LoadResult & { cpuMsPerRequest?: number; subgraphCpuMsPerRequest?: number };

/** One request of each query first: a gateway that answers with errors is not measured. */
async function check(url: string, q: Query, headers: Record<string, string>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: q.text, variables: q.variables(0) }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  if (!response.ok || body.errors || !body.data) {
    throw new Error(`${url} answered ${q.key} with ${response.status} ${JSON.stringify(body).slice(0, 500)}`);
  }
}

type Kind = 'ours' | 'ours-single' | 'stock' | 'hive';
const SCRIPTS: Record<Kind, ChildScript> = {
  ours: 'gateway-ours.ts',
  'ours-single': 'gateway-ours.ts',
  stock: 'gateway-stock.ts',
  hive: 'gateway-hive.ts',
};

async function startGatewayProcess(kind: Kind, args: GatewayArgs & { profile?: string }) {
  const proc = child(GATEWAY_CORE, SCRIPTS[kind], args);
  const next = answers(proc, kind);
  await next(); // ready
  const url = kind === 'stock' ? `http://127.0.0.1:${args.port}/` : `http://127.0.0.1:${args.port}/graphql`;
  return { proc, url, next };
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);
const pct = (n: number) => `${(n * 100).toFixed(0)} %`;

type Results = Record<string, Partial<Record<string, Measured>>>;

export async function run(opts: {
  quick: boolean;
  /** For development: measure only these targets (ours, ours-single, stock, hive, direct); all by default. */
  only?: string[];
  /** For development: skip the profile. */
  noProfile?: boolean;
  /** For development: keep the raw profile at this path (open it in Chrome's DevTools). */
  keepProfile?: string;
  /** For development: profile these queries mixed (memory, one, hop, items); all by default. */
  profileKeys?: string[];
}): Promise<{ title: string; markdown: string }> {
  const wanted = (target: string) => !opts.only || opts.only.includes(target);
  const settings = opts.quick ? QUICK : FULL;
  bundles ??= await bundleChildren();
  const issuerSecret = randomBytes(24).toString('base64url');
  const gatewaySecret = randomBytes(24).toString('base64url');
  const subgraphs = child(OTHER_CORE, 'gateway-subgraphs.ts', {
    issuerSecret,
    gatewaySecret,
    businesses: settings.businesses,
  });
  const running: ChildProcessWithoutNullStreams[] = [subgraphs];
  const profileDir = mkdtempSync(join(tmpdir(), 'onecheck-gateway-prof-'));
  try {
    const system = JSON.parse(await answers(subgraphs, 'the subgraphs')()) as {
      urls: GatewayArgs['urls'];
      departments: Record<string, string>;
      usccs: string[];
    };
    const token = await issueDemoToken(encode(issuerSecret), BENCH_IDENTITY, systemClock);
    const all = queries(system.usccs);
    const byKey = Object.fromEntries(all.map((q) => [q.key, q])) as Record<string, Query>;
    const results: Results = {};
    /** Keeps a target's best round of a row; every round is logged. */
    const record = (target: string, key: string, r: Measured) => {
      const best = results[target]?.[key];
      if (!best || r.rps > best.rps) (results[target] ??= {})[key] = r;
      process.stderr.write(
        `gateway bench: ${target} ${key}: ${fmt(r.rps)} RPS, p99 ${r.p99} ms, ` +
          `${r.cpuMsPerRequest?.toFixed(2) ?? '?'} ms CPU per request, ` +
          `subgraphs ${r.subgraphCpuMsPerRequest?.toFixed(2) ?? '?'} ms` +
          `${r.errors ? `, ${r.errors} errors: ${r.sample}` : ''}\n`,
      );
    };
    const args = async (departments: Record<string, string>): Promise<GatewayArgs> => ({
      port: await freePort(),
      urls: system.urls,
      departments,
      single: 'HEALTH',
      issuerSecret,
      gatewaySecret,
    });
    const single = { HEALTH: system.departments.HEALTH! };

    // Every gateway runs at once on the gateway core (only the one under load is busy), each warmed
    // with all its queries mixed so no row pays for its JIT's warm-up. Then each row measures the
    // targets back to back, in rounds whose order alternates: on a shared host the speed of a core
    // drifts over minutes, and the subgraphs' process keeps getting faster for a while (its PGlite
    // warming), so a gateway measured wholly first or minutes apart from its baseline would be
    // judged on the host's mood rather than on its own cost. Each target keeps its best round.
    const plan: { kind: Kind; departments: Record<string, string>; keys: string[] }[] = [
      { kind: 'ours', departments: system.departments, keys: ['memory', 'one', 'hop', 'items'] },
      // Only for the cost of routing: the same gateway with one department instance.
      { kind: 'ours-single', departments: single, keys: ['items'] },
      { kind: 'stock', departments: single, keys: ['memory', 'one', 'hop', 'items'] },
      { kind: 'hive', departments: single, keys: ['memory', 'one', 'hop', 'items'] },
    ];
    const skipped: Record<string, string> = {};
    const gateways = new Map<Kind, Awaited<ReturnType<typeof startGatewayProcess>>>();
    for (const step of plan.filter((p) => wanted(p.kind))) {
      try {
        const gateway = await startGatewayProcess(step.kind, await args(step.departments));
        running.push(gateway.proc);
        gateways.set(step.kind, gateway);
      } catch (err) {
        skipped[step.kind] = err instanceof Error ? err.message : String(err);
      }
    }
    // Our gateway checks the caller's bearer token; the baselines carry only the credential hook.
    const tokenOf = (kind: Kind) => (kind.startsWith('ours') ? token : undefined);
    const headersOf = (kind: Kind): Record<string, string> =>
      tokenOf(kind) ? { authorization: `Bearer ${tokenOf(kind)}` } : {};
    for (const step of plan.filter((p) => gateways.has(p.kind))) {
      const gateway = gateways.get(step.kind)!;
      for (const q of all) await check(gateway.url, q, headersOf(step.kind));
      // All four queries, whatever the gateway is measured on: the routing comparison's two gateways
      // then have the same history, and only their number of instances differs.
      const mixed = all.flatMap((q) => bodies(q, 50));
      await measure(
        { ...settings, seconds: settings.warmupSeconds },
        { url: gateway.url, bodies: mixed, token: tokenOf(step.kind) },
      );
    }

    // The subgraphs alone, called as the gateway calls them (its credential, no gateway).
    const direct: Record<string, string> = {
      memory: system.urls.market,
      one: system.urls.market,
      items: system.departments.HEALTH!,
    };
    const credential = await signGatewayCredential(encode(gatewaySecret), BENCH_IDENTITY, systemClock);
    for (const [key, url] of wanted('direct') ? Object.entries(direct) : [])
      await check(url, byKey[key]!, { [GATEWAY_HEADER]: credential });

    for (const q of all) {
      const targets: { target: string; load: Load; servedBy?: number }[] = plan
        .filter((p) => gateways.has(p.kind) && p.keys.includes(q.key))
        .map((p) => ({
          target: p.kind,
          load: { url: gateways.get(p.kind)!.url, bodies: bodies(q), token: tokenOf(p.kind) },
          servedBy: gateways.get(p.kind)!.proc.pid,
        }));
      if (wanted('direct') && direct[q.key])
        targets.push({ target: 'direct', load: { url: direct[q.key]!, bodies: bodies(q), gatewaySecret } });
      for (let round = 0; round < settings.rounds; round++) {
        for (const t of round % 2 ? [...targets].reverse() : targets) {
          record(t.target, q.key, await measure(settings, t.load, t.servedBy ?? subgraphs.pid, subgraphs.pid));
        }
      }
    }

    // Where the time goes: V8's CPU profile of our gateway over a window of load (the rows' queries
    // mixed, after a warm-up), as `node --cpu-prof` records it.
    let profile: Profiled | undefined;
    if (!opts.noProfile) {
      const profileFile = join(profileDir, 'gateway.cpuprofile');
      const gateway = await startGatewayProcess('ours', { ...(await args(system.departments)), profile: profileFile });
      running.push(gateway.proc);
      const profiled = opts.profileKeys ?? PROFILED;
      const mix = profiled.flatMap((k) => bodies(byKey[k]!, Math.ceil(200 / profiled.length)));
      const load = await measure(
        { ...settings, seconds: settings.profileSeconds },
        { url: gateway.url, bodies: mix, token },
        gateway.proc.pid,
        subgraphs.pid,
        {
          started: () => void gateway.proc.stdin.write('profile-start\n'),
          finished: () => void gateway.proc.stdin.write('profile-stop\n'),
        },
      );
      const answer = await gateway.next();
      if (answer !== 'profiled') throw new Error(`profiling failed: ${answer}`);
      await stop(gateway.proc);
      if (opts.keepProfile) copyFileSync(profileFile, opts.keepProfile);
      profile = { ...summariseProfile(profileFile), load, queries: profiled.map((k) => byKey[k]!.title) };
    }
    return {
      title: 'Gateway: OneCheck vs stock @apollo/gateway and Hive Gateway',
      markdown: report(settings, opts.quick, results, all, skipped, profile),
    };
  } finally {
    for (const proc of running.reverse()) await stop(proc).catch(() => undefined);
    rmSync(profileDir, { recursive: true, force: true });
  }
}

type Profiled = ProfileSummary & { load: Measured; queries: string[] };
/** The queries the profile mixes by default: every row's. */
const PROFILED = ['memory', 'one', 'hop', 'items'];

// ——— the report ———

function report(
  settings: Settings,
  quick: boolean,
  results: Results,
  all: Query[],
  skipped: Record<string, string>,
  profile: Profiled | undefined,
): string {
  const r = (target: string, key: string) => results[target]?.[key];
  const cell = (x?: Measured) =>
    x ? `${fmt(x.rps)} / ${fmt(x.p99)} ms${x.errors ? ` (${x.errors} errors)` : ''}` : '—';
  const cpu = (x?: Measured) => (x?.cpuMsPerRequest !== undefined ? x.cpuMsPerRequest.toFixed(2) : '—');
  /** CPU per request, and how busy that made the serving process's core (100 %: it was the bottleneck). */
  const cpuCell = (x?: Measured) =>
    x?.cpuMsPerRequest !== undefined ? `${cpu(x)} (${pct((x.cpuMsPerRequest * x.rps) / 1000)})` : '—';
  const times = (n: number) => `${n.toFixed(2)}×`;
  /** Throughput ratio a ÷ b, and the same from CPU per request (b's cost ÷ a's). */
  const ratio = (a?: Measured, b?: Measured) => (a && b ? times(a.rps / b.rps) : '—');
  const cpuRatio = (a?: Measured, b?: Measured) =>
    a?.cpuMsPerRequest && b?.cpuMsPerRequest ? times(b.cpuMsPerRequest / a.cpuMsPerRequest) : '—';
  const lines: string[] = [];
  lines.push(
    `Command: \`npm run bench\`${quick ? ' (quick)' : ''} — ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    '',
    hasTaskset
      ? `Pinning: the gateway under test alone on core ${GATEWAY_CORE} (\`taskset -c ${GATEWAY_CORE}\`); the subgraphs ` +
          `(one process: market, approval, credit, five department instances on in-memory PGlite, ` +
          `${settings.businesses} demo businesses) and the load generator on core ${OTHER_CORE}.`
      : 'Pinning: `taskset` was not found, so nothing is pinned and the figures are not comparable with pinned runs.',
    `Load: autocannon, ${settings.connections} connections, ${settings.warmupSeconds} s warm-up then ` +
      `${settings.seconds} s measured per row; 200 request bodies taken in turn (variables vary: sections, ` +
      'businesses, industries). A response with a non-2xx status or an `errors` member counts as an error. ' +
      'Every gateway runs from the start, warmed with all its queries mixed; each row then measures every target ' +
      `back to back, ${settings.rounds === 1 ? 'once' : `${settings.rounds} times in alternating order, and each keeps its best round`} ` +
      '(a shared host’s speed drifts over minutes, and the subgraphs’ process keeps speeding up for a while: a ' +
      'gateway measured wholly before its baseline ran on slower subgraphs — up to twice their CPU per request). ' +
      "CPU per request is the serving process's user + system time (from /proc) over the measured run divided by " +
      'the requests answered: other work on the machine moves it less than throughput, though on a shared host it moves too.',
    '',
    'Configurations (all with `NODE_ENV=production`):',
    '',
    '- **OneCheck**: `startGateway` as `gateway/src/main.ts` runs it in production mode — bearer token verified, ' +
      'depth/alias/cost/token limits, department routing over five instances, telemetry spans, localised errors, ' +
      'the gateway credential to each subgraph, and its rate limiter, relaxed for one token at full load: ' +
      `${BENCH_RATE_LIMIT.perMinute.toLocaleString('en')} requests a minute, burst ${BENCH_RATE_LIMIT.burst.toLocaleString('en')} ` +
      `(the default: ${DEFAULT_RATE_LIMIT.perMinute} a minute, burst ${DEFAULT_RATE_LIMIT.burst}), so it runs but never refuses.`,
    '- **OneCheck, one department**: the same with a single department instance (HEALTH), for the cost of routing.',
    '- **stock**: `@apollo/server` `startStandaloneServer` + `new ApolloGateway({ supergraphSdl, buildService })`, where ' +
      "`buildService` returns a `RemoteGraphQLDataSource` whose `willSendRequest` sets `x-onecheck-gateway` (the bench's " +
      'caller, signed once a minute); the department subgraph points at the HEALTH instance; everything else default.',
    '- **Hive**: `createGatewayRuntime({ supergraph, plugins })` from `@graphql-hive/gateway-runtime` on `node:http`, ' +
      'one `onFetch` plugin setting the same header; department subgraph at HEALTH; everything else default.',
    '- **direct**: the subgraph service itself, called with the gateway credential (no gateway); its CPU is that of ' +
      'the process holding every subgraph.',
    '',
  );
  for (const [kind, why] of Object.entries(skipped)) lines.push(`**${kind} not measured**: ${why}`, '');
  lines.push(
    'Throughput and latency (RPS / p99):',
    '',
    '| query | OneCheck | stock | Hive | direct to subgraph | ours ÷ stock (goal ≥ 1.5×) | ours ÷ Hive (goal ≥ 1.0×) | ours ÷ direct (goal ≥ 70 %) |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const q of all) {
    const ours = r('ours', q.key);
    const direct = r('direct', q.key);
    lines.push(
      `| ${q.title} | ${cell(ours)} | ${cell(r('stock', q.key))} | ${cell(r('hive', q.key))} | ${cell(direct)} | ` +
        `${ratio(ours, r('stock', q.key))} | ${ratio(ours, r('hive', q.key))} | ` +
        `${ours && direct ? pct(ours.rps / direct.rps) : '—'} |`,
    );
  }
  lines.push(
    '',
    'CPU per request in ms of the serving process (in brackets: how busy its core was; where the gateway’s is well ' +
      'under 100 %, the subgraphs’ core was the bottleneck and the throughput above says more about it than about ' +
      'the gateway), and the ratios from it — the other’s CPU per request ÷ ours, the throughput each would reach ' +
      'with its core to itself:',
    '',
    '| query | OneCheck | stock | Hive | direct to subgraph | stock ÷ ours (goal ≥ 1.5×) | Hive ÷ ours (goal ≥ 1.0×) |',
    '|---|---|---|---|---|---|---|',
  );
  for (const q of all) {
    const ours = r('ours', q.key);
    lines.push(
      `| ${q.title} | ${cpuCell(ours)} | ${cpuCell(r('stock', q.key))} | ${cpuCell(r('hive', q.key))} | ` +
        `${cpuCell(r('direct', q.key))} | ` +
        `${cpuRatio(ours, r('stock', q.key))} | ${cpuRatio(ours, r('hive', q.key))} |`,
    );
  }
  const sub = (x?: Measured) => x?.subgraphCpuMsPerRequest?.toFixed(2) ?? '—';
  lines.push(
    '',
    'What each gateway made the subgraphs spend: CPU per request in ms of the process holding every subgraph ' +
      '(the core it shares with the load generator is the bottleneck of the database rows):',
    '',
    '| query | OneCheck | stock | Hive | direct to subgraph |',
    '|---|---|---|---|---|',
    ...all.map(
      (q) =>
        `| ${q.title} | ${sub(r('ours', q.key))} | ${sub(r('stock', q.key))} | ${sub(r('hive', q.key))} | ` +
        `${sub(r('direct', q.key))} |`,
    ),
  );
  const routed = r('ours', 'items');
  const one = r('ours-single', 'items');
  if (routed && one) {
    const cpuCost =
      routed.cpuMsPerRequest && one.cpuMsPerRequest ? pct(routed.cpuMsPerRequest / one.cpuMsPerRequest - 1) : '—';
    lines.push(
      '',
      `Department routing: \`supervisionItems(department: "HEALTH")\` routed among five instances: ${cell(routed)}, ` +
        `${cpu(routed)} ms CPU per request; with one instance: ${cell(one)}, ${cpu(one)} ms. Routing costs ` +
        `**${pct(1 - routed.rps / one.rps)}** of throughput and **${cpuCost}** more CPU per request (goal < 10 %).`,
    );
  }
  if (profile) {
    const perRequest = profile.busyMs / profile.load.requests;
    lines.push(
      '',
      `CPU profile of OneCheck's gateway: V8's sampling profiler (what \`node --cpu-prof\` records) over ` +
        `${settings.profileSeconds} s of these queries mixed: ${profile.queries.join('; ')}; after a warm-up: ` +
        `${profile.load.requests} requests, ${fmt(profile.busyMs)} ms of JavaScript busy time ` +
        `(${perRequest.toFixed(2)} ms per request), ${pct(profile.idleShare)} of the window idle or unattributed.`,
      '',
      'Steps of a request, as shares of busy time (inclusive: the step and what it calls; spans: self time in OpenTelemetry):',
      '',
      '| step | share |',
      '|---|---|',
      ...profile.suspects.map((x) => `| ${x.label} | ${pct(x.share)} |`),
      '',
      'Self time by where the code lives:',
      '',
      '| area | share |',
      '|---|---|',
      ...profile.byArea.map((a) => `| ${a.area} | ${pct(a.share)} |`),
      '',
      'Hottest functions (self time):',
      '',
      '| function | share |',
      '|---|---|',
      ...profile.byFunction.map((f) => `| \`${f.fn}\` | ${pct(f.share)} |`),
    );
  }
  lines.push(
    '',
    'Notes from development (quick runs on the shared machine, issue 7): the first profile of our gateway put ' +
      "jose's HMAC verify of the user token at 12 % and the signing of the subgraph credential at 11 % of its busy " +
      'time (both WebCrypto jobs, per request), and fetch/undici to the subgraphs with node-fetch Request/Headers at ' +
      '34 %; parse, validation (the limits rule) and planning were under 1 % (Apollo caches documents and plans; the ' +
      "router's parse cache holds). Tokens are now verified and credentials signed once a minute per caller " +
      '(packages/auth/src/reuse.ts; subgraphs now check each credential once the same way) and subgraph requests ' +
      'use kept-alive node:http connections (gateway/src/subgraph-source.ts). Tracing then cost about a quarter of ' +
      'the gateway’s CPU with no exporter attached (with `setupTelemetry()` left out, CPU per request fell from ' +
      '0.85–1.60 ms to 0.63–1.29 ms); spans are now recorded only while an exporter is attached, and ids still ' +
      'propagate. The memory row asks for the divisions of a section (the GB/T 4754 catalogue the market service ' +
      'holds): the working-day query it replaced reads the calendar from the database on every call, which made ' +
      'the subgraph, not the gateway, the bottleneck of that row too. A profile of the items row then put the ' +
      'operation limits at 11 % (two walks of every document per request: they now judge a document once per ' +
      'operation and page sizes), @apollo/gateway’s five spans per request, recorded by nobody, at 6 % (a span ' +
      'opened inside an unrecorded one is now that span again) and, with the gateways run under tsx, Apollo’s ' +
      "query hash at 3 % (it requires node's crypto on every call, through tsx's resolver): every process of this " +
      'benchmark now runs bundled on node alone, as `npm start` runs the services.',
  );
  return lines.join('\n');
}

// `npx tsx scripts/bench/gateway.ts [--quick]` runs this section alone and prints its markdown.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const { title, markdown } = await run({
    quick: process.argv.includes('--quick'),
    only: only?.split(','),
    noProfile: process.argv.includes('--no-profile'),
    keepProfile: process.argv.find((a) => a.startsWith('--keep-profile='))?.slice('--keep-profile='.length),
    profileKeys: process.argv
      .find((a) => a.startsWith('--profile='))
      ?.slice('--profile='.length)
      .split(','),
  });
  process.stdout.write(`## ${title}\n\n${markdown}\n`);
}
