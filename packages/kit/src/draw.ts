/**
 * The 双随机 draw's one keyed ordering (docs/draw.md), shared by the office's target draw, each
 * department's inspector draw and verify-draw: HMAC-SHA256 keyed by the seed's 32 bytes (the seed
 * as 64 hex characters) over a UTF-8 message, as lower-case hex. Lower draws first.
 */
import { createHmac } from 'node:crypto';

export const drawHmac = (seedHex: string, message: string): string =>
  createHmac('sha256', Buffer.from(seedHex, 'hex')).update(message, 'utf8').digest('hex');
