/**
 * 一业一单 freshness (issue 10 Done-when: "the office's joint list for 62 and for section H shows it
 * within a second, with a new version number"): a department publishes an item through the
 * gateway, and the office's joint list is asked until it shows it — the time from the publish's
 * answer to the first answer that holds the item, then the same for its withdrawal. What
 * `startSystem` gives (PGlite, in one process, the stand-in broker, the consumers' default
 * settings). Baseline: how long the office's list query itself takes to answer.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSystem } from '../system';

const PUBLISH = `mutation ($input: SupervisionItemInput!) { publishSupervisionItem(input: $input) { code } }`;
const WITHDRAW = `mutation ($code: String!) { withdrawSupervisionItem(code: $code) { code } }`;
const LIST = `query ($i: String!) { jointList(industry: $i) { version items { code } } }`;
const GOAL_MS = 1_000;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

export async function run(opts: { quick: boolean }) {
  const rounds = opts.quick ? 5 : 30;
  const sys = await startSystem({ departments: ['HEALTH'], logLevel: 'error' });
  try {
    const [office, health] = await Promise.all([
      sys.token({ sub: 'office-1', role: 'office' }),
      sys.token({ sub: 'staff-HEALTH', role: 'staff', department: 'HEALTH' }),
    ]);
    const ask = async (query: string, variables: Record<string, unknown>, token: string) => {
      const res = await fetch(sys.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: any; errors?: { message: string }[] };
      if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
      return body.data;
    };
    const queryMs: number[] = [];
    /** Milliseconds from now until the list of `industry` holds (or no longer holds) `code`. */
    const until = async (industry: string, code: string, present: boolean) => {
      const started = performance.now();
      for (;;) {
        const asked = performance.now();
        const list = (await ask(LIST, { i: industry }, office)).jointList as { items: { code: string }[] };
        queryMs.push(performance.now() - asked);
        if (list.items.some((i) => i.code === code) === present) return performance.now() - started;
        if (performance.now() - started > 30_000) throw new Error(`${code} not ${present ? 'on' : 'off'} ${industry}`);
        await sleep(5);
      }
    };
    const shown: number[] = [];
    const gone: number[] = [];
    for (let n = 0; n < rounds; n++) {
      const code = `BENCH-${n}`;
      await ask(
        PUBLISH,
        {
          input: {
            code,
            name: `基准事项${n}`,
            content: '检查从业人员健康证明',
            legalBasis: '《食品安全法》第四十五条',
            level: 'COUNTY',
            industries: ['62'],
            emphasis: 'KEY',
            checkPoints: [{ point: '从业人员持有效健康证明', answers: ['符合', '不符合'] }],
          },
        },
        health,
      );
      // Alternately on the division's own list and on its section's (a section covers its divisions).
      shown.push(await until(n % 2 ? 'H' : '62', code, true));
      await ask(WITHDRAW, { code }, health);
      gone.push(await until('62', code, false));
    }
    const row = (label: string, ms: number[]) => {
      const sorted = [...ms].sort((a, b) => a - b);
      return `| ${label} | ${ms.length} | ${percentile(sorted, 0.5).toFixed(0)} | ${percentile(sorted, 0.95).toFixed(0)} | ${sorted.at(-1)!.toFixed(0)} |`;
    };
    const worst = Math.max(...shown, ...gone);
    return {
      title: '一业一单: an item on the joint list',
      markdown: [
        `A HEALTH item published (then withdrawn) through the gateway ${rounds} times, the office's joint list for 62`,
        "(or section H) asked every 5 ms until it shows the change: from the publish's answer to the first list that",
        'holds it. The system as `startSystem` runs it (PGlite, one process, the stand-in broker, default consumer',
        `settings). Baseline: the list query's own answer time. Goal: within ${GOAL_MS} ms.`,
        '',
        '| | n | p50 ms | p95 ms | max ms |',
        '|---|---:|---:|---:|---:|',
        row('published → on the list', shown),
        row('withdrawn → off the list', gone),
        row('baseline: the list query alone', queryMs),
        '',
        `Slowest: ${worst.toFixed(0)} ms — ${worst <= GOAL_MS ? 'meets' : 'misses'} the goal of ${GOAL_MS} ms${opts.quick ? ' (quick run)' : ''}.`,
      ].join('\n'),
    };
  } finally {
    await sys.stop();
  }
}
