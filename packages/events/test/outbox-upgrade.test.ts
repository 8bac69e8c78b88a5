/**
 * Upgrading a database whose outbox kept events as jsonb (before the migration that keeps their
 * JSON text, issue 7): every row keeps its event and gets its type, published or not, and the
 * relay then sends each unpublished one as before: the same event, its type in the ce_type header.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, sql } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import { startBroker } from '@onecheck/broker';
import { openDatabase } from '@onecheck/db';
import { createBus, startRelay, TOPICS, type IncomingMessage } from '../src/index';
import {
  FAST,
  MIGRATIONS,
  brokerLogger,
  changedEvent,
  clock,
  dropTestDb,
  openTestDb,
  schema,
  testDbSpec,
  testLogger,
  usccFor,
  waitFor,
} from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'outbox-upgrade-'));
const spec = testDbSpec('upgrade', { dataDir: dir });
afterAll(async () => {
  await dropTestDb(spec);
  rmSync(dir, { recursive: true, force: true });
});

/** The fixture's migrations up to the one before the change: what an older release had applied. */
function migrationsBefore(tag: string): string {
  const folder = join(dir, 'migrations-before');
  mkdirSync(join(folder, 'meta'), { recursive: true });
  const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  const last = journal.entries.findIndex((e) => e.tag === tag);
  expect(last).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, last);
  for (const e of journal.entries) {
    copyFileSync(join(MIGRATIONS, `${e.tag}.sql`), join(folder, `${e.tag}.sql`));
    const snapshot = `${String(e.idx).padStart(4, '0')}_snapshot.json`;
    copyFileSync(join(MIGRATIONS, 'meta', snapshot), join(folder, 'meta', snapshot));
  }
  writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify(journal));
  return folder;
}

it('keeps every event of an outbox written before, and the relay sends the unpublished ones', async () => {
  const key = usccFor(42);
  const event = (version: number) => changedEvent(key, version);
  const published = event(1);
  const pending = [event(2), event(3)];

  // The older release: events stored as jsonb, no type column.
  const old = await openDatabase({ ...spec, schema, migrationsFolder: migrationsBefore('0001_outbox_event_text') });
  for (const [i, e] of [published, ...pending].entries())
    await old.db.execute(
      sql`insert into outbox (id, topic, key, event, published_at) values (${e.id}, ${TOPICS.enterprise}, ${key}, ${JSON.stringify(e)}::jsonb, ${i === 0 ? clock.now().toISOString() : null})`,
    );
  await old.close();

  // This release's migrations on the same database.
  const db = await openTestDb(spec);
  const broker = await startBroker({ port: 0, logger: brokerLogger });
  const logger = testLogger();
  const bus = createBus({ brokers: [broker.brokers], clientId: 'upgrade-test', logger });
  const seen: IncomingMessage[] = [];
  const reader = bus.consumer('upgrade-reader', { ...FAST, fromBeginning: true });
  const relay = startRelay({ db: db.db, bus, logger, clock, pollMs: 50 });
  try {
    const rows = await db.db.select().from(schema.outbox).orderBy(asc(schema.outbox.seq));
    expect(rows.map((r) => [r.type, r.event])).toEqual(
      [published, ...pending].map((e) => ['onecheck.enterprise.changed.v1', e]),
    );
    await relay.drain();
    await reader.run([TOPICS.enterprise], async (b) => {
      for (const m of b.messages) {
        seen.push(m);
        b.resolveOffset(m.offset);
      }
    });
    await waitFor('the two pending events on the wire', () => seen.length >= pending.length, 20_000);
    expect(seen.map((m) => JSON.parse(m.value!.toString()) as unknown)).toEqual(pending);
    expect(seen.map((m) => m.headers['ce_type']?.toString())).toEqual(pending.map((e) => e.type));
    expect(seen.map((m) => m.headers['ce_id']?.toString())).toEqual(pending.map((e) => e.id));
  } finally {
    await reader.stop();
    await relay.stop();
    await bus.disconnect();
    await broker.stop();
    await db.close();
  }
}, 60_000);
