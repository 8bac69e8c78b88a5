/** Malformed or unexpected input must cost at most the offending connection, never the broker. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin } from 'kafkajs';
import { systemClock } from '@onecheck/clock';
import { startBroker } from '../src/index';
import { Reader, Writer } from '../src/protocol/codec';
import { ApiKey, ErrorCode } from '../src/protocol/constants';
import { encodeRequest, kafkaFor, memoryLogger, RawClient, startTestBroker, uid, type TestBroker } from './helpers';

let broker: TestBroker;
let admin: Admin;

beforeAll(async () => {
  broker = await startTestBroker();
  admin = kafkaFor(broker.brokers).admin();
  await admin.connect();
});

afterAll(async () => {
  await admin?.disconnect();
  await broker?.stop();
});

/** The broker still serves a real client. */
async function stillServing(): Promise<void> {
  const topic = uid('alive');
  await admin.createTopics({ topics: [{ topic }] });
  expect(await admin.listTopics()).toContain(topic);
}

function parseApiVersions(frame: Buffer) {
  const r = new Reader(frame);
  const correlationId = r.int32();
  const error = r.int16();
  const apis = r.array((x) => ({ key: x.int16(), min: x.int16(), max: x.int16() }));
  return { correlationId, error, apis };
}

describe('robustness', { timeout: 20_000 }, () => {
  it('closes the connection on garbage bytes and keeps serving others', async () => {
    const raw = await RawClient.connect(broker.port);
    raw.send(Buffer.from([0x00, 0x00, 0x00, 0x09, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04, 0x05]));
    await raw.waitClosed();
    await stillServing();
  });

  it('closes on absurd or negative frame sizes', async () => {
    for (const size of [0x7fffffff, -5, 3]) {
      const raw = await RawClient.connect(broker.port);
      const b = Buffer.alloc(8);
      b.writeInt32BE(size, 0);
      raw.send(b);
      await raw.waitClosed();
    }
    await stillServing();
  });

  it('closes on a truncated request body and on unknown api keys', async () => {
    const truncated = await RawClient.connect(broker.port);
    // Metadata v1 claiming 5 topics but carrying none.
    truncated.send(encodeRequest(ApiKey.Metadata, 1, 1, new Writer().int32(5).toBuffer()));
    await truncated.waitClosed();

    const unknown = await RawClient.connect(broker.port);
    unknown.send(encodeRequest(999, 0, 1, Buffer.alloc(0)));
    await unknown.waitClosed();

    const badVersion = await RawClient.connect(broker.port);
    badVersion.send(encodeRequest(ApiKey.Fetch, 11, 1, Buffer.alloc(0)));
    await badVersion.waitClosed();

    expect(broker.logger.lines.some((l) => l.includes('malformed request'))).toBe(true);
    expect(broker.logger.lines.some((l) => l.includes('unsupported api key 999'))).toBe(true);
    await stillServing();
  });

  it('answers ApiVersions v3 with UNSUPPORTED_VERSION in a v0-shaped body, and v2 normally', async () => {
    const raw = await RawClient.connect(broker.port);
    raw.send(encodeRequest(ApiKey.ApiVersions, 3, 7, Buffer.from([0, 0, 0])));
    const v3 = parseApiVersions(await raw.nextFrame());
    expect(v3.correlationId).toBe(7);
    expect(v3.error).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect(v3.apis).toContainEqual({ key: ApiKey.ApiVersions, min: 0, max: 2 });

    raw.send(encodeRequest(ApiKey.ApiVersions, 2, 8, Buffer.alloc(0)));
    const v2 = parseApiVersions(await raw.nextFrame());
    expect(v2.error).toBe(ErrorCode.NONE);
    expect(v2.apis).toContainEqual({ key: ApiKey.Produce, min: 3, max: 3 });
    expect(v2.apis).toContainEqual({ key: ApiKey.Fetch, min: 4, max: 4 });
    expect(v2.apis.find((a) => a.key === 22)).toBeUndefined(); // no InitProducerId: no idempotence
    raw.close();
  });

  it('rejects a corrupt record batch with CORRUPT_MESSAGE and keeps the connection', async () => {
    const topic = uid('corrupt');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const raw = await RawClient.connect(broker.port);
    const body = new Writer()
      .nullableString(null)
      .int16(1)
      .int32(1000)
      .array([topic], (w, t) => w.string(t).array([0], (w2, p) => w2.int32(p).bytes(Buffer.alloc(70, 1))))
      .toBuffer();
    raw.send(encodeRequest(ApiKey.Produce, 3, 42, body));
    const r = new Reader(await raw.nextFrame());
    expect(r.int32()).toBe(42);
    const res = r.array((x) => ({ name: x.string(), parts: x.array((y) => ({ p: y.int32(), err: y.int16() })) }));
    expect(res[0]!.parts[0]!.err).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(raw.closed).toBe(false);
    raw.close();
  });

  it('answers pipelined requests in order', async () => {
    const raw = await RawClient.connect(broker.port);
    raw.send(Buffer.concat([1, 2, 3].map((id) => encodeRequest(ApiKey.ApiVersions, 0, id, Buffer.alloc(0)))));
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(parseApiVersions(await raw.nextFrame()).correlationId);
    expect(ids).toEqual([1, 2, 3]);
    raw.close();
  });

  it('stop() returns promptly while a fetch is parked', async () => {
    const b = await startBroker({ logger: memoryLogger() });
    const topic = uid('parked');
    const a = kafkaFor(b.brokers).admin();
    await a.connect();
    await a.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await a.disconnect();
    const raw = await RawClient.connect(b.port);
    // Fetch v4 at the log end with a 60 s max wait: parks.
    const fetch = new Writer()
      .int32(-1)
      .int32(60_000)
      .int32(1)
      .int32(1 << 20)
      .int8(0)
      .array([topic], (w, t) =>
        w.string(t).array([0], (w2, p) =>
          w2
            .int32(p)
            .int64(0)
            .int32(1 << 20),
        ),
      )
      .toBuffer();
    raw.send(encodeRequest(ApiKey.Fetch, 4, 1, fetch));
    const started = systemClock.millis();
    await b.stop();
    await raw.waitClosed();
    expect(systemClock.millis() - started).toBeLessThan(2000);
  });
});
