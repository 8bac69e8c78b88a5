/**
 * TCP server and per-connection request pipeline.
 *
 * Framing: request  = i32 size | i16 api_key | i16 api_version | i32 correlation_id | nullable-string client_id | body
 *          response = i32 size | i32 correlation_id | body
 * Each connection handles its requests strictly one after another (Kafka
 * semantics: clients match responses by correlation id but expect order), so
 * a parked request (Fetch long-poll, JoinGroup, SyncGroup) only delays its
 * own socket. Anything malformed closes that socket, never the process.
 */
import net from 'node:net';
import type { Logger } from './config';
import { ProtocolError, Reader } from './protocol/codec';
import { ApiKey } from './protocol/constants';
import { apiVersionsError } from './handlers/apiVersions';
import type { ApiSpec, BrokerContext, RequestContext } from './handlers/types';

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

  constructor(
    private readonly socket: net.Socket,
    private readonly server: BrokerServer,
  ) {
    this.name = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.server.logger.info(`connection ${this.name}: ${err.message}`));
    socket.on('close', () => this.destroy());
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.chunks = [];
    this.abort.abort();
    this.socket.destroy();
    this.server.forget(this);
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < 4) return;
        const head = this.compact();
        const size = head.readInt32BE(0);
        // 8 bytes is the smallest possible header (key, version, correlation id).
        if (size < 8 || size > this.server.ctx.cfg.maxRequestBytes) {
          this.server.logger.warn(`connection ${this.name}: bad frame size ${size}, closing`);
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
      void this.run();
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
        await this.handle(frame);
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

export class BrokerServer {
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();
  readonly logger: Logger;

  constructor(
    readonly ctx: BrokerContext,
    readonly apis: ReadonlyMap<number, ApiSpec>,
  ) {
    this.logger = ctx.cfg.logger;
    this.server = net.createServer((socket) => {
      this.connections.add(new Connection(socket, this));
    });
  }

  forget(conn: Connection): void {
    this.connections.delete(conn);
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen({ host, port }, () => {
        this.server.off('error', onError);
        this.server.on('error', (err) => this.logger.error('server error', err));
        const addr = this.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  /** Stops accepting, drops every connection (aborting parked requests) and waits for the close. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const c of [...this.connections]) c.destroy();
    });
  }
}
