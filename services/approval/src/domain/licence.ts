import { z } from 'zod';
import { and, asc, count, eq, gt, type SQL } from 'drizzle-orm';
import { todayInChina } from '@onecheck/calendar';
import { recordEvent } from '@onecheck/events';
import {
  badInput,
  dateField,
  textField,
  usccField,
  conflict,
  isDepartment,
  notFound,
  pageArgs,
  parseInput,
  toConnection,
  type ConnectionArgs,
  isUuid,
  type Db,
  type Tx,
} from '@onecheck/kit';
import { knownEnterprises, licences } from '../db/schema';
import type * as schema from '../db/schema';

export type LicenceRow = typeof licences.$inferSelect;
type ApprovalDb = Db<typeof schema>;
const SOURCE = 'onecheck/approval';

const grantInput = z
  .object({
    uscc: usccField,
    licenceNumber: textField(100),
    approvalItem: textField(200),
    supervisingDepartment: z.string().refine(isDepartment, 'not a configured department code'),
    scope: textField(2000),
    validFrom: dateField,
    validUntil: dateField,
    grantedOn: dateField.nullish(),
  })
  .refine((i) => i.validUntil >= i.validFrom, { message: 'must not be before validFrom', path: ['validUntil'] });

export function licenceEventData(row: LicenceRow) {
  return {
    licenceId: row.id,
    licenceNumber: row.licenceNumber,
    uscc: row.uscc,
    approvalItem: row.approvalItem,
    supervisingDepartment: row.supervisingDepartment,
    scope: row.scope,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    grantedOn: row.grantedOn,
    status: row.status,
    ...(row.statusReason ? { reason: row.statusReason } : {}),
  };
}

/** Grants a licence and pushes it to the supervising department in the same transaction (seed 003 第二十二条). */
export async function grantLicence(db: ApprovalDb, raw: unknown, now = new Date()): Promise<LicenceRow> {
  const input = parseInput(grantInput, raw);
  const today = todayInChina(now);
  // A decision cannot be dated in the future: the supervising department's deadlines count from it.
  if (input.grantedOn && input.grantedOn > today) throw badInput('grantedOn', `must not be after today (${today})`);
  return db.transaction(async (tx) => {
    const [known] = await tx.select().from(knownEnterprises).where(eq(knownEnterprises.uscc, input.uscc));
    if (!known) throw badInput('uscc', `no registered business ${input.uscc} is known to the approval bureau`);
    if (known.status === 'DEREGISTERED') throw badInput('uscc', `business ${input.uscc} is deregistered`);
    const [row] = await tx
      .insert(licences)
      .values({ ...input, grantedOn: input.grantedOn ?? today })
      .onConflictDoNothing({ target: licences.licenceNumber })
      .returning();
    if (!row) throw conflict(`licence number ${input.licenceNumber} is already in use`);
    await recordEvent(tx, {
      source: SOURCE,
      type: 'onecheck.licence.granted.v1',
      key: row.uscc,
      data: licenceEventData(row),
      time: now,
    });
    return row;
  });
}

export interface LicenceFilter {
  uscc?: string | null;
  supervisingDepartment?: string | null;
  status?: LicenceRow['status'] | null;
}

export async function listLicences(db: ApprovalDb, filter: LicenceFilter, args: ConnectionArgs) {
  const { limit, after } = pageArgs(args);
  const where: SQL | undefined = and(
    filter.uscc ? eq(licences.uscc, filter.uscc) : undefined,
    filter.supervisingDepartment ? eq(licences.supervisingDepartment, filter.supervisingDepartment) : undefined,
    filter.status ? eq(licences.status, filter.status) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(licences)
      .where(and(where, after ? gt(licences.licenceNumber, after) : undefined))
      .orderBy(asc(licences.licenceNumber))
      .limit(limit + 1),
    db.select({ n: count() }).from(licences).where(where),
  ]);
  return toConnection(rows, limit, (r) => r.licenceNumber, total?.n ?? 0, after);
}

/**
 * The licence lifecycle after the grant (行政许可法 §69 撤销, §70 注销; suspension pending
 * rectification). Revoked and cancelled are final. Each change is published with the licence's
 * full new state, so the supervising department can act on it (a revocation closes its tasks).
 */
const TRANSITIONS: Record<LicenceRow['status'], LicenceRow['status'][]> = {
  VALID: ['SUSPENDED', 'REVOKED', 'CANCELLED'],
  SUSPENDED: ['VALID', 'REVOKED', 'CANCELLED'],
  REVOKED: [],
  CANCELLED: [],
};

const STATUS_EVENT = {
  VALID: 'onecheck.licence.changed.v1',
  SUSPENDED: 'onecheck.licence.suspended.v1',
  REVOKED: 'onecheck.licence.revoked.v1',
  CANCELLED: 'onecheck.licence.cancelled.v1',
} as const;

const statusInput = z.object({
  status: z.enum(['VALID', 'SUSPENDED', 'REVOKED', 'CANCELLED']),
  reason: z.string().trim().min(1, 'say why').max(2000),
});

const amendInput = z
  .object({
    scope: textField(2000).optional(),
    validUntil: dateField.optional(),
  })
  .refine((i) => Object.keys(i).length > 0, { message: 'nothing to change', path: ['scope'] });

async function lockLicence(tx: Tx<typeof schema>, id: string) {
  if (!isUuid(id)) throw notFound('licence', id);
  const [row] = await tx.select().from(licences).where(eq(licences.id, id)).for('update');
  if (!row) throw notFound('licence', id);
  return row;
}

export async function setLicenceStatus(
  db: ApprovalDb,
  id: string,
  raw: unknown,
  now = new Date(),
): Promise<LicenceRow> {
  const input = parseInput(statusInput, raw);
  return db.transaction(async (tx) => {
    const current = await lockLicence(tx, id);
    if (!TRANSITIONS[current.status].includes(input.status)) {
      throw conflict(`a ${current.status.toLowerCase()} licence cannot become ${input.status.toLowerCase()}`);
    }
    const [row] = await tx
      .update(licences)
      .set({ status: input.status, statusReason: input.status === 'VALID' ? null : input.reason, updatedAt: now })
      .where(eq(licences.id, id))
      .returning();
    const data = { ...licenceEventData(row!), reason: input.reason };
    await recordEvent(tx, { source: SOURCE, type: STATUS_EVENT[input.status], key: row!.uscc, data, time: now });
    return row!;
  });
}

export async function amendLicence(db: ApprovalDb, id: string, raw: unknown, now = new Date()): Promise<LicenceRow> {
  const input = parseInput(amendInput, raw);
  return db.transaction(async (tx) => {
    const current = await lockLicence(tx, id);
    if (current.status === 'REVOKED' || current.status === 'CANCELLED')
      throw conflict(`licence ${id} is ${current.status.toLowerCase()}`);
    if (input.validUntil && input.validUntil < current.validFrom)
      throw badInput('validUntil', 'must not be before validFrom');
    const [row] = await tx
      .update(licences)
      .set({ ...input, updatedAt: now })
      .where(eq(licences.id, id))
      .returning();
    await recordEvent(tx, {
      source: SOURCE,
      type: 'onecheck.licence.changed.v1',
      key: row!.uscc,
      data: licenceEventData(row!),
      time: now,
    });
    return row!;
  });
}
