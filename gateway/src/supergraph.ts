import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The checked-in supergraph (`npm run compose` writes it; a test fails when it is stale). */
export const SUPERGRAPH_PATH = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));

export const loadSupergraph = () => readFileSync(SUPERGRAPH_PATH, 'utf8');
