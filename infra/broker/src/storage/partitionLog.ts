/**
 * One partition's log: an append-only sequence of RecordBatches, kept either
 * in memory or in a single segment file (no retention, so one segment is
 * enough). The in-memory index maps offsets to batches and is rebuilt by
 * scanning the file on start.
 */
import fs from 'node:fs';
import type { Logger } from '../config';
import { BATCH_HEADER_SIZE, batchCrcOk, readBatchHeader } from '../protocol/recordBatch';

interface BatchEntry {
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: bigint;
  /** Byte position in the segment file (file mode). */
  position: number;
  size: number;
  /** The batch bytes (memory mode only). */
  data?: Buffer;
}

export class PartitionLog {
  private readonly entries: BatchEntry[] = [];
  private fd: number | null = null;
  private fileSize = 0;
  /** Next offset to assign; also the high watermark (single replica). */
  logEndOffset = 0;
  /** No retention: the log always starts at 0. */
  readonly logStartOffset = 0;

  private constructor(private readonly file: string | null) {}

  static inMemory(): PartitionLog {
    return new PartitionLog(null);
  }

  /** Opens (creating if needed) a segment file and rebuilds the index. */
  static open(file: string, logger: Logger): PartitionLog {
    const log = new PartitionLog(file);
    log.fd = fs.openSync(file, fs.existsSync(file) ? 'r+' : 'w+');
    log.recover(logger);
    return log;
  }

  /**
   * Scans the segment batch by batch. The first batch that is truncated,
   * fails its CRC or breaks offset continuity (a torn write from a crash)
   * ends the valid log; the file is cut there.
   */
  private recover(logger: Logger): void {
    const fd = this.fd!;
    const total = fs.fstatSync(fd).size;
    const head = Buffer.alloc(BATCH_HEADER_SIZE);
    let pos = 0;
    while (pos < total) {
      if (pos + BATCH_HEADER_SIZE > total) break;
      fs.readSync(fd, head, 0, BATCH_HEADER_SIZE, pos);
      const size = head.readInt32BE(8) + 12;
      if (size < BATCH_HEADER_SIZE || pos + size > total) break;
      const batch = Buffer.alloc(size);
      fs.readSync(fd, batch, 0, size, pos);
      const header = readBatchHeader(batch, 0);
      if (!header || !batchCrcOk(batch, 0, header)) break;
      const baseOffset = Number(batch.readBigInt64BE(0));
      if (baseOffset !== this.logEndOffset) break;
      this.entries.push({
        baseOffset,
        lastOffset: baseOffset + header.lastOffsetDelta,
        maxTimestamp: header.maxTimestamp,
        position: pos,
        size,
      });
      this.logEndOffset = baseOffset + header.lastOffsetDelta + 1;
      pos += size;
    }
    if (pos < total) {
      logger.warn(`${this.file}: discarding ${total - pos} bytes of incomplete or corrupt data at byte ${pos}`);
      fs.ftruncateSync(fd, pos);
    }
    this.fileSize = pos;
  }

  get highWatermark(): number {
    return this.logEndOffset;
  }

  /**
   * Appends one validated batch. Writes the assigned base offset into a copy
   * of the bytes (the request buffer is not ours to keep) and returns it.
   */
  append(batch: Buffer, lastOffsetDelta: number, maxTimestamp: bigint): number {
    const baseOffset = this.logEndOffset;
    const copy = Buffer.from(batch);
    copy.writeBigInt64BE(BigInt(baseOffset), 0);
    const entry: BatchEntry = {
      baseOffset,
      lastOffset: baseOffset + lastOffsetDelta,
      maxTimestamp,
      position: this.fileSize,
      size: copy.length,
    };
    if (this.fd !== null) {
      let written = 0;
      while (written < copy.length) {
        written += fs.writeSync(this.fd, copy, written, copy.length - written, this.fileSize + written);
      }
      this.fileSize += copy.length;
    } else {
      entry.data = copy;
    }
    this.entries.push(entry);
    this.logEndOffset = entry.lastOffset + 1;
    return baseOffset;
  }

  /** Index of the first batch whose last offset is >= offset (binary search), or -1. */
  private indexFor(offset: number): number {
    let lo = 0;
    let hi = this.entries.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.lastOffset >= offset) {
        found = mid;
        hi = mid - 1;
      } else {
        lo = mid + 1;
      }
    }
    return found;
  }

  /**
   * Whole batches starting with the one that contains `offset`: the first one
   * if it is at most `firstMax` bytes, then more while the total stays within
   * `maxBytes`. (Clients drop cut batches, so batches are never split.)
   */
  read(offset: number, maxBytes: number, firstMax: number): Buffer[] {
    const first = this.indexFor(offset);
    if (first < 0) return [];
    let bytes = 0;
    let last = first;
    for (let i = first; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (i === first ? e.size > Math.max(firstMax, maxBytes) : bytes + e.size > maxBytes) break;
      bytes += e.size;
      last = i + 1;
    }
    if (last === first) return [];
    const chosen = this.entries.slice(first, last);
    if (this.fd === null) return chosen.map((e) => e.data!);
    // Batches are contiguous in the file: one read covers them all.
    const start = chosen[0]!.position;
    const out = Buffer.allocUnsafe(bytes);
    let got = 0;
    while (got < bytes) {
      const n = fs.readSync(this.fd, out, got, bytes - got, start + got);
      if (n === 0) throw new Error(`${this.file}: unexpected end of segment`);
      got += n;
    }
    return [out];
  }

  /**
   * ListOffsets by timestamp: base offset of the first batch whose max
   * timestamp is >= ts (batch granularity), or null if none.
   */
  offsetForTimestamp(ts: bigint): { offset: number; timestamp: bigint } | null {
    for (const e of this.entries) {
      if (e.maxTimestamp >= ts) return { offset: e.baseOffset, timestamp: e.maxTimestamp };
    }
    return null;
  }

  flush(): void {
    if (this.fd !== null) fs.fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== null) {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }
}
