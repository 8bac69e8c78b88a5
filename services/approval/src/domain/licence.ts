import { startOfChinaDate, type Clock } from '@onecheck/clock';
import { z } from 'zod';
import { and, asc, count, desc, eq, gt, inArray, type SQL } from 'drizzle-orm';
import { recordEvent } from '@onecheck/events';
import {
  appendAudit,
  cancelTimer,
  scheduleTimer,
  type Actor,
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
  isLateEntry,
  requireNotAfterToday,
  requireNotBefore,
  requireNotBeforeToday,
  type Action,
  type Db,
  type Tx,
} from '@onecheck/kit';
import { knownEnterprises, licences, promises, type ApprovalItemRow } from '../db/schema';
import type * as schema from '../db/schema';
import { actFor, canBecome, ownerOf, statusEvent, statusInput } from './status';
import type { LicenceActRecord, PromiseMode } from '@onecheck/contracts';
import { approvalItemNamed, requireItemDepartment } from './approval-items';
import { seeCredit } from './credit-check';
import type { CreditSeen } from './records';

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
    /** 联系方式 for the push (seed 003 第十九条(二)), as the applicant gave it. */
    contact: textField(200).nullish(),
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

/** The licence's full state as its v2 events carry it: what the department needs (seed 003 第十九条(二)). */
export function licenceEventData(row: LicenceRow) {
  return {
    licenceId: row.id,
    licenceNumber: row.licenceNumber,
    uscc: row.uscc,
    businessName: row.businessName ?? row.uscc,
    ...(row.contact ? { contact: row.contact } : {}),
    ...(row.address ? { address: row.address } : {}),
    approvalItem: row.approvalItem,
    ...(row.supervisionItem ? { supervisionItem: row.supervisionItem } : {}),
    supervisingDepartment: row.supervisingDepartment,
    scope: row.scope,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    grantedOn: row.grantedOn,
    recordedAt: row.createdAt.toISOString(),
    status: row.status,
    ...(row.statusReason ? { reason: row.statusReason } : {}),
    ...(row.statusAct ? { act: row.statusAct } : {}),
  };
}

/** The bureau's rules that a deployment sets (issue 9 item 1: the late-entry days are configurable). */
export interface ApprovalRules {
  lateEntryDays: number;
}

export type GrantInput = z.output<typeof grantInput> & { grantedOn: string };

/** A grant's input, with the rules on its own dates (the same for an ordinary grant and one on a promise). */
export function parseGrant(raw: unknown, today: string): GrantInput {
  const input = parseInput(grantInput, raw);
  const grantedOn = input.grantedOn ?? today;
  // A decision cannot be dated in the future (DESIGN.md §4), nor grant a validity already over (行政许可法 §70(一)).
  requireNotAfterToday('grantedOn', grantedOn, today);
  requireNotBeforeToday('validUntil', input.validUntil, today);
  return { ...input, grantedOn };
}

/** The business a grant is for, as the bureau knows it: registered, not deregistered, registered by then. */
export async function grantee(tx: Tx<typeof schema>, input: GrantInput) {
  const [known] = await tx.select().from(knownEnterprises).where(eq(knownEnterprises.uscc, input.uscc));
  if (!known) throw badInput('uscc', 'business.unknownToBureau', { uscc: input.uscc });
  if (known.status === 'DEREGISTERED') throw badInput('uscc', 'business.deregistered', { uscc: input.uscc });
  // A licence is granted to a business that exists: not before its registration (issue 9 item 1).
  if (known.registeredOn) requireNotBefore('grantedOn', input.grantedOn, known.registeredOn, 'registration');
  return known;
}

/** A licence number is one licence's, including one reserved by an approval waiting for its materials. */
export async function requireFreeNumber(tx: Tx<typeof schema>, licenceNumber: string): Promise<void> {
  const [[licence], [promise]] = await Promise.all([
    tx.select({ id: licences.id }).from(licences).where(eq(licences.licenceNumber, licenceNumber)),
    tx.select({ id: promises.id }).from(promises).where(eq(promises.licenceNumber, licenceNumber)),
  ]);
  if (licence || promise) throw conflict('licence.numberTaken', { licenceNumber });
}

/** How a licence granted on a promise is pushed (承诺情况, seed 003 第二十三条). */
export interface PushedPromise {
  promiseId: string;
  mode: PromiseMode;
  checkBy?: string;
}

/**
 * Issues a licence and pushes it to the supervising department in the same transaction (seed 003
 * 第十九条): the push is stamped with the system's time (createdAt), which the department's
 * deadlines count from; the decision date (grantedOn) is a business date kept beside it.
 */
export async function issueLicence(
  tx: Tx<typeof schema>,
  input: GrantInput,
  known: { name: string; address: string | null },
  extra: { item: ApprovalItemRow | null; creditSeen: CreditSeen; promise?: PushedPromise },
  clock: Clock,
  rules: ApprovalRules,
  actor: Actor,
): Promise<LicenceRow> {
  const now = clock.now();
  const [row] = await tx
    .insert(licences)
    .values({
      ...input,
      lateEntry: isLateEntry(input.grantedOn, clock.today(), rules.lateEntryDays),
      businessName: known.name,
      address: known.address,
      supervisionItem: extra.item?.supervisionItem ?? null,
      promiseId: extra.promise?.promiseId ?? null,
      creditSeen: extra.creditSeen,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: licences.licenceNumber })
    .returning();
  if (!row) throw conflict('licence.numberTaken', { licenceNumber: input.licenceNumber });
  await recordEvent(tx, {
    source: SOURCE,
    type: 'onecheck.licence.granted.v2',
    key: row.uscc,
    data: { ...licenceEventData(row), ...(extra.promise ? { promise: extra.promise } : {}) },
    time: now,
  });
  await scheduleExpiry(tx, row);
  await appendAudit(tx, {
    actor,
    action: 'grantLicences',
    entity: licenceEntity(row),
    before: null,
    after: row,
    at: now,
  });
  return row;
}

/**
 * Grants a licence (not on a promise): the business's credit is looked at and recorded with the
 * grant (seed 003 第十二条), a configured approval item keeps its supervising department.
 */
export async function grantLicence(
  db: ApprovalDb,
  raw: unknown,
  clock: Clock,
  rules: ApprovalRules,
  actor: Actor,
): Promise<LicenceRow> {
  const input = parseGrant(raw, clock.today());
  return db.transaction(async (tx) => {
    const known = await grantee(tx, input);
    const item = await approvalItemNamed(tx, input.approvalItem);
    requireItemDepartment(item, input.supervisingDepartment);
    await requireFreeNumber(tx, input.licenceNumber);
    const creditSeen = await seeCredit(tx, input.uscc, clock);
    return issueLicence(tx, input, known, { item, creditSeen }, clock, rules, actor);
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

/**
 * The bureau's own acts on a licence: 撤回, 撤销, 注销, or lifting a suspension (VALID). 吊销 and
 * 责令停产停业 are the supervising department's decisions (行政处罚法 §9, §63) and reach the
 * licence only through its push (applyLicenceStatus from licence-acts.ts).
 */
export async function setLicenceStatus(
  db: ApprovalDb,
  id: string,
  raw: unknown,
  clock: Clock,
  actor: Actor,
): Promise<LicenceRow> {
  const input = parseInput(statusInput, raw);
  const today = clock.today();
  if (ownerOf(input.status) !== 'BUREAU')
    throw badInput('status', 'licence.departmentDecides', { status: input.status });
  const decidedOn = input.decidedOn ?? today;
  requireNotAfterToday('decidedOn', decidedOn, today);
  const kind = actFor(input.status);
  const act = kind
    ? { kind, decidedBy: 'APPROVAL', documentNumber: input.documentNumber!, legalBasis: input.legalBasis!, decidedOn }
    : null;
  return db.transaction(async (tx) => {
    const current = await lockLicence(tx, id);
    return applyLicenceStatus(tx, current, input.status, input.reason, act, clock, actor, 'changeLicences');
  });
}

/**
 * Puts a locked licence in a status, with the act that did it, and announces it on the licence
 * topic (the outcome goes out to every department, seed 003 第二十条). The one place a status changes.
 */
export async function applyLicenceStatus(
  tx: Tx<typeof schema>,
  current: LicenceRow,
  status: LicenceRow['status'],
  reason: string | null,
  act: LicenceActRecord | null,
  clock: Clock,
  actor: Actor,
  action: Action,
): Promise<LicenceRow> {
  const now = clock.now();
  if (!canBecome(current.status, status)) throw conflict('licence.transition', { from: current.status, to: status });
  const [row] = await tx
    .update(licences)
    .set({ status, statusReason: status === 'VALID' ? null : reason, statusAct: act, updatedAt: now })
    .where(eq(licences.id, current.id))
    .returning();
  const data = { ...licenceEventData(row!), ...(reason ? { reason } : {}) };
  await recordEvent(tx, { source: SOURCE, type: statusEvent(status), key: row!.uscc, data, time: now });
  // A licence that has ended (撤销, 吊销, 注销 …) expires no more; one in force keeps its expiry
  // (an expiry is the timer itself, which the runner marks done).
  if (!inForce(status) && status !== 'EXPIRED') await cancelTimer(tx, expiryTimerId(row!.id));
  await appendAudit(tx, { actor, action, entity: licenceEntity(row!), before: current, after: row, at: now });
  return row!;
}

/**
 * A licence past its validity expires by itself (行政许可法 §70(一)): from the day after validUntil
 * it is EXPIRED, with its event. Run by the kit's durable timer `licence.expire` (once across
 * instances, a missed one at the next start). Idempotent: a licence already ended or not yet due
 * is left as it is.
 */
export async function expireLicence(
  tx: Tx<typeof schema>,
  id: string,
  clock: Clock,
  actor: Actor,
): Promise<LicenceRow | null> {
  if (!isUuid(id)) return null;
  const [current] = await tx.select().from(licences).where(eq(licences.id, id)).for('update');
  if (!current || current.validUntil >= clock.today() || !canBecome(current.status, 'EXPIRED')) return null;
  return applyLicenceStatus(tx, current, 'EXPIRED', null, null, clock, actor, 'expireLicences');
}

export const EXPIRY_TIMER = 'licence.expire';
const expiryTimerId = (id: string) => `licence-expiry:${id}`;
const inForce = (status: LicenceRow['status']) => status === 'VALID' || status === 'SUSPENDED';
const licenceEntity = (row: LicenceRow) => ({ kind: 'licence' as const, id: row.id });

/** Arms (or moves, on a new validUntil) the licence's expiry timer: due when its validity ends. */
async function scheduleExpiry(tx: Tx<typeof schema>, row: LicenceRow) {
  await scheduleTimer(tx, {
    id: expiryTimerId(row.id),
    kind: EXPIRY_TIMER,
    dueAt: expiresAt(row.validUntil),
    payload: { licenceId: row.id },
  });
}

/** The instant a licence's validity ends: 00:00 China time on the day after validUntil. */
export function expiresAt(validUntil: string): Date {
  return new Date(startOfChinaDate(validUntil).getTime() + 86_400_000);
}

export async function amendLicence(
  db: ApprovalDb,
  id: string,
  raw: unknown,
  clock: Clock,
  actor: Actor,
): Promise<LicenceRow> {
  const now = clock.now();
  const input = parseInput(amendInput, raw);
  return db.transaction(async (tx) => {
    const current = await lockLicence(tx, id);
    // Only a licence in force changes (an expired one is not extended: 行政许可法 §50 asks before it ends).
    if (current.status !== 'VALID' && current.status !== 'SUSPENDED')
      throw conflict('licence.notChangeable', { id, status: current.status });
    if (input.validUntil) requireNotBefore('validUntil', input.validUntil, current.validFrom, 'validFrom');
    if (input.validUntil) requireNotBeforeToday('validUntil', input.validUntil, clock.today());
    const [row] = await tx
      .update(licences)
      .set({ ...input, updatedAt: now })
      .where(eq(licences.id, id))
      .returning();
    await recordEvent(tx, {
      source: SOURCE,
      type: 'onecheck.licence.changed.v2',
      key: row!.uscc,
      data: licenceEventData(row!),
      time: now,
    });
    if (input.validUntil) await scheduleExpiry(tx, row!);
    await appendAudit(tx, {
      actor,
      action: 'changeLicences',
      entity: licenceEntity(row!),
      before: current,
      after: row,
      at: now,
    });
    return row!;
  });
}
