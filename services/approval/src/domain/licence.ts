import type { Clock } from '@onecheck/clock';
import { z } from 'zod';
import { and, asc, count, desc, eq, gt, inArray, type SQL } from 'drizzle-orm';
import { recordEvent } from '@onecheck/events';
import {
  badInput,
  dateField,
  textField,
  usccField,
  conflict,
  departmentField,
  notFound,
  pageArgs,
  parseInput,
  toConnection,
  type ConnectionArgs,
  isUuid,
  requireNotAfterToday,
  type Db,
  type Tx,
} from '@onecheck/kit';
import { knownEnterprises, licences } from '../db/schema';
import type * as schema from '../db/schema';
import { canBecome, isFinal, statusEvent, statusInput } from './status';

export type LicenceRow = typeof licences.$inferSelect;
type ApprovalDb = Db<typeof schema>;
const SOURCE = 'onecheck/approval';

const grantInput = z
  .object({
    uscc: usccField,
    licenceNumber: textField(100),
    approvalItem: textField(200),
    supervisingDepartment: departmentField,
    scope: textField(2000),
    validFrom: dateField,
    validUntil: dateField,
    grantedOn: dateField.nullish(),
  })
  .superRefine((i, ctx) => {
    if (i.validUntil < i.validFrom)
      ctx.addIssue({
        code: 'custom',
        message: 'input.notBefore',
        params: { what: 'validFrom', date: i.validFrom },
        path: ['validUntil'],
      });
  });

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
export async function grantLicence(db: ApprovalDb, raw: unknown, clock: Clock): Promise<LicenceRow> {
  const now = clock.now();
  const input = parseInput(grantInput, raw);
  const today = clock.today();
  // A decision cannot be dated in the future: the supervising department's deadlines count from it.
  if (input.grantedOn) requireNotAfterToday('grantedOn', input.grantedOn, today);
  return db.transaction(async (tx) => {
    const [known] = await tx.select().from(knownEnterprises).where(eq(knownEnterprises.uscc, input.uscc));
    if (!known) throw badInput('uscc', 'business.unknownToBureau', { uscc: input.uscc });
    if (known.status === 'DEREGISTERED') throw badInput('uscc', 'business.deregistered', { uscc: input.uscc });
    const [row] = await tx
      .insert(licences)
      .values({ ...input, grantedOn: input.grantedOn ?? today, createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: licences.licenceNumber })
      .returning();
    if (!row) throw conflict('licence.numberTaken', { licenceNumber: input.licenceNumber });
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

/** Licences by id, in the order asked (null where none): the loader's batch. */
export async function licencesById(db: ApprovalDb, ids: readonly string[]): Promise<(LicenceRow | null)[]> {
  // A malformed id can name no licence; keep it out of the uuid-typed query.
  const valid = ids.filter((id) => isUuid(id));
  const rows = valid.length ? await db.select().from(licences).where(inArray(licences.id, valid)) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** Each business's licences, newest first: the loader's batch. */
export async function licencesByUscc(db: ApprovalDb, codes: readonly string[]): Promise<LicenceRow[][]> {
  const rows = await db
    .select()
    .from(licences)
    .where(inArray(licences.uscc, [...codes]))
    .orderBy(desc(licences.grantedOn), desc(licences.licenceNumber));
  return codes.map((c) => rows.filter((r) => r.uscc === c));
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

const amendInput = z
  .object({
    scope: textField(2000).optional(),
    validUntil: dateField.optional(),
  })
  .refine((i) => Object.keys(i).length > 0, { message: 'input.nothingToChange', path: ['scope'] });

async function lockLicence(tx: Tx<typeof schema>, id: string) {
  if (!isUuid(id)) throw notFound('licence', id);
  const [row] = await tx.select().from(licences).where(eq(licences.id, id)).for('update');
  if (!row) throw notFound('licence', id);
  return row;
}

export async function setLicenceStatus(db: ApprovalDb, id: string, raw: unknown, clock: Clock): Promise<LicenceRow> {
  const now = clock.now();
  const input = parseInput(statusInput, raw);
  return db.transaction(async (tx) => {
    const current = await lockLicence(tx, id);
    if (!canBecome(current.status, input.status)) {
      throw conflict('licence.transition', { from: current.status, to: input.status });
    }
    const [row] = await tx
      .update(licences)
      .set({ status: input.status, statusReason: input.status === 'VALID' ? null : input.reason, updatedAt: now })
      .where(eq(licences.id, id))
      .returning();
    const data = { ...licenceEventData(row!), reason: input.reason };
    await recordEvent(tx, { source: SOURCE, type: statusEvent(input.status), key: row!.uscc, data, time: now });
    return row!;
  });
}

export async function amendLicence(db: ApprovalDb, id: string, raw: unknown, clock: Clock): Promise<LicenceRow> {
  const now = clock.now();
  const input = parseInput(amendInput, raw);
  return db.transaction(async (tx) => {
    const current = await lockLicence(tx, id);
    if (isFinal(current.status)) throw conflict('licence.notChangeable', { id, status: current.status });
    if (input.validUntil && input.validUntil < current.validFrom)
      throw badInput('validUntil', 'input.notBefore', { what: 'validFrom', date: current.validFrom });
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
