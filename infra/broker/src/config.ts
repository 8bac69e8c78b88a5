/** Broker options, their defaults and validation. */

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
  /** Largest request frame accepted; bigger frames close the connection. Default 100 MiB like Kafka. */
  maxRequestBytes?: number;
  logger?: Logger;
}

export interface BrokerConfig {
  host: string;
  port: number;
  dataDir: string | null;
  defaultPartitions: number;
  autoCreateTopics: boolean;
  groupInitialRebalanceDelayMs: number;
  sessionTimeoutRangeMs: [number, number];
  maxRequestBytes: number;
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
    maxRequestBytes: opts.maxRequestBytes ?? 100 * 1024 * 1024,
    logger: opts.logger ?? consoleLogger,
  };
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
