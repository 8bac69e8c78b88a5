import { asc, eq, sql } from 'drizzle-orm';
import type { EventData } from '@onecheck/contracts';
import type { Clock } from '@onecheck/clock';
import { appendAudit, type Actor, type Tx } from '@onecheck/kit';
import { knownEnterprises, licences } from '../db/schema';
import type * as schema from '../db/schema';
import { applyLicenceStatus } from './licence';
import { closePromisesOfBusiness } from './promise-closure';
import { canBecome } from './status';

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
  if (row?.status === 'DEREGISTERED' && before?.status !== 'DEREGISTERED') {
    await cancelLicencesOf(tx, row.uscc, clock, actor);
    await closePromisesOfBusiness(tx, row.uscc, clock, actor);
  }
}

/** The basis of the 注销 a business's termination makes: 行政许可法 §70(三) (法人或者其他组织依法终止). */
export const TERMINATION_BASIS = '《中华人民共和国行政许可法》第七十条第（三）项';

/**
 * A business deregistered (注销登记) has ended: the bureau 注销 each of its licences not already
 * ended (行政许可法 §70(三)), as its own act, the deregistration its document. Each goes out as a
 * licence event, so the supervising departments close their tasks on it.
 */
async function cancelLicencesOf(tx: Tx<typeof schema>, uscc: string, clock: Clock, actor: Actor) {
  const held = await tx.select().from(licences).where(eq(licences.uscc, uscc)).orderBy(asc(licences.id)).for('update');
  const act = {
    kind: 'CANCEL' as const,
    decidedBy: 'APPROVAL',
    documentNumber: `注销登记 ${uscc}`,
    legalBasis: TERMINATION_BASIS,
    decidedOn: clock.today(),
  };
  for (const licence of held)
    if (canBecome(licence.status, 'CANCELLED'))
      await applyLicenceStatus(tx, licence, 'CANCELLED', null, act, clock, actor, 'changeLicences');
}

/** What the bureau keeps of a business: its name and address for the push (seed 003 第十九条(二)), its registration for the grant. */
const state = (e: EnterpriseState) => ({
  uscc: e.uscc,
  name: e.name,
  status: e.status,
  registeredOn: e.registeredOn,
  address: e.address ?? null,
});
