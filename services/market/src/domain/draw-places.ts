/**
 * Each class's drawn businesses from the frozen pool's text (docs/draw.md "The targets"): the k
 * lowest HMAC places per class. A large pool is split over worker threads, one per core (issue 10:
 * a million businesses; the HMAC alone is about 1.7 s per million on one core here), a small one is
 * placed on the calling thread. The result equals `drawTargets`, which verify-draw runs (tested).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { RISK_CLASSES, type RiskClass } from '@onecheck/contracts';
import { lowestPlaces } from './draw-places-worker.mjs';

export type Placed = { uscc: string; place: string };

/** Below this many businesses a worker's start costs more than it saves. */
const PARALLEL_FROM = 50_000;

function inWorker(text: string, seed: string, quota: Record<RiskClass, number>) {
  return new Promise<ReturnType<typeof lowestPlaces>>((resolve, reject) => {
    const worker = new Worker(new URL('./draw-places-worker.mjs', import.meta.url), {
      workerData: { onecheckDrawPlaces: { text, seed, quota } },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`draw places worker exited with ${code}`)));
  });
}

/** The text cut into `n` shares of whole lines, of about equal length. */
function sharesOf(text: string, n: number): string[] {
  const shares: string[] = [];
  for (let i = 0, start = 0; start < text.length; i++) {
    const cut = i === n - 1 ? -1 : text.indexOf('\n', Math.max(start, Math.floor((text.length * (i + 1)) / n)));
    const end = cut === -1 ? text.length : cut + 1;
    shares.push(text.slice(start, end));
    start = end;
  }
  return shares;
}

/** The k lowest places of each class (`quota`), by place; `poolSize` lines in the pool text. */
export async function lowestPlacesOf(
  text: string,
  poolSize: number,
  seed: string,
  quota: Record<RiskClass, number>,
): Promise<Record<RiskClass, Placed[]>> {
  const shares = poolSize >= PARALLEL_FROM ? Math.max(1, Math.min(availableParallelism(), 8)) : 1;
  const parts =
    shares === 1
      ? [lowestPlaces(text, seed, quota)]
      : await Promise.all(sharesOf(text, shares).map((share) => inWorker(share, seed, quota)));
  const byPlace = (a: Placed, b: Placed) => (a.place < b.place ? -1 : a.place > b.place ? 1 : 0);
  return Object.fromEntries(
    RISK_CLASSES.map((c) => [
      c,
      parts
        .flatMap((p) => (p[c] ?? []).map(([uscc, place]) => ({ uscc, place })))
        .sort(byPlace)
        .slice(0, quota[c]),
    ]),
  ) as Record<RiskClass, Placed[]>;
}
