/**
 * TCP server and per-connection request pipeline.
 *
 * Framing: request  = i32 size | i16 api_key | i16 api_version | i32 correlation_id | nullable-string client_id | body
 *          response = i32 size | i32 correlation_id | body
 * Each connection handles its requests strictly one after another (Kafka
 * semantics: clients match responses by correlation id but expect order), so
 * a parked request (Fetch long-poll, JoinGroup, SyncGroup) only delays its
 * own socket. Anything malformed closes that socket, never the process.
 *
 * Limits (config.ts BrokerLimits): connections in total and per remote address (new ones
 * beyond them are closed at once), frame size (checked on the length prefix, before anything
 * is buffered; smaller before authentication), a partial-frame timeout, an idle timeout, an
 * authentication deadline and an optional request rate. While authentication is required, a
 * connection may send only ApiVersions, SaslHandshake and SaslAuthenticate; anything else
 * closes it, as Kafka does.
 *
 * TLS (`tls` option): the limits apply to the TCP connection first; only an admitted socket is
 * wrapped in TLS, so a flood of handshakes costs no more than a flood of plain connections.
 */
import net from 'node:net';
import tls from 'node:tls';
import { systemClock } from '@onecheck/clock';
import { ANONYMOUS } from './auth/access';
import type { Logger } from './config';
import { ProtocolError, Reader } from './protocol/codec';
import { ApiKey } from './protocol/constants';
import { apiVersionsError } from './handlers/apiVersions';
import type { ApiSpec, BrokerContext, RequestContext, Session } from './handlers/types';

/** The requests a connection may send before it has authenticated. */
const PRE_AUTH_APIS: ReadonlySet<number> = new Set([ApiKey.ApiVersions, ApiKey.SaslHandshake, ApiKey.SaslAuthenticate]);
/** Reading pauses while this many requests wait (TCP pushes back on the client). */
const MAX_QUEUED_REQUESTS = 32;

// Timing is wall-clock real time, whatever clock the services run on.
const now = () => systemClock.millis();

class Connection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Size of the frame being received, or -1 while its length prefix is incomplete. */
  private expected = -1;
  private readonly queue: Buffer[] = [];
  private running = false;
  private closed = false;
  private readonly abort = new AbortController();
  private readonly name: string;
  readonly address: string;
  readonly session: Session = { principal: null, sasl: null, closeAfterResponse: false };
  private readonly openedAt = now();
  /** Last time bytes arrived or a request finished. */
  private lastActivity = now();
  /** When the frame now being received started (-1: none in progress). */
  private frameStartedAt = -1;
  /** Token bucket for maxRequestsPerSecond. */
  private tokens = 0;
  private tokensAt = now();

  constructor(
    private readonly socket: net.Socket,
    private readonly server: BrokerServer,
  ) {
    this.address = socket.remoteAddress ?? '';
    this.name = `${socket.remoteAddress}:${socket.remotePort}`;
    this.tokens = server.ctx.cfg.limits.maxRequestsPerSecond;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.server.logger.info(`connection ${this.name}: ${err.message}`));
    socket.on('close', () => this.destroy());
  }

  /** Closes the connection; `graceful` lets already written responses reach the client first. */
  destroy(graceful = false): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.chunks = [];
    this.abort.abort();
    if (graceful) {
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 1000).unref();
    } else {
      this.socket.destroy();
    }
    this.server.forget(this);
  }

  /** Whether the connection still has to authenticate before sending anything but SASL. */
  get mustAuthenticate(): boolean {
    const cfg = this.server.ctx.cfg;
    return cfg.users.size > 0 && !cfg.allowAnonymous && this.session.principal === null;
  }

  /** Called by the server's sweeper: closes a connection past one of its deadlines. */
  checkTimeouts(at: number): void {
    const limits = this.server.ctx.cfg.limits;
    let reason: string | null = null;
    if (this.mustAuthenticate && at - this.openedAt > limits.authTimeoutMs) reason = 'did not authenticate in time';
    else if (
      this.frameStartedAt >= 0 &&
      !this.socket.isPaused() &&
      at - this.frameStartedAt > limits.partialFrameTimeoutMs
    ) {
      reason = `sent ${this.buffered} bytes of a frame and stalled`;
    } else if (
      !this.running &&
      this.queue.length === 0 &&
      this.buffered === 0 &&
      at - this.lastActivity > limits.idleTimeoutMs
    ) {
      reason = 'idle';
    }
    if (reason) {
      this.server.logger.info(`connection ${this.name}: ${reason}, closing`);
      this.destroy();
    }
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.lastActivity = now();
    if (this.frameStartedAt < 0) this.frameStartedAt = this.lastActivity;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < 4) return;
        const head = this.compact();
        const size = head.readInt32BE(0);
        const limits = this.server.ctx.cfg.limits;
        const max = this.mustAuthenticate ? limits.maxUnauthenticatedFrameBytes : limits.maxFrameBytes;
        // 8 bytes is the smallest possible header (key, version, correlation id). A larger
        // size than allowed closes the connection now, before any of the frame is kept.
        if (size < 8 || size > max) {
          this.server.logger.warn(`connection ${this.name}: bad frame size ${size} (limit ${max}), closing`);
          this.destroy();
          return;
        }
        this.expected = size;
      }
      if (this.buffered < 4 + this.expected) return;
      const all = this.compact();
      this.queue.push(all.subarray(4, 4 + this.expected));
      const rest = all.subarray(4 + this.expected);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
      this.expected = -1;
      this.frameStartedAt = rest.length > 0 ? now() : -1;
      if (this.queue.length >= MAX_QUEUED_REQUESTS) this.socket.pause();
      void this.run();
    }
  }

  /** Waits for a token of the per-connection request rate (a throttle, like Kafka's quotas). */
  private async throttle(): Promise<void> {
    const rate = this.server.ctx.cfg.limits.maxRequestsPerSecond;
    if (rate <= 0) return;
    for (;;) {
      const at = now();
      this.tokens = Math.min(rate, this.tokens + ((at - this.tokensAt) * rate) / 1000);
      this.tokensAt = at;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(((1 - this.tokens) * 1000) / rate)));
      if (this.closed) return;
    }
  }

  private compact(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0]!;
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.closed) {
        const frame = this.queue.shift();
        if (!frame) break;
        if (this.queue.length < MAX_QUEUED_REQUESTS / 2) this.socket.resume();
        await this.throttle();
        if (this.closed) break;
        await this.handle(frame);
        this.lastActivity = now();
        if (this.session.closeAfterResponse) {
          // Let the refusal reach the client, then close (Kafka closes after a failed SASL).
          this.destroy(true);
        }
      }
    } catch (err) {
      if (err instanceof ProtocolError) {
        this.server.logger.warn(`connection ${this.name}: malformed request (${err.message}), closing`);
      } else {
        this.server.logger.error(`connection ${this.name}: request failed, closing`, err);
      }
      this.destroy();
    } finally {
      this.running = false;
    }
  }

  private async handle(frame: Buffer): Promise<void> {
    const r = new Reader(frame);
    const apiKey = r.int16();
    const apiVersion = r.int16();
    const correlationId = r.int32();
    const clientId = r.nullableString() ?? '';
    if (this.mustAuthenticate && !PRE_AUTH_APIS.has(apiKey)) {
      this.server.logger.warn(
        `connection ${this.name}: api key ${apiKey} from "${clientId}" before authentication, closing`,
      );
      this.destroy();
      return;
    }
    const spec = this.server.apis.get(apiKey);
    if (!spec) {
      this.server.logger.warn(`connection ${this.name}: unsupported api key ${apiKey} from "${clientId}", closing`);
      this.destroy();
      return;
    }
    if (apiVersion < spec.minVersion || apiVersion > spec.maxVersion) {
      if (apiKey === ApiKey.ApiVersions) {
        // Clients probe with their newest ApiVersions; the v0-shaped error
        // reply lists what we support so they retry with a version we know.
        this.send(correlationId, apiVersionsError(this.server.apis));
        return;
      }
      this.server.logger.warn(
        `connection ${this.name}: ${spec.name} v${apiVersion} not supported (v${spec.minVersion}-${spec.maxVersion}), closing`,
      );
      this.destroy();
      return;
    }
    const req: RequestContext = {
      apiKey,
      apiVersion,
      correlationId,
      clientId,
      clientHost: `/${this.socket.remoteAddress ?? ''}`,
      signal: this.abort.signal,
      session: this.session,
      principal: this.session.principal ?? ANONYMOUS,
    };
    const body = await spec.handle(this.server.ctx, req, r);
    if (body !== null) this.send(correlationId, body);
  }

  private send(correlationId: number, body: Buffer): void {
    if (this.closed) return;
    const head = Buffer.allocUnsafe(8);
    head.writeInt32BE(body.length + 4, 0);
    head.writeInt32BE(correlationId, 4);
    this.socket.cork();
    this.socket.write(head);
    this.socket.write(body);
    this.socket.uncork();
  }
}

export interface ServerStats {
  /** Open connections now. */
  connections: number;
  /** Connections closed at once because a connection limit was reached, since start. */
  refusedConnections: number;
}

export class BrokerServer {
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();
  private readonly perAddress = new Map<string, number>();
  private refused = 0;
  private refusedUnlogged = 0;
  private readonly sweeper: NodeJS.Timeout;
  private readonly secureContext: tls.SecureContext | null;
  readonly logger: Logger;

  constructor(
    readonly ctx: BrokerContext,
    readonly apis: ReadonlyMap<number, ApiSpec>,
  ) {
    this.logger = ctx.cfg.logger;
    const t = ctx.cfg.tls;
    this.secureContext = t ? tls.createSecureContext({ key: t.key, cert: t.cert, minVersion: 'TLSv1.2' }) : null;
    this.server = net.createServer((socket) => this.admit(socket));
    const limits = ctx.cfg.limits;
    // One timer for every connection's deadlines; a quarter of the shortest keeps them tight.
    const every = Math.max(
      50,
      Math.min(1000, limits.partialFrameTimeoutMs / 4, limits.authTimeoutMs / 4, limits.idleTimeoutMs / 4),
    );
    this.sweeper = setInterval(() => this.sweep(), every);
    this.sweeper.unref();
  }

  /** Accepts a socket unless a connection limit is reached, in which case it is closed at once. */
  private admit(socket: net.Socket): void {
    const limits = this.ctx.cfg.limits;
    const address = socket.remoteAddress ?? '';
    const fromAddress = this.perAddress.get(address) ?? 0;
    if (
      this.connections.size >= limits.maxConnections ||
      fromAddress >= limits.maxConnectionsPerAddress ||
      this.unauthenticated() >= limits.maxUnauthenticatedConnections
    ) {
      this.refused++;
      this.refusedUnlogged++;
      socket.on('error', () => {});
      socket.destroy();
      return;
    }
    this.perAddress.set(address, fromAddress + 1);
    const secure = this.secureContext
      ? new tls.TLSSocket(socket, { isServer: true, secureContext: this.secureContext })
      : socket;
    this.connections.add(new Connection(secure, this));
  }

  /** Connections that must still sign in (none when no authentication is required); counted on a new socket only. */
  private unauthenticated(): number {
    let n = 0;
    for (const c of this.connections) if (c.mustAuthenticate) n++;
    return n;
  }

  private sweep(): void {
    const at = now();
    for (const c of [...this.connections]) c.checkTimeouts(at);
    if (this.refusedUnlogged > 0) {
      // One line per sweep, not one per refused socket: a flood must not flood the log too.
      this.logger.warn(`refused ${this.refusedUnlogged} connection(s): connection limit reached`);
      this.refusedUnlogged = 0;
    }
  }

  stats(): ServerStats {
    return { connections: this.connections.size, refusedConnections: this.refused };
  }

  forget(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    const left = (this.perAddress.get(conn.address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(conn.address, left);
    else this.perAddress.delete(conn.address);
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen({ host, port, backlog: 511 }, () => {
        this.server.off('error', onError);
        this.server.on('error', (err) => this.logger.error('server error', err));
        const addr = this.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  /** Stops accepting, drops every connection (aborting parked requests) and waits for the close. */
  close(): Promise<void> {
    clearInterval(this.sweeper);
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const c of [...this.connections]) c.destroy();
    });
  }
}
