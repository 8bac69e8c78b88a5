import { chinaDate, type Clock } from '@onecheck/clock';
import type { EventData, InspectorKind, InspectorShortfall } from '@onecheck/contracts';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { recordEvent } from '@onecheck/events';
import { appendAudit, drawHmac, isUuid, type Actor, type Db, type Tx } from '@onecheck/kit';
import {
  drawParts,
  inspectorConflicts,
  supervisionItems,
  inspectorDrawBusinesses,
  inspectorDraws,
  inspectors,
  supervisionTasks,
  type DrawCandidate,
  type DrawFunnel,
  type InspectorDrawBusinessRow,
  type InspectorDrawRow,
  type TeamMemberData,
} from '../db/schema';
import type * as schema from '../db/schema';

/**
 * 双随机, the inspector half (seed 001, 行政处罚法 §42–43; docs/draw.md "Inspectors (each
 * department)"): each department draws its own officers for its part of the office's target draw,
 * from the same revealed seed, and keeps the proof. The rule, exactly:
 *
 * 1. The department's part: the drawn businesses whose `departments` include this department,
 *    each with this department's item codes for it.
 * 2. Businesses in ascending HMAC-SHA256(key = the seed's bytes (hex-decoded), message = uscc),
 *    as lowercase hex (ties, which do not happen, by uscc).
 * 3. For each business in that order, the eligible inspectors are those of the directory that are
 *    active, of kind INSPECTOR (an EXPERT never counts toward the two officers), whose certificate
 *    is valid through the plan window's last day (certificateValidUntil >= windowTo), qualified for
 *    every item of this department for that business (each item code in their qualifications),
 *    and with no declared conflict (回避) with that business.
 * 4. They are sorted by (the number of businesses earlier in this draw they were already given
 *    to, ascending; then HMAC-SHA256(seed, `${uscc}|${certificateNumber}`) ascending, as hex), and
 *    the first two are the team. Fewer than two eligible: no team at all (never one officer
 *    alone), and the shortfall names the first filter of step 3, in the order active INSPECTOR
 *    (NO_ACTIVE_INSPECTORS), valid certificate (CERTIFICATES_EXPIRED), qualified
 *    (NO_QUALIFIED_INSPECTORS), no conflict (ALL_CONFLICTED), after which fewer than two were left.
 * 5. Experts (docs/draw.md step 6; 专家: seed 001 §二(二) 业务专家参与重大、疑难、复杂检查事项;
 *    004 (十四)): a business with a team whose items of this department include a 重点 (KEY) item
 *    gets one expert too, when the directory has one who is active, of kind EXPERT, qualified for
 *    every 重点 item of it and with no declared conflict; chosen like the officers, by (experts'
 *    load in this draw, then the same HMAC). None eligible: the team goes without one. An expert
 *    never counts as an officer.
 */
export const TEAM_SIZE = 2;
/** Experts a team with a 重点 item gets, when one is eligible. */
export const EXPERTS_PER_TEAM = 1;

/** What the draw needs of a directory entry (the certificate number is the 执法证号, `badgeNumber`). */
export interface DirectoryEntry {
  id: string;
  kind: InspectorKind;
  active: boolean;
  certificateNumber: string;
  certificateValidUntil: string | null;
  qualifications: readonly string[];
}

export interface DrawnBusiness {
  uscc: string;
  position: number;
  businessHmac: string;
  items: string[];
  /** The eligible inspectors in the rule's order, each with its load when this business was drawn. */
  eligible: DrawCandidate[];
  funnel: DrawFunnel;
  /** Inspector ids: the first two eligible, or none. */
  team: string[];
  shortfall: InspectorShortfall | null;
  /** This department's 重点 items of the business: with a team, they bring an expert. */
  keyItems: string[];
  /** The eligible experts in the rule's order (empty without a 重点 item or a team). */
  expertEligible: DrawCandidate[];
  /** Expert ids: the first eligible, or none. */
  experts: string[];
}

/** The shortfall a funnel of counts gives: the first filter that left fewer than a team (verify-draw asks the same). */
export const shortfallOf = (f: DrawFunnel): InspectorShortfall | null =>
  f.activeInspectors < TEAM_SIZE
    ? 'NO_ACTIVE_INSPECTORS'
    : f.validCertificates < TEAM_SIZE
      ? 'CERTIFICATES_EXPIRED'
      : f.qualified < TEAM_SIZE
        ? 'NO_QUALIFIED_INSPECTORS'
        : f.notConflicted < TEAM_SIZE
          ? 'ALL_CONFLICTED'
          : null;

/**
 * The rule above, pure: the same seed, part, directory and conflicts give the same teams, so an
 * auditor re-derives the draw from the stored proof. `conflicted(inspectorId, uscc)` says whether
 * a conflict is declared.
 */
export function drawTeams(opts: {
  seed: string;
  windowTo: string;
  part: readonly { uscc: string; items: readonly string[] }[];
  directory: readonly DirectoryEntry[];
  conflicted: (inspectorId: string, uscc: string) => boolean;
  /** Whether an item of this department is 重点 (KEY). */
  isKey?: (item: string) => boolean;
}): DrawnBusiness[] {
  const { seed, windowTo, directory } = opts;
  const isKey = opts.isKey ?? (() => false);
  const expertPool = directory.filter((i) => i.active && i.kind === 'EXPERT');
  const expertLoad = new Map<string, number>();
  /** The candidates in the rule's order: load in this draw, then HMAC(seed, uscc|certificate). */
  const ranked = (uscc: string, people: readonly DirectoryEntry[], loads: Map<string, number>) =>
    people
      .map((i) => ({
        inspectorId: i.id,
        certificateNumber: i.certificateNumber,
        hmac: drawHmac(seed, `${uscc}|${i.certificateNumber}`),
        assignedBefore: loads.get(i.id) ?? 0,
      }))
      .sort((x, y) => x.assignedBefore - y.assignedBefore || cmp(x.hmac, y.hmac));
  const ordered = opts.part
    .map((b) => ({ ...b, businessHmac: drawHmac(seed, b.uscc) }))
    .sort((a, b) => cmp(a.businessHmac, b.businessHmac) || cmp(a.uscc, b.uscc));
  const officers = directory.filter((i) => i.active && i.kind === 'INSPECTOR');
  const certified = officers.filter((i) => i.certificateValidUntil !== null && i.certificateValidUntil >= windowTo);
  const load = new Map<string, number>();
  return ordered.map((b, position) => {
    const qualified = certified.filter((i) => b.items.every((item) => i.qualifications.includes(item)));
    const free = qualified.filter((i) => !opts.conflicted(i.id, b.uscc));
    const funnel: DrawFunnel = {
      activeInspectors: officers.length,
      validCertificates: certified.length,
      qualified: qualified.length,
      notConflicted: free.length,
    };
    const eligible = ranked(b.uscc, free, load);
    const shortfall = shortfallOf(funnel);
    const team = shortfall ? [] : eligible.slice(0, TEAM_SIZE).map((c) => c.inspectorId);
    for (const id of team) load.set(id, (load.get(id) ?? 0) + 1);
    const keyItems = b.items.filter(isKey);
    const expertEligible =
      team.length && keyItems.length
        ? ranked(
            b.uscc,
            expertPool.filter(
              (i) => keyItems.every((item) => i.qualifications.includes(item)) && !opts.conflicted(i.id, b.uscc),
            ),
            expertLoad,
          )
        : [];
    const experts = expertEligible.slice(0, EXPERTS_PER_TEAM).map((c) => c.inspectorId);
    for (const id of experts) expertLoad.set(id, (expertLoad.get(id) ?? 0) + 1);
    return {
      uscc: b.uscc,
      position,
      businessHmac: b.businessHmac,
      items: [...b.items],
      eligible,
      funnel,
      team,
      shortfall,
      keyItems,
      expertEligible,
      experts,
    };
  });
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type DeptTx = Tx<typeof schema>;
type DeptDb = Db<typeof schema>;
type DrawMade = EventData<'onecheck.draw.made.v1'>;

/**
 * The office's target draw reached this department: it makes an inspection task per business of
 * its part (beside the 审管联动 tasks, kind INSPECTION, due by the plan window's last day), draws
 * each team by the rule above and stores the proof. Received once per draw: a redelivered event,
 * under any event id, changes nothing (the draw id is the key of the draw, and (draw, uscc) of a task).
 */
export async function receiveDraw(
  tx: DeptTx,
  department: string,
  draw: DrawMade,
  eventId: string,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  const now = clock.now();
  const [known] = await tx
    .insert(inspectorDraws)
    .values({
      drawId: draw.drawId,
      planId: draw.planId,
      seed: draw.seed,
      windowFrom: draw.windowFrom,
      windowTo: draw.windowTo,
      drawnAt: new Date(draw.drawnAt),
      eventId,
      receivedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (!known) return;
  const part = draw.targets.flatMap((t) => {
    const mine = t.departments.find((d) => d.department === department);
    return mine ? [{ target: t, items: mine.items }] : [];
  });
  const usccs = part.map((p) => p.target.uscc);
  // The directory as it stands when the draw arrives: its state then is what the proof keeps.
  const directory = await tx.select().from(inspectors).orderBy(asc(inspectors.id)).for('update');
  const declared = usccs.length
    ? await tx
        .select({ inspectorId: inspectorConflicts.inspectorId, uscc: inspectorConflicts.uscc })
        .from(inspectorConflicts)
        .where(inArray(inspectorConflicts.uscc, usccs))
    : [];
  const conflicts = new Set(declared.map((c) => `${c.inspectorId}|${c.uscc}`));
  const partItems = [...new Set(part.flatMap((p) => p.items))];
  const keyItems = new Set(
    partItems.length
      ? (
          await tx
            .select({ code: supervisionItems.code })
            .from(supervisionItems)
            .where(and(inArray(supervisionItems.code, partItems), eq(supervisionItems.emphasis, 'KEY')))
        ).map((i) => i.code)
      : [],
  );
  const drawn = drawTeams({
    seed: draw.seed,
    windowTo: draw.windowTo,
    part: part.map((p) => ({ uscc: p.target.uscc, items: p.items })),
    directory: directory.map((i) => ({ ...i, certificateNumber: i.badgeNumber })),
    conflicted: (id, uscc) => conflicts.has(`${id}|${uscc}`),
    isKey: (item) => keyItems.has(item),
  });
  const pushedAt = new Date(draw.drawnAt);
  const byUscc = new Map(part.map((p) => [p.target.uscc, p]));
  const teams: EventData<'onecheck.inspection.teams-drawn.v1'>['teams'] = [];
  for (const b of drawn) {
    const { target } = byUscc.get(b.uscc)!;
    const [task] = await tx
      .insert(supervisionTasks)
      .values({
        kind: 'INSPECTION',
        uscc: b.uscc,
        planId: draw.planId,
        drawId: draw.drawId,
        windowFrom: draw.windowFrom,
        items: b.items,
        businessName: target.name,
        address: target.address ?? null,
        pushedAt,
        pushedOn: chinaDate(pushedAt),
        // The plan's window is the deadline (seed 001): the 3-working-day claim of 审管联动 is not a plan's rule.
        claimBy: draw.windowTo,
        checkBy: draw.windowTo,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await tx.insert(inspectorDrawBusinesses).values({ drawId: draw.drawId, ...b, taskId: task!.id });
    teams.push({
      uscc: b.uscc,
      taskId: task!.id,
      team: [...b.team, ...b.experts].map((id) => teamMemberOf(directory.find((i) => i.id === id)!)),
      ...(b.shortfall ? { shortfall: b.shortfall } : {}),
    });
    await appendAudit(tx, {
      actor,
      action: 'receiveDraws',
      entity: { kind: 'supervisionTask', id: task!.id },
      after: { task, team: b.team, experts: b.experts, shortfall: b.shortfall },
      at: now,
    });
  }
  // Teams out (issue 11): the office completes its visits with them and codes them (赋码, seed 004 (十二)).
  if (teams.length)
    await recordEvent(tx, {
      source: `onecheck/department/${department}`,
      type: 'onecheck.inspection.teams-drawn.v1',
      key: draw.planId,
      data: { drawId: draw.drawId, planId: draw.planId, department, teams, drawnAt: now.toISOString() },
      time: now,
    });
  await appendAudit(tx, {
    actor,
    action: 'receiveDraws',
    entity: { kind: 'inspectorDraw', id: draw.drawId },
    after: {
      ...known,
      businesses: drawn.length,
      teams: drawn.filter((b) => !b.shortfall).length,
      shortfalls: drawn.filter((b) => b.shortfall).map((b) => ({ uscc: b.uscc, shortfall: b.shortfall })),
    },
    at: now,
  });
}

/**
 * One part of the office's drawn list (onecheck.draw.made.v2) reached this department: kept until
 * every part is here, then the whole list is drawn by `receiveDraw` at once (the load rule runs
 * over the whole draw in order). A department outside the plan has nothing to wait for. A part
 * redelivered before or after the draw changes nothing.
 */
export async function receiveDrawPart(
  tx: DeptTx,
  department: string,
  part: EventData<'onecheck.draw.made.v2'>,
  eventId: string,
  clock: Clock,
  actor: Actor,
): Promise<void> {
  const [drawn] = await tx.select().from(inspectorDraws).where(eq(inspectorDraws.drawId, part.drawId));
  if (drawn) return;
  const whole = (targets: EventData<'onecheck.draw.made.v2'>['targets']): DrawMade => {
    const { departments, part: _part, parts: _parts, ...proof } = part;
    return { ...proof, targets: targets.map((t) => ({ ...t, departments })) };
  };
  if (!part.departments.some((d) => d.department === department))
    return receiveDraw(tx, department, whole([]), eventId, clock, actor);
  await tx
    .insert(drawParts)
    .values({ drawId: part.drawId, part: part.part, parts: part.parts, data: part, eventId, receivedAt: clock.now() })
    .onConflictDoNothing();
  const held = await tx
    .select({ data: drawParts.data })
    .from(drawParts)
    .where(eq(drawParts.drawId, part.drawId))
    .orderBy(asc(drawParts.part))
    .for('update');
  if (held.length < part.parts) return;
  await receiveDraw(tx, department, whole(held.flatMap((h) => h.data.targets)), eventId, clock, actor);
  await tx.delete(drawParts).where(eq(drawParts.drawId, part.drawId));
}

/** A drawn officer as the code will carry it: the certificate number officers show anyway (行政处罚法 §55). */
function teamMemberOf(i: typeof inspectors.$inferSelect): TeamMemberData {
  return {
    inspectorId: i.id,
    certificateNumber: i.badgeNumber,
    kind: i.kind,
    ...(i.certificateValidUntil ? { certificateValidUntil: i.certificateValidUntil } : {}),
  };
}

export interface InspectorDrawView extends InspectorDrawRow {
  businesses: InspectorDrawBusinessRow[];
}

/** A draw as this department made it, businesses in draw order; null when it never reached the department. */
export async function readInspectorDraw(db: DeptDb, drawId: string): Promise<InspectorDrawView | null> {
  if (!isUuid(drawId)) return null;
  const [draw] = await db.select().from(inspectorDraws).where(eq(inspectorDraws.drawId, drawId));
  if (!draw) return null;
  const businesses = await db
    .select()
    .from(inspectorDrawBusinesses)
    .where(eq(inspectorDrawBusinesses.drawId, drawId))
    .orderBy(asc(inspectorDrawBusinesses.position));
  return { ...draw, businesses };
}

/** Each inspection task's drawn team and proof (one query for a batch); null for a licence task. */
export async function drawBusinessesByTasks(
  db: DeptDb,
  taskIds: readonly string[],
): Promise<(InspectorDrawBusinessRow | null)[]> {
  const valid = taskIds.filter(isUuid);
  const rows = valid.length
    ? await db
        .select()
        .from(inspectorDrawBusinesses)
        .where(and(inArray(inspectorDrawBusinesses.taskId, valid)))
    : [];
  return taskIds.map((id) => rows.find((r) => r.taskId === id) ?? null);
}

/** A candidate as the proof shows it: whether the rule put it in the team. */
export type CandidateView = DrawCandidate & { chosen: boolean };
