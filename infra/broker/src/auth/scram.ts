/**
 * SASL/SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677), server side.
 *
 * The broker stores per user only what RFC 5802 §3 lets a server keep: the salt, the
 * iteration count, StoredKey = H(HMAC(SaltedPassword, "Client Key")) and
 * ServerKey = HMAC(SaltedPassword, "Server Key"). Neither the password nor the salted
 * password can be recovered from them, yet they suffice to check a client's proof and
 * to prove the server knows the credential.
 *
 * Exchange (two SaslAuthenticate round trips):
 *   client-first  n,,n=<user>,r=<cnonce>
 *   server-first  r=<cnonce><snonce>,s=<base64 salt>,i=<iterations>
 *   client-final  c=biws,r=<cnonce><snonce>,p=<base64 proof>
 *   server-final  v=<base64 server signature>
 */
import fs from 'node:fs';
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export const SCRAM_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type ScramMechanism = (typeof SCRAM_MECHANISMS)[number];

/** Kafka refuses fewer iterations (and so do kafkajs and librdkafka). */
export const MIN_ITERATIONS = 4096;

export interface ScramCredential {
  /** base64 */
  salt: string;
  iterations: number;
  /** base64 of H(ClientKey) */
  storedKey: string;
  /** base64 of HMAC(SaltedPassword, "Server Key") */
  serverKey: string;
}

/** What the broker knows about one user: a credential per mechanism it may use. */
export type UserCredentials = Partial<Record<ScramMechanism, ScramCredential>>;

const DIGEST = { 'SCRAM-SHA-256': { hash: 'sha256', length: 32 }, 'SCRAM-SHA-512': { hash: 'sha512', length: 64 } };

const hmac = (m: ScramMechanism, key: Buffer, data: string | Buffer) =>
  createHmac(DIGEST[m].hash, key).update(data).digest();
const h = (m: ScramMechanism, data: Buffer) => createHash(DIGEST[m].hash).update(data).digest();

export function isScramMechanism(name: string): name is ScramMechanism {
  return (SCRAM_MECHANISMS as readonly string[]).includes(name);
}

/** Derives the stored credential from a password (done once, when users are provisioned). */
export function scramCredential(
  password: string,
  mechanism: ScramMechanism,
  opts: { iterations?: number; salt?: Buffer } = {},
): ScramCredential {
  const iterations = opts.iterations ?? MIN_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < MIN_ITERATIONS) {
    throw new RangeError(`SCRAM iterations must be an integer >= ${MIN_ITERATIONS}`);
  }
  const salt = opts.salt ?? randomBytes(32);
  const salted = pbkdf2Sync(
    password.normalize('NFKC'),
    salt,
    iterations,
    DIGEST[mechanism].length,
    DIGEST[mechanism].hash,
  );
  return {
    salt: salt.toString('base64'),
    iterations,
    storedKey: h(mechanism, hmac(mechanism, salted, 'Client Key')).toString('base64'),
    serverKey: hmac(mechanism, salted, 'Server Key').toString('base64'),
  };
}

/** Both mechanisms' credentials for one password: what the broker's `users` option holds per user. */
export function userCredentials(password: string, opts: { iterations?: number } = {}): UserCredentials {
  return Object.fromEntries(SCRAM_MECHANISMS.map((m) => [m, scramCredential(password, m, opts)]));
}

/** Every user's credentials from their passwords (for a users file; the passwords go to the clients). */
export function usersFromPasswords(
  passwords: Record<string, string>,
  opts: { iterations?: number } = {},
): Record<string, UserCredentials> {
  return Object.fromEntries(Object.entries(passwords).map(([user, pw]) => [user, userCredentials(pw, opts)]));
}

/** A users file: JSON `{ "<user>": { "SCRAM-SHA-256": { salt, iterations, storedKey, serverKey }, … } }`. */
export function loadUsersFile(file: string): Record<string, UserCredentials> {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file}: expected an object of user name → SCRAM credentials`);
  }
  return parsed as Record<string, UserCredentials>;
}

/** Thrown for any failed step; the message is safe to send to the client. */
export class ScramError extends Error {}

/** RFC 5802 §5.1: ',' and '=' in names travel as '=2C' and '=3D'; any other '=' is an error. */
function decodeSaslName(s: string): string {
  if (/=(?!2C|3D)/.test(s)) throw new ScramError('Invalid username encoding');
  return s.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

function attributes(msg: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of msg.split(',')) {
    const eq = part.indexOf('=');
    if (eq !== 1) throw new ScramError('Malformed SCRAM message');
    out.set(part[0]!, part.slice(2));
  }
  return out;
}

/**
 * One server-side exchange. `lookup` gives a user's credential, or undefined for an unknown
 * user: the exchange then goes on with a made-up credential and fails at the proof, so the
 * answer does not tell which user names exist.
 */
export class ScramServerExchange {
  private state: 'first' | 'final' | 'done' = 'first';
  private user = '';
  private credential: ScramCredential | undefined;
  private nonce = '';
  private gs2Header = '';
  private clientFirstBare = '';
  private serverFirst = '';

  constructor(
    readonly mechanism: ScramMechanism,
    private readonly lookup: (user: string) => ScramCredential | undefined,
  ) {}

  /** client-first → server-first */
  first(message: string): string {
    if (this.state !== 'first') throw new ScramError('Unexpected SCRAM message');
    // gs2-header: channel binding flag, optional authzid, then the bare message.
    const m = /^([ny]|p=[^,]*),(a=[^,]*)?,(.*)$/s.exec(message);
    if (!m) throw new ScramError('Malformed SCRAM client-first message');
    if (m[1]!.startsWith('p=')) throw new ScramError('Channel binding is not supported');
    this.gs2Header = `${m[1]},${m[2] ?? ''},`;
    this.clientFirstBare = m[3]!;
    if (this.clientFirstBare.startsWith('m=')) throw new ScramError('Mandatory SCRAM extensions are not supported');
    const attrs = attributes(this.clientFirstBare);
    const user = attrs.get('n');
    const clientNonce = attrs.get('r');
    if (!user || !clientNonce) throw new ScramError('Malformed SCRAM client-first message');
    this.user = decodeSaslName(user);
    // An authorisation id other than the user itself is refused (Kafka does the same).
    if (m[2] && decodeSaslName(m[2].slice(2)) !== this.user) {
      throw new ScramError('Authorization id does not match the user name');
    }
    this.credential = this.lookup(this.user);
    const cred = this.credential ?? decoyCredential(this.mechanism, this.user);
    this.nonce = clientNonce + randomBytes(24).toString('base64url');
    this.serverFirst = `r=${this.nonce},s=${cred.salt},i=${cred.iterations}`;
    this.state = 'final';
    return this.serverFirst;
  }

  /** client-final → server-final; returns the authenticated user name. */
  final(message: string): { reply: string; user: string } {
    if (this.state !== 'final') throw new ScramError('Unexpected SCRAM message');
    this.state = 'done';
    const proofAt = message.lastIndexOf(',p=');
    if (proofAt < 0) throw new ScramError('Malformed SCRAM client-final message');
    const withoutProof = message.slice(0, proofAt);
    const attrs = attributes(withoutProof);
    if (attrs.get('c') !== Buffer.from(this.gs2Header).toString('base64')) {
      throw new ScramError('Invalid channel binding');
    }
    // Kafka checks endsWith, not equality: librdkafka sends its client nonce again in front of
    // the combined one. The server's fresh part is at the end either way.
    if (!attrs.get('r')?.endsWith(this.nonce)) throw new ScramError('Invalid nonce');
    const proof = Buffer.from(message.slice(proofAt + 3), 'base64');
    const cred = this.credential;
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    if (!cred || proof.length !== DIGEST[this.mechanism].length) throw new ScramError('Invalid credentials');
    const storedKey = Buffer.from(cred.storedKey, 'base64');
    const signature = hmac(this.mechanism, storedKey, authMessage);
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ signature[i]!;
    if (!timingSafeEqual(h(this.mechanism, clientKey), storedKey)) throw new ScramError('Invalid credentials');
    const serverSignature = hmac(this.mechanism, Buffer.from(cred.serverKey, 'base64'), authMessage);
    return { reply: `v=${serverSignature.toString('base64')}`, user: this.user };
  }
}

// A per-process secret makes the decoy salt stable for a name (a probe sees the same salt
// twice, as for a real user) without being derivable from the name alone.
const decoySecret = randomBytes(32);
function decoyCredential(mechanism: ScramMechanism, user: string): ScramCredential {
  return {
    salt: hmac(mechanism, decoySecret, user).subarray(0, 32).toString('base64'),
    iterations: MIN_ITERATIONS,
    storedKey: '',
    serverKey: '',
  };
}
