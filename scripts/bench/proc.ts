/**
 * What the benchmarks read of processes in /proc (Linux): CPU time, the tree under a process, and
 * what each process is. The gateway's CPU per request, the events' CPU per notice and the memory
 * of the embedded system are all read through here.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second, the unit of CPU times in /proc (USER_HZ, 100 on Linux). */
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** The fields of /proc/<pid>/stat after the command name (which is in parentheses and may hold spaces). */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** CPU time (user + system, every thread) a process has used so far, in ms; undefined where there is none. */
export function cpuMs(pid: number | undefined): number | undefined {
  try {
    // utime and stime are the 12th and 13th fields after the name.
    const fields = statFields(pid!);
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

function children(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent pid is the 2nd field after the name.
      if (Number(statFields(Number(entry))[1]) === pid) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** `root` and every process under it. */
export function tree(root: number): number[] {
  const all = [root];
  for (let i = 0; i < all.length; i++) all.push(...children(all[i]!));
  return all;
}

/** Whether a process (as commandOf names it) is the PostgreSQL server or a backend, not the Node process that starts it. */
export const isPostgres = (command: string) => command.startsWith('postgres') && !command.endsWith('.ts');

/**
 * What a process is, for a report: `service market`, `gateway`, `broker`, `postgres …`, or its
 * program. A part runs its TypeScript entry or that entry's bundle (scripts/build.ts names it after
 * the entry's path: `services-market-src-main.mjs`).
 */
export function commandOf(pid: number): string {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const main = args.find((a) => (/\.(ts|mjs)$/.test(a) && !a.includes('/node_modules/')) || a.startsWith('postgres'));
    if (/\/services[/-]/.test(main ?? '')) return main!.replace(/.*services[/-]([^/-]+)[/-].*/, 'service $1');
    if (/\/gateway[/-]/.test(main ?? '')) return 'gateway';
    if (/infra[/-]broker/.test(main ?? '')) return 'broker';
    if (main?.endsWith('scripts-postgres.mjs')) return 'postgres.ts';
    // A server's backend names itself (`postgres: 15/main: postgres test 127.0.0.1(…) idle`).
    if (main?.startsWith('postgres')) return main;
    return (main ?? args[0] ?? '?').replace(/.*\//, '');
  } catch {
    return '?';
  }
}

/** The part of the system a process is, for CPU by part: this process as `self` names it, PostgreSQL, or commandOf's name. */
function partOf(pid: number, self: string): string {
  if (pid === process.pid) return self;
  const command = commandOf(pid);
  if (isPostgres(command)) return 'PostgreSQL';
  return command.replace(/^service /, '');
}

/** The processes of a PostgreSQL server on this machine outside this one's tree (an outside server's backends). */
function postgresElsewhere(inTree: Set<number>): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e) && !inTree.has(Number(e)))
    .map(Number)
    .filter((pid) => isPostgres(commandOf(pid)));
}

export type CpuReading = Map<number, { part: string; ms: number }>;

/**
 * The CPU (ms) each process of this one's tree has used so far, with its part; with
 * `localServer`, also a PostgreSQL server's processes elsewhere on this machine (the outside
 * server a bench's DATABASE_URL names, when it runs here).
 */
export function cpuNow(self: string, localServer = false): CpuReading {
  const now: CpuReading = new Map();
  const pids = tree(process.pid);
  if (localServer) pids.push(...postgresElsewhere(new Set(pids)));
  for (const pid of pids) {
    const ms = cpuMs(pid);
    if (ms !== undefined) now.set(pid, { part: partOf(pid, self), ms });
  }
  return now;
}

/**
 * CPU per unit of work (ms: per notice, per request) between two readings, by part, and in all
 * (`all`): user + system time from /proc, which other work on the machine moves less than it
 * moves rates and latency (on a shared host it still moves: the same code has measured 1.26–1.75
 * ms a notice within an hour). A process that started in between counts from zero; one that
 * ended in between is left out.
 */
export function cpuPerUnit(before: CpuReading, after: CpuReading, units: number): Map<string, number> {
  const parts = new Map<string, number>();
  for (const [pid, { part, ms }] of after) {
    const used = ms - (before.get(pid)?.ms ?? 0);
    parts.set(part, (parts.get(part) ?? 0) + used / units);
  }
  const all = [...parts.values()].reduce((a, b) => a + b, 0);
  return new Map([['all', all], ...[...parts].sort((a, b) => b[1] - a[1])]);
}
