/**
 * Topics and their partition logs. Layout under dataDir:
 *   topics.json                 {"version":1,"topics":{"name":{"partitions":3}}}, replaced atomically
 *   logs/<topic>/<partition>.log  one append-only segment per partition
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../config';
import { PartitionLog } from './partitionLog';
import { writeFileAtomic } from './fsutil';

export interface Topic {
  name: string;
  partitions: PartitionLog[];
}

import { isValidTopicName } from './topicName';

export { isValidTopicName };

export class TopicStore {
  private readonly topics = new Map<string, Topic>();
  private readonly appendListeners = new Set<(topic: string, partition: number) => void>();

  constructor(
    private readonly dataDir: string | null,
    private readonly logger: Logger,
  ) {}

  /** Loads topics.json and opens every partition log (file mode only). */
  load(): void {
    if (this.dataDir === null) return;
    fs.mkdirSync(path.join(this.dataDir, 'logs'), { recursive: true });
    const file = path.join(this.dataDir, 'topics.json');
    if (!fs.existsSync(file)) return;
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      topics?: Record<string, { partitions?: number }>;
    };
    for (const [name, meta] of Object.entries(parsed.topics ?? {})) {
      const count = meta.partitions ?? 0;
      if (!isValidTopicName(name) || !Number.isInteger(count) || count < 1) {
        this.logger.warn(`topics.json: skipping invalid entry ${JSON.stringify(name)}`);
        continue;
      }
      this.topics.set(name, this.openTopic(name, count));
    }
  }

  private openTopic(name: string, count: number): Topic {
    const partitions: PartitionLog[] = [];
    if (this.dataDir === null) {
      for (let p = 0; p < count; p++) partitions.push(PartitionLog.inMemory());
    } else {
      const dir = path.join(this.dataDir, 'logs', name);
      fs.mkdirSync(dir, { recursive: true });
      for (let p = 0; p < count; p++) {
        partitions.push(PartitionLog.open(path.join(dir, `${p}.log`), this.logger));
      }
    }
    return { name, partitions };
  }

  private persist(): void {
    if (this.dataDir === null) return;
    const topics: Record<string, { partitions: number }> = {};
    for (const t of this.topics.values()) topics[t.name] = { partitions: t.partitions.length };
    writeFileAtomic(path.join(this.dataDir, 'topics.json'), `${JSON.stringify({ version: 1, topics }, null, 2)}\n`);
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  names(): string[] {
    return [...this.topics.keys()];
  }

  get size(): number {
    return this.topics.size;
  }

  /** Partitions of every topic together (each one an open file in file mode). */
  totalPartitions(): number {
    let n = 0;
    for (const t of this.topics.values()) n += t.partitions.length;
    return n;
  }

  /** Caller has validated the name and count and checked the topic does not exist. */
  create(name: string, partitions: number): Topic {
    if (this.dataDir !== null) {
      // A leftover directory from an earlier deletion must not resurrect old data.
      fs.rmSync(path.join(this.dataDir, 'logs', name), { recursive: true, force: true });
    }
    const topic = this.openTopic(name, partitions);
    this.topics.set(name, topic);
    this.persist();
    this.logger.info(`created topic ${name} with ${partitions} partitions`);
    return topic;
  }

  delete(name: string): boolean {
    const topic = this.topics.get(name);
    if (!topic) return false;
    this.topics.delete(name);
    this.persist();
    for (const p of topic.partitions) p.close();
    if (this.dataDir !== null) {
      fs.rmSync(path.join(this.dataDir, 'logs', name), { recursive: true, force: true });
    }
    this.logger.info(`deleted topic ${name}`);
    return true;
  }

  /** Appends and tells waiting fetches that new data arrived. */
  append(
    topic: string,
    partition: number,
    log: PartitionLog,
    batch: Buffer,
    lastOffsetDelta: number,
    maxTs: bigint,
  ): number {
    const base = log.append(batch, lastOffsetDelta, maxTs);
    for (const l of this.appendListeners) l(topic, partition);
    return base;
  }

  onAppend(listener: (topic: string, partition: number) => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  close(): void {
    for (const t of this.topics.values()) for (const p of t.partitions) p.close();
    this.topics.clear();
  }
}
