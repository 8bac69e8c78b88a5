/**
 * Memory of the whole embedded system after the demo load (issue 7: under 1.5 GB), as the sum of
 * the processes' proportional set size (PSS: a page shared by N processes counts 1/N in each),
 * read from /proc/<pid>/smaps_rollup. It runs `npm start` exactly as a user does, in a fresh data
 * folder on its own ports, waits for the demo county, measures, and stops it.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@onecheck/kit';
import { benchEnv } from '../env';
import type { BenchSection } from './index';
import { commandOf, isPostgres, tree } from './proc';

/** The goal of issue 7 item 5. */
const GOAL_MB = 1536;

function pssKb(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

export async function run({ quick }: { quick: boolean }): Promise<BenchSection> {
  const dataDir = mkdtempSync(join(tmpdir(), 'onecheck-memory-'));
  // As root the embedded server runs as user postgres, which must be able to enter the folder.
  chmodSync(dataDir, 0o755);
  const { baseEnv } = benchEnv();
  // Ports away from a running `npm start`; the services' own ports are npm start's fixed ones.
  const child = spawn('npm', ['start'], {
    cwd: REPO_ROOT,
    env: {
      ...baseEnv,
      DATA_DIR: dataDir,
      PORT: '14000',
      BROKER_PORT: '19092',
      POSTGRES_PORT: '15433',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const started = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () => reject(new Error('npm start did not finish the demo load in 10 minutes')),
        600_000,
      );
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('OneCheck is running')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`npm start exited with ${code}`)));
    });
    const firstStart = (performance.now() - started) / 1000;
    // Let the demo's events drain and the services settle before measuring.
    await new Promise((r) => setTimeout(r, quick ? 5_000 : 20_000));
    const pids = tree(child.pid!);
    const rows = pids.map((pid) => ({ pid, what: commandOf(pid), mb: pssKb(pid) / 1024 })).filter((r) => r.mb > 0);
    const total = rows.reduce((sum, r) => sum + r.mb, 0);
    const byWhat = new Map<string, { n: number; mb: number }>();
    for (const r of rows) {
      const what = isPostgres(r.what) ? 'postgres (server and backends)' : r.what;
      const e = byWhat.get(what) ?? { n: 0, mb: 0 };
      byWhat.set(what, { n: e.n + 1, mb: e.mb + r.mb });
    }
    const table = [...byWhat]
      .sort((a, b) => b[1].mb - a[1].mb)
      .map(([what, e]) => `| ${what} | ${e.n} | ${e.mb.toFixed(0)} |`)
      .join('\n');
    return {
      title: 'Memory of the embedded system after the demo load',
      markdown: `\`npm start\` in a fresh data folder (first start with the demo county: ${firstStart.toFixed(0)} s), measured
${quick ? 5 : 20} s after it reported running: **${total.toFixed(0)} MB PSS** over ${rows.length} processes —
**${((total / GOAL_MB) * 100).toFixed(0)} %** of the 1.5 GB goal.

| process | count | PSS MB |
| --- | ---: | ---: |
${table}`,
    };
  } finally {
    // The whole process group, as Ctrl-C would; then the data folder.
    try {
      process.kill(-child.pid!, 'SIGINT');
    } catch {
      // Already gone.
    }
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const force = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // Already gone.
        }
        resolve();
      }, 30_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
    });
    rmSync(dataDir, { recursive: true, force: true });
  }
}
