import { writeFileSync } from 'node:fs';
import { composeSupergraph } from '../gateway/src/compose';
import { SUPERGRAPH_PATH } from '../gateway/src/supergraph';
import { SUBGRAPHS } from './subgraphs';

writeFileSync(SUPERGRAPH_PATH, composeSupergraph(SUBGRAPHS));
console.log(`wrote ${SUPERGRAPH_PATH}`);
