/**
 * The event signature is a standard detached JWS with an unencoded payload (RFC 7515 + 7797), so
 * an outside consumer verifies it with an ordinary JOSE library (here `jose`, as docs/events.md
 * shows); the trusted keys live per deployment under data/keys and rotate without a gap.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint, FlattenedSign, flattenedVerify, importJWK, type JWK } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createEventSigner,
  createEventVerifier,
  ensureSigningKeys,
  generateSigningKey,
  jwkThumbprint,
  rotateSigningKey,
  SIGNATURE_HEADER,
  signingKeyFile,
  untrustSigningKey,
  type Jwk,
} from '../src/index';
import { MIN_BATCH } from '../src/ed25519-thread';

const TOPIC = 'onecheck.approval.licence';
const KEY = '91620422MA7XYZ0001';
const VALUE = Buffer.from(JSON.stringify({ specversion: '1.0', id: 'e1', type: 'onecheck.licence.revoked.v1' }));

const approval = generateSigningKey('approval');
const health = generateSigningKey('department-health');
const jwks = { keys: [approval.publicJwk, health.publicJwk] };
const record = (jws: string, over: Partial<{ topic: string; key: string; value: Buffer }> = {}) => ({
  topic: over.topic ?? TOPIC,
  key: Buffer.from(over.key ?? KEY),
  value: over.value ?? VALUE,
  headers: { [SIGNATURE_HEADER]: Buffer.from(jws) },
});
/** The detached compact form split into jose's flattened one, payload given back as bytes. */
const flattened = (jws: string, payload: Uint8Array) => {
  const [protectedHeader, , signature] = jws.split('.');
  return { protected: protectedHeader!, signature: signature!, payload };
};

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'onecheck-keys-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the signature is a standard JWS', () => {
  it('verifies with jose, which also hands back the topic and key it binds', async () => {
    const jws = createEventSigner(approval.privateJwk).sign(TOPIC, KEY, VALUE);
    const key = await importJWK(approval.publicJwk as JWK, 'EdDSA');
    const result = await flattenedVerify(flattened(jws, VALUE), key, {
      algorithms: ['EdDSA'],
      crit: { 'kafka-topic': true, 'kafka-key': true },
    });
    expect(result.protectedHeader).toMatchObject({
      kid: approval.kid,
      'kafka-topic': TOPIC,
      'kafka-key': KEY,
      b64: false,
    });
    expect(Buffer.from(result.payload).equals(VALUE)).toBe(true);
    // A verifier not told about the Kafka parameters refuses it (crit): nobody forgets to compare them.
    await expect(flattenedVerify(flattened(jws, VALUE), key, { algorithms: ['EdDSA'] })).rejects.toThrow(
      /kafka-topic|Extension Header Parameter/,
    );
    // And any change to the value breaks it.
    await expect(
      flattenedVerify(flattened(jws, Buffer.concat([VALUE, Buffer.from(' ')])), key, {
        algorithms: ['EdDSA'],
        crit: { 'kafka-topic': true, 'kafka-key': true },
      }),
    ).rejects.toThrow(/signature verification failed/);
  });

  it("verifies jose's own detached signatures, so the framing is the standard one", async () => {
    const key = await importJWK(approval.privateJwk as JWK, 'EdDSA');
    const jws = await new FlattenedSign(VALUE)
      .setProtectedHeader({
        alg: 'EdDSA',
        kid: approval.kid,
        b64: false,
        crit: ['b64', 'kafka-topic', 'kafka-key'],
        'kafka-topic': TOPIC,
        'kafka-key': KEY,
      })
      .sign(key, { crit: { 'kafka-topic': true, 'kafka-key': true } });
    expect(createEventVerifier(jwks).verify(record(`${jws.protected}..${jws.signature}`))).toEqual({
      kid: approval.kid,
      principal: 'approval',
    });
  });

  it('the key id is <principal>:<RFC 7638 thumbprint prefix>', async () => {
    const thumbprint = await calculateJwkThumbprint(health.publicJwk as JWK);
    expect(jwkThumbprint(health.publicJwk)).toBe(thumbprint);
    expect(health.kid).toBe(`department-health:${thumbprint.slice(0, 16)}`);
    expect(health.publicJwk.d).toBeUndefined();
  });
});

describe('the verifier refuses', () => {
  const verifier = createEventVerifier(jwks);
  const signed = createEventSigner(approval.privateJwk).sign(TOPIC, KEY, VALUE);
  const header = (jws: string) =>
    JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;
  const withHeader = (h: Record<string, unknown>) =>
    `${Buffer.from(JSON.stringify(h)).toString('base64url')}..${signed.split('.')[2]}`;

  const refusals: [string, Parameters<typeof verifier.verify>[0], RegExp][] = [
    ['no signature', { ...record(signed), headers: {} }, /unsigned/],
    ['a changed value', record(signed, { value: Buffer.from(`${VALUE.toString()} `) }), /does not verify/],
    ['another topic', record(signed, { topic: 'onecheck.market.enterprise' }), /signed for topic/],
    ['another key', record(signed, { key: '91620422MA7XYZ0002' }), /signed for key/],
    ['alg none', record(withHeader({ ...header(signed), alg: 'none' })), /algorithm "none"/],
    ['an encoded payload', record(withHeader({ ...header(signed), b64: true })), /b64: false/],
    [
      'an extra crit parameter',
      record(withHeader({ ...header(signed), crit: ['b64', 'kafka-topic', 'kafka-key', 'x'] })),
      /crit/,
    ],
    [
      'a key id it does not trust',
      record(createEventSigner(generateSigningKey('approval').privateJwk).sign(TOPIC, KEY, VALUE)),
      /unknown key id/,
    ],
    [
      'a header edited after signing',
      record(withHeader({ ...header(signed), 'kafka-key': '91620422MA7XYZ0002' }), { key: '91620422MA7XYZ0002' }),
      /does not verify/,
    ],
  ];
  it.each(refusals)('%s', (_what, m, reason) => {
    expect(() => verifier.verify(m)).toThrow(reason);
  });

  it('the same, for a whole batch at once (verifyAll, on its own thread): each record as verify sees it', async () => {
    const good = [
      record(signed),
      record(createEventSigner(health.privateJwk).sign(TOPIC, KEY, VALUE)),
      record(createEventSigner(approval.privateJwk).sign(TOPIC, '91620422MA7XYZ0003', VALUE), {
        key: '91620422MA7XYZ0003',
      }),
    ];
    // Good and refused records mixed, more than MIN_BATCH: the batch goes to the thread.
    const batch = [
      good[0]!,
      ...refusals.slice(0, 5).map((r) => r[1]),
      good[1]!,
      ...refusals.slice(5).map((r) => r[1]),
      good[2]!,
    ];
    expect(batch.length).toBeGreaterThanOrEqual(MIN_BATCH);
    const results = await verifier.verifyAll(batch);
    expect(results.map((r) => ('principal' in r ? r.principal : null))).toEqual([
      'approval',
      ...refusals.slice(0, 5).map(() => null),
      'department-health',
      ...refusals.slice(5).map(() => null),
      'approval',
    ]);
    for (const [i, m] of batch.entries()) {
      const result = results[i]!;
      if (result instanceof Error) expect(() => verifier.verify(m)).toThrow(result.message);
      else expect(verifier.verify(m)).toEqual(result);
    }
  });

  it("a trusted set where one principal's key is also labelled as another's, or a kid not its key's", () => {
    const relabelled: Jwk = { ...health.publicJwk, kid: `department-fire:${health.kid.split(':')[1]}` };
    expect(() => createEventVerifier({ keys: [health.publicJwk, relabelled] })).toThrow(
      /trusted for department-health/,
    );
    const wrongKid: Jwk = { ...health.publicJwk, kid: approval.kid };
    expect(() => createEventVerifier({ keys: [wrongKid] })).toThrow(/kid is not/);
  });
});

describe('keys under data/keys', () => {
  it('are made once per principal, private ones readable by the owner only, and jwks.json lists the public halves', () => {
    const dir = tempDir();
    const first = ensureSigningKeys(dir, ['market', 'department-health']);
    const again = ensureSigningKeys(dir, ['market', 'department-health']);
    expect(again.jwks).toEqual(first.jwks);
    expect(first.jwks.keys.map((k) => k.kid?.split(':')[0]).sort()).toEqual(['department-health', 'market']);
    expect(first.jwks.keys.every((k) => k.d === undefined)).toBe(true);
    expect(statSync(signingKeyFile(dir, 'market')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, 'jwks.json'), 'utf8'))).toEqual(first.jwks);
  });

  it('rotate: the new key signs, the old one still verifies until it is untrusted', () => {
    const dir = tempDir();
    ensureSigningKeys(dir, ['market']);
    const oldKey = JSON.parse(readFileSync(signingKeyFile(dir, 'market'), 'utf8')) as Jwk;
    const oldSignature = createEventSigner(oldKey).sign(TOPIC, KEY, VALUE);

    const rotated = rotateSigningKey(dir, 'market');
    expect(rotated.retired).toBe(oldKey.kid);
    expect(rotated.kid).not.toBe(oldKey.kid);
    const newKey = JSON.parse(readFileSync(signingKeyFile(dir, 'market'), 'utf8')) as Jwk;
    expect(newKey.kid).toBe(rotated.kid);
    const both = createEventVerifier(rotated.jwks);
    expect(both.verify(record(oldSignature)).principal).toBe('market');
    expect(both.verify(record(createEventSigner(newKey).sign(TOPIC, KEY, VALUE))).kid).toBe(rotated.kid);

    const after = untrustSigningKey(dir, oldKey.kid!);
    expect(after.jwks.keys.map((k) => k.kid)).toEqual([rotated.kid]);
    expect(() => createEventVerifier(after.jwks).verify(record(oldSignature))).toThrow(/unknown key id/);
  });
});

describe('signing a batch at once (signAll, on its own thread)', () => {
  it('gives, record by record, the signature sign gives (Ed25519 is deterministic), and each verifies', async () => {
    const signer = createEventSigner(approval.privateJwk);
    const records = Array.from({ length: MIN_BATCH * 3 }, (_, i) => ({
      topic: TOPIC,
      key: `91620422MA7XYZ${String(i).padStart(4, '0')}`,
      value: Buffer.from(`${VALUE.toString()}${' '.repeat(i)}`),
    }));
    const signatures = await signer.signAll(records);
    expect(signatures).toEqual(records.map((r) => signer.sign(r.topic, r.key, r.value)));
    const verifier = createEventVerifier(jwks);
    for (const [i, r] of records.entries())
      expect(verifier.verify(record(signatures[i]!, { key: r.key, value: r.value })).principal).toBe('approval');
  });
});
