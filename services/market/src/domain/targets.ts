/**
 * 检查对象名录库, the target directory (两库, seed 000 §二, 004 (二)): every registered business
 * with its tags — industry and region from the register, the risk class and 纳入重点监管范围 from
 * the credit platform's events, 重点 tags set by departments — and the pool a plan's filter
 * selects from it.
 */
import { and, eq, gte, inArray, isNull, like, lte, sql, type SQL } from 'drizzle-orm';
import type { Clock } from '@onecheck/clock';
import { industryCover } from '@onecheck/codes';
import {
  DEFAULT_RISK_CLASS,
  punishmentInForce,
  type EventData,
  type PunishmentNotice,
  type RiskClass,
} from '@onecheck/contracts';
import { anyOf, appendAudit, badInput, parseInput, type Actor, type Db, type Tx, referenceField } from '@onecheck/kit';
import {
  enterprises,
  keySupervision,
  recordedChecks,
  targetClasses,
  targetTags,
  type KeySupervisionRow,
} from '../db/schema';
import type * as schema from '../db/schema';
import type { PoolEntry } from './draw-algorithm';
import type { TargetFilter } from './plan-records';

type MarketDb = Db<typeof schema>;
type Reader = Pick<MarketDb, 'select'>;

/**
 * Keeps the platform's newest class of a business (a late, older event changes nothing; one of the
 * same instant is the later, one business's events coming in order).
 */
export async function projectRiskClass(
  tx: Tx<typeof schema>,
  data: EventData<'onecheck.credit.class-changed.v2'>,
  classifiedAt: Date,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  const values = { uscc: data.uscc, riskClass: data.riskClass, classifiedAt };
  const [row] = await tx
    .insert(targetClasses)
    .values(values)
    .onConflictDoUpdate({
      target: targetClasses.uscc,
      set: values,
      where: lte(targetClasses.classifiedAt, classifiedAt),
    })
    .returning();
  if (row)
    await appendAudit(tx, {
      actor,
      action: 'receiveCredit',
      entity: { kind: 'business', id: data.uscc },
      after: row,
      at: clock.now(),
    });
}

/**
 * The stratum a business under 纳入重点监管范围 is drawn in, whatever its class: the riskiest, at
 * the plan's highest ratio (seed 003 ¶12: 对存在失信行为、风险高的市场主体，增加抽查比例和频次).
 */
export const KEY_SUPERVISION_CLASS: RiskClass = 'D';

/**
 * 联合惩戒 imposed or lifted by the credit platform (punishment-imposed.v1, -lifted.v1): kept when
 * it puts the business under key supervision (KEY_SUPERVISION); the other measures are other
 * services' to apply. A redelivery changes nothing; so does a lift of one not kept.
 */
export async function projectKeySupervision(
  tx: Tx<typeof schema>,
  event: PunishmentNotice,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  const now = clock.now();
  let row: KeySupervisionRow | undefined;
  if (event.type === 'imposed') {
    if (!event.data.measures.includes('KEY_SUPERVISION')) return;
    const { punishmentId, uscc, documentNumber, decidedOn, until } = event.data;
    [row] = await tx
      .insert(keySupervision)
      .values({ punishmentId, uscc, documentNumber, decidedOn, until, receivedAt: now })
      .onConflictDoNothing()
      .returning();
  } else
    [row] = await tx
      .update(keySupervision)
      .set({ liftedOn: event.data.liftedOn })
      .where(and(eq(keySupervision.punishmentId, event.data.punishmentId), isNull(keySupervision.liftedOn)))
      .returning();
  if (row)
    await appendAudit(tx, {
      actor,
      action: 'receiveCredit',
      entity: { kind: 'business', id: row.uscc },
      after: row,
      at: now,
    });
}

/** The 纳入重点监管范围 decisions in force on `today` (the platform's own rule, punishmentInForce), of `codes` or of all. */
export async function keySupervisionOn(db: Reader, today: string, codes?: readonly string[]) {
  const rows = await db
    .select()
    .from(keySupervision)
    .where(
      and(
        gte(keySupervision.until, today),
        codes ? anyOf(keySupervision.uscc, [...new Set(codes)], 'text') : undefined,
      ),
    )
    .orderBy(keySupervision.decidedOn, keySupervision.punishmentId);
  return rows.filter((r) => punishmentInForce(r, today));
}

/** A department's check result, kept for cool-downs (one per task; a redelivery changes nothing). */
export async function recordCheck(
  tx: Tx<typeof schema>,
  r: EventData<'onecheck.supervision.checked.v1'>,
  clock: Clock,
  actor: Actor,
) {
  const [row] = await tx
    .insert(recordedChecks)
    .values({ taskId: r.taskId, uscc: r.uscc, department: r.department, outcome: r.outcome, checkedOn: r.checkedOn })
    .onConflictDoNothing({ target: recordedChecks.taskId })
    .returning();
  // Every state change is on the trail (全程留痕), the event's own included.
  if (row)
    await appendAudit(tx, {
      actor,
      action: 'receiveCheckResults',
      entity: { kind: 'business', id: r.uscc },
      after: row,
      at: clock.now(),
    });
}

/** A plan's industry as SQL over the register (GB/T 4754 nesting is @onecheck/codes' rule). */
export function industrySql(industry: string, field = 'industry'): SQL {
  const cover = industryCover(industry);
  if (!cover) throw badInput(field, 'industry.unknown');
  return cover.by === 'section'
    ? eq(enterprises.industrySection, cover.section)
    : like(enterprises.industry, `${cover.prefix}%`);
}

const classOf = sql<RiskClass>`coalesce(${targetClasses.riskClass}, ${DEFAULT_RISK_CLASS})`;

/**
 * The pool a plan draws from, as of `today`: active businesses of its industry that match its
 * filter, less those in cool-down — every check recorded on them by the plan's departments within
 * `coolDownMonths` found nothing (seed 001: 防止检查过多; domain-notes §3). Each with the class it
 * is drawn in (and a filter's classes select by): its credit class, or KEY_SUPERVISION_CLASS while
 * under 纳入重点监管范围.
 */
export async function selectPool(
  db: Reader,
  plan: { industry: string; targetFilter: TargetFilter; coolDownMonths: number; departments: string[] },
  today: string,
): Promise<(PoolEntry & { name: string; address: string })[]> {
  const f = plan.targetFilter;
  const keyed = [...new Set((await keySupervisionOn(db, today)).map((k) => k.uscc))];
  const drawnAs = keyed.length
    ? sql<RiskClass>`case when ${anyOf(enterprises.uscc, keyed, 'text')} then ${KEY_SUPERVISION_CLASS} else ${classOf} end`
    : classOf;
  const conditions: (SQL | undefined)[] = [eq(enterprises.status, 'ACTIVE'), industrySql(plan.industry)];
  if (f.region) conditions.push(like(enterprises.region, `${f.region.replace(/\D/g, '')}%`));
  for (const tag of f.tags ?? [])
    conditions.push(
      sql`exists (select 1 from ${targetTags} where ${targetTags.uscc} = ${enterprises.uscc} and ${targetTags.tag} = ${tag})`,
    );
  if (f.riskClasses?.length) conditions.push(inArray(drawnAs, f.riskClasses));
  if (plan.coolDownMonths > 0 && plan.departments.length) {
    const since = sql`(${today}::date - make_interval(months => ${plan.coolDownMonths}))::date`;
    const checked = and(
      sql`${recordedChecks.uscc} = ${enterprises.uscc}`,
      inArray(recordedChecks.department, plan.departments),
      gte(recordedChecks.checkedOn, since as never),
    );
    conditions.push(
      sql`not (exists (select 1 from ${recordedChecks} where ${checked})
        and not exists (select 1 from ${recordedChecks} where ${checked} and ${recordedChecks.outcome} <> 'NO_PROBLEM'))`,
    );
  }
  return db
    .select({ uscc: enterprises.uscc, riskClass: drawnAs, name: enterprises.name, address: enterprises.address })
    .from(enterprises)
    .leftJoin(targetClasses, eq(targetClasses.uscc, enterprises.uscc))
    .where(and(...conditions));
}

/** A 重点 tag (人员密集场所 …): trimmed words, matched exactly (a plan's filter names them): a reference. */
export const targetTag = referenceField(50);

/** The directory's filters: what only its readers may see (requireTargetReader). */
export interface DirectoryFilter {
  riskClass?: RiskClass | null;
  tag?: string | null;
  underKeySupervision?: boolean | null;
}

/** Whether a filter selects by what only the directory's readers may see: it answers as much as the fields. */
export const asksDirectory = (f: DirectoryFilter) =>
  f.riskClass != null || f.tag != null || f.underKeySupervision != null;

/**
 * The directory's own filters on the register (a class, a tag, key supervision on `today`), as SQL
 * beside the register's filters.
 */
export async function directorySql(db: Reader, filter: DirectoryFilter, today: string): Promise<SQL[]> {
  const conditions: SQL[] = [];
  if (filter.underKeySupervision != null) {
    const keyed = anyOf(enterprises.uscc, [...new Set((await keySupervisionOn(db, today)).map((k) => k.uscc))], 'text');
    conditions.push(filter.underKeySupervision ? keyed : sql`not ${keyed}`);
  }
  if (filter.riskClass)
    conditions.push(
      sql`coalesce((select ${targetClasses.riskClass} from ${targetClasses} where ${targetClasses.uscc} = ${enterprises.uscc}), ${DEFAULT_RISK_CLASS}) = ${filter.riskClass}`,
    );
  if (filter.tag != null) {
    // A tag as tagTarget takes it: a blank or overlong one names no tag (it selected all, or none).
    const tag = parseInput(targetTag, filter.tag, 'filter.tag');
    conditions.push(
      sql`exists (select 1 from ${targetTags} where ${targetTags.uscc} = ${enterprises.uscc} and ${targetTags.tag} = ${tag})`,
    );
  }
  return conditions;
}

/** A department tags a business (重点 tags such as 人员密集场所); the same tag twice is one. */
export async function tagTarget(
  db: MarketDb,
  uscc: string,
  rawTag: string,
  department: string,
  clock: Clock,
  actor: Actor,
) {
  const tag = parseInput(targetTag, rawTag, 'tag');
  const now = clock.now();
  return db.transaction(async (tx) => {
    const [known] = await tx.select({ uscc: enterprises.uscc }).from(enterprises).where(eq(enterprises.uscc, uscc));
    if (!known) throw badInput('uscc', 'business.unknown', { uscc });
    const [row] = await tx
      .insert(targetTags)
      .values({ uscc, tag, department, createdAt: now })
      .onConflictDoNothing()
      .returning();
    if (row)
      await appendAudit(tx, {
        actor,
        action: 'tagTargets',
        entity: { kind: 'business', id: uscc },
        after: row,
        at: now,
      });
    return tagsOf(tx, uscc);
  });
}

export async function untagTarget(
  db: MarketDb,
  uscc: string,
  rawTag: string,
  department: string,
  clock: Clock,
  actor: Actor,
) {
  const tag = parseInput(targetTag, rawTag, 'tag');
  const now = clock.now();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .delete(targetTags)
      .where(and(eq(targetTags.uscc, uscc), eq(targetTags.tag, tag), eq(targetTags.department, department)))
      .returning();
    if (row)
      await appendAudit(tx, {
        actor,
        action: 'tagTargets',
        entity: { kind: 'business', id: uscc },
        before: row,
        after: null,
        at: now,
      });
    return tagsOf(tx, uscc);
  });
}

export const tagsOf = (db: Reader, uscc: string) =>
  db.select().from(targetTags).where(eq(targetTags.uscc, uscc)).orderBy(targetTags.tag);

/** Each business's tags and class: the loaders' batches. */
export async function tagsByUscc(db: Reader, codes: readonly string[]) {
  const rows = await db
    .select()
    .from(targetTags)
    .where(inArray(targetTags.uscc, [...codes]));
  return codes.map((c) => rows.filter((r) => r.uscc === c));
}
export async function classesByUscc(db: Reader, codes: readonly string[]): Promise<RiskClass[]> {
  const rows = await db
    .select()
    .from(targetClasses)
    .where(inArray(targetClasses.uscc, [...codes]));
  const byCode = new Map(rows.map((r) => [r.uscc, r.riskClass]));
  return codes.map((c) => byCode.get(c) ?? DEFAULT_RISK_CLASS);
}

/** Each business's 纳入重点监管范围 decisions in force today: the loader's batch. */
export async function keySupervisionByUscc(db: Reader, codes: readonly string[], today: string) {
  const rows = await keySupervisionOn(db, today, codes);
  return codes.map((c) => rows.filter((r) => r.uscc === c));
}
