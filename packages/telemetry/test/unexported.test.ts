import { describe, expect, it } from 'vitest';
import { trace } from '@opentelemetry/api';
import { contextFromTraceparent, currentTraceparent, inSpan, setupTelemetry, traceLogFields } from '../src/index';

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
});
