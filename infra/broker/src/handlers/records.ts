/** Produce (0) v3, Fetch (1) v4, ListOffsets (2) v1: the data path. */
import { systemClock } from '@onecheck/clock';
import { Writer } from '../protocol/codec';
import { ErrorCode } from '../protocol/constants';
import { splitBatches } from '../protocol/recordBatch';
import type { BrokerContext, Handler } from './types';

/**
 * Produce v3 (the first version carrying RecordBatch v2). Batches are stored
 * opaque — compressed ones too — after a CRC and header check; only the base
 * offset is rewritten. acks=0 means the client expects no response at all.
 */
export const produce: Handler = (ctx, req, r) => {
  const transactionalId = r.nullableString();
  const acks = r.int16();
  r.int32(); // timeout_ms: writes are immediate
  const topics = r.array((x) => ({
    name: x.string(),
    partitions: x.array((y) => ({ partition: y.int32(), records: y.nullableBytes() })),
  }));

  const w = new Writer();
  w.array(topics, (w2, t) => {
    w2.string(t.name);
    w2.array(t.partitions, (w3, p) => {
      let error: number = ErrorCode.NONE;
      let baseOffset = -1;
      const log = ctx.topics.partition(t.name, p.partition);
      const batches = p.records && p.records.length > 0 ? splitBatches(p.records) : null;
      if (!ctx.cfg.authorizer.topic(req.principal, 'write', t.name)) error = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
      else if (transactionalId !== null)
        error = ErrorCode.INVALID_REQUEST; // transactions are not supported
      else if (acks !== 0 && acks !== 1 && acks !== -1) error = ErrorCode.INVALID_REQUIRED_ACKS;
      else if (!log) error = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      else if (!batches) error = ErrorCode.CORRUPT_MESSAGE;
      else {
        for (const b of batches) {
          const base = ctx.topics.append(
            t.name,
            p.partition,
            log,
            b.buf,
            b.header.lastOffsetDelta,
            b.header.maxTimestamp,
          );
          if (baseOffset < 0) baseOffset = base;
        }
      }
      if (error !== ErrorCode.NONE) {
        ctx.cfg.logger.warn(`produce to ${t.name}/${p.partition} rejected with error ${error}`);
      }
      w3.int32(p.partition).int16(error).int64(baseOffset).int64(-1); // log_append_time: -1 (CreateTime)
    });
  });
  w.int32(0); // throttle_time_ms
  return acks === 0 ? null : w.toBuffer();
};

interface FetchPartition {
  partition: number;
  offset: number;
  maxBytes: number;
}

interface FetchResult {
  body: Buffer;
  bytes: number;
  failed: boolean;
}

function buildFetch(
  ctx: BrokerContext,
  topics: { name: string; partitions: FetchPartition[]; allowed: boolean }[],
  maxBytes: number,
): FetchResult {
  let bytes = 0;
  let failed = false;
  const w = new Writer(1024);
  w.int32(0); // throttle_time_ms
  w.array(topics, (w2, t) => {
    w2.string(t.name);
    w2.array(t.partitions, (w3, p) => {
      const log = t.allowed ? ctx.topics.partition(t.name, p.partition) : undefined;
      let error: number = ErrorCode.NONE;
      let chunks: Buffer[] = [];
      if (!t.allowed) error = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
      else if (!log) error = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      else if (p.offset < log.logStartOffset || p.offset > log.highWatermark) error = ErrorCode.OFFSET_OUT_OF_RANGE;
      else if (p.offset < log.highWatermark) {
        const remaining = maxBytes - bytes;
        // Whole batches only. The first batch of the response is always sent,
        // however big, and a partition's first batch may exceed the partition
        // limit while the response has room: clients discard cut batches, so
        // anything else could stall a consumer forever.
        chunks = log.read(p.offset, Math.min(p.maxBytes, remaining), bytes === 0 ? Infinity : remaining);
      }
      if (error !== ErrorCode.NONE) failed = true;
      const hw = log ? log.highWatermark : -1;
      w3.int32(p.partition).int16(error).int64(hw).int64(hw); // last_stable_offset = HW: no transactions
      w3.int32(0); // aborted_transactions: empty
      w3.bytesList(chunks);
      for (const c of chunks) bytes += c.length;
    });
  });
  return { body: w.toBuffer(), bytes, failed };
}

/** Resolves on an append to one of `keys`, after `ms`, or when the request is aborted. */
function waitForAppend(ctx: BrokerContext, keys: Set<string>, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      off();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    const off = ctx.topics.onAppend((topic, partition) => {
      if (keys.has(`${topic}\u0000${partition}`)) done();
    });
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Fetch v4 (the first version returning RecordBatch v2 that kafkajs decodes).
 * When less than min_bytes is available the request is parked until data
 * arrives or max_wait passes; errors are answered at once.
 */
export const fetch: Handler = async (ctx, req, r) => {
  r.int32(); // replica_id
  const maxWait = r.int32();
  const minBytes = r.int32();
  const maxBytesRaw = r.int32();
  r.int8(); // isolation_level: everything is committed here
  const topics = r.array((x) => ({
    name: x.string(),
    partitions: x.array((y): FetchPartition => ({
      partition: y.int32(),
      offset: Number(y.int64()),
      maxBytes: y.int32(),
    })),
    allowed: false,
  }));
  for (const t of topics) t.allowed = ctx.cfg.authorizer.topic(req.principal, 'read', t.name);
  // The client's limit, never more than the broker's (a value <= 0 asks for no limit: the broker's).
  const cap = ctx.cfg.limits.maxFetchBytes;
  const maxBytes = maxBytesRaw > 0 ? Math.min(maxBytesRaw, cap) : cap;

  // A fetch waits in real time (the client's max wait), whatever time the services run at.
  const deadline = systemClock.millis() + Math.max(0, maxWait);
  let result = buildFetch(ctx, topics, maxBytes);
  if (result.failed || result.bytes >= Math.max(1, minBytes)) return result.body;
  const keys = new Set<string>();
  for (const t of topics) for (const p of t.partitions) keys.add(`${t.name}\u0000${p.partition}`);
  for (;;) {
    const left = deadline - systemClock.millis();
    if (left <= 0 || req.signal.aborted) return result.body;
    await waitForAppend(ctx, keys, left, req.signal);
    result = buildFetch(ctx, topics, maxBytes);
    if (result.failed || result.bytes >= Math.max(1, minBytes)) return result.body;
  }
};

/** ListOffsets v1: -1 → high watermark, -2 → log start, otherwise first batch at/after the timestamp. */
export const listOffsets: Handler = (ctx, req, r) => {
  r.int32(); // replica_id
  const topics = r.array((x) => ({
    name: x.string(),
    partitions: x.array((y) => ({ partition: y.int32(), timestamp: y.int64() })),
  }));
  const w = new Writer();
  w.array(topics, (w2, t) => {
    w2.string(t.name);
    const allowed = ctx.cfg.authorizer.topic(req.principal, 'describe', t.name);
    w2.array(t.partitions, (w3, p) => {
      const log = allowed ? ctx.topics.partition(t.name, p.partition) : undefined;
      let error: number = ErrorCode.NONE;
      let timestamp = -1n;
      let offset = -1;
      if (!allowed) error = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
      else if (!log) error = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      else if (p.timestamp === -1n) offset = log.highWatermark;
      else if (p.timestamp === -2n) offset = log.logStartOffset;
      else {
        const found = log.offsetForTimestamp(p.timestamp);
        if (found) {
          offset = found.offset;
          timestamp = found.timestamp;
        }
      }
      w3.int32(p.partition).int16(error).int64(timestamp).int64(offset);
    });
  });
  return w.toBuffer();
};
