/**
 * A small process supervisor: runs each part of the system as its own OS process (node on a
 * JavaScript entry such as a bundle from scripts/build.ts, or with tsx's loader on a TypeScript
 * one), in the order given, each waited for until it answers its readiness check. Every line a
 * child prints comes out prefixed with its name (`[health] …`). A child that exits on its own is
 * started again after a backoff (0.5 s doubling to 10 s, back to 0.5 s once it has stayed up 30 s)
 * while the others keep running. `stop()` stops them in reverse order: SIGTERM, then SIGKILL after
 * a timeout.
 *
 * No child outlives the supervisor: each runs in its own process group (so a Ctrl-C at the terminal
 * reaches the supervisor alone, which then stops the children in order), and a tiny reaper (`sh`,
 * in a session of its own) holds a pipe from the supervisor and the list of running children. When
 * the pipe closes without a clean stop — the supervisor died, SIGKILL included — the reaper sends
 * every child's group SIGTERM, then SIGKILL 5 s later. It works whatever state a child is in (one
 * blocked on a full log pipe cannot run a handler of its own).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

/** How the supervisor knows a child is ready: a 2xx from an HTTP URL, a TCP port accepting connections, or a check of its own. */
export type Readiness = { http: string } | { tcp: { host: string; port: number } } | { check: () => Promise<boolean> };

export interface ChildSpec {
  /** Short name: prefixes the child's lines. */
  name: string;
  /** The TypeScript (or JavaScript) file the child runs. */
  entry: string;
  /** The child's whole environment (nothing is inherited that is not here). */
  env: Record<string, string | undefined>;
  ready: Readiness;
  /** How long the first start may take before the supervisor gives up (default 60 s). */
  readyTimeoutMs?: number;
  /**
   * Its place in the dependency order: higher tiers depend on lower ones and stop first; children
   * of one tier stop together. Default: after every child started before it.
   */
  tier?: number;
}

export interface Backoff {
  initialMs: number;
  maxMs: number;
  /** A child that stayed up this long gets the initial delay again on its next crash. */
  resetAfterMs: number;
}

export interface SupervisorOptions {
  backoff?: Partial<Backoff>;
  /** How long a child has to stop after SIGTERM before SIGKILL (default 10 s). */
  stopTimeoutMs?: number;
  /** Where lines go (default: this process's stdout and stderr). */
  output?: { out(line: string): void; err(line: string): void };
}

export type ChildState = 'starting' | 'running' | 'backoff' | 'stopping' | 'stopped';

/** What the supervisor knows of one child. */
export interface SupervisedChild {
  readonly name: string;
  readonly pid: number | undefined;
  readonly state: ChildState;
  /** Starts after the first one: how often it was restarted after exiting on its own. */
  readonly restarts: number;
}

export interface Supervisor {
  /** Starts a child and resolves once it is ready; rejects (leaving it stopped) if it exits or times out first. */
  start(spec: ChildSpec): Promise<SupervisedChild>;
  /** Runs a one-off task as a child (never restarted); resolves when it exits with code 0. */
  run(spec: Omit<ChildSpec, 'ready' | 'readyTimeoutMs'>): Promise<void>;
  children(): SupervisedChild[];
  child(name: string): SupervisedChild | undefined;
  /** Stops every child: the highest tier first (by default, the last started first). */
  stop(): Promise<void>;
}

const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 10_000, resetAfterMs: 30_000 };
// tsx's loader by absolute URL, so the children resolve it whatever their working directory.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One answer of a readiness check, never throwing. */
async function isReady(ready: Readiness): Promise<boolean> {
  if ('check' in ready) return ready.check().catch(() => false);
  if ('http' in ready) {
    try {
      const res = await fetch(ready.http, { signal: AbortSignal.timeout(2000) });
      await res.body?.cancel();
      return res.ok;
    } catch {
      return false;
    }
  }
  return new Promise((resolve) => {
    const socket = connect(ready.tcp.port, ready.tcp.host);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * The reaper's script: reads "+ pid" / "- pid" lines (the process groups of running children);
 * at end of input, signals the groups still listed: SIGTERM, then SIGKILL after 5 s.
 */
const REAPER_SCRIPT = `
groups=""
while read -r op pid; do
  if [ "$op" = "+" ]; then groups="$groups $pid"; else groups=$(for g in $groups; do [ "$g" != "$pid" ] && printf '%s ' "$g"; done); fi
done
[ -z "$(echo $groups)" ] && exit 0
for g in $groups; do kill -TERM -$g 2>/dev/null; done
sleep 5
for g in $groups; do kill -KILL -$g 2>/dev/null; done
`;

interface Reaper {
  watch(pid: number): void;
  forget(pid: number): void;
  /** A clean stop: every child is gone, the reaper may go too. */
  close(): void;
}

function startReaper(): Reaper {
  let reaper: ChildProcess | undefined;
  const send = (line: string) => {
    if (!reaper) {
      // Made at the first child; a session of its own, so nothing aimed at the supervisor's group reaches it.
      reaper = spawn('/bin/sh', ['-c', REAPER_SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
      reaper.stdin!.on('error', () => {});
      // Neither the reaper nor its pipe keeps the supervisor alive.
      reaper.unref();
      (reaper.stdin as unknown as { unref?: () => void }).unref?.();
    }
    reaper.stdin!.write(`${line}\n`);
  };
  return {
    watch: (pid) => send(`+ ${pid}`),
    forget: (pid) => send(`- ${pid}`),
    close: () => reaper?.stdin!.end(),
  };
}

class Child implements SupervisedChild {
  state: ChildState = 'starting';
  restarts = 0;
  process: ChildProcess | undefined;
  private delayMs = 0;
  private startedAt = 0;
  private exited: Promise<void> = Promise.resolve();
  private retry: NodeJS.Timeout | undefined;

  constructor(
    readonly spec: ChildSpec,
    private readonly backoff: Backoff,
    private readonly output: NonNullable<SupervisorOptions['output']>,
    /** A one-off task: its exit is reported to this, never restarted. */
    private readonly onTaskExit: ((code: number | null, signal: NodeJS.Signals | null) => void) | undefined,
    readonly tier: number,
    private readonly reaper: Reaper,
  ) {}

  get name() {
    return this.spec.name;
  }
  get pid() {
    return this.process?.pid;
  }

  private say(line: string) {
    this.output.out(`[supervisor] ${this.name}: ${line}`);
  }

  /** Spawns the process; when it exits on its own, schedules the next start. */
  spawn() {
    this.state = 'starting';
    this.startedAt = performance.now();
    // A bundle runs on node alone (its source maps name the TypeScript lines); TypeScript through tsx's loader.
    const args = /\.[cm]?ts$/.test(this.spec.entry)
      ? ['--import', TSX_LOADER, this.spec.entry]
      : ['--enable-source-maps', this.spec.entry];
    const child = spawn(process.execPath, args, {
      env: Object.fromEntries(Object.entries(this.spec.env).filter(([, v]) => v !== undefined)),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: signals from the terminal reach the supervisor only.
      detached: true,
    });
    this.process = child;
    const pid = child.pid;
    if (pid) this.reaper.watch(pid);
    const prefix = `[${this.name}] `;
    // A child that names itself already (the broker's `[broker] …`) is not named twice.
    const line = (l: string) => (l.startsWith(prefix) ? l : prefix + l);
    createInterface({ input: child.stdout! }).on('line', (l) => this.output.out(line(l)));
    createInterface({ input: child.stderr! }).on('line', (l) => this.output.err(line(l)));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        if (pid) this.reaper.forget(pid);
        resolve();
        if (this.process === child) this.process = undefined;
        this.onExit(code, signal);
      }),
    );
    child.once('error', (err) => this.output.err(`[supervisor] ${this.name}: ${err.message}`));
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null) {
    const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
    if (this.state === 'stopping' || this.state === 'stopped' || this.onTaskExit) {
      this.state = 'stopped';
      this.onTaskExit?.(code, signal);
      return;
    }
    const upMs = performance.now() - this.startedAt;
    this.delayMs =
      this.delayMs === 0 || upMs >= this.backoff.resetAfterMs
        ? this.backoff.initialMs
        : Math.min(this.delayMs * 2, this.backoff.maxMs);
    this.state = 'backoff';
    this.say(`${how}; starting it again in ${(this.delayMs / 1000).toFixed(1)} s`);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.restarts++;
      this.spawn();
      void this.announceReady();
    }, this.delayMs);
  }

  /** After a restart: says when the child answers again (nobody waits for it). */
  private async announceReady() {
    const child = this.process;
    while (this.process === child && this.state === 'starting') {
      if (await isReady(this.spec.ready)) {
        if (this.process === child && this.state === 'starting') {
          this.state = 'running';
          this.say(`ready again (pid ${child?.pid}, restart ${this.restarts})`);
        }
        return;
      }
      await sleep(100);
    }
  }

  /** The first start: resolves when ready, rejects if the process exits or the timeout passes first. */
  async waitReady(): Promise<void> {
    const child = this.process;
    const until = performance.now() + (this.spec.readyTimeoutMs ?? 60_000);
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (!(await isReady(this.spec.ready))) {
      if (exited || this.process !== child) throw new Error(`${this.name} exited before it was ready`);
      if (performance.now() > until)
        throw new Error(`${this.name} was not ready within ${this.spec.readyTimeoutMs ?? 60_000} ms`);
      await sleep(100);
    }
    this.state = 'running';
  }

  /** SIGTERM to the child's process group, SIGKILL after the timeout; no restart follows. */
  async stop(timeoutMs: number): Promise<void> {
    this.state = 'stopping';
    if (this.retry) clearTimeout(this.retry);
    const child = this.process;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) {
      this.state = 'stopped';
      return;
    }
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // Already gone.
      }
    };
    const began = performance.now();
    signalGroup('SIGTERM');
    const killed = setTimeout(() => {
      this.say(`did not stop within ${timeoutMs} ms: SIGKILL`);
      signalGroup('SIGKILL');
    }, timeoutMs);
    await this.exited;
    clearTimeout(killed);
    this.state = 'stopped';
    this.say(`stopped (${((performance.now() - began) / 1000).toFixed(1)} s)`);
  }
}

export function createSupervisor(opts: SupervisorOptions = {}): Supervisor {
  const backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
  const stopTimeoutMs = opts.stopTimeoutMs ?? 10_000;
  const output = opts.output ?? {
    out: (line: string) => void process.stdout.write(`${line}\n`),
    err: (line: string) => void process.stderr.write(`${line}\n`),
  };
  const children: Child[] = [];
  const reaper = startReaper();
  let lastTier = 0;
  const nextTier = (tier = lastTier + 1) => {
    lastTier = Math.max(lastTier, tier);
    return tier;
  };
  let stopping: Promise<void> | undefined;

  return {
    async start(spec) {
      if (stopping) throw new Error('the supervisor is stopping');
      if (children.some((c) => c.name === spec.name)) throw new Error(`${spec.name} is already supervised`);
      const child = new Child(spec, backoff, output, undefined, nextTier(spec.tier), reaper);
      children.push(child);
      child.spawn();
      try {
        await child.waitReady();
      } catch (err) {
        await child.stop(stopTimeoutMs);
        children.splice(children.indexOf(child), 1);
        throw err;
      }
      return child;
    },
    async run(spec) {
      if (stopping) throw new Error('the supervisor is stopping');
      let exit!: (code: number | null, signal: NodeJS.Signals | null) => void;
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
        exit = (code, signal) => resolve([code, signal]);
      });
      const task = new Child(
        { ...spec, ready: { check: async () => true } },
        backoff,
        output,
        exit,
        nextTier(),
        reaper,
      );
      children.push(task);
      task.spawn();
      const [code, signal] = await exited;
      children.splice(children.indexOf(task), 1);
      if (code !== 0)
        throw new Error(`${spec.name} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`);
    },
    children: () => [...children],
    child: (name) => children.find((c) => c.name === name),
    stop: () =>
      (stopping ??= (async () => {
        const tiers = [...new Set(children.map((c) => c.tier))].sort((a, b) => b - a);
        for (const tier of tiers) {
          await Promise.all(children.filter((c) => c.tier === tier).map((c) => c.stop(stopTimeoutMs)));
        }
        reaper.close();
      })()),
  };
}
