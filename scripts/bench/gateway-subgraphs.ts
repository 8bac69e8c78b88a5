/**
 * Child process of the gateway benchmark: every subgraph service (market, approval, credit and one
 * instance per demo department) in this one process, with the demo county loaded, pinned by the
 * parent to the core the gateway under test does not use. Its own in-process gateway stays idle.
 *
 * Argument: JSON { issuerSecret, gatewaySecret, businesses }. Prints one JSON line with the URLs
 * and the businesses' codes, then serves until stdin closes (the parent ends it that way).
 */
import { count } from 'drizzle-orm';
import { actorOf, type Db } from '@onecheck/kit';
import { grantLicence } from '../../services/approval/src/domain/licence';
import { DEFAULT_RULES } from '../../services/approval/src/index';
import * as approval from '../../services/approval/src/db/schema';
import * as department from '../../services/department/src/db/schema';
import { publishItem } from '../../services/department/src/domain/items';
import { registerEnterprise } from '../../services/market/src/domain/enterprise';
import * as market from '../../services/market/src/db/schema';
import { DEMO_ITEMS, demoEnterprises, demoLicences } from '../demo/data';
import { DEMO_DEPARTMENTS, startSystem } from '../system';

const args = JSON.parse(process.argv[2] ?? '{}') as { issuerSecret: string; gatewaySecret: string; businesses: number };
const encode = (s: string) => new TextEncoder().encode(s);

const sys = await startSystem({
  departments: DEMO_DEPARTMENTS,
  issuerSecret: encode(args.issuerSecret),
  gatewaySecret: encode(args.gatewaySecret),
  production: true,
  logLevel: 'error',
});

// The demo county's items, businesses and licences, through each service's domain code.
for (const [code, instance] of sys.departments) {
  const db = instance.database.db as unknown as Db<typeof department>;
  for (const item of DEMO_ITEMS[code] ?? [])
    await publishItem(db, code, item, sys.clock, actorOf({ sub: 'bench', role: 'staff', department: code }));
}
const enterprises = demoEnterprises(args.businesses);
const marketDb = sys.market.database.db as unknown as Db<typeof market>;
for (const e of enterprises)
  await registerEnterprise(marketDb, e, sys.clock, actorOf({ sub: 'bench', role: 'office' }));
const approvalDb = sys.approval.database.db as unknown as Db<typeof approval>;
// The bureau grants only to businesses it has heard of from market regulation's events.
while (((await approvalDb.select({ n: count() }).from(approval.knownEnterprises))[0]?.n ?? 0) < enterprises.length) {
  await new Promise((r) => setTimeout(r, 100));
}
for (const l of demoLicences(enterprises, sys.clock.today()))
  await grantLicence(approvalDb, l, sys.clock, DEFAULT_RULES, actorOf({ sub: 'bench', role: 'approver' }));

process.stdout.write(
  `@bench ${JSON.stringify({
    urls: { market: sys.market.graphqlUrl, approval: sys.approval.graphqlUrl, credit: sys.credit.graphqlUrl },
    departments: Object.fromEntries([...sys.departments].map(([code, s]) => [code, s.graphqlUrl])),
    usccs: enterprises.map((e) => e.uscc),
  })}\n`,
);

process.stdin.resume();
process.stdin.on('end', () => {
  void sys.stop().finally(() => process.exit(0));
});
