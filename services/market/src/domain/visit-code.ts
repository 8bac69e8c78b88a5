/**
 * 赋码检查 (seed 004 (十二): 无码不检查): the inspection code of a visit. Unguessable (60 random
 * bits from the operating system's CSPRNG), readable aloud and on paper (no 0/O, 1/I), grouped in
 * fours: `JC2026-7KQM-X3HD-9PWA`. Anyone holding it may check it (checkInspectionCode), so it
 * must not be derivable from the business, the plan or the date.
 */
import { randomBytes } from 'node:crypto';
import type { InspectionCodeStatus, VisitStatus } from '@onecheck/contracts';

/** 32 symbols: 5 bits each, so 12 symbols carry 60 bits; no 0, 1, I or O to misread. */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const SYMBOLS = 12;

/** A fresh code for a visit whose window starts in `year`. */
export function newInspectionCode(year: string): string {
  const bytes = randomBytes(SYMBOLS);
  // Each byte's low 5 bits: 256 is a multiple of 32, so every symbol is equally likely.
  const symbols = [...bytes].map((b) => ALPHABET[b & 31]).join('');
  return `JC${year}-${symbols.slice(0, 4)}-${symbols.slice(4, 8)}-${symbols.slice(8, 12)}`;
}

/** What a person may type: lower case, spaces, a missing hyphen — read as the code it means, or null. */
export function normaliseInspectionCode(raw: string): string | null {
  const compact = raw.toUpperCase().replace(/[\s-]/g, '');
  const m = /^JC(\d{4})([2-9A-HJ-NP-Z]{12})$/.exec(compact);
  if (!m) return null;
  const s = m[2]!;
  return `JC${m[1]}-${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}

/**
 * A known code's standing on a day (China time): revoked when its visit was merged away or
 * cancelled; otherwise by the visit's window (a code expires with its window, issue 11 item 2).
 */
export function codeStatus(
  visit: { status: VisitStatus; validFrom: string; validUntil: string },
  today: string,
): InspectionCodeStatus {
  if (visit.status === 'MERGED' || visit.status === 'CANCELLED') return 'REVOKED';
  if (today < visit.validFrom) return 'NOT_YET_VALID';
  if (today > visit.validUntil) return 'EXPIRED';
  return 'VALID';
}
