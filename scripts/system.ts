/**
 * Starts the whole federation in one process: every subgraph service with its own database,
 * one department instance per department, and the gateway over real HTTP. The end-to-end tests
 * use it for speed; `npm start` runs the same services as separate processes (scripts/topology.ts,
 * proved by test/topology.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueDemoToken, userTokenVerifier, type Identity } from '@onecheck/auth';
import {
  ACCESS_FILE,
  ensureLocalCa,
  loadAccessFile,
  passwordsFor,
  startBroker,
  usersFromPasswords,
  type BrokerOptions,
  type RunningBroker,
} from '@onecheck/broker';
import type { CalendarBase } from '@onecheck/calendar';
import { systemClock, type Clock } from '@onecheck/clock';
import {
  ALL_TOPICS,
  createBus,
  ensureSigningKeys,
  generateSigningKey,
  loadSigningKeyFile,
  publishSigningKeys,
  signingKeyFile,
  type ConsumerOptions,
  type Jwk,
  type Jwks,
  type KafkaSasl,
  type KafkaSsl,
} from '@onecheck/events';
import { createLogger, type RunningService, type ServiceSettings } from '@onecheck/kit';
import { startGateway, type RunningGateway } from '../gateway/src/index';
import type { RateLimit } from '../gateway/src/rate-limit';
import { loadSupergraph } from '../gateway/src/supergraph';
import { startMarket } from '../services/market/src/index';
import { startApproval } from '../services/approval/src/index';
import { startCredit } from '../services/credit/src/index';
import { startDepartment } from '../services/department/src/index';
import { DEMO_DEPARTMENTS } from './demo/departments';

export { DEMO_DEPARTMENTS };

export interface SystemOptions {
  /** PGlite data root; omitted = every database in memory. */
  dataDir?: string;
  /** A PostgreSQL server instead of PGlite: each service gets its own schema `${schemaPrefix}_${service}`. */
  databaseUrl?: string;
  schemaPrefix?: string;
  departments?: string[];
  /** Fixed ports for `npm start`; 0 everywhere (the default) for tests. */
  ports?: { gateway: number; market: number; approval: number; credit: number; departmentBase: number };
  /** Kafka to use; omitted = start the stand-in broker (in `brokerDataDir`, else in memory). */
  kafkaBrokers?: string[];
  /** With `kafkaBrokers`: the password of each principal of infra/kafka/access.json there (else unauthenticated). */
  kafkaPasswords?: Record<string, string>;
  brokerPort?: number;
  brokerDataDir?: string;
  /** The stand-in listens with TLS (a local CA under `<dataDir>/keys/kafka-tls`, else a temporary folder). */
  kafkaTls?: boolean;
  consumerOptions?: ConsumerOptions;
  /** Production mode: no introspection, no stack traces, internal errors masked. */
  production?: boolean;
  issuerSecret?: Uint8Array;
  gatewaySecret?: Uint8Array;
  logLevel?: string;
  /** The one clock of every service and the gateway; tests pin it. Default: the machine's. */
  clock?: Clock;
  /** Calendar years known before the office enters any (default: the shipped data; tests: a fixture). */
  calendarBase?: CalendarBase;
  /** The gateway's rate limits (default: the gateway's own); false turns them off. */
  rateLimit?: RateLimit | false;
  /**
   * Events neither signed nor verified (DESIGN §5 wants both): only to measure what signing costs
   * (the events benchmark reports both). A production service refuses to start so.
   */
  unsignedEvents?: boolean;
}

export interface RunningSystem {
  gatewayUrl: string;
  gateway: RunningGateway;
  /** The stand-in broker when the system started one. */
  broker?: RunningBroker;
  kafkaBrokers: string[];
  /**
   * The bus as its clients see it: each principal's SASL/SCRAM credentials (infra/kafka/access.json:
   * `admin`, `market`, `department-health`, `outside-consumer` …), for tests that connect as one of
   * them. `credentials` is undefined for an unknown principal or a bus without authentication.
   */
  kafka: {
    brokers: string[];
    credentials(principal: string): KafkaSasl | undefined;
    ssl?: KafkaSsl;
    /** The stand-in's users, access definition and TLS, to start it again the same way (outage tests). */
    brokerOptions?: Pick<BrokerOptions, 'users' | 'access' | 'allowAnonymous' | 'tls'>;
  };
  /**
   * Signed events: the trusted public keys (also served by the gateway and on the keys topic) and
   * each producing principal's private key (`market`, `department-health` …), for a relay of one's
   * own (the events benchmark). Tests forging events use keys of their own, never these.
   */
  events: { jwks: Jwks; signingKey(principal: string): Jwk | undefined };
  market: RunningService<Record<string, unknown>>;
  approval: RunningService<Record<string, unknown>>;
  credit: RunningService<Record<string, unknown>>;
  departments: Map<string, RunningService<Record<string, unknown>>>;
  /** The key subgraphs accept the gateway's credential with (tests sign their own requests with it). */
  gatewaySecret: Uint8Array;
  token(identity: Identity): Promise<string>;
  clock: Clock;
  stop(): Promise<void>;
}

export async function startSystem(opts: SystemOptions = {}): Promise<RunningSystem> {
  const issuerSecret = opts.issuerSecret ?? randomBytes(32);
  const gatewaySecret = opts.gatewaySecret ?? randomBytes(32);
  const departments = opts.departments ?? DEMO_DEPARTMENTS;
  const level = opts.logLevel ?? 'warn';
  const ports = opts.ports;
  const clock = opts.clock ?? systemClock;
  const started: { stop(): Promise<void> }[] = [];
  // DESIGN §5: the bus is not trusted by default. The stand-in gets one SCRAM user per principal of
  // the access definition (fresh passwords per system), enforces its ACLs and refuses anonymous clients.
  const access = loadAccessFile(ACCESS_FILE);
  const passwords = opts.kafkaBrokers ? opts.kafkaPasswords : passwordsFor(access);
  const credentials = (principal: string): KafkaSasl | undefined => {
    const password = passwords && Object.hasOwn(passwords, principal) ? passwords[principal] : undefined;
    return password === undefined ? undefined : { mechanism: 'scram-sha-256', username: principal, password };
  };
  const tlsDir =
    opts.kafkaTls && !opts.kafkaBrokers
      ? join(opts.dataDir ?? mkdtempSync(join(tmpdir(), 'onecheck-kafka-tls-')), 'keys', 'kafka-tls')
      : undefined;
  const ca = tlsDir ? ensureLocalCa(tlsDir) : undefined;
  const kafkaSsl: KafkaSsl | undefined = ca ? { ca: [ca.ca] } : undefined;
  if (tlsDir && !opts.dataDir)
    started.push({ stop: async () => rmSync(join(tlsDir, '..', '..'), { recursive: true }) });
  const brokerOptions = opts.kafkaBrokers
    ? undefined
    : {
        tls: ca ? { key: ca.key, cert: ca.cert } : undefined,
        access,
        users: usersFromPasswords(passwords!),
        allowAnonymous: false,
      };
  const broker = !brokerOptions
    ? undefined
    : await startBroker({
        ...brokerOptions,
        port: opts.brokerPort ?? 0,
        dataDir: opts.brokerDataDir,
        logger: createLogger('broker', level),
      });
  if (broker) started.push(broker);
  const kafkaBrokers = opts.kafkaBrokers ?? [broker!.brokers];
  // DESIGN §5: every event is signed by its producer. One key pair per producing principal, made
  // for this system (under <dataDir>/keys when it has a data folder, so a restart keeps them).
  const principals = ['market', 'approval', 'credit', ...departments.map(departmentPrincipal)];
  const signing = signingKeysFor(principals, opts.dataDir);
  if (broker) {
    // Create the catalogue once, before the services race each other to do it.
    // As the admin: no service may create topics.
    const bus = createBus({
      brokers: kafkaBrokers,
      clientId: 'onecheck-setup',
      logger: createLogger('setup', level),
      sasl: credentials('admin'),
      ssl: kafkaSsl,
    });
    // The public keys on the keys topic too, for consumers outside (docs/events.md).
    await bus
      .ensureTopics([...ALL_TOPICS])
      .then(() => publishSigningKeys(bus, signing.jwks))
      .finally(() => bus.disconnect());
  }
  const settings = (name: string, port: number): ServiceSettings => ({
    host: '127.0.0.1',
    port,
    gatewaySecret,
    dataDir: opts.dataDir,
    databaseUrl: opts.databaseUrl,
    databaseSchema: opts.databaseUrl ? `${opts.schemaPrefix ?? 'onecheck'}_${name.replace(/-/g, '_')}` : undefined,
    logger: createLogger(name, level),
    kafkaBrokers,
    // Each instance its own principal: `market`, `department-health` … (infra/kafka/access.json).
    kafkaSasl: credentials(name),
    kafkaSsl,
    ...(opts.unsignedEvents ? {} : { eventSigning: { privateJwk: signing.keys.get(name)! }, eventKeys: signing.jwks }),
    consumerOptions: opts.consumerOptions,
    production: opts.production,
    clock,
    calendarBase: opts.calendarBase,
  });

  try {
    const [market, approval, credit] = await Promise.all([
      startMarket(settings('market', ports?.market ?? 0)),
      startApproval(settings('approval', ports?.approval ?? 0)),
      startCredit(settings('credit', ports?.credit ?? 0)),
    ]);
    started.push(market, approval, credit);
    const instances = new Map<string, RunningService<Record<string, unknown>>>();
    // One at a time: each instance opens and migrates its own database.
    for (const [i, code] of departments.entries()) {
      const instance = await startDepartment(
        code,
        settings(departmentPrincipal(code), ports ? ports.departmentBase + i : 0),
      );
      instances.set(code, instance);
      started.push(instance);
    }
    const gateway = await startGateway({
      host: '127.0.0.1',
      port: ports?.gateway ?? 0,
      supergraphSdl: loadSupergraph(),
      urls: { market: market.graphqlUrl, approval: approval.graphqlUrl, credit: credit.graphqlUrl },
      departments: new Map([...instances].map(([code, s]) => [code, s.graphqlUrl])),
      verifyUserToken: userTokenVerifier({ demoSecret: issuerSecret, clock }),
      gatewaySecret,
      production: opts.production,
      logger: createLogger('gateway', level),
      clock,
      rateLimit: opts.rateLimit,
      // Served at /.well-known/jwks.json: outside consumers verify events with them.
      eventKeys: signing.jwks,
    });
    started.push(gateway);
    return {
      gatewayUrl: gateway.graphqlUrl,
      gateway,
      broker,
      kafkaBrokers,
      kafka: { brokers: kafkaBrokers, credentials, ssl: kafkaSsl, brokerOptions },
      events: { jwks: signing.jwks, signingKey: (principal) => signing.keys.get(principal) },
      market,
      approval,
      credit,
      departments: instances,
      gatewaySecret,
      clock,
      token: (identity) => issueDemoToken(issuerSecret, identity, clock),
      // Gateway first, then the services: no request arrives at a stopped service.
      stop: async () => {
        for (const s of started.reverse()) await s.stop();
      },
    };
  } catch (err) {
    for (const s of started.reverse()) await s.stop().catch(() => {});
    throw err;
  }
}

/** A department instance's name and Kafka principal: `department-culture_tourism`. */
const departmentPrincipal = (code: string) => `department-${code.toLowerCase()}`;

/** Each principal's private signing key and the JWKS of their public halves. */
function signingKeysFor(principals: string[], dataDir?: string): { keys: Map<string, Jwk>; jwks: Jwks } {
  if (dataDir) {
    const dir = join(dataDir, 'keys');
    const { jwks } = ensureSigningKeys(dir, principals);
    return { keys: new Map(principals.map((p) => [p, loadSigningKeyFile(signingKeyFile(dir, p))])), jwks };
  }
  const made = principals.map((p) => generateSigningKey(p));
  return {
    keys: new Map(made.map((k, i) => [principals[i]!, k.privateJwk])),
    jwks: { keys: made.map((k) => k.publicJwk) },
  };
}
