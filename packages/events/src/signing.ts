/**
 * Signed events (DESIGN.md §5 "The bus is not trusted by default"; issue 8 item 2): anyone who
 * can write to a topic — a stolen Kafka credential, a misconfigured ACL, a broker of one's own —
 * must still not be able to make a service act on an event its owner did not produce.
 *
 * Every record the relay publishes carries, in the header `onecheck-signature`, a detached JWS
 * (RFC 7515, compact serialisation with the payload left out) with the unencoded payload option
 * (RFC 7797, `b64: false`): the payload is the exact bytes of the record value, as they travel.
 * Its protected header:
 *
 *   { "alg": "EdDSA", "kid": "approval:3q2-7wXk1bQy0cZr", "b64": false,
 *     "crit": ["b64", "kafka-topic", "kafka-key"],
 *     "kafka-topic": "onecheck.approval.licence", "kafka-key": "91620422MA…" }
 *
 * so a signature moved onto another topic or another key no longer verifies. `crit` lists the two
 * Kafka parameters: a JOSE library that is not told about them refuses the signature, so an
 * outside consumer cannot forget to compare them (docs/events.md shows the check with `jose`).
 *
 * Keys: one Ed25519 pair per producing principal (the Kafka principal names of
 * infra/kafka/access.json: market, approval, credit, department-<code>), per deployment, under
 * `<DATA_DIR>/keys/signing/` (never committed). The key id is `<principal>:<thumbprint prefix>`
 * (RFC 7638), so the trusted set (a JWKS) can hold several keys of one principal during a rotation
 * and the signer's principal is read from the key it was verified with.
 *
 * Signing and verifying use node:crypto's Ed25519 directly (about half the CPU of a WebCrypto
 * round trip); a batch's (the relay's, a consumer's) goes to a thread of its own (ed25519-thread.ts),
 * so the event loop goes on with other batches' database work meanwhile. The
 * framing is the standard one: test/signing.test.ts verifies our signatures with `jose` and
 * `jose`'s with ours.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { EVENT_TYPES, KEYS_TOPIC, TOPIC_PRODUCERS, type EventType } from './catalogue';
import { signAll, verifyAll } from './ed25519-thread';
import type { Bus, IncomingMessage } from './kafka';

/** The record header carrying the detached JWS. */
export const SIGNATURE_HEADER = 'onecheck-signature';
/** EdDSA over Ed25519 (RFC 8037). */
export const SIGNING_ALG = 'EdDSA';
/** The protected-header parameters binding a signature to its record's topic and key. */
export const TOPIC_PARAM = 'kafka-topic';
export const KEY_PARAM = 'kafka-key';
const CRIT = ['b64', TOPIC_PARAM, KEY_PARAM];
/** Characters of the base64url JWK thumbprint kept in the key id: 96 bits tell keys apart. */
const KID_THUMBPRINT_CHARS = 16;

/** A JSON Web Key as we write and read it (OKP / Ed25519; `d` only in a private key). */
export interface Jwk {
  kty: string;
  crv?: string;
  x?: string;
  d?: string;
  kid?: string;
  alg?: string;
  use?: string;
  [param: string]: unknown;
}
export interface Jwks {
  keys: Jwk[];
}

export interface SigningKey {
  /** `<principal>:<thumbprint prefix>` */
  kid: string;
  privateJwk: Jwk;
  publicJwk: Jwk;
}

/** Why an event was refused; the consumer dead-letters it with this message. */
export class EventVerificationError extends Error {}

const b64url = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64url');

/** RFC 7638 thumbprint of an Ed25519 public key (required members, lexicographic order). */
export function jwkThumbprint(jwk: Jwk): string {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string')
    throw new Error('only Ed25519 (OKP) keys are used to sign events');
  return b64url(
    createHash('sha256')
      .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x }))
      .digest(),
  );
}

/** The principal a key id names: `department-health:AbC…` → `department-health`. */
export const principalOfKid = (kid: string) => kid.slice(0, kid.lastIndexOf(':'));

const kidFor = (principal: string, jwk: Jwk) => `${principal}:${jwkThumbprint(jwk).slice(0, KID_THUMBPRINT_CHARS)}`;

/** A new Ed25519 key pair for one principal. */
export function generateSigningKey(principal: string): SigningKey {
  if (!/^[a-z][a-z0-9_-]*$/.test(principal)) throw new Error(`invalid principal name ${JSON.stringify(principal)}`);
  const { privateKey } = generateKeyPairSync('ed25519');
  const raw = privateKey.export({ format: 'jwk' }) as Jwk;
  const kid = kidFor(principal, raw);
  const publicJwk: Jwk = { kty: 'OKP', crv: 'Ed25519', x: raw.x, kid, alg: SIGNING_ALG, use: 'sig' };
  return { kid, privateJwk: { ...publicJwk, d: raw.d }, publicJwk };
}

/** The public half of a private JWK. */
export function publicJwkOf(privateJwk: Jwk): Jwk {
  const { d: _d, ...pub } = privateJwk;
  return pub;
}

/** A record as it is signed: its topic, key and value bytes. */
export interface SignedRecord {
  topic: string;
  key: string | Buffer | null;
  value: string | Buffer;
}

/** Signs records for one principal: `sign()` returns the header value for the record. */
export interface EventSigner {
  readonly kid: string;
  readonly principal: string;
  sign(topic: string, key: string | Buffer | null, value: string | Buffer): string;
  /** sign for many records, in order; a batch's Ed25519 work on a thread of its own (ed25519-thread.ts). */
  signAll(records: readonly SignedRecord[]): Promise<string[]>;
}

const keyText = (key: string | Buffer | null) =>
  key === null ? null : Buffer.isBuffer(key) ? key.toString('utf8') : key;

export function createEventSigner(privateJwk: Jwk): EventSigner {
  const kid = privateJwk.kid;
  if (typeof kid !== 'string' || !kid.includes(':')) throw new Error('signing key has no `<principal>:…` kid');
  if (kidFor(principalOfKid(kid), privateJwk) !== kid)
    throw new Error(`signing key ${kid}: kid does not match the key`);
  const key = createPrivateKey({ key: privateJwk as never, format: 'jwk' });
  /** The protected header and the signing input of a record. */
  const input = ({ topic, key: recordKey, value }: SignedRecord) => {
    const header = {
      alg: SIGNING_ALG,
      kid,
      b64: false,
      crit: CRIT,
      [TOPIC_PARAM]: topic,
      [KEY_PARAM]: keyText(recordKey),
    };
    const protectedHeader = b64url(JSON.stringify(header));
    // RFC 7797 §3: the signing input is ASCII(BASE64URL(header)) || '.' || the payload bytes.
    return { protectedHeader, data: Buffer.concat([Buffer.from(`${protectedHeader}.`), Buffer.from(value)]) };
  };
  const jws = (protectedHeader: string, signature: Buffer) => `${protectedHeader}..${b64url(signature)}`;
  return {
    kid,
    principal: principalOfKid(kid),
    sign(topic, recordKey, value) {
      const { protectedHeader, data } = input({ topic, key: recordKey, value });
      return jws(protectedHeader, sign(null, data, key));
    },
    async signAll(records) {
      const inputs = records.map(input);
      const signatures = await signAll(
        key,
        inputs.map((i) => i.data),
      );
      return inputs.map((i, n) => jws(i.protectedHeader, signatures[n]!));
    },
  };
}

/** What a verified record tells: who signed it, with which key. */
export interface VerifiedSignature {
  kid: string;
  principal: string;
}

export interface EventVerifier {
  /** The key ids trusted. */
  readonly kids: readonly string[];
  /** Checks the record's signature over its value, topic and key; throws EventVerificationError. */
  verify(m: VerifiableRecord): VerifiedSignature;
  /**
   * verify for many records, in order: each its signer or the EventVerificationError verify would
   * have thrown. A batch's Ed25519 work runs on a thread of its own (ed25519-thread.ts).
   */
  verifyAll(ms: readonly VerifiableRecord[]): Promise<(VerifiedSignature | EventVerificationError)[]>;
}

type VerifiableRecord = Pick<IncomingMessage, 'topic' | 'key' | 'value' | 'headers'>;

/**
 * Verifies records against a trusted set of public keys (several per principal during a rotation).
 * The set is the trust anchor (whoever writes it decides who signs); still, a key whose kid does
 * not end in its own thumbprint, or one key under two principals, is refused when it is loaded:
 * the kid names the signer, so one service's key must not also pass as another's.
 */
export function createEventVerifier(jwks: Jwks): EventVerifier {
  const trusted = new Map<string, { key: KeyObject; principal: string }>();
  const owners = new Map<string, string>();
  for (const jwk of jwks.keys ?? []) {
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    if (typeof jwk.kid !== 'string' || kidFor(principalOfKid(jwk.kid), jwk) !== jwk.kid)
      throw new Error(`trusted key ${JSON.stringify(jwk.kid)}: kid is not <principal>:<its thumbprint>`);
    const thumbprint = jwkThumbprint(jwk);
    const owner = owners.get(thumbprint);
    if (owner !== undefined && owner !== principalOfKid(jwk.kid))
      throw new Error(`trusted key ${jwk.kid}: the same key is trusted for ${owner}`);
    owners.set(thumbprint, principalOfKid(jwk.kid));
    trusted.set(jwk.kid, {
      key: createPublicKey({ key: publicJwkOf(jwk) as never, format: 'jwk' }),
      principal: principalOfKid(jwk.kid),
    });
  }
  const refuse = (reason: string): never => {
    throw new EventVerificationError(`signature: ${reason}`);
  };
  /** Everything but the Ed25519 check: the signing input, the key and what to compare after it. */
  const prepare = (m: VerifiableRecord) => {
    const jws = m.headers[SIGNATURE_HEADER]?.toString('latin1');
    if (!jws) return refuse(`unsigned (no ${SIGNATURE_HEADER} header)`);
    const parts = jws.split('.');
    if (parts.length !== 3 || parts[1] !== '') return refuse('not a detached compact JWS');
    const [protectedHeader, , signature] = parts as [string, string, string];
    let header: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(protectedHeader, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return refuse('protected header is not JSON');
    }
    if (typeof header !== 'object' || header === null) return refuse('protected header is not an object');
    if (header.alg !== SIGNING_ALG) return refuse(`algorithm ${JSON.stringify(header.alg)} is not ${SIGNING_ALG}`);
    if (header.b64 !== false) return refuse('payload must be unencoded (b64: false)');
    const crit = header.crit;
    if (!Array.isArray(crit) || crit.length !== CRIT.length || !CRIT.every((c) => crit.includes(c)))
      return refuse(`crit must be exactly ${JSON.stringify(CRIT)}`);
    const kid = header.kid;
    const key = typeof kid === 'string' ? trusted.get(kid) : undefined;
    if (!key) return refuse(`unknown key id ${JSON.stringify(kid)}`);
    return {
      data: Buffer.concat([Buffer.from(`${protectedHeader}.`), m.value ?? Buffer.alloc(0)]),
      key: key.key,
      signature: Buffer.from(signature, 'base64url'),
      header,
      signer: { kid: kid as string, principal: key.principal },
    };
  };
  /** After the Ed25519 check: the header's claims are the signer's, compared with where the record is. */
  const conclude = (m: VerifiableRecord, p: ReturnType<typeof prepare>, ok: boolean): VerifiedSignature => {
    if (!ok) return refuse(`does not verify with key ${p.signer.kid}`);
    if (p.header[TOPIC_PARAM] !== m.topic)
      return refuse(`signed for topic ${JSON.stringify(p.header[TOPIC_PARAM])}, found on ${m.topic}`);
    if (p.header[KEY_PARAM] !== keyText(m.key))
      return refuse(
        `signed for key ${JSON.stringify(p.header[KEY_PARAM])}, found under ${JSON.stringify(keyText(m.key))}`,
      );
    return p.signer;
  };
  const refusal = (err: unknown) => {
    if (err instanceof EventVerificationError) return err;
    throw err;
  };
  return {
    kids: [...trusted.keys()],
    verify(m) {
      const p = prepare(m);
      return conclude(m, p, verify(null, p.data, p.key, p.signature));
    },
    async verifyAll(ms) {
      const prepared = ms.map((m) => {
        try {
          return prepare(m);
        } catch (err) {
          return refusal(err);
        }
      });
      type Prepared = ReturnType<typeof prepare>;
      const checked = prepared.filter((p): p is Prepared => !(p instanceof EventVerificationError));
      const oks = await verifyAll(checked);
      const okOf = new Map(checked.map((p, i) => [p, oks[i]!]));
      return ms.map((m, i) => {
        const p = prepared[i]!;
        if (p instanceof EventVerificationError) return p;
        try {
          return conclude(m, p, okOf.get(p)!);
        } catch (err) {
          return refusal(err);
        }
      });
    },
  };
}

/** The CloudEvents `source` each principal writes: `department-health` → `onecheck/department/HEALTH`. */
export function sourceOf(principal: string): string {
  return principal.startsWith('department-')
    ? `onecheck/department/${principal.slice('department-'.length).toUpperCase()}`
    : `onecheck/${principal}`;
}

/** `department-*` matches `department-health`; the same `*` convention as access.json's groups. */
const matches = (pattern: string, principal: string) =>
  pattern.endsWith('*') ? principal.startsWith(pattern.slice(0, -1)) : principal === pattern;

/** Does `principal` publish on `topic` (TOPIC_PRODUCERS)? */
export function publishesOn(principal: string, topic: string): boolean {
  const owner = TOPIC_PRODUCERS[topic as keyof typeof TOPIC_PRODUCERS];
  const owners: readonly string[] | undefined = typeof owner === 'string' ? [owner] : owner;
  return owners?.some((o) => matches(o, principal)) ?? false;
}

/**
 * May `principal` have produced this event on this topic? Throws EventVerificationError with the
 * reason. The rules: the type travels on this topic (catalogue EVENT_TYPES); the principal owns the
 * topic (TOPIC_PRODUCERS); the envelope's `source` is the principal's own; and a department named
 * as the author in the payload is the signer's (HEALTH cannot sign a finding that claims FIRE).
 */
export function checkProducer(
  principal: string,
  topic: string,
  event: { type: string; source: string; data: Record<string, unknown> },
): void {
  const refuse = (reason: string): never => {
    throw new EventVerificationError(`producer: ${reason}`);
  };
  const typeTopic = EVENT_TYPES[event.type as EventType] as string | undefined;
  if (typeTopic !== topic) refuse(`${event.type} does not travel on ${topic}`);
  if (!publishesOn(principal, topic)) refuse(`${principal} does not publish on ${topic}`);
  if (event.source !== sourceOf(principal)) refuse(`source ${event.source} is not the signer ${principal}`);
  // Everything a department publishes names it (findings, check results, 反向推送): only it may sign it.
  const department = event.data.department;
  // (An audit anchor names its service instead, checked below.)
  const anchor = event.type.startsWith('onecheck.audit.');
  const byDepartment = !anchor && (event.type.startsWith('onecheck.finding.') || principal.startsWith('department-'));
  if (byDepartment && `department-${String(department).toLowerCase()}` !== principal)
    refuse(`an event of ${String(department)} signed by ${principal}`);
  // An audit anchor speaks for one service's chain: only that service may sign it (kit audit.ts).
  if (anchor && event.data.service !== principal)
    refuse(`an audit anchor of ${String(event.data.service)} signed by ${principal}`);
}

// ---------------------------------------------------------------------------------------------
// Keys on disk: <dir>/signing/<principal>.jwk.json (private, 0600), <dir>/signing/retired/*.jwk.json
// (public halves still trusted after a rotation), <dir>/jwks.json (every trusted public key).

const signingDir = (dir: string) => join(dir, 'signing');
const retiredDir = (dir: string) => join(signingDir(dir), 'retired');
const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;

function writePrivate(file: string, jwk: Jwk) {
  writeFileSync(file, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** The trusted set as the directory holds it: every current key's public half, then the retired ones. */
export function readTrustedKeys(dir: string): Jwks {
  const keys: Jwk[] = [];
  const list = (d: string) =>
    existsSync(d)
      ? readdirSync(d)
          .filter((f) => f.endsWith('.jwk.json'))
          .sort()
      : [];
  for (const f of list(signingDir(dir))) keys.push(publicJwkOf(readJson<Jwk>(join(signingDir(dir), f))));
  for (const f of list(retiredDir(dir))) keys.push(publicJwkOf(readJson<Jwk>(join(retiredDir(dir), f))));
  return { keys };
}

function writeJwks(dir: string): Jwks {
  const jwks = readTrustedKeys(dir);
  writeFileSync(join(dir, 'jwks.json'), `${JSON.stringify(jwks, null, 2)}\n`);
  return jwks;
}

/** The file of a principal's current private key. */
export const signingKeyFile = (dir: string, principal: string) => join(signingDir(dir), `${principal}.jwk.json`);

/**
 * Makes sure each principal has a private key under `<dir>/signing/` (made once, mode 600) and
 * (re)writes `<dir>/jwks.json` with every trusted public key. Idempotent: `npm start` calls it on
 * every start.
 */
export function ensureSigningKeys(dir: string, principals: string[]): { jwks: Jwks } {
  mkdirSync(signingDir(dir), { recursive: true, mode: 0o700 });
  for (const principal of principals) {
    const file = signingKeyFile(dir, principal);
    if (!existsSync(file)) writePrivate(file, generateSigningKey(principal).privateJwk);
  }
  return { jwks: writeJwks(dir) };
}

/**
 * Rotation, step 1: a new key for `principal`; the old key's public half stays trusted (under
 * signing/retired/) so events already on the topics still verify. Restart the principal's
 * process to sign with the new key, and every consumer to trust it (they read jwks.json at start).
 */
export function rotateSigningKey(dir: string, principal: string): { kid: string; retired?: string; jwks: Jwks } {
  const file = signingKeyFile(dir, principal);
  let retired: string | undefined;
  mkdirSync(retiredDir(dir), { recursive: true, mode: 0o700 });
  if (existsSync(file)) {
    const old = readJson<Jwk>(file);
    retired = old.kid;
    writeFileSync(
      join(retiredDir(dir), `${String(old.kid).replace(':', '.')}.jwk.json`),
      `${JSON.stringify(publicJwkOf(old), null, 2)}\n`,
    );
  }
  const next = generateSigningKey(principal);
  const tmp = `${file}.new`;
  writePrivate(tmp, next.privateJwk);
  renameSync(tmp, file);
  return { kid: next.kid, retired, jwks: writeJwks(dir) };
}

/**
 * Rotation, step 2: stop trusting a retired key (once no event signed with it is still to be read:
 * past the topics' retention, or every consumer group past it).
 */
export function untrustSigningKey(dir: string, kid: string): { jwks: Jwks } {
  const file = join(retiredDir(dir), `${kid.replace(':', '.')}.jwk.json`);
  if (!existsSync(file)) throw new Error(`${kid} is not a retired key (a current key is replaced by rotating it)`);
  unlinkSync(file);
  return { jwks: writeJwks(dir) };
}

/** Loads a private key file (EVENT_SIGNING_KEY_FILE). */
export const loadSigningKeyFile = (file: string): Jwk => readJson<Jwk>(file);
/** Loads a trusted-keys file (EVENT_JWKS_FILE). */
export const loadJwksFile = (file: string): Jwks => readJson<Jwks>(file);

/**
 * Publishes the trusted public keys on KEYS_TOPIC (key `jwks`, the JWKS document as the value),
 * so an outside consumer can take them from the bus as well as from the gateway's
 * `/.well-known/jwks.json`. Only the admin principal may write the topic (access.json).
 */
export async function publishSigningKeys(bus: Bus, jwks: Jwks): Promise<void> {
  const producer = await bus.producer();
  try {
    await producer.send([
      {
        topic: KEYS_TOPIC,
        messages: [
          {
            key: 'jwks',
            value: JSON.stringify({ keys: jwks.keys.map(publicJwkOf) }),
            headers: { 'content-type': 'application/jwk-set+json' },
          },
        ],
      },
    ]);
  } finally {
    await producer.disconnect();
  }
}
