import { eq, sql } from 'drizzle-orm';
import type { EventData } from '@onecheck/contracts';
import type { Clock } from '@onecheck/clock';
import { appendAudit, type Actor, type Tx } from '@onecheck/kit';
import { knownEnterprises } from '../db/schema';
import type * as schema from '../db/schema';

type EnterpriseState = EventData<'onecheck.enterprise.registered.v1'>;

/**
 * The bureau's projection of the business registry, from market regulation's events. An older
 * version never overwrites a newer one, so redelivery and reordering across restarts are harmless.
 */
export async function projectEnterprise(
  tx: Tx<typeof schema>,
  e: EnterpriseState,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  const [before] = await tx.select().from(knownEnterprises).where(eq(knownEnterprises.uscc, e.uscc)).for('update');
  const [row] = await tx
    .insert(knownEnterprises)
    .values({ ...state(e), version: e.version })
    .onConflictDoUpdate({
      target: knownEnterprises.uscc,
      set: { ...state(e), version: e.version },
      setWhere: sql`${knownEnterprises.version} < ${e.version}`,
    })
    .returning();
  // On the trail only when it changed something (a redelivered or older version changes nothing).
  if (row)
    await appendAudit(tx, {
      actor,
      action: 'receiveBusinesses',
      entity: { kind: 'business', id: row.uscc },
      before: before ?? null,
      after: row,
      at: clock.now(),
    });
}

/** What the bureau keeps of a business: its name and address for the push (seed 003 第十九条(二)), its registration for the grant. */
const state = (e: EnterpriseState) => ({
  uscc: e.uscc,
  name: e.name,
  status: e.status,
  registeredOn: e.registeredOn,
  address: e.address ?? null,
});
