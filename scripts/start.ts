/**
 * `npm start`: the whole of OneCheck on one machine — the stand-in Kafka broker, every service on
 * its own embedded PostgreSQL (PGlite) under data/, the department instances, the gateway — with
 * the demo county loaded on first start. DATABASE_URL and KAFKA_BROKERS point it at real servers.
 */
import { resolve } from 'node:path';
import { loadSecret } from '@onecheck/auth';
import { systemClock } from '@onecheck/clock';
import { createLogger } from '@onecheck/kit';
import { seedDemo } from './demo/seed';
import { startEnv } from './env';
import { DEMO_DEPARTMENTS, startSystem } from './system';

const settings = startEnv();
const { dataDir, databaseUrl, clock } = settings;
const logger = createLogger('onecheck', settings.logLevel ?? 'info');
// How long the start took is real elapsed time, whatever time the system runs at.
const started = systemClock.millis();

const sys = await startSystem({
  dataDir,
  databaseUrl,
  schemaPrefix: 'onecheck',
  kafkaBrokers: settings.kafkaBrokers,
  brokerPort: settings.brokerPort,
  brokerDataDir: resolve(dataDir, 'broker'),
  clock,
  ports: {
    gateway: settings.gatewayPort,
    market: 4001,
    approval: 4002,
    credit: 4003,
    departmentBase: 4010,
  },
  issuerSecret: loadSecret('issuer', { env: settings.issuerSecretEnv, dataDir }),
  gatewaySecret: loadSecret('gateway', { env: settings.gatewaySecretEnv, dataDir }),
  logLevel: settings.logLevel ?? 'warn',
}).catch((err: unknown) => {
  logger.fatal({ err }, 'OneCheck could not start');
  process.exit(1);
});

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  logger.info('stopping…');
  await sys.stop();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

await seedDemo(sys, logger);

const pad = (s: string) => s.padEnd(28);
console.log(`
OneCheck is running (${((systemClock.millis() - started) / 1000).toFixed(1)} s)

  ${pad('gateway (GraphQL)')}${sys.gatewayUrl}
  ${pad('market')}${sys.market.graphqlUrl}
  ${pad('approval')}${sys.approval.graphqlUrl}
  ${pad('credit')}${sys.credit.graphqlUrl}
${[...sys.departments].map(([code, s]) => `  ${pad(`department ${code}`)}${s.graphqlUrl}`).join('\n')}
  ${pad('Kafka')}${sys.kafkaBrokers.join(',')}${sys.broker ? ' (stand-in broker)' : ''}
  ${pad('data')}${sys.broker || !databaseUrl ? dataDir : databaseUrl}

Subgraphs answer only the gateway. Get a token and ask the gateway:

  TOKEN=$(npm run --silent token -- --role office)
  curl -s ${sys.gatewayUrl} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
    -d '{"query":"{ enterprises(first: 3) { totalCount edges { node { uscc name licences { approvalItem } creditProfile { riskClass } } } } }"}'

Roles: office, staff, inspector, approver (staff and inspectors add --department ${DEMO_DEPARTMENTS.join('|')}).
Ctrl-C stops everything; data stays in ${dataDir}.
`);
