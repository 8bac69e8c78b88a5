import { afterAll, describe, expect, it } from 'vitest';
import {
  InMemorySpanExporter,
  SpanKind,
  addSpanExporter,
  contextFromTraceparent,
  currentTraceparent,
  inSpan,
  traceLogFields,
} from '../src/index';

const exporter = new InMemorySpanExporter();
const detach = addSpanExporter(exporter);
afterAll(detach);

describe('telemetry', () => {
  it('carries one trace through a traceparent to a child span', async () => {
    const sent = await inSpan('producer', {}, async () => {
      expect(traceLogFields().trace_id).toMatch(/^[0-9a-f]{32}$/);
      return currentTraceparent();
    });
    expect(sent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await inSpan('consumer', { kind: SpanKind.CONSUMER, parent: contextFromTraceparent(sent) }, async () => {});
    const [producer, consumer] = exporter.getFinishedSpans();
    expect(consumer!.spanContext().traceId).toBe(producer!.spanContext().traceId);
    expect(consumer!.parentSpanContext?.spanId).toBe(producer!.spanContext().spanId);
  });

  it('has no trace fields and no traceparent outside a span', () => {
    expect(traceLogFields()).toEqual({});
    expect(currentTraceparent()).toBeUndefined();
  });

  it('records a failure on the span and rethrows it', async () => {
    exporter.reset();
    await expect(inSpan('fails', {}, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(exporter.getFinishedSpans()[0]!.status.code).toBe(2);
  });
});
