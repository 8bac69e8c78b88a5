/**
 * The draw's fast places (draw-places.ts: one-shot sha256, worker threads for a large pool) must
 * draw exactly what the reference `drawTargets` draws — the one verify-draw runs — or every draw's
 * proof would fail its audit.
 */
import { describe, expect, it } from 'vitest';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { RISK_CLASSES, type RiskClass } from '@onecheck/contracts';
import { classSizes, drawCount, drawTargets, poolText, sha256Hex, type PoolEntry } from '../src/domain/draw-algorithm';
import { lowestPlacesOf } from '../src/domain/draw-places';

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

async function bothWays(pool: PoolEntry[], ratios: Record<RiskClass, number>, seed: string) {
  const text = poolText(pool);
  const sizes = classSizes(text);
  const quota = Object.fromEntries(RISK_CLASSES.map((c) => [c, drawCount(sizes[c], ratios[c])])) as Record<
    RiskClass,
    number
  >;
  const fast = await lowestPlacesOf(text, pool.length, seed, quota);
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

  it('draw what the reference draws when the pool is split over worker threads', async () => {
    const pool = poolOf(60_000, 3);
    const { fast, reference } = await bothWays(pool, { A: 0.03, B: 0.05, C: 0.1, D: 0.3 }, sha256Hex('workers'));
    expect(fast.length).toBeGreaterThan(3_000);
    expect(fast).toEqual(reference.drawn);
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
