/**
 * `npm start`: the whole of OneCheck on one machine, one OS process per part — the stand-in Kafka
 * broker, every service, one department instance per demo department, the gateway — under a
 * supervisor that prefixes their logs, restarts a crashed one and stops them all on Ctrl-C. The
 * first start loads the demo county. DATABASE_URL and KAFKA_BROKERS point it at real servers.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSecret } from '@onecheck/auth';
import { systemClock } from '@onecheck/clock';
import { ConfigError } from '@onecheck/kit';
import { startEnv } from './env';
import { DEMO_DEPARTMENTS } from './demo/departments';
import { demoLoaded } from './demo/loaded';
import { createSupervisor } from './supervisor';
import { departmentService, startTopology, type RunningTopology } from './topology';

/** The settings, or a plain message and exit 1 when one is wrong (as each service stops on its own). */
function settingsOrExit() {
  try {
    return startEnv();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`[onecheck] ${err.message}`);
    process.exit(1);
  }
}
const settings = settingsOrExit();
const { dataDir, databaseUrl } = settings;
// How long the start took is real elapsed time, whatever time the system runs at.
const started = systemClock.millis();
const say = (line: string) => console.log(`[onecheck] ${line}`);
const secretText = (name: 'issuer' | 'gateway', env?: string) =>
  new TextDecoder().decode(loadSecret(name, { env, dataDir }));

// Made before anything starts, so a Ctrl-C during the start stops whatever is running by then.
const supervisor = createSupervisor();
let stopping: Promise<never> | undefined;
/** Stops everything and exits; every caller waits for the same stop (a start cut short waits too). */
const stop = (code = 0): Promise<never> =>
  (stopping ??= (async () => {
    say('stopping…');
    await supervisor.stop();
    say('stopped');
    process.exit(code);
  })());
// `on`, not `once`: one Ctrl-C can arrive twice (from the terminal and relayed by tsx), and the
// second must not kill the supervisor halfway through the ordered stop.
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

let topology: RunningTopology | undefined;
try {
  topology = await startTopology({
    supervisor,
    dataDir,
    // DATABASE_URL: one schema per service on that server; else our own server under data/postgres.
    database: databaseUrl ? { url: databaseUrl } : { embedded: { port: settings.postgresPort } },
    kafkaBrokers: settings.kafkaBrokers,
    kafkaTls: settings.brokerTls,
    ports: {
      broker: settings.brokerPort,
      gateway: settings.gatewayPort,
      market: 4001,
      approval: 4002,
      credit: 4003,
      departments: DEMO_DEPARTMENTS.map((_, i) => 4010 + i),
    },
    departments: DEMO_DEPARTMENTS,
    issuerSecret: secretText('issuer', settings.issuerSecretEnv),
    gatewaySecret: secretText('gateway', settings.gatewaySecretEnv),
    logLevel: settings.logLevel ?? 'warn',
    clockSetting: settings.clockSetting,
    baseEnv: settings.inherited,
  });
} catch (err) {
  console.error(`[onecheck] OneCheck could not start: ${err instanceof Error ? err.message : String(err)}`);
  await stop(1);
}
const sys = topology!;
const seconds = () => `${((systemClock.millis() - started) / 1000).toFixed(1)} s`;
say(`${sys.supervisor.children().length} processes ready (${seconds()})`);

// The demo county, loaded once by a one-off process through each service's own domain code.
try {
  if (!(await demoLoaded(sys.databases))) {
    say('loading the demo county');
    await sys.supervisor.run({
      name: 'demo',
      entry: fileURLToPath(new URL('./demo/main.ts', import.meta.url)),
      env: {
        ...settings.inherited,
        DATA_DIR: dataDir,
        ONECHECK_CLOCK: settings.clockSetting,
        DEMO_DATABASES: JSON.stringify(Object.fromEntries(sys.databases)),
      },
    });
    say(`demo county loaded (${seconds()})`);
  }
} catch (err) {
  console.error(`[onecheck] the demo county could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
  await stop(1);
}

const pad = (s: string) => s.padEnd(28);
const pids = new Map(sys.supervisor.children().map((c) => [c.name, c.pid]));
console.log(`
OneCheck is running (${seconds()}), one process each:

  ${pad('gateway (GraphQL)')}${sys.gatewayUrl}  pid ${pids.get('gateway')}
  ${pad('market')}${sys.urls.market}  pid ${pids.get('market')}
  ${pad('approval')}${sys.urls.approval}  pid ${pids.get('approval')}
  ${pad('credit')}${sys.urls.credit}  pid ${pids.get('credit')}
${[...sys.urls.departments].map(([code, u]) => `  ${pad(`department ${code}`)}${u}  pid ${pids.get(departmentService(code))}`).join('\n')}
  ${pad('Kafka')}${sys.kafkaBrokers.join(',')}${pids.has('broker') ? ` (stand-in broker, pid ${pids.get('broker')})` : ''}
  ${pad('Kafka outside consumer')}user outside-consumer, SCRAM-SHA-256, password in ${join(sys.kafkaKeysDir, 'outside-consumer.password')}
  ${pad('data')}${databaseUrl ?? dataDir}

Subgraphs answer only the gateway. Get a token and ask the gateway:

  TOKEN=$(npm run --silent token -- --role office)
  curl -s ${sys.gatewayUrl} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
    -d '{"query":"{ enterprises(first: 3) { totalCount edges { node { uscc name licences { approvalItem } creditProfile { riskClass } } } } }"}'

Kafka refuses clients without credentials. The demo outside consumer reads the licence and finding topics:

  kcat -C -b ${sys.kafkaBrokers[0]} -t onecheck.approval.licence -e ${sys.kafkaCaFile ? `-X security.protocol=SASL_SSL -X ssl.ca.location=${sys.kafkaCaFile}` : '-X security.protocol=SASL_PLAINTEXT'} \\
    -X sasl.mechanisms=SCRAM-SHA-256 -X sasl.username=outside-consumer \\
    -X sasl.password=$(cat ${join(sys.kafkaKeysDir, 'outside-consumer.password')})

Roles: office, staff, inspector, approver, auditor (the 纪检 observer of draws; staff and inspectors add --department ${DEMO_DEPARTMENTS.join('|')}).
A process that crashes is started again; Ctrl-C stops everything; data stays in ${dataDir}.
`);
