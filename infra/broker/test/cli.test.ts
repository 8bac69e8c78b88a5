/** `npm run broker` entry point: ready line, serves clients, clean exit on SIGTERM/SIGINT. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { ACCESS_FILE, ensureKafkaPasswords, ensureLocalCa, loadAccessFile } from '../src/index';
import { inheritedEnv } from './env';
import { kafkaFor, tempDir, uid } from './helpers';

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli.ts');
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

async function runCli(signal: NodeJS.Signals) {
  const dataDir = tempDir();
  const proc = spawn(process.execPath, ['--import', tsxLoader, cli], {
    env: inheritedEnv({ BROKER_PORT: '0', BROKER_DATA_DIR: dataDir }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  try {
    const ready = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no ready line within 15 s')), 15_000);
      readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
        if (line.includes('listening on')) {
          clearTimeout(timer);
          resolve(line);
        }
      });
    });
    const brokers = /listening on (\S+)/.exec(ready)![1]!;
    expect(brokers).toMatch(/^127\.0\.0\.1:\d+$/);
    const admin = kafkaFor(brokers).admin();
    await admin.connect();
    const topic = uid('cli');
    await admin.createTopics({ topics: [{ topic }] });
    await admin.disconnect();

    proc.kill(signal);
    expect(await exited).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'topics.json'), 'utf8')).topics[topic]).toEqual({
      partitions: 3,
    });
    expect(fs.existsSync(path.join(dataDir, '.lock'))).toBe(false);
  } finally {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  }
}

describe('cli', { timeout: 30_000 }, () => {
  it('starts, serves and stops cleanly on SIGTERM', () => runCli('SIGTERM'));
  it('stops cleanly on SIGINT', () => runCli('SIGINT'));
});

describe('cli as npm start runs it', { timeout: 30_000 }, () => {
  it('with the access file, the users file, anonymous refused and TLS from the local CA (BROKER_TLS=1 npm start)', async () => {
    const keys = path.join(tempDir(), 'keys');
    const { passwords, usersFile } = ensureKafkaPasswords(path.join(keys, 'kafka'), loadAccessFile(ACCESS_FILE));
    const ca = ensureLocalCa(path.join(keys, 'kafka-tls'));
    const proc = spawn(process.execPath, ['--import', tsxLoader, cli], {
      env: inheritedEnv({
        BROKER_PORT: '0',
        BROKER_DATA_DIR: tempDir(),
        BROKER_ACCESS_FILE: ACCESS_FILE,
        BROKER_USERS_FILE: usersFile,
        BROKER_ALLOW_ANONYMOUS: '0',
        BROKER_TLS_CERT_FILE: ca.certFile,
        BROKER_TLS_KEY_FILE: ca.keyFile,
      }),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const ready = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no ready line within 15 s')), 15_000);
        readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
          if (line.includes('listening on')) {
            clearTimeout(timer);
            resolve(line);
          }
        });
      });
      expect(ready).toContain('SASL/SCRAM, TLS');
      const brokers = /listening on (\S+)/.exec(ready)![1]!;
      const client = (opts: Partial<KafkaConfig>) =>
        new Kafka({
          brokers: [brokers],
          connectionTimeout: 3000,
          retry: { retries: 0 },
          logLevel: logLevel.NOTHING,
          ...opts,
        });
      const admin = client({
        ssl: { ca: [ca.ca] },
        sasl: { mechanism: 'scram-sha-256', username: 'admin', password: passwords.admin! },
      }).admin();
      await admin.connect();
      expect(await admin.listTopics()).toContain('onecheck.approval.licence');
      await admin.disconnect();
      const anonymous = client({ ssl: { ca: [ca.ca] } }).admin();
      await expect(anonymous.connect().then(() => anonymous.listTopics())).rejects.toThrow();
      await anonymous.disconnect().catch(() => {});
    } finally {
      proc.kill('SIGKILL');
    }
  });
});
