/**
 * Checks a service's audit chain (audit.ts) against its published anchors, and names the first
 * entry that was changed or removed (`npm run verify-audit`, issue 9 item 2):
 * - an entry whose stored hash is not the hash of its content and its predecessor's: changed;
 * - an entry whose hash differs from the published one for its seq: changed, even when every
 *   later hash (and the head) was recomputed to hide it;
 * - a seq missing in the middle, or anchored entries missing at the end: removed (the first missing
 *   seq is named).
 * Entries newer than the last anchor are checked by the chain only: removing those leaves no
 * trace until the next anchor (every minute by default) would have carried them.
 */
import { asc, gt } from 'drizzle-orm';
import type { Db } from '@onecheck/db';
import { auditHash, GENESIS_HASH, type AuditRow } from './audit';
import { auditLog } from './tables';

/** One published stretch of a chain: the hashes of entries fromSeq, fromSeq + 1, … */
export interface AuditAnchor {
  fromSeq: number;
  hashes: string[];
}

export interface AuditProblem {
  seq: number;
  kind: 'changed' | 'removed';
  /** What exactly does not hold, for the operator. */
  detail: string;
  /** The row as it now reads (absent when removed). */
  row?: Pick<AuditRow, 'action' | 'entityKind' | 'entityId' | 'at'>;
}

export interface AuditVerification {
  ok: boolean;
  /** Entries read. */
  entries: number;
  /** Highest seq the anchors cover (0: none). */
  anchoredTo: number;
  problem?: AuditProblem;
}

/** The anchors as one map seq → hash; two anchors that disagree on a seq are themselves a finding. */
export function anchoredHashes(anchors: Iterable<AuditAnchor>): { hashes: Map<number, string>; conflict?: number } {
  const hashes = new Map<number, string>();
  for (const a of anchors)
    for (const [i, h] of a.hashes.entries()) {
      const seq = a.fromSeq + i;
      const known = hashes.get(seq);
      if (known !== undefined && known !== h) return { hashes, conflict: seq };
      hashes.set(seq, h);
    }
  return { hashes };
}

export async function verifyAuditLog(
  db: Pick<Db, 'select'>,
  anchors: Iterable<AuditAnchor>,
  pageSize = 1000,
): Promise<AuditVerification> {
  const { hashes: anchored, conflict } = anchoredHashes(anchors);
  const anchoredTo = Math.max(0, ...anchored.keys());
  if (conflict !== undefined)
    return {
      ok: false,
      entries: 0,
      anchoredTo,
      problem: {
        seq: conflict,
        kind: 'changed',
        detail: 'two published anchors disagree on this entry: the chain was forked',
      },
    };
  let expected = 1;
  let prev = GENESIS_HASH;
  const fail = (problem: AuditProblem): AuditVerification => ({
    ok: false,
    entries: expected - 1,
    anchoredTo,
    problem,
  });
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, expected - 1))
      .orderBy(asc(auditLog.seq))
      .limit(pageSize);
    for (const row of rows) {
      const seen = { action: row.action, entityKind: row.entityKind, entityId: row.entityId, at: row.at };
      if (row.seq !== expected)
        return fail({ seq: expected, kind: 'removed', detail: `entries ${expected}–${row.seq - 1} are missing` });
      const published = anchored.get(row.seq);
      if (published !== undefined && published !== row.hash)
        return fail({ seq: row.seq, kind: 'changed', detail: 'its hash is not the published one', row: seen });
      if (row.prevHash !== prev)
        return fail({ seq: row.seq, kind: 'changed', detail: 'it does not link to the entry before it', row: seen });
      if (auditHash(prev, row) !== row.hash)
        return fail({ seq: row.seq, kind: 'changed', detail: 'its content does not match its hash', row: seen });
      prev = row.hash;
      expected++;
    }
    if (rows.length < pageSize) break;
  }
  if (anchoredTo >= expected)
    return fail({
      seq: expected,
      kind: 'removed',
      detail: `entries ${expected}–${anchoredTo} were published but are not in the database`,
    });
  return { ok: true, entries: expected - 1, anchoredTo };
}
