/**
 * The overdue rule (domain/deadlines.ts; seed 003: claim within 3 working days, 第二十二条; act
 * within 30, 第八条), run where it is defined: in SQL, on an in-memory database. The field and
 * the `overdue` filter must agree in every case.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClock } from '@onecheck/clock';
import { TASK_STATUSES, type TaskStatus } from '@onecheck/contracts';
import { openDatabase, type Database } from '@onecheck/kit';
import * as schema from '../src/db/schema';
import { listTasks, tasksByIds } from '../src/domain/tasks';

const CLAIM_BY = '2026-11-05';
const CHECK_BY = '2026-12-16';

let database: Database<typeof schema>;
const ids = new Map<TaskStatus, string>();

beforeAll(async () => {
  database = await openDatabase({
    name: 'department-overdue-test',
    schema,
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  });
  const stamp = testClock('2026-11-02T10:00:00+08:00').now();
  for (const [n, status] of TASK_STATUSES.entries()) {
    const [row] = await database.db
      .insert(schema.supervisionTasks)
      .values({
        licenceId: `00000000-0000-4000-8000-00000000000${n}`,
        licenceNumber: `L-${n}`,
        uscc: '91110000MA00000000',
        approvalItem: '食品经营许可',
        status,
        pushedOn: '2026-11-02',
        claimBy: CLAIM_BY,
        checkBy: CHECK_BY,
        createdAt: stamp,
        updatedAt: stamp,
      })
      .returning();
    ids.set(status, row!.id);
  }
});

afterAll(() => database?.close());

// [status, today, claimOverdue, checkOverdue]: the deadline day itself is still in time.
const cases: [TaskStatus, string, boolean, boolean][] = [
  ['PENDING_CLAIM', '2026-11-04', false, false],
  ['PENDING_CLAIM', CLAIM_BY, false, false],
  ['PENDING_CLAIM', '2026-11-06', true, false],
  ['PENDING_CLAIM', CHECK_BY, true, false],
  ['PENDING_CLAIM', '2026-12-17', true, true],
  ['CLAIMED', '2026-11-06', false, false],
  ['CLAIMED', CHECK_BY, false, false],
  ['CLAIMED', '2026-12-17', false, true],
  ['CHECKED', '2026-11-06', false, false],
  ['CHECKED', '2026-12-17', false, false],
  ['CLOSED', '2026-11-06', false, false],
  ['CLOSED', '2026-12-17', false, false],
];

describe('overdue', () => {
  it.each(cases)('a %s task on %s: claim overdue %s, check overdue %s', async (status, today, claim, check) => {
    const id = ids.get(status)!;
    const [task] = await tasksByIds(database.db, [id], today);
    expect(task).toMatchObject({ claimOverdue: claim, checkOverdue: check });

    const late = await listTasks(database.db, { overdue: true, status }, {}, today);
    const onTime = await listTasks(database.db, { overdue: false, status }, {}, today);
    expect(late.edges.map((e) => e.node.id)).toEqual(claim || check ? [id] : []);
    expect(onTime.edges.map((e) => e.node.id)).toEqual(claim || check ? [] : [id]);
  });
});
