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
    return (main ?? args[0] ?? '?').replace(/.*\//, '');
  } catch {
    return '?';
  }
}
