import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { EVENT_SCHEMA_DIR, incompatibleMessage } from '../packages/contracts/src/index';
import { writeEventSchemas } from '../packages/contracts/src/write';
import { composeSupergraph } from '../gateway/src/compose';
import { SUPERGRAPH_PATH } from '../gateway/src/supergraph';
import { SUBGRAPHS } from './subgraphs';
import { writeGenerated } from './codegen';

writeFileSync(SUPERGRAPH_PATH, composeSupergraph(SUBGRAPHS));
console.log(`wrote ${SUPERGRAPH_PATH}`);

// Event JSON Schemas from the zod contracts (@onecheck/contracts), and the record of what is published.
const eventsDir = fileURLToPath(new URL(`../${EVENT_SCHEMA_DIR}`, import.meta.url));
const problems = await writeEventSchemas(eventsDir, async (filepath, text) =>
  prettier.format(text, { ...(await prettier.resolveConfig(filepath)), filepath }),
);
console.log(`wrote ${eventsDir}/*.json`);
for (const [type, found] of problems) console.error(incompatibleMessage(type, found));
if (problems.size) process.exitCode = 1;
await writeGenerated(); // resolver types from each subgraph's SDL (scripts/codegen.ts)
