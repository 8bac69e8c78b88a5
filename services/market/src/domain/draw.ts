/**
 * A verifiable 双随机 draw of a plan's targets (issue 10 item 5; docs/draw.md): the office freezes
 * the pool and publishes its hash and the ratios; the observing 纪检 officer then enters a public
 * value no one knew at filing; the draw reveals the office's secret, derives the seed and orders
 * each risk class by HMAC. Any change to the pool or the ratios after the freeze refuses the draw;
 * a plan is drawn once. The drawn list goes to every department of the plan as events, in parts.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import type { CalendarBase } from '@onecheck/calendar';
import type { Clock } from '@onecheck/clock';
import { DRAW_PART_SIZE, RISK_CLASSES, type RiskClass } from '@onecheck/contracts';
import { recordEvents } from '@onecheck/events';
import { actorOf, appendAudit, badInput, conflict, isUuid, parseInput, textField, type Db } from '@onecheck/kit';
import { drawPool, draws, drawTargets, jointPlans, type DrawRow, type PlanRow } from '../db/schema';
import type * as schema from '../db/schema';
import { byUscc, classSizes, drawCount, drawSeed, placeOf, poolHash, sha256Hex, type Stratum } from './draw-algorithm';
import { lowestPlacesOf } from './draw-places';
import { lockPlan } from './plans';
import { selectPool } from './targets';
import { createPlanVisits } from './visits';

type MarketDb = Db<typeof schema>;
type Reader = Pick<MarketDb, 'select'>;
const SOURCE = 'onecheck/market';
/** Rows per INSERT when the pool is stored (PostgreSQL takes at most 65,535 parameters). */
const INSERT_BATCH = 5_000;

const drawOf = async (db: Reader, planId: string): Promise<DrawRow | null> =>
  isUuid(planId) ? ((await db.select().from(draws).where(eq(draws.planId, planId)))[0] ?? null) : null;

/** The rows of a raw statement (node-postgres and PGlite both answer `{ rows }`). */
const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

const departmentsOf = (plan: PlanRow) => [plan.leadDepartment, ...plan.cooperatingDepartments];

/**
 * The office freezes the pool of a published plan: the businesses its filter selects today, less
 * those in cool-down, each with its class, stored; the pool's hash and the ratios are published
 * (drawProof) before any public value exists.
 */
export async function freezePool(db: MarketDb, planId: string, clock: Clock, identity: Identity): Promise<DrawRow> {
  const now = clock.now();
  return db.transaction(async (tx) => {
    const plan = await lockPlan(tx, planId);
    if (plan.status !== 'PUBLISHED')
      throw conflict('plan.notInStatus', { id: planId, status: plan.status, expected: 'PUBLISHED' }, 'planId');
    if (await drawOf(tx, planId)) throw conflict('draw.poolFrozenAlready', { id: planId }, 'planId');
    // Stored in the pool text's order: the draw reads it back sorted, and finds it presorted.
    const pool = (
      await selectPool(
        tx,
        {
          industry: plan.industry,
          targetFilter: plan.targetFilter,
          coolDownMonths: plan.coolDownMonths,
          departments: departmentsOf(plan),
        },
        clock.today(),
      )
    ).sort(byUscc);
    const [draw] = await tx
      .insert(draws)
      .values({ planId, poolHash: poolHash(pool), poolSize: pool.length, ratios: plan.ratios, frozenAt: now })
      .returning();
    for (let i = 0; i < pool.length; i += INSERT_BATCH)
      await tx.insert(drawPool).values(pool.slice(i, i + INSERT_BATCH).map((e) => ({ drawId: draw!.id, ...e })));
    await appendAudit(tx, {
      actor: actorOf(identity),
      action: 'drawPlans',
      entity: { kind: 'plan', id: planId },
      after: { frozen: draw },
      at: now,
    });
    return draw!;
  });
}

const publicValueInput = textField(200);

/**
 * The public value (seed 001: the observing 纪检 officer's; or a published lottery result): entered
 * once, after the pool is frozen — so no one knew it when the pool and the ratios were fixed.
 */
export async function enterPublicValue(db: MarketDb, planId: string, raw: unknown, clock: Clock, identity: Identity) {
  const value = parseInput(publicValueInput, raw);
  const now = clock.now();
  return db.transaction(async (tx) => {
    await lockPlan(tx, planId);
    const [draw] = await tx.select().from(draws).where(eq(draws.planId, planId)).for('update');
    if (!draw) throw conflict('draw.poolNotFrozen', { id: planId }, 'planId');
    if (draw.publicValue) throw conflict('draw.publicValueEntered', { id: planId }, 'value');
    const [row] = await tx
      .update(draws)
      .set({ publicValue: value, publicValueBy: identity.sub, publicValueAt: now })
      .where(eq(draws.id, draw.id))
      .returning();
    await appendAudit(tx, {
      actor: actorOf(identity),
      action: 'drawPlans',
      entity: { kind: 'plan', id: planId },
      before: { draw },
      after: { draw: row },
      at: now,
    });
    return row!;
  });
}

/** The pool text as the rows are stored, or sorted as docs/draw.md defines it. */
const poolTextOf = async (tx: Pick<MarketDb, 'execute'>, drawId: string, order: 'stored' | 'sorted') => {
  const sorted = order === 'sorted' ? sql`order by uscc collate "C"` : sql``;
  const result = await tx.execute(
    sql`select coalesce(string_agg(uscc || E'\t' || risk_class || E'\n', '' ${sorted}), '') as text
      from ${drawPool} where draw_id = ${drawId}`,
  );
  return rowsOf<{ text: string }>(result)[0]!.text;
};

/**
 * The frozen pool's canonical text, or null when the stored pool no longer hashes to what was
 * published. freezePool stores the pool in the text's order, so it is first read as stored,
 * without the sort that cost more than half of the read at a million (issue 10 bench). A matching
 * hash proves that text is the canonical one; only when it does not match is the pool read again
 * sorted (rows moved by maintenance, a scan started mid-table), and then the hash decides.
 */
async function frozenPoolText(tx: Pick<MarketDb, 'execute'>, draw: DrawRow): Promise<string | null> {
  await tx.execute(sql`set local work_mem = '256MB'`);
  const stored = await poolTextOf(tx, draw.id, 'stored');
  if (sha256Hex(stored) === draw.poolHash) return stored;
  const sorted = await poolTextOf(tx, draw.id, 'sorted');
  return sha256Hex(sorted) === draw.poolHash ? sorted : null;
}

const sameRatios = (a: Record<RiskClass, number>, b: Record<RiskClass, number>) =>
  RISK_CLASSES.every((c) => a[c] === b[c]);

/**
 * Draws the plan's targets (once): the stored pool must still hash to what was published, the
 * plan's ratios must be the frozen ones; the secret is revealed, the seed derived, each class
 * ordered by HMAC and cut at its ratio (docs/draw.md). Every department of the plan receives its
 * part as the draw event, and each drawn business its visit (进一次门: domain/visits.ts), waiting
 * for the departments' teams.
 */
export async function drawPlan(
  db: MarketDb,
  planId: string,
  clock: Clock,
  identity: Identity,
  calendarBase?: CalendarBase,
  /** Targets per draw event (tests cut a small draw into parts). */
  partSize = DRAW_PART_SIZE,
) {
  const now = clock.now();
  return db.transaction(async (tx) => {
    const plan = await lockPlan(tx, planId);
    const [draw] = await tx.select().from(draws).where(eq(draws.planId, planId)).for('update');
    if (draw?.drawnAt || plan.status === 'DRAWN') throw conflict('draw.drawnAlready', { id: planId }, 'planId');
    if (plan.status !== 'PUBLISHED')
      throw conflict('plan.notInStatus', { id: planId, status: plan.status, expected: 'PUBLISHED' }, 'planId');
    if (!draw) throw conflict('draw.poolNotFrozen', { id: planId }, 'planId');
    if (!draw.publicValue) throw conflict('draw.noPublicValue', { id: planId }, 'planId');
    // The pool's canonical text (docs/draw.md: the hash is over it), its hash checked here; the
    // places are then computed in this process, over its cores.
    const pool = await frozenPoolText(tx, draw);
    if (!pool) throw conflict('draw.poolChanged', { id: planId }, 'planId');
    if (!sameRatios(plan.ratios, draw.ratios)) throw conflict('draw.ratiosChanged', { id: planId }, 'ratios');
    const seed = drawSeed(plan.secret!, draw.publicValue, draw.poolHash);
    const sizes = classSizes(pool);
    const quota = Object.fromEntries(RISK_CLASSES.map((c) => [c, drawCount(sizes[c], draw.ratios[c] ?? 0)])) as Record<
      RiskClass,
      number
    >;
    const placed = await lowestPlacesOf(pool, draw.poolSize, seed, quota);
    const chosen = RISK_CLASSES.flatMap((c) => placed[c]);
    const drawnRows = rowsOf<{ uscc: string; name: string; address: string }>(
      await tx.execute(
        sql`insert into ${drawTargets} (draw_id, uscc, place, name, address)
        select p.draw_id, p.uscc, top.place, p.name, p.address
        from unnest(string_to_array(${chosen.map((t) => t.uscc).join(',')}, ','),
                    string_to_array(${chosen.map((t) => t.place).join(',')}, ',')) as top(uscc, place)
        join ${drawPool} p on p.draw_id = ${draw.id} and p.uscc = top.uscc
        returning uscc, name, address`,
      ),
    );
    const strata: Stratum[] = RISK_CLASSES.map((riskClass) => ({
      riskClass,
      poolSize: sizes[riskClass],
      drawn: placed[riskClass].length,
      cutoff: placed[riskClass].at(-1)?.place ?? null,
    }));
    const [row] = await tx.update(draws).set({ seed, strata, drawnAt: now }).where(eq(draws.id, draw.id)).returning();
    const [planRow] = await tx
      .update(jointPlans)
      .set({ status: 'DRAWN', updatedAt: now })
      .where(eq(jointPlans.id, planId))
      .returning();
    const departments = departmentsOf(plan)
      .map((department) => ({
        department,
        items: plan.items.filter((i) => i.department === department).map((i) => i.code),
      }))
      .filter((d) => d.items.length > 0);
    const visitCount = await createPlanVisits(
      tx,
      { plan, drawId: draw.id, departments },
      now,
      clock.today(),
      calendarBase,
    );
    // The drawn list in parts (v2): one message of a large draw would pass Kafka's default size.
    const targets = drawnRows
      .map((r) => ({ uscc: r.uscc, name: r.name, address: r.address }))
      .sort((x, y) => (x.uscc < y.uscc ? -1 : 1));
    const parts = Math.max(1, Math.ceil(targets.length / partSize));
    await recordEvents(
      tx,
      'onecheck.draw.made.v2',
      Array.from({ length: parts }, (_, i) => ({
        source: SOURCE,
        key: planId,
        data: {
          planId,
          drawId: draw.id,
          seed,
          secret: plan.secret!,
          publicValue: draw.publicValue!,
          poolHash: draw.poolHash,
          poolSize: draw.poolSize,
          windowFrom: plan.windowFrom,
          windowTo: plan.windowTo,
          departments,
          part: i + 1,
          parts,
          targets: targets.slice(i * partSize, (i + 1) * partSize),
          drawnAt: now.toISOString(),
        },
      })),
      now,
    );
    await appendAudit(tx, {
      actor: actorOf(identity),
      action: 'drawPlans',
      entity: { kind: 'plan', id: planId },
      before: { draw },
      after: { draw: row, status: planRow!.status, visits: visitCount },
      at: now,
    });
    return row!;
  });
}

/** A draw as its public proof and audit show it: the draw with its plan. */
export interface DrawView {
  draw: DrawRow;
  plan: PlanRow;
}

/** A draw asked for by its plan's id or by its own: exactly one of the two. */
export type DrawKey = { planId?: string | null; drawId?: string | null };

/** The public proof (双随机、一公开): what anyone may see of a draw — never a class, nor the secret before the draw. */
export async function drawProof(db: Reader, key: DrawKey): Promise<DrawView | null> {
  if (!key.planId === !key.drawId) throw badInput(key.planId ? 'drawId' : 'planId', 'draw.planOrDraw');
  const draw = key.planId
    ? await drawOf(db, key.planId)
    : isUuid(key.drawId!)
      ? ((await db.select().from(draws).where(eq(draws.id, key.drawId!)))[0] ?? null)
      : null;
  if (!draw) return null;
  const [plan] = await db.select().from(jointPlans).where(eq(jointPlans.id, draw.planId));
  return { draw, plan: plan! };
}

/** The drawn businesses of a draw, by credit code (public once drawn). */
export const drawnOf = (db: Reader, draw: DrawRow) =>
  db
    .select({ uscc: drawTargets.uscc, name: drawTargets.name })
    .from(drawTargets)
    .where(eq(drawTargets.drawId, draw.id))
    .orderBy(asc(drawTargets.uscc));

/** A business of a frozen pool as auditors see it: its class, and its place when it was drawn. */
export interface PoolEntryView {
  uscc: string;
  name: string;
  riskClass: RiskClass;
  place: string | null;
  drawn: boolean;
}

/**
 * For auditors (the office and the 纪检 role): the whole stored pool with classes, to re-derive the
 * draw, each business with its place when it was drawn.
 */
export const poolOf = (db: Reader, draw: DrawRow): Promise<PoolEntryView[]> =>
  db
    .select({
      uscc: drawPool.uscc,
      name: drawPool.name,
      riskClass: drawPool.riskClass,
      place: drawTargets.place,
      drawn: sql<boolean>`${drawTargets.uscc} is not null`,
    })
    .from(drawPool)
    .leftJoin(drawTargets, and(eq(drawTargets.drawId, drawPool.drawId), eq(drawTargets.uscc, drawPool.uscc)))
    .where(eq(drawPool.drawId, draw.id))
    .orderBy(asc(drawPool.uscc));

/**
 * A business checks its own place, without a token and without learning anyone else's class:
 * whether it was in the pool, its HMAC place, its stratum's count and cut-off, and whether it was drawn.
 */
export async function drawPlace(db: Reader, planId: string, uscc: string) {
  const draw = await drawOf(db, planId);
  if (!draw?.seed) return null;
  const [entry] = await db
    .select({ riskClass: drawPool.riskClass, drawnAs: drawTargets.uscc })
    .from(drawPool)
    .leftJoin(drawTargets, and(eq(drawTargets.drawId, drawPool.drawId), eq(drawTargets.uscc, drawPool.uscc)))
    .where(and(eq(drawPool.drawId, draw.id), eq(drawPool.uscc, uscc)));
  const place = placeOf(draw.seed, uscc);
  if (!entry) return { inPool: false, place, drawn: false, stratum: null };
  const stratum = draw.strata!.find((s) => s.riskClass === entry.riskClass)!;
  return { inPool: true, place, drawn: entry.drawnAs !== null, stratum };
}

/** Each plan's draw (null before the freeze): the loader's batch for a list of plans. */
export async function drawsByPlan(db: Reader, ids: readonly string[]): Promise<(DrawRow | null)[]> {
  const valid = ids.filter((id) => isUuid(id));
  const rows = valid.length ? await db.select().from(draws).where(inArray(draws.planId, valid)) : [];
  return ids.map((id) => rows.find((r) => r.planId === id) ?? null);
}
