/**
 * A verifiable 双随机 draw of a plan's targets (issue 10 item 5; docs/draw.md): the office freezes
 * the pool and publishes its hash and the ratios; the observing 纪检 officer then enters a public
 * value no one knew at filing; the draw reveals the office's secret, derives the seed and orders
 * each risk class by HMAC. Any change to the pool or the ratios after the freeze refuses the draw;
 * a plan is drawn once. The drawn list then goes to every department of the plan as events, in parts.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import type { CalendarBase } from '@onecheck/calendar';
import type { Clock } from '@onecheck/clock';
import { DRAW_PART_SIZE, RISK_CLASSES, type RiskClass } from '@onecheck/contracts';
import { recordEvents } from '@onecheck/events';
import {
  actorOf,
  appendAudit,
  badInput,
  conflict,
  isUuid,
  parseInput,
  scheduleTimer,
  type Db,
  type Tx,
  referenceField,
} from '@onecheck/kit';
import { drawPool, draws, drawTargets, jointPlans, type DrawRow, type PlanRow } from '../db/schema';
import type * as schema from '../db/schema';
import { byUscc, classSizes, drawCount, drawSeed, placeOf, poolHash, type Stratum } from './draw-algorithm';
import { poolPlacer } from './draw-places';
import { lockPlan } from './plans';
import { selectPool } from './targets';
import { createPlanVisits } from './visits';

type MarketDb = Db<typeof schema>;
type MarketTx = Tx<typeof schema>;
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
/** Frozen or drawn after its window, a plan's codes would expire at once: the window is moved first (adjustPlan DELAY). */
function requireWindowOpen(plan: PlanRow, today: string) {
  if (plan.windowTo < today) throw conflict('plan.windowClosed', { id: plan.id, windowTo: plan.windowTo }, 'planId');
}

export async function freezePool(db: MarketDb, planId: string, clock: Clock, identity: Identity): Promise<DrawRow> {
  const now = clock.now();
  return db.transaction(async (tx) => {
    const plan = await lockPlan(tx, planId);
    if (plan.status !== 'PUBLISHED')
      throw conflict('plan.notInStatus', { id: planId, status: plan.status, expected: 'PUBLISHED' }, 'planId');
    if (await drawOf(tx, planId)) throw conflict('draw.poolFrozenAlready', { id: planId }, 'planId');
    requireWindowOpen(plan, clock.today());
    // Stored in the pool text's order, which is its key's: the draw's reads by key go through the
    // table in the order it was written.
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

/** Typed again by whoever re-derives the draw: nothing invisible in it. */
const publicValueInput = referenceField(200);

/**
 * The public value (seed 001: the observing 纪检 officer's; or a published lottery result): entered
 * once, after the pool is frozen — so no one knew it when the pool and the ratios were fixed.
 */
export async function enterPublicValue(db: MarketDb, planId: string, raw: unknown, clock: Clock, identity: Identity) {
  const value = parseInput(publicValueInput, raw, 'value');
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

/**
 * Lines of the pool text per read: a chunk is placed while the next one is read. The first is
 * small, so that the placing starts early.
 */
const CHUNK_LINES = 100_000;
const FIRST_CHUNK_LINES = 20_000;

/**
 * The frozen pool's canonical text (docs/draw.md), chunk by chunk in its order: by the primary key,
 * whose uscc is collated "C" (byte order, as the text is sorted). Each chunk is asked for as soon as
 * the one before it is in, so the database reads the next chunk while this process places one.
 */
async function* poolChunks(tx: Pick<MarketDb, 'execute'>, drawId: string): AsyncGenerator<string> {
  // The aggregate takes its rows in the limited scan's order (the key's); the pool's hash, checked
  // over the whole text, would refuse the draw if it ever did not.
  const chunkAfter = (after: string, lines: number) =>
    tx.execute(
      sql`select coalesce(string_agg(line, ''), '') as text, max(uscc) as last from (
        select uscc, uscc || E'\t' || risk_class || E'\n' as line from ${drawPool}
        where draw_id = ${drawId} and uscc > ${after} order by uscc limit ${lines}) chunk`,
    );
  let pending = chunkAfter('', FIRST_CHUNK_LINES);
  for (;;) {
    const { text, last } = rowsOf<{ text: string; last: string | null }>(await pending)[0]!;
    if (last === null) return;
    pending = chunkAfter(last, CHUNK_LINES);
    yield text;
  }
}

/**
 * Reads the frozen pool, placing its lines as they come, and checks its hash against the one
 * published at the freeze: the class sizes and the placer, or null when the stored pool changed.
 */
async function placedPool(tx: Pick<MarketDb, 'execute'>, draw: DrawRow, seed: string) {
  const placer = poolPlacer(seed, draw.ratios, draw.poolSize);
  const hash = createHash('sha256');
  const sizes = classSizes('');
  try {
    for await (const text of poolChunks(tx, draw.id)) {
      placer.add(text);
      hash.update(text, 'utf8');
      // Counted here though the placer's workers count too: the quotas (from these sizes) must be
      // known before the placer is asked for its lowest, and this pass runs while they hash.
      const of = classSizes(text);
      for (const c of RISK_CLASSES) sizes[c] += of[c];
    }
  } catch (err) {
    await placer.close();
    throw err;
  }
  if (hash.digest('hex') !== draw.poolHash) {
    await placer.close();
    return null;
  }
  return { sizes, placer };
}

const sameRatios = (a: Record<RiskClass, number>, b: Record<RiskClass, number>) =>
  RISK_CLASSES.every((c) => a[c] === b[c]);

/** The durable job (kit timers) that delivers a draw: its visits and its events. */
export const DRAW_DELIVERY_TIMER = 'draw.deliver';

/**
 * Draws the plan's targets (once): the plan's ratios must be the frozen ones and the stored pool
 * must still hash to what was published; the secret is revealed, the seed derived, each class
 * ordered by HMAC and cut at its ratio (docs/draw.md). The draw commits with its drawn list and a
 * durable job that delivers it (deliverDraw) right after: every department's part as the draw
 * event, and each drawn business its visit. Kept out of the draw's transaction so that a draw over
 * a million businesses commits in under two seconds (issue 10) and holds the plan no longer.
 */
export async function drawPlan(db: MarketDb, planId: string, clock: Clock, identity: Identity) {
  const now = clock.now();
  return db.transaction(async (tx) => {
    const plan = await lockPlan(tx, planId);
    const [draw] = await tx.select().from(draws).where(eq(draws.planId, planId)).for('update');
    if (draw?.drawnAt || plan.status === 'DRAWN') throw conflict('draw.drawnAlready', { id: planId }, 'planId');
    if (plan.status !== 'PUBLISHED')
      throw conflict('plan.notInStatus', { id: planId, status: plan.status, expected: 'PUBLISHED' }, 'planId');
    if (!draw) throw conflict('draw.poolNotFrozen', { id: planId }, 'planId');
    if (!draw.publicValue) throw conflict('draw.noPublicValue', { id: planId }, 'planId');
    requireWindowOpen(plan, clock.today());
    if (!sameRatios(plan.ratios, draw.ratios)) throw conflict('draw.ratiosChanged', { id: planId }, 'ratios');
    const seed = drawSeed(plan.secret!, draw.publicValue, draw.poolHash);
    const pool = await placedPool(tx, draw, seed);
    if (!pool) throw conflict('draw.poolChanged', { id: planId }, 'planId');
    const { sizes } = pool;
    const quota = Object.fromEntries(RISK_CLASSES.map((c) => [c, drawCount(sizes[c], draw.ratios[c] ?? 0)])) as Record<
      RiskClass,
      number
    >;
    const placed = await pool.placer.lowest(quota);
    const chosen = RISK_CLASSES.flatMap((c) => placed[c]);
    await tx.execute(
      sql`insert into ${drawTargets} (draw_id, uscc, place)
        select ${draw.id}::uuid, top.uscc, top.place
        from unnest(string_to_array(${chosen.map((t) => t.uscc).join(',')}, ','),
                    string_to_array(${chosen.map((t) => t.place).join(',')}, ',')) as top(uscc, place)
        -- In key order: the primary key's index then grows at its end, not at random places.
        order by top.uscc`,
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
    await scheduleTimer(tx, {
      id: `${DRAW_DELIVERY_TIMER}:${draw.id}`,
      kind: DRAW_DELIVERY_TIMER,
      dueAt: now,
      payload: { drawId: draw.id },
      now,
    });
    await appendAudit(tx, {
      actor: actorOf(identity),
      action: 'drawPlans',
      entity: { kind: 'plan', id: planId },
      before: { draw },
      after: { draw: row, status: planRow!.status },
      at: now,
    });
    return row!;
  });
}

/**
 * Delivers a draw (the DRAW_DELIVERY_TIMER job, in its transaction: once, retried until it
 * succeeds): each drawn business its visit (进一次门: domain/visits.ts), waiting for the departments'
 * teams, and every department of the plan the drawn list in parts (v2: one message of a large draw
 * would pass Kafka's default size), each part with the proof. The plan is locked first, as its
 * adjustments lock it: a plan cancelled before its draw was delivered is not delivered at all (the
 * adjustment found no visits to cancel), and a delay is followed by the visits made after it.
 */
export async function deliverDraw(
  tx: MarketTx,
  drawId: string,
  clock: Clock,
  calendarBase?: CalendarBase,
  /** Targets per draw event (tests cut a small draw into parts). */
  partSize = DRAW_PART_SIZE,
): Promise<void> {
  // The draw is read twice on purpose: first only for its plan, then locked after the plan, in the
  // order every writer of a plan and its draw takes them (plan, then draw), so none deadlocks.
  const [found] = await tx.select({ planId: draws.planId }).from(draws).where(eq(draws.id, drawId));
  if (!found) throw new Error(`no draw ${drawId}`);
  const plan = await lockPlan(tx, found.planId);
  const [draw] = await tx.select().from(draws).where(eq(draws.id, drawId)).for('update');
  if (!draw?.drawnAt) throw new Error(`draw ${drawId} is not drawn`);
  if (draw.deliveredAt || plan.status === 'CANCELLED') return;
  const departments = departmentsOf(plan)
    .map((department) => ({
      department,
      items: plan.items.filter((i) => i.department === department).map((i) => i.code),
    }))
    .filter((d) => d.items.length > 0);
  await createPlanVisits(tx, { plan, drawId, departments }, clock.now(), clock.today(), calendarBase);
  const targets = await drawnOf(tx, draw);
  const parts = Math.max(1, Math.ceil(targets.length / partSize));
  await recordEvents(
    tx,
    'onecheck.draw.made.v2',
    Array.from({ length: parts }, (_, i) => ({
      source: SOURCE,
      key: plan.id,
      data: {
        planId: plan.id,
        drawId,
        seed: draw.seed!,
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
        drawnAt: draw.drawnAt!.toISOString(),
      },
    })),
    draw.drawnAt,
  );
  await tx.update(draws).set({ deliveredAt: clock.now() }).where(eq(draws.id, drawId));
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

/** The drawn businesses of a draw with their names and addresses from the pool, by credit code (public once drawn). */
export const drawnOf = (db: Reader, draw: DrawRow) =>
  db
    .select({ uscc: drawPool.uscc, name: drawPool.name, address: drawPool.address })
    .from(drawTargets)
    .innerJoin(drawPool, and(eq(drawPool.drawId, drawTargets.drawId), eq(drawPool.uscc, drawTargets.uscc)))
    .where(eq(drawTargets.drawId, draw.id))
    .orderBy(asc(drawPool.uscc));

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
 * A business checks its own place, without a token and without learning anyone else's class
 * (issue 10): whether it was in the pool, its HMAC place, its stratum's count and cut-off, and
 * whether it was drawn. Whoever knows a credit code can ask the same: docs/security.md says so.
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
