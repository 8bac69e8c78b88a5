/**
 * The draw's fast places (draw-places.ts: one-shot sha256, worker threads for a large pool) must
 * draw exactly what the reference `drawTargets` draws — the one verify-draw runs — or every draw's
 * proof would fail its audit.
 */
import { describe, expect, it } from 'vitest';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { RISK_CLASSES, type RiskClass } from '@onecheck/contracts';
import { classSizes, drawCount, drawTargets, poolText, sha256Hex, type PoolEntry } from '../src/domain/draw-algorithm';
import { PARALLEL_FROM, poolPlacer } from '../src/domain/draw-places';

function poolOf(n: number, seed: number): PoolEntry[] {
  const rng = seededRandom(seed);
  const seen = new Set<string>();
  const pool: PoolEntry[] = [];
  while (pool.length < n) {
    const uscc = generateUscc(rng, { region: '420626' });
    if (seen.has(uscc)) continue;
    seen.add(uscc);
    pool.push({ uscc, riskClass: RISK_CLASSES[Math.floor(rng() * 4)]! });
  }
  return pool;
}

async function bothWays(
  pool: PoolEntry[],
  ratios: Record<RiskClass, number>,
  seed: string,
  chunk = 1_000,
  workers?: number,
) {
  const text = poolText(pool);
  const sizes = classSizes(text);
  const quota = Object.fromEntries(RISK_CLASSES.map((c) => [c, drawCount(sizes[c], ratios[c])])) as Record<
    RiskClass,
    number
  >;
  const placer = poolPlacer(seed, ratios, pool.length, workers);
  // In chunks of whole lines, as the draw reads the pool.
  for (let at = 0; at < text.length;) {
    const end = text.indexOf('\n', Math.min(text.length - 1, at + chunk)) + 1 || text.length;
    placer.add(text.slice(at, end));
    at = end;
  }
  const fast = await placer.lowest(quota);
  const reference = drawTargets(pool, ratios, seed);
  return { fast: RISK_CLASSES.flatMap((c) => fast[c].map((p) => ({ ...p, riskClass: c }))), reference };
}

describe('the fast places of the draw', () => {
  it('count each class of the pool text', () => {
    expect(classSizes(poolText(poolOf(1_000, 1)))).toEqual(
      Object.fromEntries(RISK_CLASSES.map((c) => [c, poolOf(1_000, 1).filter((e) => e.riskClass === c).length])),
    );
    expect(classSizes('')).toEqual({ A: 0, B: 0, C: 0, D: 0 });
  });

  it('draw what the reference draws, over many seeds and ratios (on the calling thread)', async () => {
    const pool = poolOf(3_000, 2);
    for (let i = 0; i < 40; i++) {
      const ratios = { A: (i % 5) / 20, B: 0.05, C: i % 7 === 0 ? 0 : 0.2, D: i % 3 === 0 ? 1 : 0.3 };
      const { fast, reference } = await bothWays(pool, ratios, sha256Hex(`seed ${i}`));
      expect(fast).toEqual(reference.drawn);
    }
  });

  it('draw what the reference draws from small classes, whose drawn places are hashed again', async () => {
    // About ten a class at 1 %: one drawn each, far above the places kept as they are made.
    const pool = poolOf(40, 4);
    for (let i = 0; i < 20; i++) {
      const { fast, reference } = await bothWays(
        pool,
        { A: 0.01, B: 0.01, C: 0.01, D: 0.01 },
        sha256Hex(`small ${i}`),
        7,
      );
      expect(fast).toEqual(reference.drawn);
      expect(fast.length).toBe(4);
    }
  });

  it("draw what the reference draws when the pool's chunks are spread over worker threads", async () => {
    const pool = poolOf(PARALLEL_FROM + 10_000, 3);
    const ratios = { A: 0.03, B: 0.05, C: 0.1, D: 0.3 };
    // As many workers as this machine gives a large pool, and three, whose lists are merged.
    for (const workers of [undefined, 3]) {
      const { fast, reference } = await bothWays(pool, ratios, sha256Hex('workers'), 7_000, workers);
      expect(fast.length).toBeGreaterThan(3_000);
      expect(fast).toEqual(reference.drawn);
    }
  });

  it('hash a code of any text as UTF-8, as the reference does', async () => {
    const pool: PoolEntry[] = [
      { uscc: '甲91420626MA00000001', riskClass: 'A' },
      { uscc: '91420626MA00000002', riskClass: 'A' },
      { uscc: '乙91420626MA00000003', riskClass: 'A' },
    ];
    const { fast, reference } = await bothWays(pool, { A: 0.5, B: 0, C: 0, D: 0 }, sha256Hex('utf8'));
    expect(fast).toEqual(reference.drawn);
    expect(fast).toHaveLength(2);
  });
});
