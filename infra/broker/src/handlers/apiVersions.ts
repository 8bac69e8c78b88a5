/** ApiVersions (18) v0–v2: tells clients which API versions to use. */
import { Writer } from '../protocol/codec';
import { ErrorCode } from '../protocol/constants';
import type { ApiSpec, Handler } from './types';

function writeVersions(w: Writer, apis: ReadonlyMap<number, ApiSpec>): void {
  const list = [...apis.values()].sort((a, b) => a.key - b.key);
  w.array(list, (w2, a) => w2.int16(a.key).int16(a.minVersion).int16(a.maxVersion));
}

/** v0-shaped reply with UNSUPPORTED_VERSION, for clients probing with a newer version. */
export function apiVersionsError(apis: ReadonlyMap<number, ApiSpec>): Buffer {
  const w = new Writer().int16(ErrorCode.UNSUPPORTED_VERSION);
  writeVersions(w, apis);
  return w.toBuffer();
}

export function makeApiVersionsHandler(apis: () => ReadonlyMap<number, ApiSpec>): Handler {
  return (_ctx, req) => {
    const w = new Writer().int16(ErrorCode.NONE);
    writeVersions(w, apis());
    if (req.apiVersion >= 1) w.int32(0); // throttle_time_ms: always 0, kafkajs throttles itself otherwise
    return w.toBuffer();
  };
}
