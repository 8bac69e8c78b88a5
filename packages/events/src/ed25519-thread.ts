/**
 * Ed25519 on a worker thread: the relay's signatures and the consumers' verifications of a batch
 * go to one thread of the process's own, so the event loop goes on with the database work of other
 * batches meanwhile. (A verification costs 100–190 µs on the benchmark machine, a signature 40–80:
 * together they were the largest single cost of the event path, and in one process they halved
 * its rate; issue 7.)
 *
 * Small batches stay on the event loop: below MIN_BATCH the round trip to the thread costs more
 * than it saves. A thread that fails or exits fails its pending calls, and the next call starts a
 * new one; a thread that cannot start leaves the work on the event loop.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/** Fewer items than this are signed or verified on the event loop. */
export const MIN_BATCH = 8;

/** The thread's code: CommonJS with node:crypto only, so it runs without the TypeScript loader. */
const SOURCE = `
const { parentPort } = require('node:worker_threads');
const { sign, verify } = require('node:crypto');
parentPort.on('message', ({ id, keys, sign: toSign, verify: toVerify }) => {
  try {
    const out = toSign
      ? toSign.map((data) => sign(null, data, keys[0]))
      : toVerify.map(({ data, key, signature }) => verify(null, data, keys[key], signature));
    parentPort.postMessage({ id, out });
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});
`;

type Pending = { resolve: (out: unknown[]) => void; reject: (err: Error) => void };

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, Pending>();

function thread(): Worker | undefined {
  if (worker) return worker;
  try {
    const started = new Worker(SOURCE, { eval: true });
    started.on('message', ({ id, out, error }: { id: number; out?: unknown[]; error?: string }) => {
      const call = pending.get(id);
      pending.delete(id);
      if (!pending.size) started.unref();
      if (error !== undefined) call?.reject(new Error(error));
      else call?.resolve(out!);
    });
    const lost = (err: Error) => {
      if (worker === started) worker = undefined;
      for (const call of pending.values()) call.reject(err);
      pending.clear();
    };
    started.on('error', lost);
    started.on('exit', (code) => lost(new Error(`the Ed25519 thread exited (${code})`)));
    // The thread keeps the process alive only while calls wait on it (unref'd after the
    // listeners: a 'message' listener refs the thread's port again).
    started.unref();
    worker = started;
  } catch {
    worker = undefined;
  }
  return worker;
}

function call<T>(message: object): Promise<T[]> | undefined {
  const w = thread();
  if (!w) return undefined;
  const id = nextId++;
  if (!pending.size) w.ref();
  return new Promise<T[]>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (out: unknown[]) => void, reject });
    w.postMessage({ id, ...message });
  });
}

/** Ed25519 signatures of each input with `key`, in order. */
export async function signAll(key: KeyObject, inputs: readonly Buffer[]): Promise<Buffer[]> {
  const out = inputs.length >= MIN_BATCH ? call<Uint8Array>({ keys: [key], sign: inputs }) : undefined;
  if (!out) return inputs.map((data) => sign(null, data, key));
  // Buffers come back from the thread as plain Uint8Arrays.
  return (await out).map((u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength));
}

/** Whether each signature verifies over its input with its key, in order. */
export async function verifyAll(
  items: readonly { data: Buffer; key: KeyObject; signature: Buffer }[],
): Promise<boolean[]> {
  if (items.length < MIN_BATCH) return items.map(({ data, key, signature }) => verify(null, data, key, signature));
  // Each key once (a batch is mostly one producer's), each item naming its key by index.
  const keys: KeyObject[] = [];
  const index = new Map<KeyObject, number>();
  const jobs = items.map(({ data, key, signature }) => {
    let k = index.get(key);
    if (k === undefined) index.set(key, (k = keys.push(key) - 1));
    return { data, key: k, signature };
  });
  const out = call<boolean>({ keys, verify: jobs });
  return out ? out : items.map(({ data, key, signature }) => verify(null, data, key, signature));
}
