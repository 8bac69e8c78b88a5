/**
 * A local certificate authority for the stand-in broker's TLS listener (issue 8: "the stand-in
 * supports TLS too, a local CA generated under data/"). On the first call it makes, in `dir`:
 *
 *   ca.crt       the CA certificate: what clients trust (KAFKA_CA_FILE, kcat's ssl.ca.location)
 *   ca.key       the CA's private key (mode 600): only used here, to sign the broker's certificate
 *   broker.crt   the broker's certificate for `hosts` (subjectAltName), signed by the CA
 *   broker.key   its private key (mode 600)
 *
 * Later calls reuse them, and re-issue the broker's certificate when its names changed or it
 * expires within 30 days. Keys are RSA 2048 made by node's crypto; node-forge only builds and
 * signs the X.509 structures (node has no API for that), with no OpenSSL binary needed.
 * Rotation: delete the folder (all clients must then trust the new ca.crt) or only broker.* (same CA).
 */
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isIP } from 'node:net';
import forge from 'node-forge';
import { systemClock } from '@onecheck/clock';

export interface LocalCa {
  caFile: string;
  certFile: string;
  keyFile: string;
  /** PEM texts, for options in code. */
  ca: string;
  cert: string;
  key: string;
}

const DAY_MS = 86_400_000;

function newKey(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privatePem: privateKey, publicPem: publicKey };
}

function certificate(opts: {
  subject: string;
  issuer: string;
  publicPem: string;
  signingKeyPem: string;
  days: number;
  ca: boolean;
  hosts?: string[];
}): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(opts.publicPem);
  // A positive random serial (RFC 5280 §4.1.2.2: unique per CA, at most 20 octets).
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  // Certificate validity is real time: a pinned test clock must not make it expired for TLS.
  const now = systemClock.millis();
  cert.validity.notBefore = new Date(now - DAY_MS); // tolerate a client clock a little behind
  cert.validity.notAfter = new Date(now + opts.days * DAY_MS);
  cert.setSubject([{ name: 'commonName', value: opts.subject }]);
  cert.setIssuer([{ name: 'commonName', value: opts.issuer }]);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: opts.ca, critical: true },
    opts.ca
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ];
  if (!opts.ca) {
    extensions.push({ name: 'extKeyUsage', serverAuth: true });
    extensions.push({
      name: 'subjectAltName',
      altNames: (opts.hosts ?? []).map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })),
    });
  }
  cert.setExtensions(extensions);
  cert.sign(forge.pki.privateKeyFromPem(opts.signingKeyPem), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

const write = (file: string, text: string, mode: number) => {
  fs.writeFileSync(file, text, { mode });
  fs.chmodSync(file, mode);
};

/** Makes (once) or reuses the CA and the broker's certificate for `hosts` in `dir`. */
export function ensureLocalCa(dir: string, hosts: string[] = ['127.0.0.1', 'localhost']): LocalCa {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const caFile = path.join(dir, 'ca.crt');
  const caKeyFile = path.join(dir, 'ca.key');
  const certFile = path.join(dir, 'broker.crt');
  const keyFile = path.join(dir, 'broker.key');
  if (!fs.existsSync(caFile) || !fs.existsSync(caKeyFile)) {
    const key = newKey();
    const name = 'OneCheck local Kafka CA';
    const pem = certificate({
      subject: name,
      issuer: name,
      publicPem: key.publicPem,
      signingKeyPem: key.privatePem,
      days: 3650,
      ca: true,
    });
    write(caKeyFile, key.privatePem, 0o600);
    write(caFile, pem, 0o644);
    fs.rmSync(certFile, { force: true }); // a new CA: the old broker certificate no longer chains
  }
  const ca = fs.readFileSync(caFile, 'utf8');
  if (!currentFor(certFile, ca, hosts)) {
    const key = newKey();
    const pem = certificate({
      subject: 'OneCheck Kafka stand-in',
      issuer: 'OneCheck local Kafka CA',
      publicPem: key.publicPem,
      signingKeyPem: fs.readFileSync(caKeyFile, 'utf8'),
      days: 825,
      ca: false,
      hosts,
    });
    write(keyFile, key.privatePem, 0o600);
    write(certFile, pem, 0o644);
  }
  return {
    caFile,
    certFile,
    keyFile,
    ca,
    cert: fs.readFileSync(certFile, 'utf8'),
    key: fs.readFileSync(keyFile, 'utf8'),
  };
}

/** Is the broker certificate there, signed by this CA, valid for 30 more days and for every host? */
function currentFor(certFile: string, caPem: string, hosts: string[]): boolean {
  if (!fs.existsSync(certFile)) return false;
  try {
    const cert = new X509Certificate(fs.readFileSync(certFile));
    if (!cert.verify(new X509Certificate(caPem).publicKey)) return false;
    if (Date.parse(cert.validTo) - systemClock.millis() < 30 * DAY_MS) return false;
    return hosts.every((h) => (isIP(h) ? cert.checkIP(h) : cert.checkHost(h)) !== undefined);
  } catch {
    return false;
  }
}
