/**
 * Signatures made and checked once per caller instead of once per request (issue 7: the CPU
 * profiles showed HMAC verify and sign, through WebCrypto jobs, at about a tenth of the gateway's
 * time each, and the credential check at a tenth of a subgraph's). The gateway signs each caller's
 * credential and checks each user token once a minute; a subgraph checks each credential once.
 */
import type { Clock } from '@onecheck/clock';
import type { Identity } from './identity';
import { signGatewayCredential, type UserTokenVerifier } from './tokens';

/** How long a credential is reused: half of the two minutes it lives (see signGatewayCredential). */
export const CREDENTIAL_REUSE_MS = 60_000;
/** How long a verified token is trusted without checking its signature again (bounded key rotation). */
export const VERIFIED_TOKEN_REUSE_MS = 60_000;
/** Distinct callers (or tokens) remembered; the oldest is forgotten first. */
const CACHE_LIMIT = 10_000;

/** The claims of a token verify() has just accepted (so it is well formed). */
function claimsOf(token: string): { exp?: unknown; nbf?: unknown } {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
}

/** A Map that forgets its oldest entry when full. */
function remember<K, V>(map: Map<K, V>, key: K, value: V) {
  if (map.size >= CACHE_LIMIT) map.delete(map.keys().next().value!);
  map.set(key, value);
}

/**
 * The gateway credential for an identity, signed once and reused for half its lifetime, so a
 * subgraph never receives one with less than a minute left.
 */
export function credentialSigner(secret: Uint8Array, clock: Clock): (identity: Identity) => Promise<string> {
  const signed = new Map<string, { at: number; token: Promise<string> }>();
  return (identity) => {
    const key = JSON.stringify([identity.sub, identity.role, identity.department, identity.name]);
    const now = clock.millis();
    const hit = signed.get(key);
    if (hit && now - hit.at < CREDENTIAL_REUSE_MS && now >= hit.at) return hit.token;
    const token = signGatewayCredential(secret, identity, clock);
    remember(signed, key, { at: now, token });
    // A failed signature is not remembered.
    token.catch(() => signed.get(key)?.token === token && signed.delete(key));
    return token;
  };
}

/**
 * A token verifier that remembers tokens it has verified (the gateway's user tokens, a subgraph's
 * gateway credentials): the same token string (signature included) is trusted again without the
 * HMAC or JWKS check for up to a minute, and never past its own `exp` by the verifier's clock. A
 * refused token is not remembered, so it is checked every time.
 */
export function rememberVerifiedTokens(verify: UserTokenVerifier, clock: Clock): UserTokenVerifier {
  const verified = new Map<string, { identity: Identity; until: number; at: number }>();
  return async (token) => {
    const now = clock.millis();
    const hit = verified.get(token);
    if (hit && now < hit.until && now >= hit.at) return hit.identity;
    if (hit) verified.delete(token);
    const identity = await verify(token);
    const { exp, nbf } = claimsOf(token);
    // verify() required exp; a token not yet valid (nbf) is left to verify() each time.
    if (typeof exp === 'number' && nbf === undefined) {
      remember(verified, token, { identity, at: now, until: Math.min(exp * 1000, now + VERIFIED_TOKEN_REUSE_MS) });
    }
    return identity;
  };
}
