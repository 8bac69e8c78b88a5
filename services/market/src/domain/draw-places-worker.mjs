/**
 * The draw's places at scale (docs/draw.md "The targets", issue 10: a million businesses in well
 * under two seconds): each class's k lowest HMAC-SHA256 places, from the pool text, without sorting
 * a class. Plain JavaScript with only node: imports so that it runs as a worker thread under any
 * runner (tsx, vitest, plain node); `draw-places.ts` splits a large pool over the machine's cores.
 *
 * The HMAC is RFC 2104 over Node's one-shot sha256 (two calls, no HMAC object per business: about
 * 0.9 s per million against 2.4 s with createHmac). The reference is kit `drawHmac`; the tests hold the two equal.
 */
import { Buffer } from 'node:buffer';
import { hash } from 'node:crypto';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

/** The pads of the seed's 32-byte key (RFC 2104: padded to the 64-byte block, XOR 0x36 / 0x5c). */
function pads(seed) {
  const key = Buffer.alloc(64);
  Buffer.from(seed, 'hex').copy(key);
  return { inner: Buffer.from(key.map((b) => b ^ 0x36)), outer: Buffer.from(key.map((b) => b ^ 0x5c)) };
}

/**
 * Each class's `quota[class]` lowest places among the lines of a pool text (or of a share of its
 * whole lines)
 * (`uscc<TAB>class<LF>` lines): `{ [class]: [[uscc, place], …] }`, each list by place.
 */
export function lowestPlaces(text, seed, quota) {
  const { inner, outer } = pads(seed);
  // Buffers written in place and digests as latin1 strings: a Buffer per digest would cost more
  // than the hashing (measured: 1.7 against 0.9 s per million).
  const innerMessages = new Map();
  const outerMessage = Buffer.alloc(64 + 32);
  outer.copy(outerMessage);
  /** The place as 32 latin1 characters (one per byte). */
  const ascii = Buffer.byteLength(text, 'utf8') === text.length;
  const place = (uscc) => {
    const length = ascii ? uscc.length : Buffer.byteLength(uscc, 'utf8');
    let message = innerMessages.get(length);
    if (!message) {
      message = Buffer.alloc(64 + length);
      inner.copy(message);
      innerMessages.set(length, message);
    }
    message.write(uscc, 64, ascii ? 'latin1' : 'utf8');
    outerMessage.write(hash('sha256', message, 'latin1'), 64, 'latin1');
    return hash('sha256', outerMessage, 'latin1');
  };
  // The first 48 bits of a place, exact as a double: a numeric sort finds the k-th lowest, and
  // only the candidates up to it are turned into hex and sorted as text.
  const prefix = (p) =>
    ((((p.charCodeAt(0) * 256 + p.charCodeAt(1)) * 256 + p.charCodeAt(2)) * 256 + p.charCodeAt(3)) * 256 +
      p.charCodeAt(4)) *
      256 +
    p.charCodeAt(5);
  const classes = Object.keys(quota);
  // Per line: where it starts, its class and its place's prefix; typed arrays, so that a million
  // lines leave no million strings for the collector.
  let lines = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  if (text.length > 0 && !text.endsWith('\n')) lines++;
  const starts = new Int32Array(lines);
  const classOf = new Uint8Array(lines);
  const prefixes = new Float64Array(lines);
  const sizes = new Array(classes.length).fill(0);
  const usccAt = (i) => text.slice(starts[i], text.indexOf('\t', starts[i]));
  let taken = 0;
  for (let start = 0; start < text.length;) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    const tab = text.indexOf('\t', start);
    const c = classes.indexOf(text.slice(tab + 1, stop));
    if (c !== -1 && quota[classes[c]] > 0) {
      starts[taken] = start;
      classOf[taken] = c;
      prefixes[taken] = prefix(place(text.slice(start, tab)));
      sizes[c]++;
      taken++;
    }
    start = stop + 1;
  }
  const result = {};
  classes.forEach((riskClass, c) => {
    const k = Math.min(quota[riskClass], sizes[c]);
    const ofClass = new Float64Array(sizes[c]);
    for (let i = 0, j = 0; i < taken; i++) if (classOf[i] === c) ofClass[j++] = prefixes[i];
    const bound = k > 0 ? ofClass.sort()[k - 1] : -1;
    // The candidates up to the bound, by prefix; only ties (48 equal bits) need the whole place.
    const candidates = [];
    for (let i = 0; i < taken; i++) if (classOf[i] === c && prefixes[i] <= bound) candidates.push(i);
    const hexOf = (i) => Buffer.from(place(usccAt(i)), 'latin1').toString('hex');
    candidates.sort((a, b) => prefixes[a] - prefixes[b] || (hexOf(a) < hexOf(b) ? -1 : 1));
    result[riskClass] = candidates.slice(0, k).map((i) => [usccAt(i), hexOf(i)]);
  });
  return result;
}

if (!isMainThread && workerData?.onecheckDrawPlaces) {
  const { text, seed, quota } = workerData.onecheckDrawPlaces;
  parentPort.postMessage(lowestPlaces(text, seed, quota));
}
