import { pino, type Logger } from 'pino';
import { traceLogFields } from '@onecheck/telemetry';

export type { Logger };

/** `level` comes from the entry point's settings (LOG_LEVEL, read by its env.ts). */
export function createLogger(name: string, level = 'info'): Logger {
  return pino({ name, level, mixin: traceLogFields }); // trace_id/span_id of the active span on every line
}
