import type { BaseContext } from '@apollo/server';
import type { ResolverMap } from './subgraph';
import type { CalendarBase } from '@onecheck/calendar';
import type { Clock } from '@onecheck/clock';
import {
  ALL_TOPICS,
  createBus,
  createEventSigner,
  createEventVerifier,
  startConsumer,
  startRelay,
  type ConsumerOptions,
  type EventConsumer,
  type BatchEventHandlers,
  type EventConcern,
  type EventHandlers,
  type Jwk,
  type Jwks,
  type KafkaSasl,
  type KafkaSsl,
  type Relay,
} from '@onecheck/events';
import { openDatabase, type Database, type Db } from '@onecheck/db';
import { ConfigError } from './config';
import { anchorAudit } from './audit';
import { createLogger, type Logger } from './logger';
import { startTimers, type RecurringTimer, type TimerHandlers, type TimerRunner } from './timers';
import { startSubgraph, type RequestInfo } from './subgraph';

/** How one running instance is set up: the launcher, main.ts and tests all fill this in. */
export interface ServiceSettings {
  host: string;
  port: number;
  gatewaySecret: Uint8Array;
  /** PGlite data root; omitted = in memory. Ignored when databaseUrl is set. */
  dataDir?: string;
  databaseUrl?: string;
  databaseSchema?: string;
  /** False behind a pooler that cannot keep prepared statements (see @onecheck/db's DatabaseOptions). Default true. */
  databasePreparedStatements?: boolean;
  production?: boolean;
  logger?: Logger;
  /** Kafka bootstrap servers; without them the service records events but publishes and consumes none. */
  kafkaBrokers?: string[];
  /** This instance's own Kafka principal (SASL/SCRAM); omitted = unauthenticated (refused by a broker with users). */
  kafkaSasl?: KafkaSasl;
  /** TLS to Kafka (compose's SASL_SSL); omitted = plaintext (loopback only). */
  kafkaSsl?: KafkaSsl;
  /** kafkajs consumer tuning (tests use short timeouts). */
  consumerOptions?: ConsumerOptions;
  /**
   * This instance's event-signing key (its principal's private JWK, @onecheck/events signing.ts):
   * the relay signs every record with it. Required in production when on Kafka.
   */
  eventSigning?: { privateJwk: Jwk };
  /** The trusted public keys: consumers apply only events signed by the topic's owner with one of them. */
  eventKeys?: Jwks;
  /** The one clock every act, deadline and timer of the service reads (tests pin it). */
  clock: Clock;
  /** The calendar years known before the office enters any: shipped data, or a fixture in tests. */
  calendarBase?: CalendarBase;
  /** How often the audit chain's new entries are anchored on onecheck.audit.anchor (ms of the clock). Default 60 s. */
  auditAnchorEveryMs?: number;
  /** How often the timer runner looks for due jobs (ms, real time). Default 1000. */
  timerPollMs?: number;
}

export interface ServiceDeps<S extends Record<string, unknown>> {
  db: Db<S>;
  logger: Logger;
  clock: Clock;
  calendarBase?: CalendarBase;
}

export interface ServiceDefinition<S extends Record<string, unknown>, C extends BaseContext> {
  /** Instance name: names the database folder and the logs (department instances add their code). */
  name: string;
  schema: S;
  migrationsFolder: string;
  typeDefs: string;

  resolvers: ResolverMap;
  context: (request: RequestInfo, deps: ServiceDeps<S>) => C;
  /** What the service consumes: each entry is one consumer group applying events through the inbox. */
  consumers?: (deps: ServiceDeps<S>) => {
    name: string;
    topics: string[];
    handlers: EventHandlers<S>;
    batchHandlers?: BatchEventHandlers<S>;
    /** Which events of its types concern it, before they are verified (consumer.ts). */
    concerns?: EventConcern;
  }[];
  /** The service's durable timers (timers.ts): a handler per job kind, and the jobs it always has. */
  timers?: (deps: ServiceDeps<S>) => { handlers: TimerHandlers<S>; recurring?: RecurringTimer[] };
}

export interface RunningService<S extends Record<string, unknown>> {
  name: string;
  url: string;
  graphqlUrl: string;
  port: number;
  database: Database<S>;
  /** Present when connected to Kafka. */
  relay?: Relay;
  consumers: EventConsumer[];
  /** The durable timers (present when the schema has the kit's `timers` table). */
  timers?: TimerRunner;
  stop(): Promise<void>;
}

/**
 * The instance's signer and verifier (DESIGN.md §5, the bus is not trusted): its own key, which
 * must be its principal's (the instance name), and the trusted public keys. In production a
 * service on Kafka must have both. Throws ConfigError before anything starts.
 */
function eventTrust(name: string, settings: ServiceSettings) {
  if (settings.production && settings.kafkaBrokers?.length && (!settings.eventSigning || !settings.eventKeys))
    throw new ConfigError(
      'invalid configuration:\n  EVENT_SIGNING_KEY_FILE and EVENT_JWKS_FILE: required in production with KAFKA_BROKERS',
    );
  const signer = settings.eventSigning && createEventSigner(settings.eventSigning.privateJwk);
  if (signer && signer.principal !== name)
    throw new ConfigError(`invalid configuration:\n  EVENT_SIGNING_KEY_FILE: the key ${signer.kid} is not ${name}'s`);
  return { signer, verifier: settings.eventKeys && createEventVerifier(settings.eventKeys) };
}

/** Publishes the outbox and runs the consumers; a broker that is down only delays them (they retry). */
function startEvents<S extends Record<string, unknown>>(
  def: ServiceDefinition<S, never>,
  deps: ServiceDeps<S>,
  settings: ServiceSettings,
  { signer, verifier }: ReturnType<typeof eventTrust>,
  relayDb: Db<S>,
) {
  const bus = createBus({
    brokers: settings.kafkaBrokers!,
    clientId: `onecheck-${def.name}`,
    logger: deps.logger,
    sasl: settings.kafkaSasl,
    ssl: settings.kafkaSsl,
  });
  // Without credentials (a broker without ACLs) the service creates missing topics itself: real
  // Kafka may not auto-create them, and a broker that is down only delays this. With credentials it
  // has no right to (infra/kafka/access.json: only the admin does, in setup), so it does not ask.
  if (!settings.kafkaSasl)
    bus.ensureTopics([...ALL_TOPICS]).catch((err: unknown) => deps.logger.warn({ err }, 'could not ensure topics yet'));
  if (!signer || !verifier) deps.logger.warn('events are not signed or not verified (no signing key / trusted keys)');
  const relay = startRelay({ db: relayDb, bus, logger: deps.logger, clock: deps.clock, signer });
  const consumers = (def.consumers?.(deps) ?? []).map((c) =>
    startConsumer({
      db: deps.db,
      bus,
      logger: deps.logger,
      clock: deps.clock,
      groupId: `onecheck.${def.name}.${c.name}`,
      topics: c.topics,
      handlers: c.handlers,
      batchHandlers: c.batchHandlers,
      concerns: c.concerns,
      kafka: settings.consumerOptions,
      verifier,
    }),
  );
  return {
    relay,
    consumers,
    stop: async () => {
      await Promise.all(consumers.map((c) => c.stop()));
      await relay.stop();
      await bus.disconnect();
    },
  };
}

/** The timer kind of the audit anchors every service with an audit log has. */
export const AUDIT_ANCHOR_TIMER = 'audit-anchor';

/**
 * The service's timers and, when its schema has the audit log, the recurring audit anchor
 * (audit.ts). Opt-in by schema: a service whose drizzle schema re-exports the kit's `timers` /
 * `auditLog` tables (and so has them migrated) gets them.
 */
function startServiceTimers<S extends Record<string, unknown>>(
  def: ServiceDefinition<S, never>,
  deps: ServiceDeps<S>,
  settings: ServiceSettings,
): TimerRunner | undefined {
  if (!('timers' in def.schema)) return undefined;
  const own = def.timers?.(deps);
  const audited = 'auditLog' in def.schema;
  return startTimers<S>({
    db: deps.db,
    clock: deps.clock,
    logger: deps.logger,
    principal: def.name,
    pollMs: settings.timerPollMs,
    handlers: {
      ...own?.handlers,
      ...(audited
        ? { [AUDIT_ANCHOR_TIMER]: async (_job, tx) => void (await anchorAudit(tx, def.name, deps.clock)) }
        : {}),
    },
    recurring: [
      ...(own?.recurring ?? []),
      ...(audited
        ? [{ id: AUDIT_ANCHOR_TIMER, kind: AUDIT_ANCHOR_TIMER, everyMs: settings.auditAnchorEveryMs ?? 60_000 }]
        : []),
    ],
  });
}

export async function startService<S extends Record<string, unknown>, C extends BaseContext>(
  def: ServiceDefinition<S, C>,
  settings: ServiceSettings,
): Promise<RunningService<S>> {
  const logger = settings.logger ?? createLogger(def.name);
  // A missing or wrong key fails here, before anything opens.
  const trust = settings.kafkaBrokers?.length ? eventTrust(def.name, settings) : undefined;
  const database = await openDatabase({
    name: def.name,
    schema: def.schema,
    migrationsFolder: def.migrationsFolder,
    databaseUrl: settings.databaseUrl,
    databaseSchema: settings.databaseSchema,
    preparedStatements: settings.databasePreparedStatements,
    dataDir: settings.dataDir,
    logger,
  });
  const deps: ServiceDeps<S> = { db: database.db, logger, clock: settings.clock, calendarBase: settings.calendarBase };
  const events = settings.kafkaBrokers?.length
    ? startEvents(def as ServiceDefinition<S, never>, deps, settings, trust!, database.relayDb)
    : undefined;
  const timers = startServiceTimers(def as ServiceDefinition<S, never>, deps, settings);
  const subgraph = await startSubgraph<C>({
    name: def.name,
    host: settings.host,
    port: settings.port,
    typeDefs: def.typeDefs,
    resolvers: def.resolvers,
    gatewaySecret: settings.gatewaySecret,
    context: (request) => def.context(request, deps),
    clock: settings.clock,
    ready: () => database.ping(),
    logger,
    production: settings.production,
    // A retried mutation runs in a transaction that also records its key: its context is rebuilt on it.
    idempotency: {
      db: database.db,
      clock: settings.clock,
      // Every service context spreads serviceContext(request), so it carries who asks and in which language.
      rebind: (ctx, tx) => def.context(ctx, { ...deps, db: tx as Db<S> }) as C & RequestInfo,
    },
  }).catch(async (err: unknown) => {
    // A port already taken, say: leave nothing running behind the error.
    await timers?.stop();
    await events?.stop();
    await database.close();
    throw err;
  });
  let stopped: Promise<void> | undefined;
  return {
    name: def.name,
    url: subgraph.url,
    graphqlUrl: subgraph.graphqlUrl,
    port: subgraph.port,
    database,
    relay: events?.relay,
    consumers: events?.consumers ?? [],
    timers,
    // Stop taking requests first, then the timers and the event work, then the database: nothing half-done is lost.
    stop: () =>
      (stopped ??= (async () => {
        await subgraph.stop();
        await timers?.stop();
        await events?.stop();
        await database.close();
      })()),
  };
}

/** What every resolver and domain call of a request may use: who asks, in which language, the database and the clock. */
export interface ServiceContext<S extends Record<string, unknown>> extends RequestInfo {
  db: Db<S>;
  clock: Clock;
  calendarBase?: CalendarBase;
}

export function serviceContext<S extends Record<string, unknown>>(
  request: RequestInfo,
  deps: ServiceDeps<S>,
): ServiceContext<S> {
  return { ...request, db: deps.db, clock: deps.clock, calendarBase: deps.calendarBase };
}
