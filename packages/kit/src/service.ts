import type { BaseContext } from '@apollo/server';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Identity } from '@onecheck/auth';
import { openDatabase, type Database, type Db } from './db';
import { createLogger, type Logger } from './logger';
import { startSubgraph } from './subgraph';

/** How one running instance is set up: the launcher, main.ts and tests all fill this in. */
export interface ServiceSettings {
  host: string;
  port: number;
  gatewaySecret: Uint8Array;
  /** PGlite data root; omitted = in memory. Ignored when databaseUrl is set. */
  dataDir?: string;
  databaseUrl?: string;
  databaseSchema?: string;
  production?: boolean;
  logger?: Logger;
}

export interface ServiceDeps<S extends Record<string, unknown>> {
  db: Db<S>;
  logger: Logger;
}


export interface ServiceDefinition<S extends Record<string, unknown>, C extends BaseContext> {
  /** Instance name: names the database folder and the logs (department instances add their code). */
  name: string;
  schema: S;
  migrationsFolder: string;
  typeDefs: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  resolvers: GraphQLResolverMap<any>;
  context: (identity: Identity, deps: ServiceDeps<S>) => C;
  /** Starts background work after the database is ready; returns how to stop it. */
  workers?: (deps: ServiceDeps<S>) => Promise<() => Promise<void>>;
}

export interface RunningService<S extends Record<string, unknown>> {
  name: string;
  url: string;
  graphqlUrl: string;
  port: number;
  database: Database<S>;
  stop(): Promise<void>;
}

export async function startService<S extends Record<string, unknown>, C extends BaseContext>(
  def: ServiceDefinition<S, C>,
  settings: ServiceSettings,
): Promise<RunningService<S>> {
  const logger = settings.logger ?? createLogger(def.name);
  const database = await openDatabase({
    name: def.name,
    schema: def.schema,
    migrationsFolder: def.migrationsFolder,
    databaseUrl: settings.databaseUrl,
    databaseSchema: settings.databaseSchema,
    dataDir: settings.dataDir,
  });
  const deps: ServiceDeps<S> = { db: database.db, logger };
  const stopWorkers = def.workers ? await def.workers(deps) : async () => {};
  const subgraph = await startSubgraph<C>({
    name: def.name,
    host: settings.host,
    port: settings.port,
    typeDefs: def.typeDefs,
    resolvers: def.resolvers,
    gatewaySecret: settings.gatewaySecret,
    context: (identity) => def.context(identity, deps),
    ready: () => database.ping(),
    logger,
    production: settings.production,
  });
  let stopped: Promise<void> | undefined;
  return {
    name: def.name,
    url: subgraph.url,
    graphqlUrl: subgraph.graphqlUrl,
    port: subgraph.port,
    database,
    // Stop taking requests first, then background work, then the database: nothing half-done is lost.
    stop: () =>
      (stopped ??= (async () => {
        await subgraph.stop();
        await stopWorkers();
        await database.close();
      })()),
  };
}
