import { describe, expect, it } from 'vitest';
import { LICENCE_STATUSES, type LicenceStatus } from '@onecheck/contracts';
import { actFor, canBecome, isFinal, ownerOf, statusEvent, statusInput, statusOf } from '../src/domain/status';

// Every (from, to) pair of the contract's statuses: allowed ones listed, every other one refused.
const ENDED = ['REVOKED', 'WITHDRAWN', 'ANNULLED', 'CANCELLED'] as const;
const ALLOWED: [LicenceStatus, LicenceStatus][] = [
  ['VALID', 'SUSPENDED'],
  ...ENDED.map((to): [LicenceStatus, LicenceStatus] => ['VALID', to]),
  ['VALID', 'EXPIRED'],
  ['SUSPENDED', 'VALID'],
  ...ENDED.map((to): [LicenceStatus, LicenceStatus] => ['SUSPENDED', to]),
  ['SUSPENDED', 'EXPIRED'],
  // 行政许可法 §70(一): an expired licence is then cancelled (注销).
  ['EXPIRED', 'CANCELLED'],
];
const allowed = new Set(ALLOWED.map(([from, to]) => `${from}→${to}`));
const every = LICENCE_STATUSES.flatMap((from) =>
  LICENCE_STATUSES.map((to) => [from, to, allowed.has(`${from}→${to}`)] as const),
);

describe('licence transitions', () => {
  it('cover every pair of statuses', () => {
    expect(every).toHaveLength(49);
  });

  it.each(every)('%s → %s allowed: %s', (from, to, ok) => {
    expect(canBecome(from, to)).toBe(ok);
  });

  it.each([
    ['VALID', false],
    ['SUSPENDED', false],
    ['REVOKED', true],
    ['WITHDRAWN', true],
    ['ANNULLED', true],
    ['CANCELLED', true],
    ['EXPIRED', false],
  ] as const)('%s is final: %s', (status, final) => {
    expect(isFinal(status)).toBe(final);
  });
});

describe('who owns each act (the one the law names)', () => {
  it.each([
    ['SUSPENDED', 'DEPARTMENT', 'SUSPEND'],
    ['REVOKED', 'DEPARTMENT', 'REVOKE'],
    ['WITHDRAWN', 'BUREAU', 'WITHDRAW'],
    ['ANNULLED', 'BUREAU', 'ANNUL'],
    ['CANCELLED', 'BUREAU', 'CANCEL'],
    ['EXPIRED', 'SYSTEM', null],
    ['VALID', 'DEPARTMENT', null],
  ] as const)('%s: %s by %s', (status, owner, act) => {
    expect(ownerOf(status)).toBe(owner);
    expect(actFor(status)).toBe(act);
    if (act) expect(statusOf(act)).toBe(status);
  });

  it('the department lifts its suspension (RESUME): VALID again, with no act on the licence', () => {
    expect(statusOf('RESUME')).toBe('VALID');
    expect(canBecome('SUSPENDED', statusOf('RESUME')!)).toBe(true);
  });

  it('a change request puts the licence in no new status', () => {
    expect(statusOf('CHANGE')).toBeNull();
  });
});

describe('the event announcing each status', () => {
  it.each([
    ['VALID', 'onecheck.licence.changed.v2'],
    ['SUSPENDED', 'onecheck.licence.suspended.v2'],
    ['REVOKED', 'onecheck.licence.revoked.v2'],
    ['WITHDRAWN', 'onecheck.licence.withdrawn.v1'],
    ['ANNULLED', 'onecheck.licence.annulled.v1'],
    ['CANCELLED', 'onecheck.licence.cancelled.v2'],
    ['EXPIRED', 'onecheck.licence.expired.v1'],
  ] as const)('%s: %s', (status, type) => {
    expect(statusEvent(status)).toBe(type);
  });
});

describe('the status input', () => {
  it('takes a status with a reason, and an act with its document number and legal basis', () => {
    expect(statusInput.safeParse({ status: 'VALID', reason: '整改完毕' }).success).toBe(true);
    expect(
      statusInput.safeParse({
        status: 'ANNULLED',
        reason: '以欺骗手段取得',
        documentNumber: '审撤〔2026〕1号',
        legalBasis: '行政许可法第六十九条',
      }).success,
    ).toBe(true);
  });

  it.each([
    [{ status: 'LOST', reason: 'x' }, 'status'],
    [{ status: 'VALID', reason: '   ' }, 'reason'],
    [{ status: 'VALID' }, 'reason'],
    [{ status: 'VALID', reason: 'x'.repeat(2001) }, 'reason'],
    [{ status: 'ANNULLED', reason: 'x', legalBasis: '第六十九条' }, 'documentNumber'],
    [{ status: 'CANCELLED', reason: 'x', documentNumber: '审注〔2026〕1号' }, 'legalBasis'],
  ])('refuses %j (field %s)', (raw, field) => {
    const result = statusInput.safeParse(raw);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });
});
