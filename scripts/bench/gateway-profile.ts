/**
 * Summarises a V8 CPU profile (`node --cpu-prof`) of the gateway: self time by function and by
 * where the code lives (a package under node_modules, a file of ours, Node itself, the garbage
 * collector, idle), so the benchmark notes say where a request's time goes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled time in ms, idle excluded. */
  busyMs: number;
  idleShare: number;
  byArea: { area: string; share: number }[];
  byFunction: { fn: string; share: number }[];
  /** Inclusive shares (the function and all it calls) of the suspects the issue names. */
  suspects: { label: string; share: number }[];
}

/** The candidates of issue 7 and the other per-request steps, as frames to look for on each sampled stack. */
const SUSPECTS: { label: string; match: (fn: string, url: string) => boolean; leaf?: boolean }[] = [
  // jose's HMAC runs in WebCrypto jobs, whose samples hang off the microtask queue rather than
  // under jwtVerify or SignJWT, so the verify and sign steps are recognised by jose's own files.
  {
    label: 'user token check (jose jwtVerify)',
    match: (fn, url) => fn === 'jwtVerify' || (url.includes('/jose/') && /verify/.test(url)),
  },
  {
    label: 'credential signing (jose SignJWT)',
    match: (fn, url) => fn === 'signGatewayCredential' || (url.includes('/jose/') && /sign\.js$/.test(url)),
  },
  { label: 'parse (graphql parse)', match: (fn, url) => fn === 'parse' && url.includes('/graphql/language/') },
  {
    label: 'validate (graphql validate)',
    match: (fn, url) => fn === 'validate' && url.includes('/graphql/validation/'),
  },
  {
    label: 'operation limits (gateway/src/limits.ts)',
    match: (fn, url) => fn === 'didResolveOperation' && url.endsWith('gateway/src/limits.ts'),
  },
  { label: 'query planning (buildQueryPlan)', match: (fn) => fn === 'buildQueryPlan' },
  { label: 'plan execution (executeQueryPlan)', match: (fn) => fn === 'executeQueryPlan' },
  {
    label: 'subgraph request (SubgraphSource.process, node:http)',
    match: (fn, url) => fn === 'process' && url.endsWith('gateway/src/subgraph-source.ts'),
  },
  {
    label: 'department router (DepartmentRouter.process)',
    match: (fn, url) => fn === 'process' && url.endsWith('gateway/src/department-router.ts'),
  },
  {
    label: 'spans (self time in @opentelemetry/*)',
    match: (_fn, url) => url.includes('/@opentelemetry/'),
    leaf: true,
  },
  { label: 'garbage collection', match: (fn) => fn === '(garbage collector)' },
];

/** Where a frame's code lives: `pkg:@apollo/gateway`, `ours:gateway/src/x.ts`, `node:internal`, or V8's own. */
export function areaOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return `pkg:${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (url.startsWith('node:')) return 'node (http, streams, …)';
  const repo = /\/(gateway|packages|scripts|services)\/.*$/.exec(url);
  return repo ? `ours:${repo[0].slice(1).replace(/\?.*$/, '')}` : url;
}

/**
 * The profile with each frame of a bundle (scripts/build.ts) moved to the TypeScript file and line
 * its source map names: V8 records the bundle's, which would put all our code in one place.
 */
function unbundled(profile: Profile): Profile {
  const maps = new Map<string, { map: SourceMap; dir: string } | null>();
  const mapOf = (url: string) => {
    if (!maps.has(url)) {
      // Only our bundles: a package's own source map (drizzle's, say) would name its sources
      // outside the package's folder and lose which package the frame belongs to.
      const path = url.startsWith('file://') && !url.includes('/node_modules/') ? fileURLToPath(url) : '';
      const file = `${path}.map`;
      maps.set(
        url,
        path && existsSync(file)
          ? { map: new SourceMap(JSON.parse(readFileSync(file, 'utf8'))), dir: dirname(file) }
          : null,
      );
    }
    return maps.get(url)!;
  };
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    const found = frame.url ? mapOf(frame.url) : null;
    const entry = found?.map.findEntry(frame.lineNumber, frame.columnNumber) as
      { originalSource?: string; originalLine?: number } | undefined;
    if (!found || !entry?.originalSource) continue;
    const source = entry.originalSource.startsWith('file://')
      ? fileURLToPath(entry.originalSource)
      : resolve(found.dir, entry.originalSource);
    node.callFrame = { ...frame, url: source, lineNumber: entry.originalLine ?? frame.lineNumber };
  }
  return profile;
}

export function summariseProfile(file: string, top = 15): ProfileSummary {
  const profile = unbundled(JSON.parse(readFileSync(file, 'utf8')) as Profile);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const suspectTime = SUSPECTS.map(() => 0);
  const self = new Map<number, number>();
  // The profiler's own work when it is stopped (node:inspector on the stack) is not the gateway's.
  const inspector = new Set<number>();
  for (const n of profile.nodes) if (n.callFrame.url === 'node:inspector') inspector.add(n.id);
  const underInspector = (id: number) => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) if (inspector.has(at)) return true;
    return false;
  };
  profile.samples.forEach((id, i) => {
    if (underInspector(id)) return;
    const us = profile.timeDeltas[i] ?? 0;
    self.set(id, (self.get(id) ?? 0) + us);
    // Inclusive: a suspect on the sampled stack gets the sample once, however deep it recurses.
    const hit = new Set<number>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url } = byId.get(at)!.callFrame;
      SUSPECTS.forEach((s, k) => !s.leaf && s.match(functionName, url) && hit.add(k));
    }
    // Self-time suspects: the sample's own frame, or the JavaScript frame below a native leaf.
    const leaf = byId.get(id)!.callFrame;
    const own = leaf.url ? leaf : byId.get(parent.get(id) ?? id)!.callFrame;
    SUSPECTS.forEach((s, k) => s.leaf && s.match(own.functionName, own.url) && hit.add(k));
    for (const k of hit) suspectTime[k]! += us;
  });
  let idle = 0;
  let busy = 0;
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)' || frame.functionName === '(program)') {
      // (program) is time V8 cannot attribute; keep it with idle so shares are of JavaScript work.
      idle += us;
      continue;
    }
    busy += us;
    const area = areaOf(frame.url, frame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const fn = `${frame.functionName || '(anonymous)'} ${area}${frame.url && !frame.url.includes('node_modules') ? `:${frame.lineNumber + 1}` : ''}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
  }
  const ranked = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    busyMs: busy / 1000,
    idleShare: idle / (idle + busy),
    byArea: ranked(areas).map(([area, us]) => ({ area, share: us / busy })),
    byFunction: ranked(fns).map(([fn, us]) => ({ fn, share: us / busy })),
    suspects: SUSPECTS.map((s, k) => ({ label: s.label, share: suspectTime[k]! / busy })),
  };
}
