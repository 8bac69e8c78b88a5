/** Broker options, their defaults and validation. */
import { allowAll, authorizerFor, validateAccess, type AccessDefinition, type Authorizer } from './auth/access';
import { isScramMechanism, MIN_ITERATIONS, type UserCredentials } from './auth/scram';

export interface Logger {
  info: (...args: unknown[]) => void;
  warn: (...args: unknown[]) => void;
  error: (...args: unknown[]) => void;
}

export interface BrokerOptions {
  /** Interface to listen on and to advertise. Default 127.0.0.1 (never all interfaces by default). */
  host?: string;
  /** TCP port; 0 picks an ephemeral port. Default 0. */
  port?: number;
  /** Directory for topics, logs and committed offsets. Omitted: everything stays in memory. */
  dataDir?: string;
  /** Partition count for auto-created topics and CreateTopics with -1. Default 3. */
  defaultPartitions?: number;
  /** Create unknown topics when a client asks Metadata for them. Default true. */
  autoCreateTopics?: boolean;
  /** Extra wait before the first rebalance of an empty group completes (Kafka uses 3000). Default 0. */
  groupInitialRebalanceDelayMs?: number;
  /** Accepted consumer session timeouts, inclusive. Default [6000, 1800000] like Kafka. */
  sessionTimeoutRangeMs?: [number, number];
  /** @deprecated alias of `limits.maxFrameBytes`. */
  maxRequestBytes?: number;
  /**
   * SASL/SCRAM users: name → salted credentials per mechanism (see `userCredentials()`), never
   * passwords. With users, every connection must authenticate (unless `allowAnonymous`) and the
   * `access` definition is enforced. Without users (the default) the broker behaves as before:
   * no authentication and no ACLs.
   */
  users?: Record<string, UserCredentials>;
  /**
   * Let connections that do not authenticate in (as principal ANONYMOUS, which has only what
   * `access` grants it). Default: false when `users` are given, true without users.
   */
  allowAnonymous?: boolean;
  /**
   * Topics and ACLs (infra/kafka/access.json, read with `loadAccessFile`). Its topics are
   * created at start; its ACLs are enforced when `users` are given. Without it (and with
   * users), every authenticated principal may do everything.
   */
  access?: AccessDefinition;
  /** Resource limits; each is refused with a Kafka error or by closing the connection. */
  limits?: Partial<BrokerLimits>;
  /**
   * TLS on the listener (PEM key and certificate, e.g. from `ensureLocalCa`): clients then connect
   * with SSL / SASL_SSL. Omitted: plaintext, acceptable on loopback only (see the README).
   */
  tls?: { key: string | Buffer; cert: string | Buffer };
  logger?: Logger;
}

export interface BrokerLimits {
  /** Largest request frame; a larger declared size closes the connection before any of it is buffered. */
  maxFrameBytes: number;
  /** Largest frame before a connection has authenticated (only when authentication is required). */
  maxUnauthenticatedFrameBytes: number;
  /** CreateTopics asking for more fails with INVALID_PARTITIONS (37). */
  maxPartitionsPerTopic: number;
  /** Partitions of all topics together (one file each); going over fails with POLICY_VIOLATION (44). */
  maxPartitions: number;
  /** Topics in total; going over fails with POLICY_VIOLATION (44). */
  maxTopics: number;
  /** Open connections in total; new ones beyond it are closed at once. */
  maxConnections: number;
  /** Open connections per remote address; new ones beyond it are closed at once. */
  maxConnectionsPerAddress: number;
  /**
   * Open connections not yet authenticated (only when authentication is required); new ones beyond
   * it are closed at once. Like sshd's MaxStartups: a flood of sockets that never sign in holds at
   * most this many of maxConnections, so the services' signed-in connections keep their room.
   */
  maxUnauthenticatedConnections: number;
  /** A connection with no request in progress and no bytes received for this long is closed (Kafka: 10 min). */
  idleTimeoutMs: number;
  /** A connection that has sent part of a frame and not the rest within this time is closed. */
  partialFrameTimeoutMs: number;
  /** A connection that has not authenticated this long after connecting is closed (when required). */
  authTimeoutMs: number;
  /** Requests per second per connection; more are delayed (not refused). 0 = unlimited. */
  maxRequestsPerSecond: number;
  /**
   * Most bytes of records one Fetch answer carries, whatever the client asks (Kafka's broker
   * `fetch.max.bytes`): the answer is built in memory, and a small request listing one partition
   * many times with no limit of its own would otherwise make it as large as the log, many times over.
   */
  maxFetchBytes: number;
}

export const DEFAULT_LIMITS: BrokerLimits = {
  maxFrameBytes: 1024 * 1024,
  maxUnauthenticatedFrameBytes: 64 * 1024,
  maxPartitionsPerTopic: 100,
  maxPartitions: 1000,
  maxTopics: 250,
  maxConnections: 1000,
  maxConnectionsPerAddress: 500,
  maxUnauthenticatedConnections: 100,
  idleTimeoutMs: 600_000,
  partialFrameTimeoutMs: 30_000,
  authTimeoutMs: 10_000,
  maxRequestsPerSecond: 0,
  maxFetchBytes: 16 * 1024 * 1024,
};

export interface BrokerConfig {
  host: string;
  port: number;
  dataDir: string | null;
  defaultPartitions: number;
  autoCreateTopics: boolean;
  groupInitialRebalanceDelayMs: number;
  sessionTimeoutRangeMs: [number, number];
  limits: BrokerLimits;
  /** Authentication is on: users exist (names → credentials). */
  users: ReadonlyMap<string, UserCredentials>;
  allowAnonymous: boolean;
  access: AccessDefinition | null;
  /** ACL decisions: enforced only when users are configured. */
  authorizer: Authorizer;
  tls: { key: string | Buffer; cert: string | Buffer } | null;
  logger: Logger;
}

export const consoleLogger: Logger = {
  info: (...a) => console.log('[broker]', ...a),
  warn: (...a) => console.warn('[broker]', ...a),
  error: (...a) => console.error('[broker]', ...a),
};

export function resolveConfig(opts: BrokerOptions = {}): BrokerConfig {
  const cfg: BrokerConfig = {
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    dataDir: opts.dataDir ?? null,
    defaultPartitions: opts.defaultPartitions ?? 3,
    autoCreateTopics: opts.autoCreateTopics ?? true,
    groupInitialRebalanceDelayMs: opts.groupInitialRebalanceDelayMs ?? 0,
    sessionTimeoutRangeMs: opts.sessionTimeoutRangeMs ?? [6000, 1_800_000],
    limits: {
      ...DEFAULT_LIMITS,
      ...(opts.maxRequestBytes !== undefined ? { maxFrameBytes: opts.maxRequestBytes } : {}),
      ...opts.limits,
    },
    users: new Map(Object.entries(opts.users ?? {})),
    allowAnonymous: opts.allowAnonymous ?? Object.keys(opts.users ?? {}).length === 0,
    access: opts.access ? validateAccess(opts.access) : null,
    authorizer: allowAll,
    tls: opts.tls ?? null,
    logger: opts.logger ?? consoleLogger,
  };
  if (cfg.users.size > 0 && cfg.access) cfg.authorizer = authorizerFor(cfg.access);
  for (const [key, value] of Object.entries(cfg.limits)) {
    if (!Number.isInteger(value) || value < 0)
      throw new RangeError(`limits.${key} must be an integer >= 0, got ${value}`);
  }
  if (cfg.limits.maxFrameBytes < 8) throw new RangeError('limits.maxFrameBytes must be at least 8');
  for (const [user, creds] of cfg.users) {
    const mechanisms = Object.keys(creds);
    if (mechanisms.length === 0 || !mechanisms.every(isScramMechanism)) {
      throw new RangeError(`user ${user}: credentials must be SCRAM-SHA-256 and/or SCRAM-SHA-512`);
    }
    for (const c of Object.values(creds)) {
      if (!c.salt || !c.storedKey || !c.serverKey || !(c.iterations >= MIN_ITERATIONS)) {
        throw new RangeError(
          `user ${user}: incomplete SCRAM credential (salt, iterations >= 4096, storedKey, serverKey)`,
        );
      }
    }
  }
  if (!Number.isInteger(cfg.port) || cfg.port < 0 || cfg.port > 65535) {
    throw new RangeError(`invalid port ${cfg.port}`);
  }
  if (!Number.isInteger(cfg.defaultPartitions) || cfg.defaultPartitions < 1) {
    throw new RangeError(`defaultPartitions must be a positive integer, got ${cfg.defaultPartitions}`);
  }
  const [min, max] = cfg.sessionTimeoutRangeMs;
  if (!(min >= 0 && max >= min)) throw new RangeError(`invalid sessionTimeoutRangeMs [${min}, ${max}]`);
  if (cfg.groupInitialRebalanceDelayMs < 0) throw new RangeError('groupInitialRebalanceDelayMs must be >= 0');
  return cfg;
}
