/**
 * Bulk-loads generated businesses straight into each service's own tables on a PostgreSQL server,
 * one schema per service exactly as `startSystem({ databaseUrl, schemaPrefix })` names them, so a
 * system started on the same prefix finds a province already there.
 *
 * Not through Kafka and not through the domain functions: a million registrations one event at a
 * time would take hours. The rows are what the services' consumers would have made of the events
 * (the bureau's known enterprises, the departments' tasks, the credit profiles: see businesses.ts),
 * written with multi-row `INSERT … SELECT FROM unnest(…)` of 10,000 rows per statement, the column
 * names and types taken from each service's drizzle table. The outbox and inbox stay empty: these
 * events count as delivered long ago. The few supervision items and inspectors go through the
 * departments' own domain functions, as the demo seed does.
 */
import pg from 'pg';
import { getTableColumns } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import type { Clock } from '@onecheck/clock';
import { openDatabase } from '@onecheck/db';
import { actorOf, type Db, type Logger } from '@onecheck/kit';
import { approvalService } from '../../services/approval/src/index';
import * as approval from '../../services/approval/src/db/schema';
import { creditService } from '../../services/credit/src/index';
import * as credit from '../../services/credit/src/db/schema';
import { departmentService } from '../../services/department/src/index';
import * as department from '../../services/department/src/db/schema';
import { addInspector } from '../../services/department/src/domain/inspectors';
import { publishItem } from '../../services/department/src/domain/items';
import { marketService } from '../../services/market/src/index';
import * as market from '../../services/market/src/db/schema';
import { DEMO_ITEMS, demoInspectors } from '../demo/data';
import { generateBusinesses, SCALE_SEED } from './businesses';

export interface LoadOptions {
  databaseUrl: string;
  /** Schemas are `${schemaPrefix}_${service}`, as scripts/system.ts names them. */
  schemaPrefix: string;
  businesses: number;
  departments: readonly string[];
  clock: Clock;
  seed?: number;
  logger?: Logger;
  /** How many credit codes to keep for queries (spread evenly over the whole load). */
  sampleSize?: number;
}

export interface LoadResult {
  seconds: number;
  rows: Record<string, number>;
  /** Credit codes spread over the load, for the benchmark's queries. */
  sample: string[];
}

/** The schema a service's tables live in under `prefix` (scripts/system.ts's rule). */
/** Who the scale loader's few domain calls name on the audit trail (issue 9 item 2). */
const LOADER = actorOf({ sub: 'scale-loader', role: 'office' });

export const schemaName = (prefix: string, service: string) => `${prefix}_${service.replace(/-/g, '_')}`;

/** Drops every schema of a prefix (a fresh load, or the end of a run). */
export async function dropSchemas(databaseUrl: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>('select nspname from pg_namespace where nspname like $1', [
      `${prefix.replace(/[\\_%]/g, (c) => `\\${c}`)}\\_%`,
    ]);
    for (const { nspname } of rows) await client.query(`drop schema "${nspname}" cascade`);
  } finally {
    await client.end();
  }
}

/**
 * Inserts rows into a drizzle table in one statement: one array parameter per column, unnested
 * server-side, so the statement has as many parameters as the table has columns, whatever the
 * row count. Columns are those the first row names (the generator names every column it fills).
 */
export async function bulkInsert<T extends PgTable>(
  client: pg.Pool | pg.PoolClient,
  table: T,
  rows: readonly T['$inferInsert'][],
): Promise<void> {
  if (rows.length === 0) return;
  const first = rows[0] as Record<string, unknown>;
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => key in first);
  const types = columns.map(([, c]) => c.getSQLType());
  const arrayColumn = types.find((t) => t.endsWith('[]'));
  if (arrayColumn) throw new Error(`bulkInsert: array column (${arrayColumn}) cannot be unnested`);
  const text =
    `insert into "${getTableConfig(table).name}" (${columns.map(([, c]) => `"${c.name}"`).join(', ')}) ` +
    `select * from unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`;
  const values = columns.map(([key]) => rows.map((r) => (r as Record<string, unknown>)[key] ?? null));
  await client.query(text, values);
}

export async function loadBusinesses(opts: LoadOptions): Promise<LoadResult> {
  const started = performance.now();
  const log = opts.logger;
  const services = [
    marketService,
    approvalService,
    creditService,
    ...opts.departments.map((code) => departmentService(code)),
  ] as const;
  await dropSchemas(opts.databaseUrl, opts.schemaPrefix);

  // Each service's own migrations make its tables, then the few rows that have domain functions.
  for (const svc of services) {
    const database = await openDatabase({
      name: svc.name,
      schema: svc.schema,
      migrationsFolder: svc.migrationsFolder,
      databaseUrl: opts.databaseUrl,
      databaseSchema: schemaName(opts.schemaPrefix, svc.name),
    });
    try {
      const code = opts.departments.find((c) => svc.name === `department-${c.toLowerCase()}`);
      if (code) {
        const db = database.db as unknown as Db<typeof department>;
        for (const item of DEMO_ITEMS[code] ?? []) await publishItem(db, code, item, opts.clock, LOADER);
        for (const inspector of demoInspectors(code)) await addInspector(db, inspector, opts.clock, LOADER);
      }
    } finally {
      await database.close();
    }
  }

  // One small pool per service, in its schema; commits need not wait for the disk during a load.
  const pools = new Map(
    services.map((svc) => [
      svc.name,
      new pg.Pool({
        connectionString: opts.databaseUrl,
        max: 1,
        options: `-c search_path="${schemaName(opts.schemaPrefix, svc.name)}" -c synchronous_commit=off`,
      }),
    ]),
  );
  const pool = (name: string) => pools.get(name)!;
  const rows: Record<string, number> = {};
  const count = (what: string, n: number) => (rows[what] = (rows[what] ?? 0) + n);
  const sampleEvery = Math.max(1, Math.floor(opts.businesses / (opts.sampleSize ?? 1000)));
  const sample: string[] = [];
  let done = 0;
  try {
    for (const batch of generateBusinesses({
      count: opts.businesses,
      seed: opts.seed ?? SCALE_SEED,
      clock: opts.clock,
      departments: opts.departments,
    })) {
      for (const [i, e] of batch.enterprises.entries()) if ((done + i) % sampleEvery === 0) sample.push(e.uscc);
      // The services' databases take their batches side by side (one connection each).
      const writes: Promise<void>[] = [
        bulkInsert(pool('market'), market.enterprises, batch.enterprises),
        bulkInsert(pool('approval'), approval.knownEnterprises, batch.knownEnterprises).then(() =>
          bulkInsert(pool('approval'), approval.licences, batch.licences),
        ),
        bulkInsert(pool('credit'), credit.creditProfiles, batch.profiles).then(() =>
          bulkInsert(pool('credit'), credit.creditRecords, batch.creditRecords),
        ),
      ];
      for (const code of opts.departments) {
        const db = pool(`department-${code.toLowerCase()}`);
        // Findings reference their tasks: tasks first.
        writes.push(
          bulkInsert(db, department.supervisionTasks, batch.tasks.get(code) ?? []).then(() =>
            bulkInsert(db, department.findings, batch.findings.get(code) ?? []),
          ),
        );
      }
      await Promise.all(writes);
      done += batch.enterprises.length;
      count('enterprises', batch.enterprises.length);
      count('licences', batch.licences.length);
      count(
        'tasks',
        [...batch.tasks.values()].reduce((n, t) => n + t.length, 0),
      );
      count(
        'findings',
        [...batch.findings.values()].reduce((n, f) => n + f.length, 0),
      );
      count('creditRecords', batch.creditRecords.length);
      if (done % 100_000 === 0) log?.info(`generate: ${done} businesses loaded`);
    }
    // Fresh statistics and visibility maps: the planner's view of a loaded province, and index-only scans.
    await Promise.all(
      [...pools.values()].map(async (p) => {
        const tables = await p.query<{ t: string }>(
          'select tablename as t from pg_tables where schemaname = current_schema()',
        );
        for (const { t } of tables.rows) await p.query(`vacuum (analyze) "${t}"`);
      }),
    );
    // The load's dirty pages written now, not by a checkpoint in the middle of what runs next (the
    // scale bench's measurement). Needs a superuser or pg_checkpoint; without, the server does it later.
    await [...pools.values()][0]
      ?.query('checkpoint')
      .catch((err: unknown) => log?.warn({ err }, 'generate: no checkpoint after the load (not allowed)'));
  } finally {
    await Promise.all([...pools.values()].map((p) => p.end()));
  }
  return { seconds: (performance.now() - started) / 1000, rows, sample };
}
