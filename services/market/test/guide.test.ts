/**
 * 一业一册 (issue 10 item 2; seed 000 ⑴, 004 (九)) over HTTP as the gateway calls the subgraph: the
 * guide of an industry is generated from its current joint list — by department, the lead first,
 * with what is checked, on what legal basis and by which check points — and anyone reads it
 * without a token. (The printable page the gateway serves: test/joint-list-gateway.test.ts.)
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC, type Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import type { EventData } from '@onecheck/contracts';
import { createLogger } from '@onecheck/kit';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { marketService } from '../src/index';
import { marketConsumers } from '../src/events';
import type * as schema from '../src/db/schema';

const clock = testClock('2026-12-01T09:00:00+08:00');
const office: Identity = { sub: 'office-1', role: 'office' };
let market: TestSubgraph<typeof schema>;

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
  const deps = { db: market.service.database.db, clock, logger: createLogger('test', 'warn') };
  const consumer = marketConsumers(deps as never).find((c) => c.name === 'items')!;
  const handler = (consumer.handlers as Record<string, (e: unknown, tx: unknown) => Promise<void>>)[
    'onecheck.item.published.v1'
  ]!;
  const event = { id: randomUUID(), type: 'onecheck.item.published.v1', source: 'test', time: data.recordedAt, data };
  await market.service.database.db.transaction((tx) => handler(event, tx));
}

const GUIDE = `query ($i: String!) { complianceGuide(industry: $i) {
  industry { code name } listVersion lead { code name } cooperating { code }
  departments { department { code name } role items { code name content legalBasis emphasis checkPoints { point answers } } }
  commonProblems } }`;

beforeAll(async () => {
  market = await startTestSubgraph(marketService, { clock });
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
  const r = await market.call(
    office,
    `mutation { setJointListDepartments(industry: "62", input: { lead: "HEALTH", cooperating: ["FIRE", "MARKET"] }) { version } }`,
  );
  expect(r.errors).toBeUndefined();
});
afterAll(async () => {
  await market?.stop();
});

describe('the compliance guide', () => {
  it('anyone reads it without a token: by department, lead first, what is checked, on what basis and how', async () => {
    const r = await market.call(PUBLIC, GUIDE, { i: '62' });
    expect(r.errors).toBeUndefined();
    const guide = r.data!.complianceGuide;
    expect(guide).toMatchObject({
      industry: { code: '62', name: '餐饮业' },
      listVersion: 3,
      lead: { code: 'HEALTH', name: '卫生健康局' },
      cooperating: [{ code: 'FIRE' }, { code: 'MARKET' }],
      commonProblems: [],
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
    const r = await market.call(PUBLIC, GUIDE, { i: '62' });
    expect(r.data!.complianceGuide.listVersion).toBe(4);
    expect(r.data!.complianceGuide.departments[0].items.map((i: { code: string }) => i.code)).toEqual(['WS-1', 'WS-2']);
  });

  it('an industry with nothing listed has an empty guide at version 0; a malformed code is BAD_USER_INPUT', async () => {
    const empty = await market.call(PUBLIC, GUIDE, { i: '01' });
    expect(empty.data!.complianceGuide).toMatchObject({ listVersion: 0, lead: null, departments: [] });
    const bad = await market.call(PUBLIC, GUIDE, { i: '<script>' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'industry' });
  });
});
