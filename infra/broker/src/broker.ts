/** Wires storage, coordinator and server together; owns start/stop. */
import fs from 'node:fs';
import { resolveConfig, type BrokerOptions } from './config';
import { GroupCoordinator } from './coordinator/groupCoordinator';
import { buildApiTable } from './handlers/index';
import type { BrokerContext } from './handlers/types';
import { BrokerServer, type ServerStats } from './server';
import { acquireDirLock } from './storage/fsutil';
import { OffsetStore } from './storage/offsetStore';
import { TopicStore } from './storage/topicStore';

export interface RunningBroker {
  host: string;
  port: number;
  /** Bootstrap string for clients, e.g. "127.0.0.1:9092". */
  brokers: string;
  /** Open and refused connections, for tests and monitoring. */
  stats(): ServerStats;
  /** Closes every connection, clears timers, flushes and closes files. Idempotent. */
  stop(): Promise<void>;
}

export async function startBroker(opts: BrokerOptions = {}): Promise<RunningBroker> {
  const cfg = resolveConfig(opts);
  let releaseLock: (() => void) | null = null;
  if (cfg.dataDir !== null) {
    fs.mkdirSync(cfg.dataDir, { recursive: true });
    releaseLock = acquireDirLock(cfg.dataDir);
  }
  const topics = new TopicStore(cfg.dataDir, cfg.logger);
  const offsets = new OffsetStore(cfg.dataDir, cfg.logger);
  const closeStores = () => {
    topics.close();
    offsets.close();
    releaseLock?.();
  };
  let server: BrokerServer;
  let ctx: BrokerContext;
  let port: number;
  try {
    topics.load();
    offsets.load();
    // The access definition's topics exist from the start (real Kafka gets the same ones
    // from the generated setup script), so services need not create them.
    for (const [name, t] of Object.entries(cfg.access?.topics ?? {})) {
      if (!topics.get(name)) topics.create(name, t.partitions);
    }
    // Clients must be told the exact host:port they bootstrapped with
    // (kafkajs matches them); a wildcard address is no use to them.
    const advertisedHost = cfg.host === '0.0.0.0' || cfg.host === '::' ? '127.0.0.1' : cfg.host;
    ctx = {
      cfg,
      topics,
      offsets,
      groups: new GroupCoordinator(cfg, offsets),
      advertisedHost,
      advertisedPort: cfg.port,
    };
    server = new BrokerServer(ctx, buildApiTable());
    port = await server.listen(cfg.host, cfg.port);
    ctx.advertisedPort = port;
  } catch (err) {
    closeStores();
    throw err;
  }

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      ctx.groups.stop();
      await server.close();
      closeStores(); // fsyncs every segment and the offsets log
      cfg.logger.info(`broker on ${ctx.advertisedHost}:${port} stopped`);
    })();
    return stopping;
  };
  return {
    host: ctx.advertisedHost,
    port,
    brokers: `${ctx.advertisedHost}:${port}`,
    stats: () => server.stats(),
    stop,
  };
}
