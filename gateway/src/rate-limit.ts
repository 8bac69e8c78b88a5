/**
 * Rate limiting at the gateway (issue 8 item 4): each bearer token has its own budget, and so has
 * each client address for callers without one. A token bucket per key: `burst` requests at once,
 * refilled at `perMinute`. A made-up token gets a budget of its own, but is refused with 401 after
 * one signature check and reaches no subgraph (a flood of them is for the network edge to stop).
 */
import { createHash } from 'node:crypto';
import type { Clock } from '@onecheck/clock';

export interface RateLimit {
  /** Sustained requests per minute for one token. */
  perMinute: number;
  /** Requests one token may make at once before the sustained rate applies. */
  burst: number;
  /** The same for one client address without a (valid) token. */
  anonymousPerMinute: number;
  anonymousBurst: number;
}

/** Defaults: a department system's busiest screen makes a few requests a second; scripts paging everything stay well inside. */
export const DEFAULT_RATE_LIMIT: RateLimit = {
  perMinute: 600,
  burst: 120,
  anonymousPerMinute: 120,
  anonymousBurst: 30,
};

/** Keys remembered at most; a full table forgets its oldest key first (a forgotten key starts full, never empty). */
const MAX_KEYS = 100_000;

interface Bucket {
  tokens: number;
  at: number;
}

export interface Limiter {
  /** Takes one request from the key's budget; `retryAfter` seconds when there is none left. */
  take(key: string, anonymous: boolean): { ok: true } | { ok: false; retryAfter: number };
}

export function createLimiter(limit: RateLimit, clock: Clock): Limiter {
  const buckets = new Map<string, Bucket>();
  return {
    take(key, anonymous) {
      const perMinute = anonymous ? limit.anonymousPerMinute : limit.perMinute;
      const burst = anonymous ? limit.anonymousBurst : limit.burst;
      const now = clock.millis();
      const perMs = perMinute / 60_000;
      const bucket = buckets.get(key) ?? { tokens: burst, at: now };
      bucket.tokens = Math.min(burst, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
      bucket.at = now;
      buckets.delete(key);
      if (buckets.size >= MAX_KEYS) buckets.delete(buckets.keys().next().value!);
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfter: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
    },
  };
}

/** A token's key: its hash, so the table never holds a usable credential. */
export const tokenKey = (token: string) => `token:${createHash('sha256').update(token).digest('base64url')}`;
export const addressKey = (address: string | undefined) => `address:${address ?? 'unknown'}`;
