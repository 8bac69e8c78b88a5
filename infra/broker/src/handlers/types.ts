import type { BrokerConfig } from '../config';
import type { GroupCoordinator } from '../coordinator/groupCoordinator';
import type { Reader } from '../protocol/codec';
import type { OffsetStore } from '../storage/offsetStore';
import type { TopicStore } from '../storage/topicStore';

/** Shared state every handler works on. */
export interface BrokerContext {
  cfg: BrokerConfig;
  topics: TopicStore;
  offsets: OffsetStore;
  groups: GroupCoordinator;
  /** host:port written into Metadata/FindCoordinator; must equal the clients' bootstrap string. */
  advertisedHost: string;
  advertisedPort: number;
}

/** One connection's authentication state, shared by its requests. */
export interface Session {
  /** The authenticated user; null until SASL succeeds. */
  principal: string | null;
  /** SASL progress (see handlers/sasl.ts). */
  sasl: { mechanism: string; handshakeVersion: number; exchange: unknown } | null;
  /** Set by a handler to close the connection once its response is written (failed SASL). */
  closeAfterResponse: boolean;
}

export interface RequestContext {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string;
  clientHost: string;
  /** Aborted when the connection closes or the broker stops: parked requests give up. */
  signal: AbortSignal;
  session: Session;
  /** The principal ACLs are checked for (ANONYMOUS when unauthenticated). */
  principal: string;
}

/** Returns the response body (after the correlation id), or null to send nothing (Produce acks=0). */
export type Handler = (ctx: BrokerContext, req: RequestContext, body: Reader) => Buffer | null | Promise<Buffer | null>;

export interface ApiSpec {
  key: number;
  name: string;
  /** Every version in [min, max] is implemented; min and max are advertised as is. */
  minVersion: number;
  maxVersion: number;
  handle: Handler;
}
