/** Types of draw-places-worker.mjs (plain JavaScript so that it runs as a worker thread under any runner). */

/** Per class, the lowest places of one placer, by place: codes, their places' first 48 bits, their places (hex). */
export type Lowest = Record<string, { usccs: string[]; prefixes: number[]; places: string[] }>;

export declare function createPlacer(
  seed: string,
  ratios: Record<string, number>,
): {
  add(text: string): void;
  lowest(quota: Record<string, number>): Lowest;
};

export declare function byPlace(a: { prefix: number; place: string }, b: { prefix: number; place: string }): number;
