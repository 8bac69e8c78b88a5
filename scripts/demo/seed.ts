/**
 * Loads the demo county into a running system, through each service's own domain functions (the
 * same validation and events as the API), once: a second start finds the data and keeps it.
 */
import { count } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { systemClock } from '@onecheck/clock';
import type { Db, Logger } from '@onecheck/kit';
import { registerEnterprise } from '../../services/market/src/domain/enterprise';
import { grantLicence } from '../../services/approval/src/domain/licence';
import { publishItem } from '../../services/department/src/domain/items';
import { addInspector } from '../../services/department/src/domain/inspectors';
import * as market from '../../services/market/src/db/schema';
import * as approval from '../../services/approval/src/db/schema';
import * as department from '../../services/department/src/db/schema';
import type { RunningSystem } from '../system';
import { DEMO_ITEMS, demoEnterprises, demoInspectors, demoLicences } from './data';

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

export async function seedDemo(sys: RunningSystem, logger: Logger, opts: { businesses?: number } = {}) {
  const marketDb = sys.market.database.db as unknown as Db<typeof market>;
  const approvalDb = sys.approval.database.db as unknown as Db<typeof approval>;
  const enterprises = demoEnterprises(opts.businesses ?? 2000);

  for (const [code, instance] of sys.departments) {
    const db = instance.database.db as unknown as Db<typeof department>;
    if ((await rows(db, department.supervisionItems)) > 0) continue;
    for (const item of DEMO_ITEMS[code] ?? []) await publishItem(db, item, sys.clock);
    for (const inspector of demoInspectors(code)) await addInspector(db, inspector, sys.clock);
    logger.info(`demo: ${code} items and inspectors loaded`);
  }

  if ((await rows(marketDb, market.enterprises)) === 0) {
    logger.info(`demo: registering ${enterprises.length} businesses`);
    for (const e of enterprises) await registerEnterprise(marketDb, e, sys.clock);
  }

  if ((await rows(approvalDb, approval.licences)) === 0) {
    // The bureau knows businesses from market regulation's events; wait until it knows them all.
    await waitFor(
      'the approval bureau to learn of every business',
      async () => (await rows(approvalDb, approval.knownEnterprises)) >= enterprises.length,
    );
    const licences = demoLicences(enterprises);
    logger.info(`demo: granting ${licences.length} licences`);
    for (const l of licences) await grantLicence(approvalDb, l, sys.clock);
  }
}
