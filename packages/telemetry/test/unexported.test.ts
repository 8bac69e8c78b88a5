import { describe, expect, it } from 'vitest';
import { context, trace } from '@opentelemetry/api';
import {
  addSpanExporter,
  contextFromTraceparent,
  currentTraceparent,
  InMemorySpanExporter,
  inSpan,
  setupTelemetry,
  tracer,
  traceLogFields,
} from '../src/index';

// As the gateway and every subgraph set it up, with no exporter attached.
setupTelemetry();

// No exporter attached in this file's process: spans must cost little yet still carry the ids.
describe('telemetry without an exporter', () => {
  it('records nothing but still gives logs and the next hop one trace id', async () => {
    const sent = await inSpan('producer', {}, async () => {
      expect(trace.getActiveSpan()?.isRecording()).toBe(false);
      expect(traceLogFields().trace_id).toMatch(/^[0-9a-f]{32}$/);
      return currentTraceparent();
    });
    expect(sent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    const traceId = sent!.split('-')[1];
    await inSpan('consumer', { parent: contextFromTraceparent(sent) }, async () => {
      expect(traceLogFields().trace_id).toBe(traceId);
    });
  });

  it('gives a span opened inside another the same ids, and one continuing a caller its own', async () => {
    const caller = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await inSpan('server', { parent: contextFromTraceparent(caller) }, async (server) => {
      const ids = server.spanContext();
      expect(ids.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(ids.spanId).not.toBe('b7ad6b7169203331');
      await inSpan('inner', {}, async (inner) => {
        expect(inner.spanContext()).toEqual(ids);
        expect(traceLogFields()).toEqual({ trace_id: ids.traceId, span_id: ids.spanId });
        expect(currentTraceparent()).toBe(`00-${ids.traceId}-${ids.spanId}-00`);
      });
      // A context given explicitly is the one the function runs in.
      const other = contextFromTraceparent('00-11111111111111111111111111111111-2222222222222222-01');
      const seen = await tracer().startActiveSpan('elsewhere', {}, other, async (span) => span.spanContext());
      expect(seen.traceId).toBe('11111111111111111111111111111111');
      // A new root starts a trace of its own.
      const root = tracer().startSpan('root', { root: true });
      expect(root.spanContext().traceId).not.toBe(ids.traceId);
      expect(trace.getSpan(context.active())).toBe(server);
    });
  });

  it('records each nested span apart again once an exporter is attached', async () => {
    const exporter = new InMemorySpanExporter();
    const detach = addSpanExporter(exporter);
    try {
      await inSpan('outer', {}, () => inSpan('inner', {}, async () => undefined));
    } finally {
      detach();
    }
    const [inner, outer] = exporter.getFinishedSpans();
    expect([inner?.name, outer?.name]).toEqual(['inner', 'outer']);
    expect(inner!.parentSpanContext?.spanId).toBe(outer!.spanContext().spanId);
    expect(inner!.spanContext().spanId).not.toBe(outer!.spanContext().spanId);
  });
});
