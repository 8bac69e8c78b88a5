/** Shared test utilities: a broker per test file, kafkajs clients, bounded waits. */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll } from 'vitest';
import { Kafka, logLevel, type ConsumerConfig } from 'kafkajs';
import { systemClock } from '@onecheck/clock';
import { startBroker, type BrokerOptions, type Logger, type RunningBroker } from '../src/index';
import { verbose as VERBOSE } from './env';

/** Collects broker log lines (printed only with BROKER_TEST_VERBOSE=1). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at =
    (level: string) =>
    (...a: unknown[]) => {
      const line = `${level} ${a.map((x) => (x instanceof Error ? x.stack : String(x))).join(' ')}`;
      lines.push(line);
      if (VERBOSE) console.log('[broker]', line);
    };
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

const tempDirs: string[] = [];
const startedBrokers: RunningBroker[] = [];

// File-level cleanup (hooks registered while a test file imports this module
// apply to that file): stop any broker still running, then delete temp dirs.
afterAll(async () => {
  await Promise.allSettled(startedBrokers.map((b) => b.stop()));
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A fresh directory under the OS temp dir, removed when the test process exits. */
export function tempDir(prefix = 'broker-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function uid(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface TestBroker extends RunningBroker {
  dataDir: string;
  logger: ReturnType<typeof memoryLogger>;
}

export async function startTestBroker(opts: BrokerOptions = {}): Promise<TestBroker> {
  const dataDir = opts.dataDir ?? tempDir();
  const logger = memoryLogger();
  const broker = await startBroker({ logger, ...opts, dataDir });
  startedBrokers.push(broker);
  return { ...broker, dataDir, logger };
}

export function kafkaFor(brokers: string, clientId = uid('test')): Kafka {
  return new Kafka({
    clientId,
    brokers: [brokers],
    logLevel: VERBOSE ? logLevel.INFO : logLevel.NOTHING,
    retry: { initialRetryTime: 100, retries: 8 },
  });
}

/** Fast group timings from the spec, so rebalances and expiry fit in a test. */
export function fastConsumer(groupId: string): ConsumerConfig {
  return {
    groupId,
    sessionTimeout: 6000,
    heartbeatInterval: 500,
    rebalanceTimeout: 10000,
    maxWaitTimeInMs: 300,
    retry: { initialRetryTime: 100, retries: 8 },
  };
}

/** Polls `fn` until it returns a truthy value; fails with `label` after `timeoutMs`. */
type Falsy = false | null | undefined | 0 | '';

export async function waitFor<T>(
  fn: () => T | Falsy | Promise<T | Falsy>,
  label: string,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = systemClock.millis() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
    } catch (err) {
      last = err;
    }
    if (systemClock.millis() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${label}${last ? ` (last error: ${String(last)})` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * An event-driven condition: `check()` is re-evaluated whenever `notify()` is
 * called (e.g. per consumed message) and `wait` resolves when it holds.
 */
export class Condition {
  private waiters: { pred: () => boolean; resolve: () => void }[] = [];

  notify(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred()) return true;
      w.resolve();
      return false;
    });
  }

  wait(pred: () => boolean, label: string, timeoutMs = 15_000): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== entry);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${label}`));
      }, timeoutMs);
      const entry = {
        pred,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(entry);
    });
  }
}

// ---- raw protocol access, for tests that must send what no client sends ----

export function encodeRequest(
  apiKey: number,
  apiVersion: number,
  correlationId: number,
  body: Buffer,
  clientId = 'raw',
): Buffer {
  const id = Buffer.from(clientId);
  const head = Buffer.alloc(10 + id.length);
  head.writeInt16BE(apiKey, 0);
  head.writeInt16BE(apiVersion, 2);
  head.writeInt32BE(correlationId, 4);
  head.writeInt16BE(id.length, 8);
  id.copy(head, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(head.length + body.length);
  return Buffer.concat([size, head, body]);
}

/** A raw TCP connection that yields whole response frames (correlation id + body). */
export class RawClient {
  private buf = Buffer.alloc(0);
  private frames: Buffer[] = [];
  private readonly changed = new Condition();
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      while (this.buf.length >= 4 && this.buf.length >= 4 + this.buf.readInt32BE(0)) {
        const size = this.buf.readInt32BE(0);
        this.frames.push(this.buf.subarray(4, 4 + size));
        this.buf = this.buf.subarray(4 + size);
      }
      this.changed.notify();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.changed.notify();
    });
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  async nextFrame(timeoutMs = 5000): Promise<Buffer> {
    await this.changed.wait(() => this.frames.length > 0 || this.closed, 'a response frame', timeoutMs);
    const f = this.frames.shift();
    if (!f) throw new Error('connection closed before a response arrived');
    return f;
  }

  waitClosed(timeoutMs = 5000): Promise<void> {
    return this.changed.wait(() => this.closed, 'the broker to close the connection', timeoutMs);
  }

  close(): void {
    this.socket.destroy();
  }
}
