import type { Identity } from '@onecheck/auth';
import type { Locale } from '@onecheck/i18n';

export interface GatewayContext {
  identity: Identity;
  /** The reader's language, decided once from Accept-Language and sent on to every subgraph. */
  locale: Locale;
  /** The signed credential for subgraphs: signed once per caller and reused for a minute (@onecheck/auth reuse.ts). */
  credential: () => Promise<string>;
}
