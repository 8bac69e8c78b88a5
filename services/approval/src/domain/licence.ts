import { startOfChinaDate, type Clock } from '@onecheck/clock';
import { z } from 'zod';
import { and, asc, count, desc, eq, gt, sql, type SQL } from 'drizzle-orm';
import { recordEvent, recordEvents } from '@onecheck/events';
import {
  checkListFilter,
  anyOf,
  arrayLiteral,
  appendAudit,
  appendAuditMany,
  inEntry,
  scheduleTimers,
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
  reusable,
  toConnection,
  type ConnectionArgs,
  insertRows,
  selectTogether,
  isUuid,
  isLateEntry,
  requireNotAfterToday,
  requireNotBefore,
  requireNotBeforeToday,
  type Action,
  type Db,
  type Tx,
  referenceField,
  retryOnDeadlock,
} from '@onecheck/kit';
import { knownEnterprises, licences, promises, type ApprovalItemRow } from '../db/schema';
import type * as schema from '../db/schema';
import { actFor, canBecome, ownerOf, requireTransition, statusEvent, statusInput } from './status';
import type { LicenceActRecord, PromiseMode } from '@onecheck/contracts';
import { itemsByName, itemsRead, requireItemDepartment } from './approval-items';
import { creditRead, creditsSeen } from './credit-check';
import { requireTrading, type KnownEnterprise } from './grantee';
import { closePromiseOfLicence } from './promise-closure';
import type { CreditSeen } from './records';

export type LicenceRow = typeof licences.$inferSelect;
type ApprovalDb = Db<typeof schema>;
const SOURCE = 'onecheck/approval';

const grantInput = z
  .object({
    uscc: usccField,
    licenceNumber: referenceField(100),
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

/**
 * The bureau's copies of the businesses named (one query for a batch), to run with others
 * (selectTogether). Locked shared until the grant commits: a deregistration locks its business
 * exclusively before it cancels the licences (projectEnterprise), so it waits for a grant under
 * way and then cancels its licence too, and a grant behind a deregistration reads it deregistered.
 * Unlocked, a grant committing beside the deregistration stayed VALID. Shared, grants of one
 * business still run side by side.
 */
const knownRead = (tx: Tx<typeof schema>, codes: readonly string[]) => ({
  known: tx
    .select()
    .from(knownEnterprises)
    .where(anyOf(knownEnterprises.uscc, [...new Set(codes)], 'text'))
    .for('share'),
});

const byUscc = <T extends { uscc: string }>(rows: readonly T[]) => new Map(rows.map((r) => [r.uscc, r]));

/** The business a grant is for: trading, and registered by the grant's date. */
export function requireGrantee(known: KnownEnterprise | undefined, input: GrantInput) {
  const business = requireTrading(known, input.uscc);
  // A licence is granted to a business that exists: not before its registration (issue 9 item 1).
  if (business.registeredOn) requireNotBefore('grantedOn', input.grantedOn, business.registeredOn, 'registration');
  return business;
}

/** A licence number is one licence's, including one reserved by an approval waiting for its materials. */
export const numberTaken = (licenceNumber: string) =>
  conflict('licence.numberTaken', { licenceNumber }, 'licenceNumber');

/** Which of `numbers` a licence or a reserving promise already holds: the reads, to run with others (selectTogether). */
const numbersRead = (tx: Tx<typeof schema>, numbers: readonly string[]) => {
  const wanted = [...new Set(numbers)];
  return {
    held: tx
      .select({ n: licences.licenceNumber })
      .from(licences)
      .where(anyOf(licences.licenceNumber, wanted, 'text')),
    reserved: tx
      .select({ n: promises.licenceNumber })
      .from(promises)
      .where(anyOf(promises.licenceNumber, wanted, 'text')),
  };
};

/** The numbers taken, from numbersRead's rows. */
const takenOf = ({ held, reserved }: { held: { n: string }[]; reserved: { n: string }[] }) =>
  new Set([...held, ...reserved].map((r) => r.n));

/**
 * What the checks of grants need, read in ONE statement however many grants there are (a round
 * trip costs more than these reads; issue 7): the bureau's copy of each business, the configured
 * items, the numbers already taken, and what the bureau sees of each business's credit.
 */
export async function readForGrants(tx: Tx<typeof schema>, inputs: readonly GrantInput[], clock: Clock) {
  const codes = inputs.map((i) => i.uscc);
  const read = await selectTogether(tx, {
    ...knownRead(tx, codes),
    ...itemsRead(
      tx,
      inputs.map((i) => i.approvalItem),
    ),
    ...numbersRead(
      tx,
      inputs.map((i) => i.licenceNumber),
    ),
    ...creditRead(tx, codes),
  });
  return {
    known: byUscc(read.known),
    items: itemsByName(read.items),
    taken: takenOf(read),
    credit: creditsSeen(read, codes, clock),
  };
}

/** How a licence granted on a promise is pushed (承诺情况, seed 003 第二十三条). */
export interface PushedPromise {
  promiseId: string;
  mode: PromiseMode;
  checkBy?: string;
}

/** One licence to issue: the checked input and what the checks found. */
export interface Grant {
  input: GrantInput;
  known: { name: string; address: string | null };
  item: ApprovalItemRow | null;
  creditSeen: CreditSeen;
  promise?: PushedPromise;
}

/**
 * Issues a licence and pushes it to the supervising department in the same transaction (seed 003
 * 第十九条): the push is stamped with the system's time (createdAt), which the department's
 * deadlines count from; the decision date (grantedOn) is a business date kept beside it.
 */
export async function issueLicence(
  tx: Tx<typeof schema>,
  grant: Grant,
  clock: Clock,
  rules: ApprovalRules,
  actor: Actor,
): Promise<LicenceRow> {
  return (await issueLicences(tx, [grant], clock, rules, actor))[0]!;
}

/** Runs the checks of a batch's entry `i`, naming it in what they refuse (grantLicences: `inputs.3`). */
type EntryChecks = <T>(i: number, check: () => T) => T | Promise<T>;
/** One grant alone: its refusals name no entry. */
const alone: EntryChecks = (_, check) => check();

/** issueLicence for many grants in one transaction, in the order given: one INSERT per table. */
export async function issueLicences(
  tx: Tx<typeof schema>,
  grants: readonly Grant[],
  clock: Clock,
  rules: ApprovalRules,
  actor: Actor,
  at: EntryChecks = alone,
): Promise<LicenceRow[]> {
  const now = clock.now();
  const inserted = await insertRows(
    tx,
    licences,
    grants.map(({ input, known, item, creditSeen, promise }) => ({
      ...input,
      lateEntry: isLateEntry(input.grantedOn, clock.today(), rules.lateEntryDays),
      businessName: known.name,
      address: known.address,
      supervisionItem: item?.supervisionItem ?? null,
      promiseId: promise?.promiseId ?? null,
      creditSeen,
      createdAt: now,
      updatedAt: now,
    })),
    { onConflictDoNothing: { target: licences.licenceNumber }, returning: true },
  );
  const byNumber = new Map(inserted.map((r) => [r.licenceNumber, r]));
  // A number taken since it was checked (a grant racing this one): the whole batch is refused,
  // naming the entry as the check before would have.
  const rows: LicenceRow[] = [];
  for (const [i, { input }] of grants.entries())
    rows.push(
      byNumber.get(input.licenceNumber) ??
        (await at(i, () => {
          throw numberTaken(input.licenceNumber);
        })),
    );
  await recordEvents(
    tx,
    'onecheck.licence.granted.v2',
    rows.map((row, i) => {
      const promise = grants[i]!.promise;
      return { source: SOURCE, key: row.uscc, data: { ...licenceEventData(row), ...(promise ? { promise } : {}) } };
    }),
    now,
  );
  await scheduleTimers(tx, rows.map(expiryJob));
  await appendAuditMany(
    tx,
    rows.map((row) => ({
      actor,
      action: 'grantLicences',
      entity: licenceEntity(row),
      before: null,
      after: row,
      at: now,
    })),
  );
  return rows;
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
  return (await grantParsed(db, [input], clock, rules, actor, alone))[0]!;
}

/** Most licences one grantLicences call takes: a batch stays one short transaction. */
export const GRANT_BATCH_MAX = 500;
const grantBatch = z.object({ inputs: z.array(z.unknown()).min(1).max(GRANT_BATCH_MAX) });

/**
 * Grants many licences at once, all or none (审批信息推送, seed 003 第十九条: a bureau's system
 * pushing its decisions in bulk, e.g. a day's approvals from the 政务服务 platform): each entry is
 * checked exactly as grantLicence checks it, a refusal names the entry (`inputs.3.uscc`) and
 * writes nothing; a number given twice in the batch is refused at its second entry.
 */
export async function grantLicences(
  db: ApprovalDb,
  raw: unknown,
  clock: Clock,
  rules: ApprovalRules,
  actor: Actor,
): Promise<LicenceRow[]> {
  const { inputs: list } = parseInput(grantBatch, { inputs: raw });
  const at = <T>(i: number, check: () => T | Promise<T>) => inEntry(`inputs.${i}`, check);
  const today = clock.today();
  const inputs: GrantInput[] = [];
  const seen = new Set<string>();
  for (const [i, entry] of list.entries()) {
    const input = await at(i, () => parseGrant(entry, today));
    if (seen.has(input.licenceNumber))
      await at(i, () => {
        throw numberTaken(input.licenceNumber);
      });
    seen.add(input.licenceNumber);
    inputs.push(input);
  }
  return grantParsed(db, inputs, clock, rules, actor, at);
}

/** The checks of a grant and the issue, for parsed inputs; `at` runs each entry's checks (naming it in a batch). */
async function grantParsed(
  db: ApprovalDb,
  inputs: readonly GrantInput[],
  clock: Clock,
  rules: ApprovalRules,
  actor: Actor,
  at: EntryChecks,
): Promise<LicenceRow[]> {
  // The business rows are shared until the end (knownRead): a cycle with an event batch is possible.
  return retryOnDeadlock(() =>
    db.transaction(async (tx) => {
      const { known, items, taken, credit } = await readForGrants(tx, inputs, clock);
      const grants: Grant[] = [];
      for (const [i, input] of inputs.entries())
        grants.push(
          await at(i, () => {
            const business = requireGrantee(known.get(input.uscc), input);
            const item = items.get(input.approvalItem) ?? null;
            requireItemDepartment(item, input.supervisingDepartment);
            if (taken.has(input.licenceNumber)) throw numberTaken(input.licenceNumber);
            return { input, known: business, item, creditSeen: credit.get(input.uscc)! };
          }),
        );
      return issueLicences(tx, grants, clock, rules, actor, at);
    }),
  );
}

/** Licences by id, in the order asked (null where none): the loader's batch. */
export async function licencesById(db: ApprovalDb, ids: readonly string[]): Promise<(LicenceRow | null)[]> {
  // A malformed id can name no licence; keep it out of the uuid-typed query.
  const valid = ids.filter((id) => isUuid(id));
  const rows = valid.length
    ? await db
        .select()
        .from(licences)
        .where(anyOf(licences.id, valid, 'uuid'))
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

const selectByUscc = reusable((db: ApprovalDb) =>
  db
    .select()
    .from(licences)
    .where(anyOf(licences.uscc, sql.placeholder('codes'), 'text'))
    .orderBy(desc(licences.grantedOn), desc(licences.licenceNumber)),
);

/** Each business's licences, newest first: the loader's batch. */
export async function licencesByUscc(db: ApprovalDb, codes: readonly string[]): Promise<LicenceRow[][]> {
  const rows = await selectByUscc(db).execute({ codes: arrayLiteral(codes) });
  return codes.map((c) => rows.filter((r) => r.uscc === c));
}

export interface LicenceFilter {
  uscc?: string | null;
  supervisingDepartment?: string | null;
  status?: LicenceRow['status'] | null;
}

export async function listLicences(db: ApprovalDb, raw: LicenceFilter, args: ConnectionArgs) {
  const filter = checkListFilter(raw);
  const paging = pageArgs(args, 'licences');
  const { limit, after } = paging;
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
  return toConnection(rows, paging, (r) => r.licenceNumber, total?.n ?? 0);
}

const amendInput = z
  .object({
    scope: textField(2000).optional(),
    validUntil: dateField.optional(),
  })
  .refine((i) => Object.keys(i).length > 0, { message: 'input.nothingToChange', path: ['scope'] });

async function lockLicence(tx: Tx<typeof schema>, id: string) {
  if (!isUuid(id)) throw notFound('licence', id, 'id');
  const [row] = await tx.select().from(licences).where(eq(licences.id, id)).for('update');
  if (!row) throw notFound('licence', id, 'id');
  return row;
}

/**
 * The bureau's own acts on a licence: 撤回, 撤销, 注销. 吊销 and 责令停产停业, and lifting the
 * latter, are the supervising department's decisions (行政处罚法 §9, §63) and reach the licence
 * only through its push (applyLicenceStatus from licence-acts.ts).
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
  const owner = ownerOf(input.status);
  if (owner === 'SYSTEM') throw badInput('status', 'licence.endsByItself', { status: input.status });
  const decidedOn = input.decidedOn ?? today;
  requireNotAfterToday('decidedOn', decidedOn, today);
  const kind = actFor(input.status);
  const act = kind
    ? { kind, decidedBy: 'APPROVAL', documentNumber: input.documentNumber!, legalBasis: input.legalBasis!, decidedOn }
    : null;
  return db.transaction(async (tx) => {
    const current = await lockLicence(tx, id);
    // A department's act (or the lift of its suspension) is refused as such only where it could
    // happen at all: VALID on a cancelled licence is no transition, whoever asks.
    if (owner !== 'BUREAU') {
      requireTransition(current.status, input.status);
      throw badInput('status', input.status === 'VALID' ? 'licence.departmentLifts' : 'licence.departmentDecides', {
        status: input.status,
      });
    }
    // An act on a licence is dated on or after its grant (issue 9 item 1: not before the act it depends on).
    requireNotBefore('decidedOn', decidedOn, current.grantedOn, 'grant');
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
  requireTransition(current.status, status);
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
  // A 告知承诺 still waiting on this licence has nothing left to check.
  if (!inForce(status)) await closePromiseOfLicence(tx, row!, status, clock, actor, action);
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
const inForce = (status: LicenceRow['status']): status is 'VALID' | 'SUSPENDED' =>
  status === 'VALID' || status === 'SUSPENDED';
const licenceEntity = (row: LicenceRow) => ({ kind: 'licence' as const, id: row.id });

/** Arms (or moves, on a new validUntil) the licence's expiry timer: due when its validity ends. */
async function scheduleExpiry(tx: Tx<typeof schema>, row: LicenceRow) {
  await scheduleTimer(tx, expiryJob(row));
}

/** The timer that expires a licence when its validity ends. */
const expiryJob = (row: LicenceRow) => ({
  id: expiryTimerId(row.id),
  kind: EXPIRY_TIMER,
  dueAt: expiresAt(row.validUntil),
  payload: { licenceId: row.id },
});

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
