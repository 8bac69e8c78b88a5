/**
 * The kit's input-text rule on a department's inputs, over HTTP as the gateway calls it: each
 * refused class of character is BAD_USER_INPUT naming the field, nothing is stored; an item's
 * content and legal basis are multi-line.
 */
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClock } from '@onecheck/clock';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { departmentService } from '../src/index';
import * as schema from '../src/db/schema';

const staff = { sub: 'staff-HEALTH', role: 'staff', department: 'HEALTH' } as const;
let health: TestSubgraph<typeof schema>;

const ADD = 'mutation ($input: InspectorInput!) { addInspector(input: $input) { id } }';
const PUBLISH = 'mutation ($input: SupervisionItemInput!) { publishSupervisionItem(input: $input) { id content } }';
const item = (extra: Record<string, unknown> = {}) => ({
  code: 'WS-001',
  name: '公共场所卫生检查',
  content: '检查卫生许可证',
  legalBasis: '《公共场所卫生管理条例》',
  level: 'COUNTY',
  industries: ['61'],
  ...extra,
});
const stored = async () => {
  const { db } = health.service.database;
  const [inspectors] = await db.select({ n: count() }).from(schema.inspectors);
  const [items] = await db.select({ n: count() }).from(schema.supervisionItems);
  return { inspectors: inspectors!.n, items: items!.n };
};

beforeAll(async () => {
  health = await startTestSubgraph(departmentService('HEALTH'), { clock: testClock('2026-11-25T09:00:00+08:00') });
});
afterAll(() => health?.stop());

describe('text input on addInspector and publishSupervisionItem', () => {
  it.each([
    ['NUL', 'name', '王\u0000五', {}],
    ['CONTROL', 'badgeNumber', 'HEALTH\u00850001', {}],
    ['LINE_BREAK', 'name', '王\n五', {}],
    ['BIDI', 'badgeNumber', '\u202E1000-HTLAEH', {}],
  ])('refuses %s in %s, storing nothing', async (problem, field, value) => {
    const before = await stored();
    const input = {
      name: '王五',
      badgeNumber: 'HEALTH-0001',
      qualifications: ['公共卫生'],
      certificateValidUntil: '2030-12-31',
      [field]: value,
    };
    const r = await health.call(staff, ADD, { input });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, params: { problem } });
    expect(await stored()).toEqual(before);
  });

  it('names an item of a list by its index', async () => {
    const r = await health.call(staff, ADD, {
      input: { name: '王五', badgeNumber: 'H-1', qualifications: ['公共卫生', '\u0007'] },
    });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'qualifications.1' });
  });

  it('refuses a qualification or an answer given twice (after trimming), storing nothing', async () => {
    const before = await stored();
    const twice = await health.call(staff, ADD, {
      input: {
        name: '王五',
        badgeNumber: 'HEALTH-0002',
        qualifications: ['WS-001', 'WS-002', ' WS-001'],
        kind: 'EXPERT',
      },
    });
    expect(twice.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'qualifications.2',
      messageKey: 'input.listedTwice',
      params: { value: 'WS-001' },
    });
    const answers = await health.call(staff, PUBLISH, {
      input: item({ code: 'WS-009', checkPoints: [{ point: '证照齐全', answers: ['是', '否', '是'] }] }),
    });
    expect(answers.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'checkPoints.0.answers.2' });
    expect(await stored()).toEqual(before);
  });

  it('takes line feeds in an item content, and refuses them in its name', async () => {
    const before = await stored();
    const refused = await health.call(staff, PUBLISH, { input: item({ name: '公共场所\n卫生检查' }) });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    expect(await stored()).toEqual(before);
    const r = await health.call(staff, PUBLISH, { input: item({ content: '一、许可证\n二、\t从业人员健康证' }) });
    expect(r.errors).toBeUndefined();
    expect(r.data?.publishSupervisionItem.content).toBe('一、许可证\n二、\t从业人员健康证');
  });
});
