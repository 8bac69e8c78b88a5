/**
 * 一业一册 (issue 10 item 2; seed 000 ⑴, 004 (九)) over HTTP as the gateway calls the subgraph: the
 * guide of an industry is generated from its current joint list — by department, the lead first,
 * with what is checked, on what legal basis and by which check points — and anyone reads it
 * without a token. (The printable page the gateway serves: test/joint-list-gateway.test.ts.)
 * Its 常见问题 come from the results the office received on coded visits
 * (onecheck.inspection.recorded.v1): counts per item and problem category over the industry's
 * businesses in the last 12 months, a problem seen at fewer than 3 businesses left out.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC, type Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { PROBLEM_RESULT_CATEGORIES, type EventData, type ResultCategory } from '@onecheck/contracts';
import { actorOf } from '@onecheck/kit';
import { registerEnterprise } from '../src/domain/enterprise';
import { inspectionRecorded, marketFixture } from './fixtures';

const clock = testClock('2026-12-01T09:00:00+08:00');
const office: Identity = { sub: 'office-1', role: 'office' };
const fx = marketFixture(clock);

type ItemState = EventData<'onecheck.item.published.v1'>;

async function publish(over: Partial<ItemState>) {
  const data: ItemState = {
    department: 'HEALTH',
    code: 'WS-1',
    name: '餐饮服务卫生',
    content: '检查从业人员健康证明',
    legalBasis: '《食品安全法》第四十五条',
    level: 'COUNTY',
    industries: ['62'],
    checkMethod: 'ON_SITE',
    emphasis: 'GENERAL',
    checkPoints: [{ point: '持有效健康证明', answers: ['符合', '不符合', '不涉及'] }],
    status: 'PUBLISHED',
    revision: 1,
    recordedAt: clock.now().toISOString(),
    ...over,
  };
  await fx.deliver('onecheck.item.published.v1', data);
}

const GUIDE = `query ($i: String!) { complianceGuide(industry: $i) {
  industry { code name } listVersion lead { code name } cooperating { code }
  departments { department { code name } role items { code name content legalBasis emphasis checkPoints { point answers } } }
  commonProblems { itemCode } commonProblemsSince } }`;

beforeAll(async () => {
  await fx.start();
  await publish({});
  await publish({
    department: 'FIRE',
    code: 'XF-1',
    name: '人员密集场所消防安全',
    content: '检查疏散通道',
    legalBasis: '《消防法》第二十八条',
    emphasis: 'KEY',
    industries: ['H'],
    checkPoints: [{ point: '疏散通道畅通', answers: ['符合', '不符合'] }],
  });
  await publish({ department: 'ECOLOGY', code: 'HB-1', industries: ['77'] });
  const r = await fx.market.call(
    office,
    `mutation { setJointListDepartments(industry: "62", input: { lead: "HEALTH", cooperating: ["FIRE", "MARKET"] }) { version } }`,
  );
  expect(r.errors).toBeUndefined();
});
afterAll(async () => {
  await fx.stop();
});

describe('the compliance guide', () => {
  it('anyone reads it without a token: by department, lead first, what is checked, on what basis and how', async () => {
    const r = await fx.market.call(PUBLIC, GUIDE, { i: '62' });
    expect(r.errors).toBeUndefined();
    const guide = r.data!.complianceGuide;
    expect(guide).toMatchObject({
      industry: { code: '62', name: '餐饮业' },
      listVersion: 3,
      lead: { code: 'HEALTH', name: '卫生健康局' },
      cooperating: [{ code: 'FIRE' }, { code: 'MARKET' }],
      commonProblems: [],
      commonProblemsSince: '2025-12-01',
    });
    expect(guide.departments).toEqual([
      {
        department: { code: 'HEALTH', name: '卫生健康局' },
        role: 'LEAD',
        items: [
          {
            code: 'WS-1',
            name: '餐饮服务卫生',
            content: '检查从业人员健康证明',
            legalBasis: '《食品安全法》第四十五条',
            emphasis: 'GENERAL',
            checkPoints: [{ point: '持有效健康证明', answers: ['符合', '不符合', '不涉及'] }],
          },
        ],
      },
      {
        department: { code: 'FIRE', name: '消防救援大队' },
        role: 'COOPERATING',
        items: [
          {
            code: 'XF-1',
            name: '人员密集场所消防安全',
            content: '检查疏散通道',
            legalBasis: '《消防法》第二十八条',
            emphasis: 'KEY',
            checkPoints: [{ point: '疏散通道畅通', answers: ['符合', '不符合'] }],
          },
        ],
      },
      // A cooperating department with nothing published yet is still named.
      { department: { code: 'MARKET', name: '市场监督管理局' }, role: 'COOPERATING', items: [] },
    ]);
  });

  it('follows the current list: a newly published item is in it at once', async () => {
    await publish({ department: 'HEALTH', code: 'WS-2', name: '集中用餐单位', industries: ['621'] });
    const r = await fx.market.call(PUBLIC, GUIDE, { i: '62' });
    expect(r.data!.complianceGuide.listVersion).toBe(4);
    expect(r.data!.complianceGuide.departments[0].items.map((i: { code: string }) => i.code)).toEqual(['WS-1', 'WS-2']);
  });

  it('an industry with nothing listed has an empty guide at version 0; a malformed code is BAD_USER_INPUT', async () => {
    const empty = await fx.market.call(PUBLIC, GUIDE, { i: '01' });
    expect(empty.data!.complianceGuide).toMatchObject({ listVersion: 0, lead: null, departments: [] });
    const bad = await fx.market.call(PUBLIC, GUIDE, { i: '<script>' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'industry' });
  });
});

describe('常见问题 from the recorded results', () => {
  const rng = seededRandom(2211);
  /** Six restaurants (four 正餐 621, two 快餐 622) and three shops of another industry (521). */
  const restaurants: string[] = [];
  const shops: string[] = [];
  const PROBLEMS = `query ($i: String!) { complianceGuide(industry: $i) {
    commonProblems { department { code } itemCode itemName category count checks share } } }`;
  const problemsOf = async (industry: string) => {
    const r = await fx.market.call(PUBLIC, PROBLEMS, { i: industry });
    expect(r.errors).toBeUndefined();
    return r.data!.complianceGuide.commonProblems as {
      department: { code: string };
      itemCode: string;
      itemName: string | null;
      category: ResultCategory;
      count: number;
      checks: number;
      share: number;
    }[];
  };

  /** One visit's results of a department, per item its categories, as the department's event carries them. */
  async function recorded(
    uscc: string,
    department: string,
    items: Record<string, ResultCategory[]>,
    inspectedOn = '2026-11-20',
    visitId = randomUUID(),
  ) {
    await fx.deliver(
      'onecheck.inspection.recorded.v1',
      inspectionRecorded(clock, { visitId, uscc, department, items, inspectedOn }),
    );
  }

  async function register(industry: string, into: string[]) {
    const uscc = generateUscc(rng, { region: '420626' });
    await registerEnterprise(
      fx.db(),
      {
        uscc,
        name: `保康县第${into.length}户`,
        legalRepresentative: '张三',
        industry,
        region: '420626',
        address: '城关镇',
      },
      clock,
      actorOf(office),
    );
    into.push(uscc);
  }

  beforeAll(async () => {
    for (const industry of ['621', '621', '621', '621', '622', '622']) await register(industry, restaurants);
    for (let n = 0; n < 3; n++) await register('521', shops);
    const [b0, b1, b2, b3, b4, b5] = restaurants as [string, string, string, string, string, string];
    // WS-1 (HEALTH): 责令改正 at four of six; 未公示 at two businesses only (one of them on two visits).
    await recorded(b0, 'HEALTH', { 'WS-1': ['PROBLEM_CORRECTED', 'INFO_NOT_DISCLOSED'] });
    await recorded(b0, 'HEALTH', { 'WS-1': ['INFO_NOT_DISCLOSED'] }, '2026-10-10');
    await recorded(b1, 'HEALTH', { 'WS-1': ['PROBLEM_CORRECTED', 'INFO_NOT_DISCLOSED'] });
    await recorded(b2, 'HEALTH', { 'WS-1': ['PROBLEM_CORRECTED'] });
    await recorded(b3, 'HEALTH', { 'WS-1': ['PROBLEM_CORRECTED'] });
    for (const b of [b4, b5]) await recorded(b, 'HEALTH', { 'WS-1': ['NO_PROBLEM'] });
    // XF-1 (FIRE): a department rule broken at three; no such activity at the other three (no problem).
    for (const b of [b0, b1, b2]) await recorded(b, 'FIRE', { 'XF-1': ['DEPARTMENT_RULE_VIOLATED'] });
    for (const b of [b3, b4, b5]) await recorded(b, 'FIRE', { 'XF-1': ['NO_RELEVANT_ACTIVITY'] });
    // More than 12 months before today (2026-12-01): not counted.
    for (const b of [b0, b1, b2, b3]) await recorded(b, 'FIRE', { 'XF-1': ['OBSTRUCTED'] }, '2025-11-30');
    // Another industry's businesses: not in 62's guide.
    for (const b of shops) await recorded(b, 'HEALTH', { 'WS-1': ['INFO_FALSIFIED'] });
  });

  it('counts per item and problem category, most frequent first, with the share of the item’s checks', async () => {
    expect(await problemsOf('62')).toEqual([
      {
        department: { code: 'HEALTH' },
        itemCode: 'WS-1',
        itemName: '餐饮服务卫生',
        category: 'PROBLEM_CORRECTED',
        count: 4,
        // Seven checks of WS-1: b0 twice (two visits), the others once.
        checks: 7,
        share: 4 / 7,
      },
      {
        department: { code: 'FIRE' },
        itemCode: 'XF-1',
        itemName: '人员密集场所消防安全',
        category: 'DEPARTMENT_RULE_VIOLATED',
        count: 3,
        checks: 6,
        share: 0.5,
      },
    ]);
  });

  it('leaves out a problem seen at fewer than 3 businesses, however many checks found it', async () => {
    // INFO_NOT_DISCLOSED: three checks, two businesses. NO_RELEVANT_ACTIVITY at three is no problem.
    const categories = (await problemsOf('62')).map((p) => p.category);
    expect(categories).not.toContain('INFO_NOT_DISCLOSED');
    expect(categories).not.toContain('NO_RELEVANT_ACTIVITY');
    expect(categories).not.toContain('NO_PROBLEM');
    // The third business with it: now shown.
    await recorded(restaurants[5]!, 'HEALTH', { 'WS-1': ['INFO_NOT_DISCLOSED'] });
    expect((await problemsOf('62')).find((p) => p.category === 'INFO_NOT_DISCLOSED')).toMatchObject({
      itemCode: 'WS-1',
      count: 4,
      checks: 8,
      share: 0.5,
    });
  });

  it('counts the businesses of the industry and of those under it, and only them', async () => {
    // 621 (正餐): the four 正餐 restaurants only.
    expect((await problemsOf('621')).map((p) => [p.itemCode, p.category, p.count, p.checks])).toEqual([
      ['WS-1', 'PROBLEM_CORRECTED', 4, 5],
      ['XF-1', 'DEPARTMENT_RULE_VIOLATED', 3, 4],
    ]);
    // The shops' problem is in the retail guide, and in none of 62's.
    expect((await problemsOf('52')).map((p) => [p.itemCode, p.category, p.count])).toEqual([
      ['WS-1', 'INFO_FALSIFIED', 3],
    ]);
    // An industry without results has none.
    expect(await problemsOf('01')).toEqual([]);
  });

  it('lists at most 10, a larger share first among equal counts', async () => {
    const [b0, b1, b2] = restaurants as [string, string, string];
    const all: ResultCategory[] = [...PROBLEM_RESULT_CATEGORIES];
    // Every problem category on WS-2 at three businesses: 7 problems counted 3 in 3 checks (share 1).
    for (const b of [b0, b1, b2]) await recorded(b, 'HEALTH', { 'WS-2': all });
    const problems = await problemsOf('62');
    expect(problems).toHaveLength(10);
    // Equal counts and shares: by department, item and category code.
    expect(problems.slice(0, 2).map((p) => [p.itemCode, p.category, p.count])).toEqual([
      ['WS-1', 'INFO_NOT_DISCLOSED', 4],
      ['WS-1', 'PROBLEM_CORRECTED', 4],
    ]);
    expect(problems.slice(2, 9).every((p) => p.itemCode === 'WS-2' && p.count === 3 && p.share === 1)).toBe(true);
    // XF-1's three (share 0.5) come after WS-2's seven (share 1).
    expect(problems[9]).toMatchObject({ itemCode: 'XF-1', category: 'DEPARTMENT_RULE_VIOLATED', share: 0.5 });
  });
});
