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

export interface RequestContext {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string;
  clientHost: string;
  /** Aborted when the connection closes or the broker stops: parked requests give up. */
  signal: AbortSignal;
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
