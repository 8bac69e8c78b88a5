/**
 * Loads the demo county into running services, through each service's own domain functions (the
 * same validation and events as the API) on that service's own database: the rows and their outbox
 * entries commit together, and the running service's relay publishes the events. Once: a second
 * start finds the data and keeps it.
 */
import { fileURLToPath } from 'node:url';
import { count } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { systemClock, type Clock } from '@onecheck/clock';
import { openDatabase, type Database, type Db } from '@onecheck/db';
import { registerEnterprise } from '../../services/market/src/domain/enterprise';
import { actorOf } from '@onecheck/kit';

/** Who the audit trail says registered the demo county's businesses: the loader, as the office. */
const DEMO_LOADER = actorOf({ sub: 'demo-loader', role: 'office' });
import { grantLicence } from '../../services/approval/src/domain/licence';
import { setApprovalItem } from '../../services/approval/src/domain/approval-items';
import { DEFAULT_RULES } from '../../services/approval/src/index';
import { publishItem } from '../../services/department/src/domain/items';
import { addInspector } from '../../services/department/src/domain/inspectors';
import * as market from '../../services/market/src/db/schema';
import * as approval from '../../services/approval/src/db/schema';
import * as department from '../../services/department/src/db/schema';
import { DEMO_APPROVAL_ITEMS, DEMO_ITEMS, demoEnterprises, demoInspectors, demoLicences } from './data';
import type { DemoTarget } from './loaded';

const migrations = (service: string) => fileURLToPath(new URL(`../../services/${service}/drizzle`, import.meta.url));

async function open<S extends Record<string, unknown>>(
  name: string,
  dir: string,
  schema: S,
  target: DemoTarget,
): Promise<Database<S>> {
  // The service has migrated its database already; this only finds that done.
  return openDatabase({
    name,
    schema,
    migrationsFolder: migrations(dir),
    databaseUrl: target.url,
    databaseSchema: target.schema,
  });
}

async function rows(db: Db, table: PgTable): Promise<number> {
  const [r] = await db.select({ n: count() }).from(table);
  return r?.n ?? 0;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 120_000) {
  const until = systemClock.millis() + timeoutMs;
  while (!(await check())) {
    if (systemClock.millis() > until) throw new Error(`demo seed: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs `work` over `items`, `width` at a time: the services' own pools serve them meanwhile. */
async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/**
 * `databases` maps each service name (`market`, `approval`, `department-health` …) to its
 * database; `say` reports progress.
 */
export async function seedDemo(
  databases: Map<string, DemoTarget>,
  opts: { clock: Clock; say: (line: string) => void; businesses?: number },
) {
  const { clock, say } = opts;
  const opened: Database<Record<string, unknown>>[] = [];
  const target = (service: string) => {
    const t = databases.get(service);
    if (!t) throw new Error(`demo seed: no database for ${service}`);
    return t;
  };
  try {
    for (const [service, t] of databases) {
      if (!service.startsWith('department-')) continue;
      const code = service.slice('department-'.length).toUpperCase();
      const database = await open(service, 'department', department, t);
      opened.push(database as never);
      const db = database.db;
      if ((await rows(db, department.supervisionItems)) > 0) continue;
      for (const item of DEMO_ITEMS[code] ?? []) await publishItem(db, code, item, clock, DEMO_LOADER);
      for (const inspector of demoInspectors(code)) await addInspector(db, inspector, clock, DEMO_LOADER);
      say(`${code}: items and inspectors loaded`);
    }

    const enterprises = demoEnterprises(opts.businesses ?? 2000);
    const marketDb = await open('market', 'market', market, target('market'));
    opened.push(marketDb as never);
    if ((await rows(marketDb.db, market.enterprises)) === 0) {
      say(`registering ${enterprises.length} businesses`);
      await inParallel(enterprises, 4, (e) => registerEnterprise(marketDb.db, e, clock, DEMO_LOADER));
    }

    const approvalDb = await open('approval', 'approval', approval, target('approval'));
    opened.push(approvalDb as never);
    if ((await rows(approvalDb.db, approval.licences)) === 0) {
      // The bureau knows businesses from market regulation's events; wait until it knows them all.
      say('waiting for the approval bureau to learn of every business');
      await waitFor(
        'the approval bureau to learn of every business',
        async () => (await rows(approvalDb.db, approval.knownEnterprises)) >= enterprises.length,
      );
      for (const item of DEMO_APPROVAL_ITEMS) await setApprovalItem(approvalDb.db, item, clock, DEMO_LOADER);
      const licences = demoLicences(enterprises, clock.today());
      say(`granting ${licences.length} licences`);
      await inParallel(licences, 4, (l) => grantLicence(approvalDb.db, l, clock, DEFAULT_RULES, DEMO_LOADER));
    }
  } finally {
    for (const d of opened) await d.close();
  }
}
