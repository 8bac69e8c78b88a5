import type { MessageKey, MessageParams } from '@onecheck/i18n';

/** A refusal before GraphQL runs: its HTTP status and, for callers, a stable code and a catalogue message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly facts?: { code: string; messageKey: MessageKey; params?: MessageParams },
  ) {
    super(message);
  }
}
