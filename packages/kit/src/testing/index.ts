/**
 * For tests only (`@onecheck/kit/testing`): one service over real HTTP on 127.0.0.1, with its own
 * database (in memory, or its own schema on TEST_DATABASE_URL, dropped at stop) and no Kafka, called the way the gateway calls it (a signed credential per
 * caller). What a subgraph accepts and refuses is then tested where it is defined.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { BaseContext } from '@apollo/server';
import { sql } from 'drizzle-orm';
import { signGatewayCredential, GATEWAY_HEADER, type Identity } from '@onecheck/auth';
import type { Clock } from '@onecheck/clock';
import { createLogger } from '../logger';
import { testingEnv } from './env';
export { testingEnv };
import { startService, type RunningService, type ServiceDefinition, type ServiceSettings } from '../service';

export interface SubgraphReply<T = Record<string, any>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export interface TestSubgraph<S extends Record<string, unknown>> {
  service: RunningService<S>;
  call<T = Record<string, any>>(
    identity: Identity,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<SubgraphReply<T>>;
  stop(): Promise<void>;
}

export async function startTestSubgraph<S extends Record<string, unknown>, C extends BaseContext>(
  def: ServiceDefinition<S, C>,
  settings: { clock: Clock } & Partial<ServiceSettings>,
): Promise<TestSubgraph<S>> {
  const gatewaySecret = randomBytes(32);
  const databaseUrl = testingEnv.databaseUrl;
  const databaseSchema = databaseUrl
    ? `kit_test_${def.name.replace(/\W/g, '_')}_${randomUUID().slice(0, 8)}`
    : undefined;
  const service = await startService(def, {
    host: '127.0.0.1',
    port: 0,
    gatewaySecret,
    logger: createLogger(def.name, 'warn'),
    databaseUrl,
    databaseSchema,
    ...settings,
  });
  return {
    service,
    async call(identity, query, variables = {}) {
      const res = await fetch(service.graphqlUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [GATEWAY_HEADER]: await signGatewayCredential(gatewaySecret, identity, settings.clock),
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as never;
    },
    stop: async () => {
      // Its own schema goes with it (on a server shared with other runs). The timers stop first:
      // a due job writing while DROP SCHEMA takes its locks table by table was a deadlock.
      await service.timers?.stop();
      if (databaseSchema)
        await service.database.db.execute(sql.raw(`DROP SCHEMA IF EXISTS "${databaseSchema}" CASCADE`));
      await service.stop();
    },
  };
}
