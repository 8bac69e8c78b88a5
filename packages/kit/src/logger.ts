import { pino, type Logger } from 'pino';

export type { Logger };

/** `level` comes from the entry point's settings (LOG_LEVEL, read by its env.ts). */
export function createLogger(name: string, level = 'info'): Logger {
  return pino({ name, level });
}
