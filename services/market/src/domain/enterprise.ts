import type { Clock } from '@onecheck/clock';
import { z } from 'zod';
import { ENTERPRISE_STATUSES } from '@onecheck/contracts';
import { directorySql, type DirectoryFilter } from './targets';
import { and, asc, count, eq, gt, ilike, like, sql, type SQL } from 'drizzle-orm';
import { industryCover, industry as lookupIndustry, sectionOf } from '@onecheck/codes';
import { recordEvent, type EventType } from '@onecheck/events';
import {
  anyOf,
  appendAudit,
  arrayLiteral,
  badInput,
  dateField,
  textField,
  usccField,
  conflict,
  notFound,
  pageArgs,
  parseInput,
  requireNotAfterToday,
  reusable,
  toConnection,
  type Actor,
  type ConnectionArgs,
  type Db,
} from '@onecheck/kit';
import { enterprises } from '../db/schema';
import type * as schema from '../db/schema';

export type EnterpriseRow = typeof enterprises.$inferSelect;
type MarketDb = Db<typeof schema>;

const SOURCE = 'onecheck/market';

/** GB/T 4754-2017: a business registers under a division or finer, never a bare section. */
const industryCode = z.string().superRefine((code, ctx) => {
  const found = lookupIndustry(code);
  // A finer code the table does not hold (a 小类 such as 6210) is unknown, not "a section".
  if (!found) ctx.addIssue({ code: 'custom', message: 'industry.unknown' });
  else if (found.level === 'section') ctx.addIssue({ code: 'custom', message: 'industry.divisionRequired' });
});

const region = z.string().regex(/^\d{6}$/, 'region.invalid');

const registerInput = z.object({
  uscc: usccField,
  name: textField(200),
  legalRepresentative: textField(100),
  industry: industryCode,
  region,
  address: textField(300),
  registeredOn: dateField.nullish(),
});

const updateInput = z.object({
  name: textField(200).optional(),
  legalRepresentative: textField(100).optional(),
  industry: industryCode.optional(),
  region: region.optional(),
  address: textField(300).optional(),
  status: z.enum(ENTERPRISE_STATUSES).optional(),
});

function eventData(row: EnterpriseRow) {
  return {
    uscc: row.uscc,
    name: row.name,
    industry: row.industry,
    region: row.region,
    address: row.address,
    status: row.status,
    registeredOn: row.registeredOn,
    version: row.version,
  };
}

/**
 * Built once: zod compiles each schema object on its first parse, which, built per call, cost the
 * business 360 query 1.5 % of the market service's CPU.
 */
const codeAskedFor = z.object({ uscc: usccField });

/** A credit code as asked for: one that cannot exist is a mistake worth saying (BAD_USER_INPUT). */
export function enterpriseCode(raw: string): string {
  return parseInput(codeAskedFor, { uscc: raw }).uscc;
}

const selectByUscc = reusable((db: MarketDb) =>
  db
    .select()
    .from(enterprises)
    .where(anyOf(enterprises.uscc, sql.placeholder('codes'), 'text')),
);

/** Businesses by credit code, in the order asked (null where none is registered): the loader's batch. */
export async function enterprisesByUscc(db: MarketDb, codes: readonly string[]): Promise<(EnterpriseRow | null)[]> {
  const rows = await selectByUscc(db).execute({ codes: arrayLiteral(codes) });
  const byCode = new Map(rows.map((r) => [r.uscc, r]));
  return codes.map((c) => byCode.get(c) ?? null);
}

/** Registration and changes of a business go on its trail (全程留痕, kit audit.ts), keyed by its credit code. */
export async function registerEnterprise(
  db: MarketDb,
  raw: unknown,
  clock: Clock,
  actor: Actor,
): Promise<EnterpriseRow> {
  const now = clock.now();
  const input = parseInput(registerInput, raw);
  // A registration date from the licence document may be entered, never one still to come (issue 9 item 1, DESIGN.md §4).
  if (input.registeredOn) requireNotAfterToday('registeredOn', input.registeredOn, clock.today());
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(enterprises)
      .values({
        ...input,
        industrySection: sectionOf(input.industry)!,
        status: 'ACTIVE',
        registeredOn: input.registeredOn ?? clock.today(),
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict('business.alreadyRegistered', { uscc: input.uscc });
    await recordEvent(tx, {
      source: SOURCE,
      type: 'onecheck.enterprise.registered.v1',
      key: row.uscc,
      data: eventData(row),
      time: now,
    });
    await appendAudit(tx, {
      actor,
      action: 'registerBusinesses',
      entity: { kind: 'business', id: row.uscc },
      before: null,
      after: row,
      at: now,
    });
    return row;
  });
}

export async function updateEnterprise(
  db: MarketDb,
  rawUscc: string,
  raw: unknown,
  clock: Clock,
  actor: Actor,
): Promise<EnterpriseRow> {
  const now = clock.now();
  const code = enterpriseCode(rawUscc);
  const input = parseInput(updateInput, raw);
  if (Object.keys(input).length === 0) throw badInput('input', 'input.nothingToChange');
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(enterprises).where(eq(enterprises.uscc, code)).for('update');
    if (!current) throw notFound('business', code);
    if (current.status === 'DEREGISTERED') throw conflict('business.deregisteredNoChange', { uscc: code });
    const [row] = await tx
      .update(enterprises)
      .set({
        ...input,
        ...(input.industry ? { industrySection: sectionOf(input.industry)! } : {}),
        version: current.version + 1,
        updatedAt: now,
      })
      .where(eq(enterprises.uscc, code))
      .returning();
    const type: EventType =
      input.status === 'DEREGISTERED' ? 'onecheck.enterprise.deregistered.v1' : 'onecheck.enterprise.changed.v1';
    await recordEvent(tx, { source: SOURCE, type, key: code, data: eventData(row!), time: now });
    await appendAudit(tx, {
      actor,
      action: 'changeBusinesses',
      entity: { kind: 'business', id: code },
      before: current,
      after: row,
      at: now,
    });
    return row!;
  });
}

export interface EnterpriseFilter extends DirectoryFilter {
  industry?: string | null;
  region?: string | null;
  status?: EnterpriseRow['status'] | null;
  nameContains?: string | null;
}

async function filterSql(db: Pick<MarketDb, 'select'>, filter: EnterpriseFilter, today: string) {
  const conditions: (SQL | undefined)[] = [];
  if (filter.industry) {
    // GB/T 4754 nesting is @onecheck/codes' rule; this only says it in SQL (a prefix is digits: no LIKE escapes).
    const cover = industryCover(filter.industry);
    if (!cover) throw badInput('filter.industry', 'industry.unknown');
    conditions.push(
      cover.by === 'section'
        ? eq(enterprises.industrySection, cover.section)
        : like(enterprises.industry, `${cover.prefix}%`),
    );
  }
  if (filter.region != null)
    conditions.push(eq(enterprises.region, parseInput(region, filter.region, 'filter.region')));
  if (filter.status) conditions.push(eq(enterprises.status, filter.status));
  if (filter.nameContains) {
    const escaped = filter.nameContains.replace(/[\\%_]/g, (c) => `\\${c}`);
    conditions.push(ilike(enterprises.name, `%${escaped}%`));
  }
  conditions.push(...(await directorySql(db, filter, today)));
  return and(...conditions);
}

/** The register, filtered as of `today` (key supervision is in force on a day). */
export async function listEnterprises(db: MarketDb, filter: EnterpriseFilter, args: ConnectionArgs, today: string) {
  const paging = pageArgs(args, 'enterprises');
  const { limit, after } = paging;
  const where = await filterSql(db, filter, today);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(enterprises)
      .where(and(where, after ? gt(enterprises.uscc, after) : undefined))
      .orderBy(asc(enterprises.uscc))
      .limit(limit + 1),
    db.select({ n: count() }).from(enterprises).where(where),
  ]);
  return toConnection(rows, paging, (r) => r.uscc, total?.n ?? 0);
}
