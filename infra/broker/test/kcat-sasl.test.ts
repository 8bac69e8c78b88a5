/**
 * librdkafka (kcat) over SASL/SCRAM: produces and consumes with a principal's credentials, is
 * refused with a wrong password, and cannot write a topic its principal does not own.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAccessFile, usersFromPasswords } from '../src/index';
import { startTestBroker, uid, type TestBroker } from './helpers';

const kcatMissing = spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status !== 0;
const SKIP_REASON = 'kcat is not installed (apt-get install -y kcat); skipping the librdkafka SASL tests';
if (kcatMissing) console.warn(SKIP_REASON);

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const access = loadAccessFile(path.join(repoRoot, 'infra/kafka/access.json'));
const passwords = { market: randomBytes(12).toString('hex'), credit: randomBytes(12).toString('hex') };
const ENTERPRISE = 'onecheck.market.enterprise';
const CREDIT_CLASS = 'onecheck.credit.class';

function kcat(args: string[], input?: string, timeoutMs = 20_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const proc = spawn('kcat', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`kcat ${args.join(' ')} timed out\n${stderr}`));
    }, timeoutMs);
    proc.on('error', reject);
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    proc.stdin.end(input ?? '');
  });
}

const sasl = (user: string, password: string, mechanism = 'SCRAM-SHA-256') => [
  '-X',
  'security.protocol=SASL_PLAINTEXT',
  '-X',
  `sasl.mechanisms=${mechanism}`,
  '-X',
  `sasl.username=${user}`,
  '-X',
  `sasl.password=${password}`,
];

describe.skipIf(kcatMissing)(
  `kcat over SASL/SCRAM${kcatMissing ? ` — skipped: ${SKIP_REASON}` : ''}`,
  { timeout: 40_000 },
  () => {
    let broker: TestBroker;
    beforeAll(async () => {
      broker = await startTestBroker({ users: usersFromPasswords(passwords), access });
    });
    afterAll(async () => {
      await broker?.stop();
    });

    it('produces as market and consumes as credit (SCRAM-SHA-256 and -512)', async () => {
      const value = uid('kcat-registered');
      const produced = await kcat(
        ['-b', broker.brokers, ...sasl('market', passwords.market), '-P', '-t', ENTERPRISE],
        `${value}\n`,
      );
      expect(produced.code, produced.stderr).toBe(0);
      const consumed = await kcat([
        '-b',
        broker.brokers,
        ...sasl('credit', passwords.credit, 'SCRAM-SHA-512'),
        '-C',
        '-t',
        ENTERPRISE,
        '-o',
        'beginning',
        '-e',
        '-q',
      ]);
      expect(consumed.code, consumed.stderr).toBe(0);
      expect(consumed.stdout.split('\n')).toContain(value);
    });

    it('is refused with a wrong password, and cannot write a topic market does not own', async () => {
      const wrong = await kcat(['-b', broker.brokers, ...sasl('market', 'wrong'), '-L', '-m', '3']);
      expect(wrong.code).not.toBe(0);
      expect(wrong.stderr).toMatch(/Authentication failed|SASL/i);

      const denied = await kcat(
        ['-b', broker.brokers, ...sasl('market', passwords.market), '-P', '-t', CREDIT_CLASS],
        'forged\n',
      );
      expect(denied.code).not.toBe(0);
      expect(denied.stderr).toMatch(/authoriz/i);
    });
  },
);
