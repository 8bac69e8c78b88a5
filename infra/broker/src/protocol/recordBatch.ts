/**
 * RecordBatch (magic 2) helpers. Batches are stored and served as opaque
 * bytes (never decompressed); we only read the fixed-size header and patch
 * the base offset. The CRC covers bytes 21..end, so rewriting bytes 0..7
 * (base offset) keeps it valid.
 */

export const BATCH_HEADER_SIZE = 61;
const LENGTH_FIELD_END = 12; // baseOffset (8) + batchLength (4)

export interface BatchHeader {
  /** Total size in bytes of this batch including the 12-byte prefix. */
  size: number;
  magic: number;
  crc: number;
  lastOffsetDelta: number;
  maxTimestamp: bigint;
  recordCount: number;
}

/**
 * Parses the header of the batch starting at `pos`; returns null when the
 * bytes there cannot be a complete magic-2 batch (truncated, wrong magic or
 * nonsensical lengths).
 */
export function readBatchHeader(buf: Buffer, pos: number): BatchHeader | null {
  if (pos + BATCH_HEADER_SIZE > buf.length) return null;
  const length = buf.readInt32BE(pos + 8);
  const size = length + LENGTH_FIELD_END;
  if (length < BATCH_HEADER_SIZE - LENGTH_FIELD_END || pos + size > buf.length) return null;
  const magic = buf.readInt8(pos + 16);
  if (magic !== 2) return null;
  const lastOffsetDelta = buf.readInt32BE(pos + 23);
  const recordCount = buf.readInt32BE(pos + 57);
  if (lastOffsetDelta < 0) return null;
  return {
    size,
    magic,
    crc: buf.readUInt32BE(pos + 17),
    lastOffsetDelta,
    maxTimestamp: buf.readBigInt64BE(pos + 35),
    recordCount,
  };
}

/** Validates the CRC32C of a whole batch located at buf[pos, pos+size). */
export function batchCrcOk(buf: Buffer, pos: number, header: BatchHeader): boolean {
  return crc32c(buf, pos + 21, pos + header.size) === header.crc;
}

/**
 * Splits a Produce "records" field (one or more concatenated batches) into
 * batch views. Returns null if any part is not a complete, CRC-valid batch.
 */
export function splitBatches(records: Buffer): { buf: Buffer; header: BatchHeader }[] | null {
  const out: { buf: Buffer; header: BatchHeader }[] = [];
  let pos = 0;
  while (pos < records.length) {
    const header = readBatchHeader(records, pos);
    if (!header || !batchCrcOk(records, pos, header)) return null;
    out.push({ buf: records.subarray(pos, pos + header.size), header });
    pos += header.size;
  }
  return out;
}

// CRC32C (Castagnoli), table-driven: Node 20 has no built-in for it.
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

export function crc32c(buf: Buffer, start = 0, end = buf.length): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) {
    crc = (CRC_TABLE[(crc ^ buf[i]!) & 0xff]! ^ (crc >>> 8)) >>> 0;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
