/**
 * The gateway verifies a caller's token and signs its credential once a minute, not per request,
 * and a subgraph checks each credential once; expiry still holds by the verifier's clock, and
 * nothing refused is remembered.
 */
import { describe, expect, it, vi } from 'vitest';
import { testClock } from '@onecheck/clock';
import {
  credentialSigner,
  issueDemoToken,
  rememberVerifiedTokens,
  userTokenVerifier,
  verifyGatewayCredential,
  type Identity,
} from '../src/index';

const secret = new TextEncoder().encode('a-test-secret-of-enough-length');
const staff: Identity = { sub: 'u1', role: 'staff', department: 'HEALTH' };
const office: Identity = { sub: 'o1', role: 'office' };

describe('credentialSigner', () => {
  it('reuses a caller’s credential for a minute, then signs a fresh one that subgraphs accept', async () => {
    const clock = testClock('2026-11-25T09:00:00+08:00');
    const sign = credentialSigner(secret, clock);
    const first = await sign(staff);
    clock.advance(59_000);
    expect(await sign({ ...staff })).toBe(first);
    // Still valid where the subgraph checks it, on the same clock.
    await expect(verifyGatewayCredential(secret, first, clock)).resolves.toMatchObject(staff);
    clock.advance(2_000);
    const second = await sign(staff);
    expect(second).not.toBe(first);
    await expect(verifyGatewayCredential(secret, second, clock)).resolves.toMatchObject(staff);
  });

  it('signs each identity for itself', async () => {
    const sign = credentialSigner(secret, testClock('2026-11-25'));
    const [a, b] = await Promise.all([sign(staff), sign(office)]);
    expect(a).not.toBe(b);
    await expect(verifyGatewayCredential(secret, b, testClock('2026-11-25'))).resolves.toMatchObject(office);
  });

  it('signs again when the clock goes back', async () => {
    const clock = testClock('2026-11-25T09:00:00+08:00');
    const sign = credentialSigner(secret, clock);
    const first = await sign(staff);
    clock.set('2026-11-24T09:00:00+08:00');
    expect(await sign(staff)).not.toBe(first);
  });
});

describe('rememberVerifiedTokens', () => {
  it('checks a token’s signature once, and refuses it again once it has expired', async () => {
    const clock = testClock('2026-11-25T09:00:00+08:00');
    const token = await issueDemoToken(secret, staff, clock, 90);
    const verify = vi.fn(userTokenVerifier({ demoSecret: secret, clock }));
    const remembered = rememberVerifiedTokens(verify, clock);
    expect(await remembered(token)).toMatchObject(staff);
    expect(await remembered(token)).toMatchObject(staff);
    expect(verify).toHaveBeenCalledTimes(1);
    // Trusted again for at most a minute…
    clock.advance(61_000);
    expect(await remembered(token)).toMatchObject(staff);
    expect(verify).toHaveBeenCalledTimes(2);
    // …and never past the token's own expiry.
    clock.advance(30_000);
    await expect(remembered(token)).rejects.toThrow();
  });

  it('does not remember a refused token', async () => {
    const clock = testClock('2026-11-25T09:00:00+08:00');
    const forged = await issueDemoToken(new TextEncoder().encode('another-secret-of-enough-length'), staff, clock);
    const verify = vi.fn(userTokenVerifier({ demoSecret: secret, clock }));
    const remembered = rememberVerifiedTokens(verify, clock);
    await expect(remembered(forged)).rejects.toThrow();
    await expect(remembered(forged)).rejects.toThrow();
    expect(verify).toHaveBeenCalledTimes(2);
  });
});
