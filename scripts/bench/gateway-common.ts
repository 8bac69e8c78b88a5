/**
 * What the gateway benchmark's processes share: the argument each gateway process gets, the
 * caller the load speaks for, and the credential hook the baselines carry.
 */
import type { RateLimit } from '../../gateway/src/rate-limit';
import { signGatewayCredential, type Identity } from '@onecheck/auth';
import { systemClock } from '@onecheck/clock';

/** The argument (JSON, argv[2]) of every gateway process of the benchmark. */
export interface GatewayArgs {
  port: number;
  urls: { market: string; approval: string; credit: string };
  /** Department code → instance URL; the stock and Hive baselines use only `single`'s. */
  departments: Record<string, string>;
  /** The department instance the baselines point their one department subgraph at. */
  single: string;
  issuerSecret: string;
  gatewaySecret: string;
}

/** The caller of every benchmark request: the 双随机 office, which may read every department's items. */
export const BENCH_IDENTITY: Identity = { sub: 'bench-office', role: 'office', department: 'MARKET', name: '基准' };

export const encode = (s: string) => new TextEncoder().encode(s);

/**
 * The bench drives one token at thousands of requests a second: the gateway's rate limit is
 * relaxed so far that it never refuses, yet still runs (its cost is measured). Printed in the report.
 */
export const BENCH_RATE_LIMIT: RateLimit = {
  perMinute: 100_000_000,
  burst: 1_000_000,
  anonymousPerMinute: 100_000_000,
  anonymousBurst: 1_000_000,
};

/**
 * The baselines' one hook: the gateway credential for the benchmark's caller, signed once and
 * signed again after a minute (it lives two), so the baselines pay what our cached credential pays.
 */
export function credentialHook(secret: string): () => Promise<string> {
  let signed: { at: number; value: Promise<string> } | undefined;
  return () => {
    const now = systemClock.millis();
    if (!signed || now - signed.at > 60_000) {
      signed = { at: now, value: signGatewayCredential(encode(secret), BENCH_IDENTITY, systemClock) };
    }
    return signed.value;
  };
}

/** The supergraph with each subgraph's URL replaced by where it runs in this benchmark. */
export function pointSupergraph(sdl: string, args: GatewayArgs): string {
  const url: Record<string, string> = { ...args.urls, department: args.departments[args.single]! };
  return sdl.replace(/@join__graph\(name: "(\w+)", url: "[^"]*"\)/g, (_m, name: string) => {
    if (!url[name]) throw new Error(`no URL for subgraph ${name}`);
    return `@join__graph(name: "${name}", url: "${url[name]}")`;
  });
}
