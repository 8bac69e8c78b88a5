import { describe, expect, it } from 'vitest';
import { LICENCE_STATUSES, type LicenceStatus } from '@onecheck/contracts';
import { canBecome, isFinal, statusEvent, statusInput } from '../src/domain/status';

// Every (from, to) pair of the contract's statuses: allowed ones listed, every other one refused.
const ALLOWED: [LicenceStatus, LicenceStatus][] = [
  ['VALID', 'SUSPENDED'],
  ['VALID', 'REVOKED'],
  ['VALID', 'CANCELLED'],
  ['SUSPENDED', 'VALID'],
  ['SUSPENDED', 'REVOKED'],
  ['SUSPENDED', 'CANCELLED'],
];
const allowed = new Set(ALLOWED.map(([from, to]) => `${from}→${to}`));
const every = LICENCE_STATUSES.flatMap((from) =>
  LICENCE_STATUSES.map((to) => [from, to, allowed.has(`${from}→${to}`)] as const),
);

describe('licence transitions', () => {
  it('cover every pair of statuses', () => {
    expect(every).toHaveLength(16);
  });

  it.each(every)('%s → %s allowed: %s', (from, to, ok) => {
    expect(canBecome(from, to)).toBe(ok);
  });

  it.each([
    ['VALID', false],
    ['SUSPENDED', false],
    ['REVOKED', true],
    ['CANCELLED', true],
  ] as const)('%s is final: %s', (status, final) => {
    expect(isFinal(status)).toBe(final);
  });
});

describe('the event announcing each status', () => {
  it.each([
    ['VALID', 'onecheck.licence.changed.v1'],
    ['SUSPENDED', 'onecheck.licence.suspended.v1'],
    ['REVOKED', 'onecheck.licence.revoked.v1'],
    ['CANCELLED', 'onecheck.licence.cancelled.v1'],
  ] as const)('%s: %s', (status, type) => {
    expect(statusEvent(status)).toBe(type);
  });
});

describe('the status input', () => {
  it('takes every status of the contract, with a reason', () => {
    for (const status of LICENCE_STATUSES) expect(statusInput.safeParse({ status, reason: '整改' }).success).toBe(true);
  });

  it.each([
    [{ status: 'EXPIRED', reason: 'x' }, 'status'],
    [{ status: 'REVOKED', reason: '   ' }, 'reason'],
    [{ status: 'REVOKED' }, 'reason'],
    [{ status: 'REVOKED', reason: 'x'.repeat(2001) }, 'reason'],
  ])('refuses %j (field %s)', (raw, field) => {
    const result = statusInput.safeParse(raw);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });
});
