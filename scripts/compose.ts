import { writeFileSync } from 'node:fs';
import { composeSupergraph } from '../gateway/src/compose';
import { SUPERGRAPH_PATH } from '../gateway/src/supergraph';
import { SUBGRAPHS } from './subgraphs';
import { writeGenerated } from './codegen';

writeFileSync(SUPERGRAPH_PATH, composeSupergraph(SUBGRAPHS));
console.log(`wrote ${SUPERGRAPH_PATH}`);
await writeGenerated(); // resolver types from each subgraph's SDL (scripts/codegen.ts)
