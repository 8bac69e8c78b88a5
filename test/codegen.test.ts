/**
 * The resolver types are generated from the SDL each subgraph serves and checked in, so a fresh
 * clone type-checks without running the generator. This fails when one is stale: an SDL change
 * without `npm run compose`, or a hand edit of a generated file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODEGEN_SUBGRAPHS, generateAll, servedTypeDefs } from '../scripts/codegen';
import { SUBGRAPHS } from '../scripts/subgraphs';

describe('the checked-in resolver types', () => {
  it('are generated from exactly the SDL each running subgraph serves', () => {
    expect(CODEGEN_SUBGRAPHS.toSorted()).toEqual(SUBGRAPHS.map((s) => s.name).toSorted());
    for (const s of SUBGRAPHS) expect(servedTypeDefs(s.name), s.name).toBe(s.typeDefs);
  });

  it('match what the generator writes now (run `npm run compose` when this fails)', async () => {
    for (const [path, text] of await generateAll()) {
      const checkedIn = existsSync(path) ? readFileSync(path, 'utf8') : '(missing)';
      expect(checkedIn, `${relative(process.cwd(), path)} is stale`).toBe(text);
    }
  });
});
