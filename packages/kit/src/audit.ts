/**
 * 全程留痕, the tamper-evident trail (DESIGN.md §5; seed 003 总则 "全程留痕", 第九条 "对审批过程进行
 * 全面、系统、规范记录"): every state change of a service is appended, in the transaction that makes
 * it, to the service's own `audit_log`: who, what, on which entity, when, before and after.
 *
 * The chain: entry n's hash = sha-256(prev_hash "\n" canonical JSON of the entry), entry 1 linking
 * to GENESIS_HASH. Appends are serialised by the one-row `audit_head` (seq and hash of the last
 * entry), locked and updated in the appending transaction: two transactions can never link to the
 * same previous entry, and seq runs 1, 2, 3 … without gaps. One chain per service (not per batch):
 * a transaction holds the head from its first append to its commit, so writers of one service
 * append one after the other — the consumers already apply one batch per transaction, so a batch
 * of events costs one wait, not one per event.
 *
 * The chain alone does not stop someone with the database from rewriting a row and every later
 * hash, or deleting the newest rows. So the entries' hashes are anchored outside the database:
 * the recurring timer `audit-anchor` (anchorAudit) publishes each new stretch of (seq, hash) as a
 * signed event on `onecheck.audit.anchor` (kept for ever), and `npm run verify-audit` compares the
 * rows with them (audit-verify.ts). Rows newer than the last anchor are checked by the chain only.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, gt, lte, sql, type SQL } from 'drizzle-orm';
import type { Identity, Role } from '@onecheck/auth';
import type { Clock } from '@onecheck/clock';
import type { Db, Tx } from '@onecheck/db';
import { recordEvent, sourceOf } from '@onecheck/events';
import type { Action } from './authz';
import { canonicalJson } from './canonical';
/** What an entry is about: the catalogue's `entity.*` names (as notFound names them). */
import type { EntityKind } from './errors';
import { auditHead, auditLog } from './tables';

/** Entries per anchor event: the contract's most (AUDIT_ANCHOR_MAX_ENTRIES of @onecheck/contracts' audit.ts). */
const AUDIT_ANCHOR_MAX_ENTRIES = 500;

/**
 * Who made the change: a person, as the gateway credential says; or the service itself (its
 * Kafka principal) acting on an event or a timer, named by the event's or the timer's id.
 */
export type Actor =
  | { kind: 'user'; sub: string; role: Role; department?: string }
  | { kind: 'service'; principal: string; event?: string; timer?: string };

export const actorOf = (identity: Identity): Actor => ({
  kind: 'user',
  sub: identity.sub,
  role: identity.role,
  ...(identity.department ? { department: identity.department } : {}),
});

export const serviceActor = (principal: string, cause: { event: string } | { timer: string }): Actor => ({
  kind: 'service',
  principal,
  ...cause,
});

export interface AuditInput {
  actor: Actor;
  action: Action;
  entity: { kind: EntityKind; id: string };
  /** The entity before and after the change (null: created / deleted); rows are fine. */
  before?: unknown;
  after?: unknown;
  /** The service clock's now. */
  at: Date;
}

export const GENESIS_HASH = '0'.repeat(64);

/** An entry as stored and as hashed. */
export interface AuditRow {
  seq: number;
  at: Date;
  actor: unknown;
  action: string;
  entityKind: string;
  entityId: string;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}

/** The entry's hash: over the previous hash and every stored field but the hash itself. */
export function auditHash(prevHash: string, e: Omit<AuditRow, 'hash' | 'prevHash'>): string {
  return chainHash(prevHash, numbered(unnumberedBody(e), e.seq));
}

/**
 * The canonical JSON of an entry without its seq, as JSON carries it (a Date is its ISO string).
 * `seq` sorts after every other field, so the entry's whole canonical JSON is this with
 * `,"seq":n` before its closing brace: appendAuditMany works it out before it locks the chain's
 * head, and only numbers and hashes under the lock.
 */
function unnumberedBody(e: Omit<AuditRow, 'hash' | 'prevHash' | 'seq'>): string {
  return canonicalJson({
    at: new Date(e.at).toISOString(),
    actor: e.actor,
    action: e.action,
    entityKind: e.entityKind,
    entityId: e.entityId,
    before: e.before ?? null,
    after: e.after ?? null,
  });
}

/** The entry's whole canonical JSON: its unnumbered body with its seq. */
const numbered = (unnumbered: string, seq: number) => `${unnumbered.slice(0, -1)},"seq":${seq}}`;
const chainHash = (prevHash: string, entry: string) =>
  createHash('sha256').update(`${prevHash}\n${entry}`).digest('hex');

type Writer = Pick<Db, 'insert' | 'update' | 'select' | 'execute'>;

/**
 * Appends one entry to the service's audit log. Call it with the transaction that makes the
 * change, after the change: the entry exists exactly when the change does.
 */
export async function appendAudit(tx: Writer, input: AuditInput): Promise<{ seq: number; hash: string }> {
  return (await appendAuditMany(tx, [input]))!;
}

/** Entries per statement of appendAuditMany: its JSON stays a few megabytes at most. */
const AUDIT_INSERT_BATCH = 1_000;

/**
 * Inserts numbered entries: each row is taken from the very text its hash covers (the entry's
 * canonical JSON, which PostgreSQL parses once), so nothing is serialised twice.
 */
function insertEntries(entries: { text: string; prevHash: string; hash: string }[]): SQL {
  const rows = entries.map((e) => `{"prevHash":"${e.prevHash}","hash":"${e.hash}","entry":${e.text}}`);
  return sql`insert into ${auditLog} ("seq", "at", "actor", "action", "entity_kind", "entity_id", "before", "after", "prev_hash", "hash")
    select (x.e->'entry'->>'seq')::bigint, (x.e->'entry'->>'at')::timestamptz, x.e->'entry'->'actor',
      x.e->'entry'->>'action', x.e->'entry'->>'entityKind', x.e->'entry'->>'entityId',
      x.e->'entry'->'before', x.e->'entry'->'after', x.e->>'prevHash', x.e->>'hash'
    from jsonb_array_elements(${`[${rows.join(',')}]`}::jsonb) as x(e)`;
}

/**
 * Appends many entries in order, as that many appendAudit calls would — the same seq, links and
 * hashes — with one lock of the head and one INSERT per thousand entries: for a change made to
 * thousands of entities at once (a department's teams coding a plan's visits). The head's lock
 * serialises every appending transaction of the service until it commits, so what does not need
 * the head (each entry's JSON) is done before it is taken.
 */
export async function appendAuditMany(
  tx: Writer,
  inputs: readonly AuditInput[],
): Promise<{ seq: number; hash: string } | undefined> {
  if (inputs.length === 0) return undefined;
  const unnumbered = inputs.map((input) =>
    unnumberedBody({
      at: input.at,
      actor: input.actor,
      action: input.action,
      entityKind: input.entity.kind,
      entityId: input.entity.id,
      before: input.before,
      after: input.after,
    }),
  );
  // Creates the head on first use and locks it (ON CONFLICT DO UPDATE locks the row) in one statement.
  const [head] = await tx
    .insert(auditHead)
    .values({ id: 1, seq: 0, hash: GENESIS_HASH })
    .onConflictDoUpdate({ target: auditHead.id, set: { id: sql`${auditHead.id}` } })
    .returning({ seq: auditHead.seq, hash: auditHead.hash });
  let seq = head!.seq;
  let prevHash = head!.hash;
  const entries = unnumbered.map((body) => {
    const text = numbered(body, ++seq);
    const entry = { text, prevHash, hash: chainHash(prevHash, text) };
    prevHash = entry.hash;
    return entry;
  });
  for (let i = 0; i < entries.length; i += AUDIT_INSERT_BATCH) {
    const part = insertEntries(entries.slice(i, i + AUDIT_INSERT_BATCH));
    // The last part moves the head in the same statement: one round trip less under the lock.
    const last = i + AUDIT_INSERT_BATCH >= entries.length;
    await tx.execute(
      last
        ? sql`with appended as (${part}) update ${auditHead} set "seq" = ${seq}, "hash" = ${prevHash} where "id" = 1`
        : part,
    );
  }
  return { seq, hash: prevHash };
}

/** An entity's trail, oldest first (the trail query of the graph). */
export async function readAuditTrail(
  db: Pick<Db, 'select'>,
  entity: { kind: EntityKind; id: string },
  limit = 1000,
): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityKind, entity.kind), eq(auditLog.entityId, entity.id)))
    .orderBy(asc(auditLog.seq))
    .limit(limit);
}

/**
 * Publishes the entries not yet anchored (the recurring timer `audit-anchor`): their hashes, in
 * stretches of at most AUDIT_ANCHOR_MAX_ENTRIES, as signed events of the service (the relay signs
 * them) on onecheck.audit.anchor. Not itself an audited change: it changes no domain state, and
 * auditing it would make every anchor need another. Resolves to the number of entries anchored.
 * Call it in a transaction (the timer's).
 */
export async function anchorAudit(tx: Db | Tx<any>, principal: string, clock: Clock): Promise<number> {
  // Locked: appends wait the few statements this takes, and two anchorings never overlap.
  const [head] = await tx.select().from(auditHead).where(eq(auditHead.id, 1)).for('update');
  if (!head || head.seq <= head.anchoredSeq) return 0;
  const rows = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .where(and(gt(auditLog.seq, head.anchoredSeq), lte(auditLog.seq, head.seq)))
    .orderBy(asc(auditLog.seq));
  for (let i = 0; i < rows.length; i += AUDIT_ANCHOR_MAX_ENTRIES) {
    const stretch = rows.slice(i, i + AUDIT_ANCHOR_MAX_ENTRIES);
    await recordEvent(tx, {
      source: sourceOf(principal),
      type: 'onecheck.audit.anchored.v1',
      key: principal,
      data: { service: principal, fromSeq: stretch[0]!.seq, hashes: stretch.map((r) => r.hash) },
      clock,
    });
  }
  await tx.update(auditHead).set({ anchoredSeq: head.seq }).where(eq(auditHead.id, 1));
  return rows.length;
}
