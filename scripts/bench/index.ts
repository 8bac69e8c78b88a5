/**
 * `npm run bench`: every benchmark of the system in one run, written to docs/benchmarks.md with
 * the machine and the command, each figure beside its baseline measured in the same run, so that
 * anyone can repeat it. Sections live beside this file, one module each, exporting
 * `run({ quick })`; `--quick` makes small runs (a smoke check), `--only a,b` picks sections.
 *
 *   npm run bench                      # everything, full size (takes a while; run on an idle machine)
 *   npm run bench -- --quick           # small runs
 *   npm run bench -- --only events     # one section
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '@onecheck/clock';
import { REPO_ROOT } from '@onecheck/kit';

export interface BenchSection {
  title: string;
  markdown: string;
}
export type BenchRun = (opts: { quick: boolean }) => Promise<BenchSection>;

/** In the order they run: the cheap ones first, the million-business load last. */
const SECTIONS = ['events', 'gateway', 'memory', 'joint-list', 'draw', 'scale'] as const;

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } },
  allowPositionals: false,
});
const quick = values.quick ?? false;
const only = values.only?.split(',').map((s) => s.trim());
const chosen = SECTIONS.filter((s) => !only || only.includes(s));

const results: BenchSection[] = [];
for (const name of chosen) {
  const file = resolve(REPO_ROOT, 'scripts/bench', `${name}.ts`);
  if (!existsSync(file)) {
    results.push({ title: name, markdown: `_Not measured: \`scripts/bench/${name}.ts\` does not exist yet._` });
    continue;
  }
  const started = performance.now();
  console.log(`bench: ${name}${quick ? ' (quick)' : ''}…`);
  try {
    const { run } = (await import(file)) as { run: BenchRun };
    const section = await run({ quick });
    results.push({
      ...section,
      markdown: `${section.markdown}\n\n_Section time: ${((performance.now() - started) / 1000).toFixed(0)} s._`,
    });
  } catch (err) {
    // One broken section must not cost the others their figures; the report says what failed.
    console.error(`bench: ${name} failed`, err);
    results.push({ title: name, markdown: `_Failed: ${(err as Error).message}_` });
    process.exitCode = 1;
  }
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const report = `# Benchmarks

Written by \`${command}\` on ${systemClock.today()}: ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB,
${platform()} ${release()}, Node ${process.version}${quick ? ' — **quick run** (small sizes; a smoke check, not the figures of record)' : ''}.
Every figure stands beside its baseline measured in the same run. Repeat with the same command.

${results.map((r) => `## ${r.title}\n\n${r.markdown}`).join('\n\n')}
`;
// A run limited to some sections is for development; it does not overwrite the report of record.
const target = only ? resolve(REPO_ROOT, 'tmp', 'benchmarks.md') : resolve(REPO_ROOT, 'docs', 'benchmarks.md');
mkdirSync(resolve(target, '..'), { recursive: true });
writeFileSync(target, report);
console.log(`bench: wrote ${target}`);
process.exit();
