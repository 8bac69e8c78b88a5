import { z } from 'zod';
import { and, asc, count, eq, gt, type SQL } from 'drizzle-orm';
import { validateUscc } from '@onecheck/codes';
import { todayInChina } from '@onecheck/calendar';
import { recordEvent } from '@onecheck/events';
import { badInput, conflict, isDepartment, pageArgs, parseInput, toConnection, type ConnectionArgs, type Db } from '@onecheck/kit';
import { knownEnterprises, licences } from '../db/schema';
import type * as schema from '../db/schema';

export type LicenceRow = typeof licences.$inferSelect;
type ApprovalDb = Db<typeof schema>;
const SOURCE = 'onecheck/approval';

const uscc = z.string().transform((code, ctx) => {
  const r = validateUscc(code);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: `not a valid unified social credit code: ${r.reason}` });
    return z.NEVER;
  }
  return r.uscc;
});
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

const grantInput = z
  .object({
    uscc,
    licenceNumber: text(100),
    approvalItem: text(200),
    supervisingDepartment: z.string().refine(isDepartment, 'not a configured department code'),
    scope: text(2000),
    validFrom: z.iso.date(),
    validUntil: z.iso.date(),
    grantedOn: z.iso.date().nullish(),
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
  return db.transaction(async (tx) => {
    const [known] = await tx.select().from(knownEnterprises).where(eq(knownEnterprises.uscc, input.uscc));
    if (!known) throw badInput('uscc', `no registered business ${input.uscc} is known to the approval bureau`);
    if (known.status === 'DEREGISTERED') throw badInput('uscc', `business ${input.uscc} is deregistered`);
    const [row] = await tx
      .insert(licences)
      .values({ ...input, grantedOn: input.grantedOn ?? todayInChina(now) })
      .onConflictDoNothing({ target: licences.licenceNumber })
      .returning();
    if (!row) throw conflict(`licence number ${input.licenceNumber} is already in use`);
    await recordEvent(tx, { source: SOURCE, type: 'onecheck.licence.granted.v1', key: row.uscc, data: licenceEventData(row), time: now });
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
