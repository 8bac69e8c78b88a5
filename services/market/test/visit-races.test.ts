/**
 * Visits changed by two hands at once (docs/visits.md): a department's teams arriving while the
 * office merges that plan's visit into another. The teams wait for the merge's row lock and then
 * go to the kept visit — never to the visit merged away, whose code stays revoked. Two transactions
 * really interleave on PostgreSQL (TEST_DATABASE_URL, CI's second pass); PGlite runs them one after the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { actorOf } from '@onecheck/kit';
import * as schema from '../src/db/schema';
import { registerEnterprise } from '../src/domain/enterprise';
import { mergeInto } from '../src/domain/visit-merge';
import { listItem, marketFixture, office, staffOf, teamOfTwo } from './fixtures';

const clock = testClock('2026-03-02T09:00:00+08:00');
const fx = marketFixture(clock);
const uscc = generateUscc(seededRandom(4242), { region: '420626' });

const plan = (department: string, code: string, window: [string, string]) => ({
  name: `2026年度 ${department} 抽查`,
  year: 2026,
  industry: '62',
  leadDepartment: department,
  cooperatingDepartments: [],
  items: [{ department, code }],
  ratios: { A: 1, B: 1, C: 1, D: 1 },
  windowFrom: window[0],
  windowTo: window[1],
  coolDownMonths: 0,
});
const visitOf = async (planId: string) =>
  (await fx.db().select().from(schema.visits)).find((v) => v.planIds.includes(planId) && v.mergedInto === null)!;

beforeAll(async () => {
  await fx.start();
  await fx.deliver('onecheck.item.published.v1', listItem(clock, 'HEALTH', 'WJ-CY-001'));
  await fx.deliver('onecheck.item.published.v1', listItem(clock, 'FIRE', 'XF-01'));
  await registerEnterprise(
    fx.db(),
    { uscc, name: '保康县并发饭店', legalRepresentative: '王五', industry: '62', region: '420626', address: '城关镇' },
    clock,
    actorOf(office),
  );
});
afterAll(() => fx.stop());

describe('teams arriving during a merge', () => {
  it('wait for the merge and fill the kept visit; the merged-away visit is not coded again', async () => {
    const p1 = await fx.runPlan(staffOf('HEALTH'), plan('HEALTH', 'WJ-CY-001', ['2026-04-01', '2026-11-30']));
    await fx.sendTeams(p1, 'HEALTH', [{ uscc, team: teamOfTwo(['HEALTH-ZF-1', 'HEALTH-ZF-2']) }]);
    const p2 = await fx.runPlan(staffOf('FIRE'), plan('FIRE', 'XF-01', ['2026-05-01', '2026-05-31']));
    const kept = await visitOf(p1);
    const absorbed = await visitOf(p2);
    expect([kept.status, absorbed.status]).toEqual(['CODED', 'AWAITING_TEAMS']);

    // The office's merge holds both visits' locks while FIRE's teams for plan 2 come in.
    let release!: () => void;
    let merged!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const mergeDone = new Promise<void>((r) => (merged = r));
    const merge = fx.db().transaction(async (tx) => {
      await mergeInto(tx, kept.id, [absorbed.id], clock.now(), office, undefined);
      merged();
      await held;
    });
    await mergeDone;
    const teams = fx.sendTeams(p2, 'FIRE', [{ uscc, team: teamOfTwo(['FIRE-ZF-1', 'FIRE-ZF-2']) }]);
    await new Promise((r) => setTimeout(r, 300));
    release();
    await Promise.all([merge, teams]);

    const [after] = await fx.db().select().from(schema.visits).where(eq(schema.visits.id, absorbed.id));
    expect(after).toMatchObject({ status: 'MERGED', mergedInto: kept.id, code: null });
    const coded = await fx.outbox('onecheck.visit.coded.v1');
    expect(coded.filter((e) => e.data.visitId === absorbed.id)).toEqual([]);
    // The kept visit waited for FIRE's team (the merge added FIRE without one), then took it: version 2.
    const last = coded.filter((e) => e.data.visitId === kept.id).at(-1)!;
    expect(last.data.version).toBe(2);
    expect(last.data.planIds.sort()).toEqual([p1, p2].sort());
    expect(last.data.departments.map((d: any) => [d.department, d.team.length])).toEqual([
      ['FIRE', 2],
      ['HEALTH', 2],
    ]);
  });
});
