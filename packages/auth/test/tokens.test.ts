/**
 * Token checks take the time from the injected clock (jose's currentDate): a pinned clock pins
 * them, and moving it past a token's expiry refuses the token. Identity claims come out parsed.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { testClock, type Clock } from '@onecheck/clock';
import {
  issueDemoToken,
  loadSecret,
  MAX_TOKEN_LIFETIME_SECONDS,
  TokenRefused,
  signGatewayCredential,
  userTokenVerifier,
  verifyGatewayCredential,
  type Identity,
} from '../src/index';

const secret = new TextEncoder().encode('a test secret of enough length, 32+ bytes');
const otherSecret = new TextEncoder().encode('another secret, also of enough length!!');
const inspector: Identity = { sub: 'u-42', role: 'inspector', department: 'HEALTH', name: '李明' };
const HOUR = 3_600_000;

/** A token signed with `secret` carrying exactly these claims, for the checks' edge cases. */
function handMade(claims: Record<string, unknown>, clock: Clock, opts: { iss: string; aud: string; exp?: boolean }) {
  const now = Math.floor(clock.millis() / 1000);
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(opts.iss)
    .setAudience(opts.aud)
    .setIssuedAt(now);
  return (opts.exp === false ? jwt : jwt.setExpirationTime(now + 600)).sign(secret);
}

describe('demo user tokens', () => {
  it('verify at the pinned time and carry the identity', async () => {
    const clock = testClock('2026-02-10');
    const token = await issueDemoToken(secret, inspector, clock);
    await expect(userTokenVerifier({ demoSecret: secret, clock })(token)).resolves.toEqual(inspector);
  });

  it('are refused once the clock passes their expiry, and only then', async () => {
    const clock = testClock('2026-02-10');
    const verify = userTokenVerifier({ demoSecret: secret, clock });
    const token = await issueDemoToken(secret, inspector, clock, 3600);
    clock.advance(HOUR - 1000);
    await expect(verify(token)).resolves.toMatchObject({ sub: 'u-42' });
    clock.advance(1000);
    await expect(verify(token)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
  });

  it('last twelve hours by default', async () => {
    const clock = testClock('2026-02-10');
    const verify = userTokenVerifier({ demoSecret: secret, clock });
    const token = await issueDemoToken(secret, inspector, clock);
    clock.advance(12 * HOUR - 1000);
    await expect(verify(token)).resolves.toMatchObject({ sub: 'u-42' });
    clock.advance(1000);
    await expect(verify(token)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
  });

  it('follow the clock, not the machine: a token from 2030 verifies on a clock set to 2030', async () => {
    const clock = testClock('2030-01-01');
    const token = await issueDemoToken(secret, inspector, clock);
    await expect(userTokenVerifier({ demoSecret: secret, clock })(token)).resolves.toEqual(inspector);
    clock.set('2030-01-02');
    await expect(userTokenVerifier({ demoSecret: secret, clock })(token)).rejects.toMatchObject({
      code: 'ERR_JWT_EXPIRED',
    });
  });

  it('are refused with another secret', async () => {
    const clock = testClock('2026-02-10');
    const token = await issueDemoToken(otherSecret, inspector, clock);
    await expect(userTokenVerifier({ demoSecret: secret, clock })(token)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('are refused for another audience or issuer', async () => {
    const clock = testClock('2026-02-10');
    const verify = userTokenVerifier({ demoSecret: secret, clock });
    const claims = { sub: 'u-1', role: 'office' };
    const wrongAudience = await handMade(claims, clock, { iss: 'onecheck-demo-issuer', aud: 'someone-else' });
    const wrongIssuer = await handMade(claims, clock, { iss: 'someone-else', aud: 'onecheck' });
    await expect(verify(wrongAudience)).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'aud',
    });
    await expect(verify(wrongIssuer)).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'iss' });
    // The same hand-made token with the right issuer and audience passes: the refusals above are about them.
    const right = await handMade({ ...claims }, clock, { iss: 'onecheck-demo-issuer', aud: 'onecheck' });
    await expect(verify(right)).resolves.toEqual({ sub: 'u-1', role: 'office' });
  });

  it('refuse claims that are not an identity', async () => {
    const clock = testClock('2026-02-10');
    const verify = userTokenVerifier({ demoSecret: secret, clock });
    const opts = { iss: 'onecheck-demo-issuer', aud: 'onecheck' };
    const staffOfNoDepartment = await handMade({ sub: 's', role: 'staff' }, clock, opts);
    const unknownRole = await handMade({ sub: 's', role: 'mayor' }, clock, opts);
    const badDepartment = await handMade({ sub: 's', role: 'staff', department: 'health' }, clock, opts);
    await expect(verify(staffOfNoDepartment)).rejects.toThrow(/not an identity/);
    await expect(verify(unknownRole)).rejects.toThrow(/not an identity/);
    await expect(verify(badDepartment)).rejects.toThrow(/not an identity/);
    // Who a token names goes into audit entries: control and format characters are refused there.
    for (const sub of ['x\u0000', 'x\u202e', 'a\u200bb', 'a\u2028b', 'x'.repeat(201)]) {
      const odd = await handMade({ sub, role: 'office' }, clock, opts);
      await expect(verify(odd)).rejects.toThrow(/not an identity/);
    }
    const oddName = await handMade({ sub: 's', role: 'office', name: '张\u0007三' }, clock, opts);
    await expect(verify(oddName)).rejects.toThrow(/not an identity/);
    await expect(verify(await handMade({ sub: 'u-7', role: 'office', name: '张三' }, clock, opts))).resolves.toEqual({
      sub: 'u-7',
      role: 'office',
      name: '张三',
    });
  });

  it('are not issued for an identity that is not one', async () => {
    const clock = testClock('2026-02-10');
    await expect(issueDemoToken(secret, { sub: 's', role: 'staff' }, clock)).rejects.toThrow();
  });
});

describe('gateway credentials', () => {
  it('verify at the pinned time and carry the identity', async () => {
    const clock = testClock('2026-02-10');
    const token = await signGatewayCredential(secret, inspector, clock);
    await expect(verifyGatewayCredential(secret, token, clock)).resolves.toEqual(inspector);
  });

  it('carry the public identity too (no token at the gateway)', async () => {
    const clock = testClock('2026-02-10');
    const token = await signGatewayCredential(secret, { sub: 'anonymous', role: 'public' }, clock);
    await expect(verifyGatewayCredential(secret, token, clock)).resolves.toEqual({ sub: 'anonymous', role: 'public' });
  });

  it('live two minutes by the clock', async () => {
    const clock = testClock('2026-02-10');
    const token = await signGatewayCredential(secret, inspector, clock);
    clock.advance(119_000);
    await expect(verifyGatewayCredential(secret, token, clock)).resolves.toMatchObject({ sub: 'u-42' });
    clock.advance(1000);
    await expect(verifyGatewayCredential(secret, token, clock)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
  });

  it('are refused with another secret', async () => {
    const clock = testClock('2026-02-10');
    const token = await signGatewayCredential(otherSecret, inspector, clock);
    await expect(verifyGatewayCredential(secret, token, clock)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('and user tokens are not interchangeable, even under one secret', async () => {
    const clock = testClock('2026-02-10');
    const userToken = await issueDemoToken(secret, inspector, clock);
    const credential = await signGatewayCredential(secret, inspector, clock);
    await expect(verifyGatewayCredential(secret, userToken, clock)).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
    });
    await expect(userTokenVerifier({ demoSecret: secret, clock })(credential)).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
    });
  });
});

describe('tokens without exp (DESIGN.md §5: exp required)', () => {
  const missingExp = { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'exp', reason: 'missing' };

  it('are refused by the user token check', async () => {
    const clock = testClock('2026-02-10');
    const token = await handMade({ sub: 'u-1', role: 'office' }, clock, {
      iss: 'onecheck-demo-issuer',
      aud: 'onecheck',
      exp: false,
    });
    await expect(userTokenVerifier({ demoSecret: secret, clock })(token)).rejects.toMatchObject(missingExp);
  });

  it('are refused by the gateway credential check', async () => {
    const clock = testClock('2026-02-10');
    const token = await handMade({ sub: 'u-1', role: 'office' }, clock, {
      iss: 'onecheck-gateway',
      aud: 'onecheck-subgraph',
      exp: false,
    });
    await expect(verifyGatewayCredential(secret, token, clock)).rejects.toMatchObject(missingExp);
  });
});

describe('loadSecret', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'onecheck-auth-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('takes the setting when there is one', () => {
    expect(new TextDecoder().decode(loadSecret('issuer', { env: 'from-env', dataDir }))).toBe('from-env');
  });

  it('otherwise keeps one per name in the data folder, private, the same on every load', () => {
    const first = loadSecret('gateway', { dataDir });
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadSecret('gateway', { dataDir })).toEqual(first);
    expect(loadSecret('issuer', { dataDir })).not.toEqual(first);
    expect(statSync(join(dataDir, 'keys', 'gateway.key')).mode & 0o777).toBe(0o600);
  });
});

describe('token lifetime (issue 8: exp at most 12 h away)', () => {
  const opts = { iss: 'onecheck-demo-issuer', aud: 'onecheck' };
  /** A demo-issuer token with these iat/exp offsets in seconds from now (iat omitted when null). */
  async function lasting(clock: Clock, iat: number | null, exp: number) {
    const now = Math.floor(clock.millis() / 1000);
    const jwt = new SignJWT({ sub: 'u-1', role: 'office' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(opts.iss)
      .setAudience(opts.aud)
      .setExpirationTime(now + exp);
    return (iat === null ? jwt : jwt.setIssuedAt(now + iat)).sign(secret);
  }

  it('accepts exactly 12 h after iat, and refuses a second more', async () => {
    const clock = testClock('2026-02-10');
    const verify = userTokenVerifier({ demoSecret: secret, clock });
    await expect(verify(await lasting(clock, 0, 12 * 3600))).resolves.toMatchObject({ sub: 'u-1' });
    await expect(verify(await lasting(clock, 0, 12 * 3600 + 1))).rejects.toMatchObject({
      messageKey: 'auth.tokenLifetime',
    });
    await expect(verify(await lasting(clock, 0, 12 * 3600 + 1))).rejects.toBeInstanceOf(TokenRefused);
  });

  it('measures from now when iat is missing or in the future', async () => {
    const clock = testClock('2026-02-10');
    const verify = userTokenVerifier({ demoSecret: secret, clock });
    await expect(verify(await lasting(clock, null, 12 * 3600))).resolves.toMatchObject({ sub: 'u-1' });
    await expect(verify(await lasting(clock, null, 30 * 86400))).rejects.toBeInstanceOf(TokenRefused);
    // An iat set a day ahead cannot stretch the lifetime past 12 h from now.
    await expect(verify(await lasting(clock, 86400, 86400 + 6 * 3600))).rejects.toBeInstanceOf(TokenRefused);
  });

  it('is what the demo issuer can give at most', async () => {
    const clock = testClock('2026-02-10');
    await expect(issueDemoToken(secret, inspector, clock, MAX_TOKEN_LIFETIME_SECONDS + 1)).rejects.toThrow(RangeError);
    await expect(issueDemoToken(secret, inspector, clock, MAX_TOKEN_LIFETIME_SECONDS)).resolves.toBeTruthy();
  });
});
