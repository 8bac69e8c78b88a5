/**
 * OneCheck as separate OS processes under one supervisor: the stand-in broker (unless Kafka is
 * given), every service, one department instance per department and the gateway, each its own
 * `main.ts` (bundled first, scripts/build.ts) with its own environment, in dependency order.
 * `npm start` and the end-to-end topology test both use it. (scripts/system.ts is the same system
 * in one process, for fast tests.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { pino } from 'pino';
import { ACCESS_FILE, ensureKafkaPasswords, ensureLocalCa, loadAccessFile, passwordFile } from '@onecheck/broker';
import { ALL_TOPICS, createBus, ensureSigningKeys, publishSigningKeys, signingKeyFile } from '@onecheck/events';
import { freePorts, provisionServiceDatabase } from '@onecheck/pgserver';
import { buildEntries } from './build';
import { createSupervisor, type Supervisor } from './supervisor';

/**
 * Free ports on 127.0.0.1 for a whole topology and its embedded PostgreSQL server, with
 * `departments` department instances: a test or a benchmark then runs beside anything else.
 */
export async function freeTopologyPorts(departments: number) {
  // Chosen together: no two parts get one port.
  const [broker, postgres, gateway, market, approval, credit, ...rest] = await freePorts(6 + departments);
  return {
    broker: broker!,
    postgres: postgres!,
    gateway: gateway!,
    market: market!,
    approval: approval!,
    credit: credit!,
    departments: rest,
  };
}

/** Where one service's data lives. */
export interface DatabaseTarget {
  url: string;
  /** One schema per service on a shared server (DATABASE_URL given by the user). */
  schema?: string;
}

export interface TopologyOptions {
  /** Data folder: the broker's log, the embedded PostgreSQL cluster, the keys. */
  dataDir: string;
  /**
   * `embedded`: a PostgreSQL server of our own as a child (`<dataDir>/postgres`), one database and
   * role per service. `url`: the user's server, one schema per service (`<schemaPrefix>_<service>`,
   * the prefix `onecheck` unless given; the scale benchmark runs on the schemas it loaded).
   */
  database: { embedded: { port: number } } | { url: string; schemaPrefix?: string };
  /** Kafka to use; omitted = the stand-in broker as a child on `ports.broker`. */
  kafkaBrokers?: string[];
  /**
   * The stand-in listens with TLS, its certificate from a local CA under `<dataDir>/keys/kafka-tls`
   * (made on the first start); every client verifies it against that CA. Default: plaintext, which
   * is acceptable because the stand-in listens on 127.0.0.1 only (docs: security notes).
   */
  kafkaTls?: boolean;
  /** `departments`: one port per department, in the order of `departments`. */
  ports: { broker: number; gateway: number; market: number; approval: number; credit: number; departments: number[] };
  departments: string[];
  /** The demo issuer's and the gateway's shared secrets, as their text. */
  issuerSecret: string;
  gatewaySecret: string;
  /** The services' and the gateway's LOG_LEVEL. */
  logLevel: string;
  /** ONECHECK_CLOCK for every child. */
  clockSetting?: string;
  /** The rest of every child's environment (PATH, HOME …); what the topology sets wins. */
  baseEnv?: Record<string, string | undefined>;
  /** The supervisor to run them under (default: a new one); the caller may stop it at any time, mid-start too. */
  supervisor?: Supervisor;
  /** Kept for any start that must not outlive it (default 120 s: two cores, many processes). */
  readyTimeoutMs?: number;
}

export interface RunningTopology {
  supervisor: Supervisor;
  gatewayUrl: string;
  urls: { market: string; approval: string; credit: string; departments: Map<string, string> };
  kafkaBrokers: string[];
  /**
   * `<dataDir>/keys/kafka`: one SCRAM password file per principal of infra/kafka/access.json
   * (`outside-consumer.password` is the demo outside consumer's).
   */
  kafkaKeysDir: string;
  /** The CA certificate clients trust when the stand-in runs with TLS. */
  kafkaCaFile?: string;
  /** Each service's database (for the demo loader), by service name. */
  databases: Map<string, DatabaseTarget>;
  stop(): Promise<void>;
}

// Not @onecheck/kit's REPO_ROOT: the supervisor stays small and loads no service code.
const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** What each process of the topology runs. */
const ENTRIES = [
  'infra/broker/src/cli.ts',
  'scripts/postgres.ts',
  'services/market/src/main.ts',
  'services/approval/src/main.ts',
  'services/credit/src/main.ts',
  'services/department/src/main.ts',
  'gateway/src/main.ts',
].map((path) => resolve(REPO_ROOT, path));
/** A department instance's name, in the logs and as a database: `department-culture_tourism`. */
export const departmentService = (code: string) => `department-${code.toLowerCase()}`;

export async function startTopology(opts: TopologyOptions): Promise<RunningTopology> {
  const supervisor = opts.supervisor ?? createSupervisor();
  // Each process runs on node alone, from its bundle (scripts/build.ts), made afresh on each start.
  const bundles = await buildEntries(REPO_ROOT, ENTRIES, resolve(REPO_ROOT, 'tmp', 'build'));
  const entry = (path: string) => bundles.get(resolve(REPO_ROOT, path))!;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 120_000;
  const host = '127.0.0.1';
  const common = {
    ...opts.baseEnv,
    HOST: host,
    LOG_LEVEL: opts.logLevel,
    ONECHECK_CLOCK: opts.clockSetting,
    DATA_DIR: opts.dataDir,
    GATEWAY_SECRET: opts.gatewaySecret,
    // Apollo's telemetry and kafkajs's partitioner notice are noise here.
    APOLLO_TELEMETRY_DISABLED: '1',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
  };
  const services = [
    { service: 'market', dir: 'market', port: opts.ports.market, env: {} },
    { service: 'approval', dir: 'approval', port: opts.ports.approval, env: {} },
    { service: 'credit', dir: 'credit', port: opts.ports.credit, env: {} },
    ...opts.departments.map((code, i) => ({
      service: departmentService(code),
      dir: 'department',
      port: opts.ports.departments[i]!,
      env: { DEPARTMENT: code },
    })),
  ];

  // DESIGN §5, the bus is not trusted by default: one SCRAM password per principal of the access
  // definition, made on the first start (mode 600) and kept. The stand-in gets only their salted
  // form and enforces the definition's ACLs; anonymous clients are refused. Given KAFKA_BROKERS, the
  // operator creates the same users there (infra/kafka/setup.sh with these passwords).
  const kafkaKeysDir = resolve(opts.dataDir, 'keys', 'kafka');
  const { usersFile } = ensureKafkaPasswords(kafkaKeysDir, loadAccessFile(ACCESS_FILE));
  const ca =
    opts.kafkaTls && !opts.kafkaBrokers ? ensureLocalCa(resolve(opts.dataDir, 'keys', 'kafka-tls')) : undefined;
  /** A process's own principal and nothing else: its name and the path of its password file. */
  const kafkaPrincipal = (principal: string) => ({
    KAFKA_USERNAME: principal,
    KAFKA_PASSWORD_FILE: passwordFile(kafkaKeysDir, principal),
    ...(ca ? { KAFKA_SSL: '1', KAFKA_CA_FILE: ca.caFile } : {}),
  });

  // DESIGN §5, every event is signed by its producer: one Ed25519 key per producing principal under
  // <dataDir>/keys/signing (made on the first start, mode 600), and <dataDir>/keys/jwks.json, the
  // public keys every process trusts (rewritten on each start; rotation: docs/events.md).
  const keysDir = resolve(opts.dataDir, 'keys');
  const jwksFile = resolve(keysDir, 'jwks.json');
  const { jwks } = ensureSigningKeys(
    keysDir,
    services.map((s) => s.service),
  );
  /** A service's own signing key and the trusted public keys. */
  const eventKeys = (principal: string) => ({
    EVENT_SIGNING_KEY_FILE: signingKeyFile(keysDir, principal),
    EVENT_JWKS_FILE: jwksFile,
  });

  const startKafka = async (): Promise<string[]> => {
    if (opts.kafkaBrokers) return opts.kafkaBrokers;
    await supervisor.start({
      name: 'broker',
      entry: entry('infra/broker/src/cli.ts'),
      env: {
        ...common,
        BROKER_PORT: String(opts.ports.broker),
        BROKER_DATA_DIR: resolve(opts.dataDir, 'broker'),
        BROKER_ACCESS_FILE: ACCESS_FILE,
        BROKER_USERS_FILE: usersFile,
        BROKER_ALLOW_ANONYMOUS: '0',
        ...(ca ? { BROKER_TLS_CERT_FILE: ca.certFile, BROKER_TLS_KEY_FILE: ca.keyFile } : {}),
      },
      ready: { tcp: { host, port: opts.ports.broker } },
      readyTimeoutMs,
      tier: 1,
    });
    const brokers = [`${host}:${opts.ports.broker}`];
    // Create the catalogue once, before the services race each other to do it.
    // As the admin: services have no right to create topics.
    const admin = readFileSync(passwordFile(kafkaKeysDir, 'admin'), 'utf8').trim();
    const bus = createBus({
      brokers,
      clientId: 'onecheck-setup',
      logger: pino({ name: 'setup', level: 'warn' }),
      sasl: { mechanism: 'scram-sha-256', username: 'admin', password: admin },
      ssl: ca ? { ca: [ca.ca] } : undefined,
    });
    // The public keys on the keys topic too, for consumers outside (docs/events.md).
    await bus
      .ensureTopics([...ALL_TOPICS])
      .then(() => publishSigningKeys(bus, jwks))
      .finally(() => bus.disconnect());
    return brokers;
  };

  const startDatabases = async (): Promise<Map<string, DatabaseTarget>> => {
    const databases = new Map<string, DatabaseTarget>();
    if ('url' in opts.database) {
      const { url, schemaPrefix = 'onecheck' } = opts.database;
      for (const s of services)
        databases.set(s.service, { url, schema: `${schemaPrefix}_${s.service.replace(/-/g, '_')}` });
      return databases;
    }
    const adminUrl = await startPostgres(
      supervisor,
      entry('scripts/postgres.ts'),
      opts.dataDir,
      opts.database.embedded.port,
      common,
      readyTimeoutMs,
    );
    // Idempotent: every start puts each service's database, role and rights (back) in place.
    for (const s of services) databases.set(s.service, { url: await provisionServiceDatabase(adminUrl, s.service) });
    return databases;
  };

  try {
    // The broker and the database server need nothing of each other.
    const [kafkaBrokers, databases] = await Promise.all([startKafka(), startDatabases()]);
    const url = (port: number) => `http://${host}:${port}/graphql`;
    // Independent of each other: started together, each waited for until its /readyz answers.
    await Promise.all(
      services.map((s) => {
        const db = databases.get(s.service)!;
        return supervisor.start({
          name: s.service,
          entry: entry(`services/${s.dir}/src/main.ts`),
          env: {
            ...common,
            ...s.env,
            PORT: String(s.port),
            KAFKA_BROKERS: kafkaBrokers.join(','),
            ...kafkaPrincipal(s.service),
            ...eventKeys(s.service),
            DATABASE_URL: db.url,
            DATABASE_SCHEMA: db.schema,
          },
          ready: { http: `http://${host}:${s.port}/readyz` },
          readyTimeoutMs,
          tier: 2,
        });
      }),
    );
    const urls = {
      market: url(opts.ports.market),
      approval: url(opts.ports.approval),
      credit: url(opts.ports.credit),
      departments: new Map(opts.departments.map((code, i) => [code, url(opts.ports.departments[i]!)])),
    };
    await supervisor.start({
      name: 'gateway',
      entry: entry('gateway/src/main.ts'),
      env: {
        ...common,
        PORT: String(opts.ports.gateway),
        MARKET_URL: urls.market,
        APPROVAL_URL: urls.approval,
        CREDIT_URL: urls.credit,
        DEPARTMENT_URLS: [...urls.departments].map(([code, u]) => `${code}=${u}`).join(','),
        AUTH_DEMO_SECRET: opts.issuerSecret,
        // Served at /.well-known/jwks.json for outside consumers.
        EVENT_JWKS_FILE: jwksFile,
      },
      ready: { http: `http://${host}:${opts.ports.gateway}/readyz` },
      readyTimeoutMs,
      tier: 3,
    });
    return {
      supervisor,
      gatewayUrl: url(opts.ports.gateway),
      urls,
      kafkaBrokers,
      kafkaKeysDir,
      kafkaCaFile: ca?.caFile,
      databases,
      stop: () => supervisor.stop(),
    };
  } catch (err) {
    await supervisor.stop();
    throw err;
  }
}

/** Starts the embedded PostgreSQL server as a child; resolves to its superuser URL, for provisioning. */
async function startPostgres(
  supervisor: Supervisor,
  entryFile: string,
  dataDir: string,
  port: number,
  env: Record<string, string | undefined>,
  readyTimeoutMs: number,
): Promise<string> {
  // @onecheck/pgserver keeps the superuser's password in <dataDir>/keys/postgres.key (made on the
  // first start) and serves 127.0.0.1 only.
  const keyFile = resolve(dataDir, 'keys', 'postgres.key');
  const adminUrl = () =>
    `postgres://postgres:${encodeURIComponent(readFileSync(keyFile, 'utf8').trim())}@127.0.0.1:${port}/postgres`;
  const answers = async () => {
    if (!existsSync(keyFile)) return false;
    const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 2000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } finally {
      await client.end().catch(() => {});
    }
  };
  await supervisor.start({
    name: 'postgres',
    entry: entryFile,
    env: { ...env, POSTGRES_PORT: String(port) },
    ready: { check: answers },
    readyTimeoutMs,
    tier: 1,
  });
  return adminUrl();
}
