/**
 * Each class's drawn businesses from the frozen pool's text (docs/draw.md "The targets"): the k
 * lowest HMAC places per class. The pool comes in chunks as it is read; a large pool's chunks are
 * placed by worker threads while the next chunk is read (issue 10: a million businesses; the HMAC
 * alone is about 1 s per million on one core here); a small one on the calling thread. The result
 * equals `drawTargets`, which verify-draw runs (tested).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { RISK_CLASSES, type RiskClass } from '@onecheck/contracts';
import { byPlace, createPlacer, type Lowest } from './draw-places-worker.mjs';

export type Placed = { uscc: string; place: string };

/** Below this many businesses a worker's start costs more than it saves: placed on the calling thread. */
export const PARALLEL_FROM = 50_000;

export interface PoolPlacer {
  /** Places a chunk of the pool text: whole `uscc<TAB>class<LF>` lines. */
  add(text: string): void;
  /** Each class's `quota` lowest places among every line added, by place; the placer is then done. */
  lowest(quota: Record<RiskClass, number>): Promise<Record<RiskClass, Placed[]>>;
  /** Ends the placer without a result (the draw was refused). */
  close(): Promise<void>;
}

/** One share of the pool: placed on this thread or a worker's. */
interface Share {
  add(text: string): void;
  lowest(quota: Record<RiskClass, number>): Promise<Lowest>;
  close(): Promise<void>;
}

type Ratios = Record<RiskClass, number>;

function localShare(seed: string, ratios: Ratios): Share {
  const placer = createPlacer(seed, ratios);
  return {
    add: (text) => placer.add(text),
    lowest: async (quota) => placer.lowest(quota),
    close: async () => undefined,
  };
}

function workerShare(seed: string, ratios: Ratios): Share {
  // Plain JavaScript with node: imports only: no loader (tsx, vitest) to start in the worker.
  const worker = new Worker(new URL('./draw-places-worker.mjs', import.meta.url), {
    workerData: { onecheckDrawPlaces: { seed, ratios } },
    execArgv: [],
  });
  // A worker that fails before it is asked is reported when it is.
  let failure: Error | undefined;
  worker.on('error', (err) => (failure ??= err));
  return {
    add: (text) => worker.postMessage({ add: text }),
    lowest: (quota) =>
      new Promise<Lowest>((resolve, reject) => {
        if (failure) return reject(failure);
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`draw places worker exited with ${code}`)));
        worker.postMessage({ lowest: quota });
      }),
    close: async () => {
      await worker.terminate();
    },
  };
}

/**
 * Merges lists sorted by place (one per share) into the first `k` by place: a walk over their
 * heads, as each list is sorted already.
 */
function firstByPlace(lists: { uscc: string; prefix: number; place: string }[][], k: number): Placed[] {
  const at = lists.map(() => 0);
  const out: Placed[] = [];
  while (out.length < k) {
    let best = -1;
    lists.forEach((list, i) => {
      if (at[i]! < list.length && (best === -1 || byPlace(list[at[i]!]!, lists[best]![at[best]!]!) < 0)) best = i;
    });
    if (best === -1) break;
    const { uscc, place } = lists[best]![at[best]!++]!;
    out.push({ uscc, place });
  }
  return out;
}

/**
 * A placer for a pool of `poolSize` lines under `seed`, drawn at `ratios` (a class at ratio 0 is
 * not hashed).
 */
export function poolPlacer(
  seed: string,
  ratios: Ratios,
  poolSize: number,
  /** Worker threads (tests); by default as below. */
  workerCount?: number,
): PoolPlacer {
  // A large pool is placed off the event loop, by one worker per core but one: that core is left
  // to the database reading the next chunk (on two cores, two workers hashing at once took longer
  // than one: issue 10 bench).
  const workers = workerCount ?? (poolSize >= PARALLEL_FROM ? Math.max(1, Math.min(availableParallelism() - 1, 8)) : 0);
  const shares =
    workers === 0 ? [localShare(seed, ratios)] : Array.from({ length: workers }, () => workerShare(seed, ratios));
  const count = shares.length;
  let next = 0;
  const close = () => Promise.all(shares.map((s) => s.close())).then(() => undefined);
  return {
    add(text) {
      // Round robin: chunks are of about equal size.
      shares[next++ % count]!.add(text);
    },
    async lowest(quota) {
      try {
        // Each share's k lowest of each class hold the k lowest of the whole pool.
        const parts = await Promise.all(shares.map((s) => s.lowest(quota)));
        return Object.fromEntries(
          RISK_CLASSES.map((c) => {
            const lists = parts.map((p) =>
              (p[c]?.usccs ?? []).map((uscc, i) => ({ uscc, prefix: p[c]!.prefixes[i]!, place: p[c]!.places[i]! })),
            );
            return [c, firstByPlace(lists, quota[c])];
          }),
        ) as Record<RiskClass, Placed[]>;
      } finally {
        await close();
      }
    },
    close,
  };
}
