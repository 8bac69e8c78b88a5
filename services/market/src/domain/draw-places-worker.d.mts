/** Types of draw-places-worker.mjs (plain JavaScript so that it runs as a worker thread under any runner). */
export declare function lowestPlaces(
  text: string,
  seed: string,
  quota: Record<string, number>,
  index?: number,
  step?: number,
): Record<string, [uscc: string, place: string][]>;
