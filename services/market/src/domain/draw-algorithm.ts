/**
 * The 双随机 target draw, exactly as docs/draw.md describes it (issue 10 item 5): pure functions,
 * shared by the office's draw and by `npm run verify-draw`, which re-derives a draw from what the
 * API shows. Changing anything here changes every past draw's proof: don't, add a v2.
 */
import { createHash } from 'node:crypto';
import { RISK_CLASSES, type RiskClass } from '@onecheck/contracts';
import { drawHmac } from '@onecheck/kit';

export const DRAW_ALGORITHM = 'onecheck-draw-v1';

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A business in the frozen pool, with the class it was drawn in. */
export interface PoolEntry {
  uscc: string;
  riskClass: RiskClass;
}

/** The pool's order: by uscc, as bytes (credit codes are ASCII, so as UTF-16 units too). */
export const byUscc = (a: PoolEntry, b: PoolEntry) => (a.uscc < b.uscc ? -1 : a.uscc > b.uscc ? 1 : 0);

/** The pool's canonical text: one `uscc<TAB>class<LF>` line per business, sorted by uscc. */
export function poolText(pool: readonly PoolEntry[]): string {
  return [...pool]
    .sort(byUscc)
    .map((e) => `${e.uscc}\t${e.riskClass}\n`)
    .join('');
}

export const poolHash = (pool: readonly PoolEntry[]) => sha256Hex(poolText(pool));

/** How many businesses of each class a pool text holds. */
export function classSizes(text: string): Record<RiskClass, number> {
  const sizes = Object.fromEntries(RISK_CLASSES.map((c) => [c, 0])) as Record<RiskClass, number>;
  for (let tab = text.indexOf('\t'); tab !== -1; tab = text.indexOf('\t', tab + 1))
    sizes[text[tab + 1] as RiskClass] += 1;
  return sizes;
}

/** The commitment the office publishes at filing: SHA-256 of its secret. */
export const commitmentOf = (secret: string) => sha256Hex(secret);

/** The seed: SHA-256 of the algorithm name, the revealed secret, the public value and the pool hash, one per line. */
export const drawSeed = (secret: string, publicValue: string, pool: string) =>
  sha256Hex(`${DRAW_ALGORITHM}\n${secret}\n${publicValue}\n${pool}`);

/** A business's place: the draw's HMAC (kit draw.ts) over its uscc. Lower draws first. */
export const placeOf = (seed: string, uscc: string) => drawHmac(seed, uscc);

/** Ratios are held to 4 decimal places: as whole ten-thousandths, so rounding up is exact. */
export const ratioUnits = (ratio: number) => Math.round(ratio * 10_000);

/**
 * How many of a stratum of `n` are drawn at `ratio`: rounded up, at least one when the stratum is
 * not empty and the ratio above zero, never more than n.
 */
export function drawCount(n: number, ratio: number): number {
  const units = ratioUnits(ratio);
  if (n === 0 || units === 0) return 0;
  return Math.min(n, Math.max(1, Math.ceil((n * units) / 10_000)));
}

export interface Stratum {
  riskClass: RiskClass;
  poolSize: number;
  drawn: number;
  /** The highest place drawn (a business is drawn when its place ≤ cutoff); null when none is. */
  cutoff: string | null;
}

export interface DrawResult {
  seed: string;
  strata: Stratum[];
  /** The drawn businesses with their place, by class then place. */
  drawn: { uscc: string; riskClass: RiskClass; place: string }[];
}

/** The whole draw from the frozen pool, the ratios and the seed. */
export function drawTargets(pool: readonly PoolEntry[], ratios: Record<RiskClass, number>, seed: string): DrawResult {
  const strata: Stratum[] = [];
  const drawn: DrawResult['drawn'] = [];
  for (const riskClass of RISK_CLASSES) {
    const members = pool
      .filter((e) => e.riskClass === riskClass)
      .map((e) => ({ uscc: e.uscc, riskClass, place: placeOf(seed, e.uscc) }))
      .sort((a, b) => (a.place < b.place ? -1 : a.place > b.place ? 1 : 0));
    const k = drawCount(members.length, ratios[riskClass] ?? 0);
    const chosen = members.slice(0, k);
    drawn.push(...chosen);
    strata.push({ riskClass, poolSize: members.length, drawn: k, cutoff: chosen.at(-1)?.place ?? null });
  }
  return { seed, strata, drawn };
}
