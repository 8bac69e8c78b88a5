import type { Identity } from '@onecheck/auth';

export interface GatewayContext {
  identity: Identity;
  /** The signed credential for subgraphs, made once per request. */
  credential: () => Promise<string>;
}
