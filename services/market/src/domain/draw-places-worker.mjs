/**
 * The draw's places at scale (docs/draw.md "The targets", issue 10: a million businesses in under
 * two seconds): each class's k lowest HMAC-SHA256 places, from the pool text, without sorting a
 * class. Plain JavaScript with only node: imports so that it runs as a worker thread under any
 * runner (tsx, vitest, plain node); `draw-places.ts` spreads the pool's chunks over the machine's
 * cores while the next chunk is still being read, and merges.
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

/** The first 48 bits of a place (32 latin1 characters), exact as a double. */
const prefixOf = (p) =>
  ((((p.charCodeAt(0) * 256 + p.charCodeAt(1)) * 256 + p.charCodeAt(2)) * 256 + p.charCodeAt(3)) * 256 +
    p.charCodeAt(4)) *
    256 +
  p.charCodeAt(5);

/**
 * Places the lines of pool text chunks (`uscc<TAB>class<LF>` lines, each chunk whole lines) as
 * they come, for the classes whose ratio is above zero (a class not drawn is not hashed);
 * `lowest(quota)` then gives each class's `quota[class]` lowest among the lines added here, by
 * place: `{ [class]: { usccs, prefixes, places } }` (places in hex).
 */
export function createPlacer(seed, ratios) {
  const { inner, outer } = pads(seed);
  // Buffers written in place and digests as latin1 strings: a Buffer per digest would cost more
  // than the hashing (measured: 1.7 against 0.9 s per million).
  const innerMessages = new Map();
  const messageOf = (length) => {
    let message = innerMessages.get(length);
    if (!message) {
      message = Buffer.alloc(64 + length);
      inner.copy(message);
      innerMessages.set(length, message);
    }
    return message;
  };
  const outerMessage = Buffer.alloc(64 + 32);
  outer.copy(outerMessage);
  /** The place of the inner message as written, as 32 latin1 characters. */
  const placeOfMessage = (message) => {
    outerMessage.write(hash('sha256', message, 'latin1'), 64, 'latin1');
    return hash('sha256', outerMessage, 'latin1');
  };
  const placeOf = (uscc) => {
    const message = messageOf(Buffer.byteLength(uscc, 'utf8'));
    message.write(uscc, 64, 'utf8');
    return placeOfMessage(message);
  };
  const classes = Object.keys(ratios).filter((c) => ratios[c] > 0);
  /**
   * A class draws about its ratio of its lines, those of lowest place: the lines under twice that
   * are kept whole as they are placed (code, prefix, place), and a large class's drawn are found
   * among them alone. Where they are too few (a small class), its every line is looked at again.
   */
  const keepUnder = classes.map((c) => Math.min(1, 2 * ratios[c] + 0.001) * 2 ** 48);
  /** Per class, the kept lines: their chunk, line, prefix and place (parallel arrays: no object per line). */
  const kept = classes.map(() => ({ chunk: [], line: [], prefix: [], place: [] }));
  /** Lines placed, per class. */
  const sizes = classes.map(() => 0);
  /**
   * Per chunk, per placed line: where it starts, its class and its place's prefix — typed arrays,
   * so that a million lines leave no million strings for the collector.
   */
  const chunks = [];
  const usccAt = (chunk, i) => chunk.text.slice(chunk.starts[i], chunk.text.indexOf('\t', chunk.starts[i]));
  const hex = (place) => Buffer.from(place, 'latin1').toString('hex');

  /** A small class's k lowest, from all its lines: the k-th lowest prefix bounds them. */
  function lowestOfAll(c, k) {
    let size = 0;
    for (const ch of chunks) for (let i = 0; i < ch.taken; i++) if (ch.classOf[i] === c) size++;
    const ofClass = new Float64Array(size);
    let j = 0;
    for (const ch of chunks) for (let i = 0; i < ch.taken; i++) if (ch.classOf[i] === c) ofClass[j++] = ch.prefixes[i];
    const bound = k > 0 ? ofClass.sort()[k - 1] : -1;
    const under = [];
    for (const ch of chunks)
      for (let i = 0; i < ch.taken; i++)
        if (ch.classOf[i] === c && ch.prefixes[i] <= bound) {
          const uscc = usccAt(ch, i);
          under.push({ uscc, prefix: ch.prefixes[i], place: placeOf(uscc) });
        }
    return under;
  }

  return {
    add(text) {
      // The chunk's bytes (its text is ASCII, as credit codes are): each code is copied into the
      // HMAC's message byte by byte, with no string made per line.
      const bytes = Buffer.byteLength(text, 'utf8') === text.length ? Buffer.from(text, 'latin1') : null;
      let lines = 0;
      for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
      if (text.length > 0 && !text.endsWith('\n')) lines++;
      const starts = new Int32Array(lines);
      const classOf = new Uint8Array(lines);
      const prefixes = new Float64Array(lines);
      let taken = 0;
      for (let start = 0; start < text.length;) {
        const end = text.indexOf('\n', start);
        const stop = end === -1 ? text.length : end;
        const tab = text.indexOf('\t', start);
        // One character: V8's cached single-character string, no allocation per line.
        const c = classes.indexOf(stop - tab === 2 ? text[tab + 1] : text.slice(tab + 1, stop));
        if (c !== -1) {
          let place;
          if (bytes) {
            const message = messageOf(tab - start);
            for (let i = start; i < tab; i++) message[64 + i - start] = bytes[i];
            place = placeOfMessage(message);
          } else place = placeOf(text.slice(start, tab));
          const prefix = prefixOf(place);
          starts[taken] = start;
          classOf[taken] = c;
          prefixes[taken] = prefix;
          if (prefix < keepUnder[c]) {
            kept[c].chunk.push(chunks.length);
            kept[c].line.push(taken);
            kept[c].prefix.push(prefix);
            kept[c].place.push(place);
          }
          sizes[c]++;
          taken++;
        }
        start = stop + 1;
      }
      chunks.push({ text, starts, classOf, prefixes, taken });
    },
    lowest(quota) {
      const result = {};
      classes.forEach((riskClass, c) => {
        const k = Math.min(quota[riskClass] ?? 0, sizes[c]);
        // Every line not kept lies above every kept one: k kept hold the k lowest, at or under
        // the k-th lowest kept prefix (a typed sort finds it).
        const { chunk, line, prefix, place } = kept[c];
        let under;
        if (prefix.length >= k) {
          const bound = k > 0 ? Float64Array.from(prefix).sort()[k - 1] : -1;
          under = [];
          for (let j = 0; j < prefix.length; j++)
            if (prefix[j] <= bound)
              under.push({ uscc: usccAt(chunks[chunk[j]], line[j]), prefix: prefix[j], place: place[j] });
        } else under = lowestOfAll(c, k);
        // Places compare the same as latin1 characters as in hex: only the k are turned into hex.
        const first = under.sort(byPlace).slice(0, k);
        result[riskClass] = {
          usccs: first.map((u) => u.uscc),
          prefixes: first.map((u) => u.prefix),
          places: first.map((u) => hex(u.place)),
        };
      });
      return result;
    },
  };
}

/** By place: the prefix first (a number), the whole place (hex, or latin1 as made) when prefixes tie. */
export const byPlace = (a, b) => a.prefix - b.prefix || (a.place < b.place ? -1 : a.place > b.place ? 1 : 0);

/** As a worker: `{ add: text }` places a chunk; `{ lowest: quota }` is answered with the placer's lowest. */
if (!isMainThread && workerData?.onecheckDrawPlaces) {
  const { seed, ratios } = workerData.onecheckDrawPlaces;
  const placer = createPlacer(seed, ratios);
  parentPort.on('message', (message) => {
    if ('add' in message) placer.add(message.add);
    else {
      parentPort.postMessage(placer.lowest(message.lowest));
      parentPort.close();
    }
  });
}
