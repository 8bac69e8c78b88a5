// Sums vitest JSON reports (one per workspace and pass) into the one line CI reads: "N passed,
// N failed". Exits 1 when a test failed, a suite failed to load, a report is missing, or nothing ran.
import { readFileSync, existsSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.error(`summary: missing report ${file}`);
    failed++;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  // A file that fails outside its tests (cannot load, beforeAll throws) has no failed test in it,
  // its tests show as skipped, but it failed: count it once.
  const brokenFiles = report.testResults.filter(
    (r) => r.status === 'failed' && !r.assertionResults.some((a) => a.status === 'failed'),
  ).length;
  passed += report.numPassedTests;
  failed += report.numFailedTests + brokenFiles;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  console.log(`  ${file.padEnd(45)} passed ${report.numPassedTests}, failing ${report.numFailedTests + brokenFiles}`);
  // Name what failed here, next to the totals: the run's log is often read from its tail only.
  for (const r of report.testResults) {
    const names = r.assertionResults.filter((a) => a.status === 'failed').map((a) => a.fullName);
    if (r.status === 'failed' && names.length === 0) names.push('(the file itself failed)');
    for (const name of names) console.log(`    FAILED ${r.name}: ${name}`);
    for (const a of r.assertionResults.filter((x) => x.status === 'failed'))
      console.log(
        `      ${String(a.failureMessages?.[0] ?? '')
          .split('\n')[0]
          .slice(0, 300)}`,
      );
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
