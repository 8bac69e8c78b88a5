/**
 * Committed consumer-group offsets. In file mode every commit is appended as
 * one JSON line to <dataDir>/offsets.log (synchronously, before the commit is
 * acknowledged); the file is compacted (rewritten atomically) on start, after
 * topic deletion, and when it has grown far beyond the live entries. A torn
 * last line from a crash is ignored on load.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../config';
import { writeFileAtomic } from './fsutil';

export interface CommittedOffset {
  offset: number;
  metadata: string | null;
}

interface Line {
  g: string;
  t: string;
  p: number;
  o: number;
  m: string | null;
}

const COMPACT_MIN_LINES = 50_000;

export class OffsetStore {
  /** group → "topic\u0000partition" → offset. The NUL cannot occur in topic names. */
  private readonly groups = new Map<string, Map<string, CommittedOffset>>();
  private fd: number | null = null;
  private linesInFile = 0;
  private liveEntries = 0;
  private readonly file: string | null;

  constructor(
    dataDir: string | null,
    private readonly logger: Logger,
  ) {
    this.file = dataDir === null ? null : path.join(dataDir, 'offsets.log');
  }

  load(): void {
    if (this.file === null) return;
    if (fs.existsSync(this.file)) {
      const lines = fs.readFileSync(this.file, 'utf8').split('\n');
      let bad = 0;
      for (const text of lines) {
        if (text.trim() === '') continue;
        try {
          const l = JSON.parse(text) as Line;
          if (typeof l.g !== 'string' || typeof l.t !== 'string' || !Number.isInteger(l.p) || typeof l.o !== 'number') {
            throw new Error('bad shape');
          }
          this.set(l.g, l.t, l.p, { offset: l.o, metadata: l.m ?? null });
        } catch {
          bad++;
        }
      }
      if (bad > 0) this.logger.warn(`${this.file}: ignored ${bad} unreadable line(s)`);
    }
    this.compact();
  }

  private set(group: string, topic: string, partition: number, value: CommittedOffset): void {
    let g = this.groups.get(group);
    if (!g) {
      g = new Map();
      this.groups.set(group, g);
    }
    const key = `${topic}\u0000${partition}`;
    if (!g.has(key)) this.liveEntries++;
    g.set(key, value);
  }

  commit(group: string, topic: string, partition: number, offset: number, metadata: string | null): void {
    this.set(group, topic, partition, { offset, metadata });
    if (this.fd === null) return;
    const line: Line = { g: group, t: topic, p: partition, o: offset, m: metadata };
    fs.writeSync(this.fd, `${JSON.stringify(line)}\n`);
    this.linesInFile++;
    if (this.linesInFile > COMPACT_MIN_LINES && this.linesInFile > 10 * this.liveEntries) this.compact();
  }

  get(group: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.groups.get(group)?.get(`${topic}\u0000${partition}`);
  }

  hasGroup(group: string): boolean {
    return this.groups.has(group);
  }

  groupIds(): string[] {
    return [...this.groups.keys()];
  }

  /** Forgets every group's offsets for a deleted topic. */
  deleteTopic(topic: string): void {
    let changed = false;
    for (const [groupId, g] of this.groups) {
      for (const key of g.keys()) {
        if (key.startsWith(`${topic}\u0000`)) {
          g.delete(key);
          this.liveEntries--;
          changed = true;
        }
      }
      if (g.size === 0) this.groups.delete(groupId);
    }
    if (changed) this.compact();
  }

  /** Rewrites the file with only the live entries, then appends to the new file. */
  private compact(): void {
    if (this.file === null) return;
    if (this.fd !== null) fs.closeSync(this.fd);
    const out: string[] = [];
    for (const [g, m] of this.groups) {
      for (const [key, v] of m) {
        const sep = key.lastIndexOf('\u0000');
        const line: Line = { g, t: key.slice(0, sep), p: Number(key.slice(sep + 1)), o: v.offset, m: v.metadata };
        out.push(JSON.stringify(line));
      }
    }
    writeFileAtomic(this.file, out.length ? `${out.join('\n')}\n` : '');
    this.fd = fs.openSync(this.file, 'a');
    this.linesInFile = out.length;
  }

  close(): void {
    if (this.fd !== null) {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }
}
