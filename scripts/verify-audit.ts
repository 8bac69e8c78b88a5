/**
 * `npm run verify-audit`: walks every service's audit chain (全程留痕, kit audit.ts) against the
 * anchors the services published on onecheck.audit.anchor, and names the first entry that was
 * changed or removed (kit audit-verify.ts). Exit 0 when every chain holds, 1 otherwise.
 *
 * It looks where `npm start` put things (the same settings: DATA_DIR, DATABASE_URL, POSTGRES_PORT,
 * BROKER_PORT, BROKER_TLS, KAFKA_BROKERS; DATABASE_SCHEMA_PREFIX for another system's schemas): each
 * service's database (the embedded server's, as its superuser, or its schema on DATABASE_URL), and the anchor topic, read as the Kafka admin with
 * the password under data/keys/kafka. The anchors are trusted only when signed by the service
 * they speak for, with a key of data/keys/jwks.json: they live outside the databases they check.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { pino } from 'pino';
import { ensureLocalCa, passwordFile } from '@onecheck/broker';
import {
  checkProducer,
  createEventVerifier,
  readTrustedKeys,
  readWholeTopic,
  TOPICS,
  validateEvent,
} from '@onecheck/events';
import { verifyAuditLog, type AuditAnchor, type AuditVerification } from '@onecheck/kit';
import { serviceDatabaseName } from '@onecheck/pgserver';
import { DEMO_DEPARTMENTS } from './demo/departments';
import { verifyAuditEnv } from './env';
import { departmentService } from './topology';

const settings = verifyAuditEnv();
const { dataDir } = settings;
const services = ['market', 'approval', 'credit', ...DEMO_DEPARTMENTS.map(departmentService)];

/** The anchors by service, each verified: signed by that service, valid against its contract. */
async function readAnchors(): Promise<{ anchors: Map<string, AuditAnchor[]>; refused: string[] }> {
  const keysDir = resolve(dataDir, 'keys');
  const verifier = createEventVerifier(readTrustedKeys(keysDir));
  const admin = readFileSync(passwordFile(resolve(keysDir, 'kafka'), 'admin'), 'utf8').trim();
  const ca = settings.brokerTls && !settings.kafkaBrokers ? ensureLocalCa(resolve(keysDir, 'kafka-tls')) : undefined;
  const messages = await readWholeTopic(
    {
      brokers: settings.kafkaBrokers ?? [`127.0.0.1:${settings.brokerPort}`],
      clientId: 'onecheck-verify-audit',
      logger: pino({ name: 'verify-audit', level: 'error' }),
      sasl: { mechanism: 'scram-sha-256', username: 'admin', password: admin },
      ssl: ca ? { ca: [ca.ca] } : undefined,
    },
    TOPICS.audit,
  );
  const anchors = new Map<string, AuditAnchor[]>();
  const refused: string[] = [];
  for (const m of messages) {
    try {
      const { principal } = verifier.verify(m);
      const event = validateEvent(JSON.parse(m.value?.toString('utf8') ?? ''));
      checkProducer(principal, m.topic, event);
      const data = event.data as AuditAnchor & { service: string };
      anchors.set(data.service, [...(anchors.get(data.service) ?? []), data]);
    } catch (err) {
      refused.push(`offset ${m.offset}: ${(err as Error).message}`);
    }
  }
  return { anchors, refused };
}

/** A service's database, read only: no migration, no service code. */
function databaseOf(service: string) {
  if (settings.databaseUrl)
    return new pg.Pool({
      connectionString: settings.databaseUrl,
      options: `-c search_path="${settings.schemaPrefix}_${service.replace(/-/g, '_')}"`,
      max: 1,
    });
  const key = readFileSync(resolve(dataDir, 'keys', 'postgres.key'), 'utf8').trim();
  return new pg.Pool({
    connectionString: `postgres://postgres:${encodeURIComponent(key)}@127.0.0.1:${settings.postgresPort}/${serviceDatabaseName(service)}`,
    max: 1,
  });
}

function report(service: string, r: AuditVerification): string {
  if (r.ok) {
    // Rows after the newest anchor are chained but not yet anchored: a deletion of those is seen only
    // once the next anchor (every minute) covers them.
    const open = r.entries - r.anchoredTo;
    const pending = open > 0 ? ` (${open} newest not anchored yet: run again after the next anchor)` : '';
    return `✓ ${service}: ${r.entries} entries, anchored up to ${r.anchoredTo}${pending}`;
  }
  const p = r.problem!;
  const what = p.row ? ` (${p.row.action} ${p.row.entityKind} ${p.row.entityId} at ${p.row.at.toISOString()})` : '';
  return `✗ ${service}: entry ${p.seq} ${p.kind === 'changed' ? 'was changed' : 'was removed'}${what}: ${p.detail}`;
}

const { anchors, refused } = await readAnchors();
for (const r of refused) console.log(`! an anchor was ignored (not a valid signed anchor): ${r}`);
let failed = false;
for (const service of services) {
  const pool = databaseOf(service);
  try {
    const has = await pool.query(`select to_regclass('audit_log') is not null as present`);
    if (!(has.rows[0] as { present: boolean }).present) {
      const published = anchors.get(service)?.length ?? 0;
      failed ||= published > 0;
      console.log(
        published
          ? `✗ ${service}: no audit log in the database, but ${published} anchors were published`
          : `- ${service}: no audit log yet (its migration has not added one)`,
      );
      continue;
    }
    const result = await verifyAuditLog(drizzle(pool), anchors.get(service) ?? []);
    failed ||= !result.ok;
    console.log(report(service, result));
  } catch (err) {
    failed = true;
    console.log(`✗ ${service}: could not read its database (${(err as Error).message})`);
  } finally {
    await pool.end();
  }
}
process.exit(failed ? 1 : 0);
