import { SignJWT, jwtVerify, createRemoteJWKSet, type JWTPayload } from 'jose';
import type { Clock } from '@onecheck/clock';
import { identitySchema, type Identity } from './identity';

const USER_AUDIENCE = 'onecheck';
const DEMO_ISSUER = 'onecheck-demo-issuer';
const GATEWAY_AUDIENCE = 'onecheck-subgraph';
const GATEWAY_ISSUER = 'onecheck-gateway';

/** Header carrying the gateway's signed identity to subgraphs. */
export const GATEWAY_HEADER = 'x-onecheck-gateway';

/**
 * The longest a user token may live (issue 8 item 4): `exp` at most 12 h after `iat`, and at most
 * 12 h from now, so a stolen token is worth half a working day at most.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 12 * 3600;

/** Why a token was refused beyond a bad signature or expiry: the catalogue key the gateway answers with. */
export class TokenRefused extends Error {
  constructor(
    readonly messageKey: 'auth.tokenLifetime' | 'auth.unknownDepartment',
    readonly params: Record<string, string | number> = {},
  ) {
    super(messageKey);
  }
}

/** `exp` no later than MAX_TOKEN_LIFETIME_SECONDS after `iat` (when given) and after now. */
function checkLifetime(payload: JWTPayload, clock: Clock) {
  const now = Math.floor(clock.millis() / 1000);
  const exp = payload.exp!;
  const issued = typeof payload.iat === 'number' ? Math.min(payload.iat, now) : now;
  if (exp - issued > MAX_TOKEN_LIFETIME_SECONDS || exp - now > MAX_TOKEN_LIFETIME_SECONDS)
    throw new TokenRefused('auth.tokenLifetime', { hours: MAX_TOKEN_LIFETIME_SECONDS / 3600 });
}

function toIdentity(payload: JWTPayload): Identity {
  const parsed = identitySchema.safeParse({
    sub: payload.sub,
    role: payload.role,
    department: payload.department,
    name: payload.name,
  });
  if (!parsed.success) throw new Error(`token claims are not an identity: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** The demo issuer: signs user tokens with a local secret (HS256). Production uses an external IdP. */
export async function issueDemoToken(
  secret: Uint8Array,
  identity: Identity,
  clock: Clock,
  ttlSeconds = MAX_TOKEN_LIFETIME_SECONDS,
): Promise<string> {
  if (!(ttlSeconds > 0 && ttlSeconds <= MAX_TOKEN_LIFETIME_SECONDS))
    throw new RangeError(`a token lives at most ${MAX_TOKEN_LIFETIME_SECONDS / 3600} h`);
  const claims = identitySchema.parse(identity);
  const now = Math.floor(clock.millis() / 1000);
  return new SignJWT({ role: claims.role, department: claims.department, name: claims.name })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(DEMO_ISSUER)
    .setAudience(USER_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(secret);
}

export type UserTokenVerifier = (token: string) => Promise<Identity>;

/**
 * Verifies user tokens: against the demo secret, or against a JWKS (production) when a URL is
 * given. Expiry is checked against the service clock, so a pinned clock pins token checks too.
 * `exp` is required and at most MAX_TOKEN_LIFETIME_SECONDS away (TokenRefused otherwise).
 */
export function userTokenVerifier(
  opts: { clock: Clock } & ({ demoSecret: Uint8Array } | { jwksUrl: string; issuer: string; audience?: string }),
): UserTokenVerifier {
  if ('demoSecret' in opts) {
    return async (token) => {
      const { payload } = await jwtVerify(token, opts.demoSecret, {
        issuer: DEMO_ISSUER,
        audience: USER_AUDIENCE,
        algorithms: ['HS256'],
        requiredClaims: ['exp'],
        currentDate: opts.clock.now(),
      });
      checkLifetime(payload, opts.clock);
      return toIdentity(payload);
    };
  }
  const jwks = createRemoteJWKSet(new URL(opts.jwksUrl));
  return async (token) => {
    const { payload } = await jwtVerify(token, jwks, {
      issuer: opts.issuer,
      audience: opts.audience ?? USER_AUDIENCE,
      requiredClaims: ['exp'],
      currentDate: opts.clock.now(),
    });
    checkLifetime(payload, opts.clock);
    return toIdentity(payload);
  };
}

/** The gateway's credential towards subgraphs: a short-lived token carrying the verified identity. */
export async function signGatewayCredential(secret: Uint8Array, identity: Identity, clock: Clock): Promise<string> {
  const now = Math.floor(clock.millis() / 1000);
  return new SignJWT({ role: identity.role, department: identity.department, name: identity.name })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(identity.sub)
    .setIssuer(GATEWAY_ISSUER)
    .setAudience(GATEWAY_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + 120)
    .sign(secret);
}

export async function verifyGatewayCredential(secret: Uint8Array, token: string, clock: Clock): Promise<Identity> {
  const { payload } = await jwtVerify(token, secret, {
    issuer: GATEWAY_ISSUER,
    audience: GATEWAY_AUDIENCE,
    algorithms: ['HS256'],
    requiredClaims: ['exp'],
    currentDate: clock.now(),
  });
  return toIdentity(payload);
}
