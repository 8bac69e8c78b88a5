/**
 * Minimal Kafka primitive-type codec (non-flexible versions only: we never
 * advertise a flexible API version, so no compact types or tagged fields).
 */

/** Thrown when a request is shorter than its own fields claim: the connection is closed. */
export class ProtocolError extends Error {}

export class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  get offset(): number {
    return this.pos;
  }
  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private take(n: number): number {
    if (n < 0 || this.pos + n > this.buf.length) {
      throw new ProtocolError(`read of ${n} bytes at ${this.pos} past end (${this.buf.length})`);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.take(1));
  }
  int16(): number {
    return this.buf.readInt16BE(this.take(2));
  }
  int32(): number {
    return this.buf.readInt32BE(this.take(4));
  }
  int64(): bigint {
    return this.buf.readBigInt64BE(this.take(8));
  }
  bool(): boolean {
    return this.int8() !== 0;
  }

  nullableString(): string | null {
    const len = this.int16();
    if (len === -1) return null;
    if (len < -1) throw new ProtocolError(`bad string length ${len}`);
    const at = this.take(len);
    return this.buf.toString('utf8', at, at + len);
  }
  string(): string {
    const s = this.nullableString();
    if (s === null) throw new ProtocolError('null where a string is required');
    return s;
  }

  /** Returns a view (no copy) into the request buffer. */
  nullableBytes(): Buffer | null {
    const len = this.int32();
    if (len === -1) return null;
    if (len < -1) throw new ProtocolError(`bad bytes length ${len}`);
    const at = this.take(len);
    return this.buf.subarray(at, at + len);
  }
  bytes(): Buffer {
    return this.nullableBytes() ?? Buffer.alloc(0);
  }

  nullableArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.int32();
    if (n === -1) return null;
    // Each element takes at least one byte, so a count above the remaining
    // length is certainly malformed; checking it avoids huge allocations.
    if (n < -1 || n > this.remaining) throw new ProtocolError(`bad array length ${n}`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }
  array<T>(item: (r: Reader) => T): T[] {
    return this.nullableArray(item) ?? [];
  }

  // ---- flexible-version types (only SaslAuthenticate v2 uses them here) ----

  /** Unsigned LEB128 varint, at most 5 bytes (an int32). */
  unsignedVarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.buf.readUInt8(this.take(1));
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
    throw new ProtocolError('varint longer than 5 bytes');
  }
  compactNullableBytes(): Buffer | null {
    const n = this.unsignedVarint();
    if (n === 0) return null;
    const at = this.take(n - 1);
    return this.buf.subarray(at, at + n - 1);
  }
  compactNullableString(): string | null {
    const b = this.compactNullableBytes();
    return b === null ? null : b.toString('utf8');
  }
  /** Skips a tagged-field section (we know no tags, so all are ignored). */
  taggedFields(): void {
    const count = this.unsignedVarint();
    if (count > this.remaining) throw new ProtocolError(`bad tagged field count ${count}`);
    for (let i = 0; i < count; i++) {
      this.unsignedVarint(); // tag
      const size = this.unsignedVarint();
      this.take(size);
    }
  }
}

/** Growable big-endian writer. */
export class Writer {
  private buf: Buffer;
  private pos = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  /** Reserves n bytes and returns their position. Call it before reading
   * `this.buf`: it may replace the buffer. */
  private room(n: number): number {
    if (this.pos + n > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
      this.buf.copy(next, 0, 0, this.pos);
      this.buf = next;
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  int8(v: number): this {
    const at = this.room(1);
    this.buf.writeInt8(v, at);
    return this;
  }
  int16(v: number): this {
    const at = this.room(2);
    this.buf.writeInt16BE(v, at);
    return this;
  }
  int32(v: number): this {
    const at = this.room(4);
    this.buf.writeInt32BE(v, at);
    return this;
  }
  int64(v: bigint | number): this {
    const at = this.room(8);
    this.buf.writeBigInt64BE(BigInt(v), at);
    return this;
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  nullableString(s: string | null): this {
    if (s === null) return this.int16(-1);
    const len = Buffer.byteLength(s, 'utf8');
    this.int16(len);
    const at = this.room(len);
    this.buf.write(s, at, len, 'utf8');
    return this;
  }
  string(s: string): this {
    return this.nullableString(s);
  }

  nullableBytes(b: Buffer | null): this {
    if (b === null) return this.int32(-1);
    this.int32(b.length);
    return this.raw(b);
  }
  bytes(b: Buffer): this {
    return this.nullableBytes(b);
  }
  /** Length-prefixed concatenation of several buffers (Fetch record sets). */
  bytesList(parts: readonly Buffer[]): this {
    let len = 0;
    for (const p of parts) len += p.length;
    this.int32(len);
    for (const p of parts) this.raw(p);
    return this;
  }
  raw(b: Buffer): this {
    const at = this.room(b.length);
    b.copy(this.buf, at);
    return this;
  }

  unsignedVarint(v: number): this {
    let n = v >>> 0;
    for (;;) {
      const at = this.room(1);
      if (n < 0x80) {
        this.buf.writeUInt8(n, at);
        return this;
      }
      this.buf.writeUInt8((n & 0x7f) | 0x80, at);
      n >>>= 7;
    }
  }
  compactNullableBytes(b: Buffer | null): this {
    if (b === null) return this.unsignedVarint(0);
    this.unsignedVarint(b.length + 1);
    return this.raw(b);
  }
  compactNullableString(s: string | null): this {
    return this.compactNullableBytes(s === null ? null : Buffer.from(s, 'utf8'));
  }
  /** An empty tagged-field section. */
  noTaggedFields(): this {
    return this.unsignedVarint(0);
  }

  array<T>(items: readonly T[], item: (w: Writer, v: T) => void): this {
    this.int32(items.length);
    for (const v of items) item(this, v);
    return this;
  }

  toBuffer(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
