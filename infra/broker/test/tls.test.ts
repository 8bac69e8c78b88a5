/**
 * TLS on the stand-in (issue 8): a local CA made under a data folder, the broker's certificate
 * signed by it, and clients that trust that CA — kafkajs over SASL_SSL, and kcat (librdkafka)
 * when installed. A client that does not trust the CA, or speaks plaintext, gets nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { ACCESS_FILE, ensureLocalCa, loadAccessFile, usersFromPasswords, type LocalCa } from '../src/index';
import { startTestBroker, tempDir, type TestBroker } from './helpers';

const kcatMissing = spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status !== 0;
const ENTERPRISE = 'onecheck.market.enterprise';
const passwords = { market: randomBytes(12).toString('hex'), approval: randomBytes(12).toString('hex') };
let dir: string;
let ca: LocalCa;
let broker: TestBroker;

const client = (ssl: ConstructorParameters<typeof Kafka>[0]['ssl'], user = 'market') =>
  new Kafka({
    clientId: 'tls-test',
    brokers: [broker.brokers],
    ssl,
    sasl: { mechanism: 'scram-sha-256', username: user, password: passwords[user as keyof typeof passwords] },
    connectionTimeout: 3000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });

beforeAll(async () => {
  dir = path.join(tempDir('broker-tls-'), 'keys', 'kafka-tls');
  ca = ensureLocalCa(dir, ['127.0.0.1', 'localhost']);
  broker = await startTestBroker({
    users: usersFromPasswords(passwords),
    access: loadAccessFile(ACCESS_FILE),
    tls: { key: ca.key, cert: ca.cert },
  });
});
afterAll(async () => {
  await broker?.stop();
});

describe('the local CA', () => {
  it('keeps its private keys to the owner and signs a certificate for the broker address', () => {
    expect(fs.statSync(path.join(dir, 'ca.key')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(ca.keyFile).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const cert = new X509Certificate(ca.cert);
    expect(cert.verify(new X509Certificate(ca.ca).publicKey)).toBe(true);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.ca).toBe(false);
    expect(new X509Certificate(ca.ca).ca).toBe(true);
  });

  it('is made once: a second start reuses the CA and the certificate', () => {
    const again = ensureLocalCa(dir, ['127.0.0.1', 'localhost']);
    expect(again.ca).toBe(ca.ca);
    expect(again.cert).toBe(ca.cert);
    // A new name re-issues the broker's certificate under the same CA.
    const wider = ensureLocalCa(dir, ['127.0.0.1', 'localhost', 'kafka']);
    expect(wider.ca).toBe(ca.ca);
    expect(new X509Certificate(wider.cert).checkHost('kafka')).toBe('kafka');
    ca = ensureLocalCa(dir, ['127.0.0.1', 'localhost']);
  });
});

describe('kafkajs over SASL_SSL', () => {
  it('produces and reads back, trusting the local CA', async () => {
    const kafka = client({ ca: [ca.ca] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: ENTERPRISE, messages: [{ key: 'k', value: 'over tls' }] });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(ENTERPRISE);
    await admin.disconnect();
    expect(offsets.reduce((n, o) => n + Number(o.high), 0)).toBeGreaterThan(0);
  });

  it('refuses a client that does not trust the CA, and one that speaks plaintext', async () => {
    const untrusting = client(true).admin();
    await expect(untrusting.connect()).rejects.toThrow(/certificate|self.signed|issuer/i);
    await untrusting.disconnect().catch(() => {});
    const plain = client(undefined).admin();
    await expect(plain.connect()).rejects.toThrow();
    await plain.disconnect().catch(() => {});
  });
});

describe.skipIf(kcatMissing)('kcat (librdkafka) over SASL_SSL', () => {
  it('lists the topics its principal may see, verifying the broker against the CA file', async () => {
    const out = await new Promise<string>((resolve, reject) => {
      const proc = spawn('kcat', [
        '-L',
        '-b',
        broker.brokers,
        '-X',
        'security.protocol=SASL_SSL',
        '-X',
        `ssl.ca.location=${ca.caFile}`,
        '-X',
        'sasl.mechanisms=SCRAM-SHA-256',
        '-X',
        'sasl.username=approval',
        '-X',
        `sasl.password=${passwords.approval}`,
        '-m',
        '10',
      ]);
      let text = '';
      proc.stdout.on('data', (d: Buffer) => (text += d.toString()));
      proc.stderr.on('data', (d: Buffer) => (text += d.toString()));
      proc.on('error', reject);
      proc.on('close', () => resolve(text));
    });
    expect(out).toContain(`topic "${ENTERPRISE}"`);
    expect(out).not.toContain('topic "onecheck.department.item"'); // approval neither reads nor writes it
  });
});
