/**
 * SaslHandshake (17) v0–v1 and SaslAuthenticate (36) v0–v2: SCRAM-SHA-256/512 over the
 * Kafka protocol, as kafkajs and librdkafka speak it.
 *
 * Flow: SaslHandshake {mechanism} → {error, enabled mechanisms}; then each SASL message in
 * a SaslAuthenticate {auth_bytes} → {error, message, auth_bytes, session_lifetime_ms (v1+)}.
 * SaslHandshake v0 announces the pre-1.0 framing (raw SASL tokens without a Kafka header);
 * that is not supported: the next frame is not a Kafka request and the connection is closed.
 * A failed authentication answers SASL_AUTHENTICATION_FAILED (58) and closes, like Kafka.
 */
import { Writer, type Reader } from '../protocol/codec';
import { ErrorCode } from '../protocol/constants';
import { isScramMechanism, ScramError, ScramServerExchange, SCRAM_MECHANISMS } from '../auth/scram';
import type { Handler, RequestContext } from './types';

/** Mechanisms offered: none while no users are configured (authentication is off). */
function enabledMechanisms(users: ReadonlyMap<string, unknown>): string[] {
  return users.size > 0 ? [...SCRAM_MECHANISMS] : [];
}

export const saslHandshake: Handler = (ctx, req, r) => {
  const mechanism = r.string();
  const enabled = enabledMechanisms(ctx.cfg.users);
  const w = new Writer();
  let error: number = ErrorCode.NONE;
  if (req.session.sasl !== null || req.session.principal !== null) {
    // One handshake per connection (no re-authentication: sessions never expire here).
    error = ErrorCode.ILLEGAL_SASL_STATE;
  } else if (!enabled.includes(mechanism)) {
    error = ErrorCode.UNSUPPORTED_SASL_MECHANISM;
  } else {
    req.session.sasl = { mechanism, handshakeVersion: req.apiVersion, exchange: null };
  }
  if (error !== ErrorCode.NONE) {
    ctx.cfg.logger.info(`SaslHandshake ${JSON.stringify(mechanism)} from ${req.clientHost} refused (error ${error})`);
  }
  w.int16(error).array(enabled, (w2, m) => w2.string(m));
  return w.toBuffer();
};

/** v2 is a flexible version: compact types and tagged fields, in the header too. */
function readAuthBytes(req: RequestContext, r: Reader): Buffer {
  if (req.apiVersion < 2) return r.bytes();
  r.taggedFields(); // request header v2's tagged fields follow the client id
  const bytes = r.compactNullableBytes() ?? Buffer.alloc(0);
  r.taggedFields();
  return bytes;
}

function reply(req: RequestContext, error: number, message: string | null, auth: Buffer): Buffer {
  const w = new Writer();
  if (req.apiVersion >= 2) {
    w.noTaggedFields(); // response header v1: tagged fields after the correlation id
    w.int16(error).compactNullableString(message).compactNullableBytes(auth).int64(0).noTaggedFields();
    return w.toBuffer();
  }
  w.int16(error).nullableString(message).bytes(auth);
  if (req.apiVersion >= 1) w.int64(0); // session_lifetime_ms: 0 = the session never expires
  return w.toBuffer();
}

export const saslAuthenticate: Handler = (ctx, req, r) => {
  const authBytes = readAuthBytes(req, r);
  const sasl = req.session.sasl;
  const fail = (error: number, message: string, reason = message) => {
    ctx.cfg.logger.warn(`SASL authentication from ${req.clientHost} failed: ${reason}`);
    req.session.closeAfterResponse = true;
    return reply(req, error, message, Buffer.alloc(0));
  };
  if (!sasl || req.session.principal !== null) {
    return fail(ErrorCode.ILLEGAL_SASL_STATE, 'SaslAuthenticate without a SaslHandshake, or after authentication');
  }
  if (!isScramMechanism(sasl.mechanism)) return fail(ErrorCode.UNSUPPORTED_SASL_MECHANISM, 'Unsupported mechanism');
  let exchange = sasl.exchange as ScramServerExchange | null;
  try {
    if (exchange === null) {
      const mechanism = sasl.mechanism;
      exchange = new ScramServerExchange(mechanism, (user) => ctx.cfg.users.get(user)?.[mechanism]);
      sasl.exchange = exchange;
      return reply(req, ErrorCode.NONE, null, Buffer.from(exchange.first(authBytes.toString('utf8'))));
    }
    const { reply: serverFinal, user } = exchange.final(authBytes.toString('utf8'));
    req.session.principal = user;
    ctx.cfg.logger.info(`${req.clientHost} authenticated as ${user} (${sasl.mechanism})`);
    return reply(req, ErrorCode.NONE, null, Buffer.from(serverFinal));
  } catch (err) {
    if (!(err instanceof ScramError)) throw err;
    // Kafka's wording; the reason stays in our log, not in the answer.
    return fail(
      ErrorCode.SASL_AUTHENTICATION_FAILED,
      `Authentication failed during authentication due to invalid credentials with SASL mechanism ${sasl.mechanism}`,
      err.message,
    );
  }
};
