/** The subgraphs of the federation and where their SDL lives; compose and its staleness test read this. */
import { typeDefs as market } from '../services/market/src/index';
import { typeDefs as approval } from '../services/approval/src/index';
import { typeDefs as credit } from '../services/credit/src/index';
import { typeDefs as department } from '../services/department/src/index';

/**
 * URLs in the supergraph are placeholders: the gateway is told the real ones at start, and the
 * department subgraph is one name for many instances (DESIGN.md §2).
 */
export const SUBGRAPHS = [
  { name: 'market', url: 'http://market.invalid/graphql', typeDefs: market },
  { name: 'approval', url: 'http://approval.invalid/graphql', typeDefs: approval },
  { name: 'credit', url: 'http://credit.invalid/graphql', typeDefs: credit },
  { name: 'department', url: 'http://department.invalid/graphql', typeDefs: department },
];
