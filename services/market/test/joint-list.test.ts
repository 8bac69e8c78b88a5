/**
 * 一业一单 (issue 10 item 1; seed 000 §二, 004 (一)), over HTTP as the gateway calls the subgraph:
 * the office's joint list is built from the departments' item events alone, keeps each item's
 * highest revision, makes a numbered version per industry on every change that reaches it (a
 * section covers its divisions, a division its groups), reads any version again and says what
 * changed between two; the office sets the lead and cooperating departments; bad input changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import type { EventData, EventType } from '@onecheck/contracts';
import { createLogger } from '@onecheck/kit';
import { auditLog } from '@onecheck/kit/tables';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { marketService } from '../src/index';
import { marketConsumers } from '../src/events';
import * as schema from '../src/db/schema';

const clock = testClock('2026-12-01T09:00:00+08:00');
const office: Identity = { sub: 'office-1', role: 'office' };
const health: Identity = { sub: 'clerk-2', role: 'staff', department: 'HEALTH' };
let market: TestSubgraph<typeof schema>;

type ItemState = EventData<'onecheck.item.published.v1'>;

/** Delivers an event to the office's consumers the way the bus would (one transaction). */
async function deliver<T extends EventType>(type: T, data: EventData<T>, id: string = randomUUID()) {
  const deps = { db: market.service.database.db, clock, logger: createLogger('test', 'warn') };
  const consumer = marketConsumers(deps as never).find((c) => type in c.handlers)!;
  const handler = (consumer.handlers as Record<string, (e: unknown, tx: unknown) => Promise<void>>)[type]!;
  const event = { id, type, source: 'test', time: clock.now().toISOString(), data };
  await market.service.database.db.transaction((tx) => handler(event, tx));
}

const item = (over: Partial<ItemState> = {}): ItemState => ({
  department: 'HEALTH',
  code: 'WS-CY-01',
  name: '餐饮服务场所卫生检查',
  content: '检查从业人员健康证明、餐具消毒',
  legalBasis: '《公共场所卫生管理条例》第六条',
  level: 'COUNTY',
  industries: ['62'],
  checkMethod: 'ON_SITE',
  emphasis: 'KEY',
  frequencyPerYear: 1,
  checkPoints: [{ point: '从业人员持有效健康证明', answers: ['符合', '不符合'] }],
  status: 'PUBLISHED',
  revision: 1,
  recordedAt: clock.now().toISOString(),
  ...over,
});

const LIST = `query ($i: String!, $v: Int) { jointList(industry: $i, version: $v) {
  industry { code } version latestVersion madeAt lead { code name } cooperating { code } departmentsSetFor
  items { id department { code } code name content legalBasis emphasis frequencyPerYear status revision
    checkPoints { point answers } } } }`;

async function list(industry: string, version?: number) {
  const r = await market.call(office, LIST, { i: industry, v: version });
  expect(r.errors).toBeUndefined();
  return r.data!.jointList;
}

const CHANGES = `query ($i: String!, $f: Int!, $t: Int!) { jointListChanges(industry: $i, from: $f, to: $t) {
  from to added { code } removed { code } changed { before { name } after { name } fields }
  leadBefore { code } leadAfter { code } cooperatingAdded { code } cooperatingRemoved { code } } }`;

const SET = `mutation ($i: String!, $input: JointListDepartmentsInput!) {
  setJointListDepartments(industry: $i, input: $input) { version lead { code } cooperating { code } } }`;

const changeRows = async () =>
  (await market.service.database.db.select({ n: count() }).from(schema.jointListChanges))[0]!.n;
const auditRows = async () => (await market.service.database.db.select({ n: count() }).from(auditLog))[0]!.n;

beforeAll(async () => {
  market = await startTestSubgraph(marketService, { clock });
});
afterAll(async () => {
  await market?.stop();
});

describe('the joint list of an industry, from the item events', () => {
  it('shows an item published for 62 on the lists of 62 and of section H, each with a new version; withdrawing makes another', async () => {
    const before62 = await list('62');
    const beforeH = await list('H');
    await deliver('onecheck.item.published.v1', item());

    const l62 = await list('62');
    expect(l62.version).toBe(before62.latestVersion + 1);
    expect(l62.latestVersion).toBe(l62.version);
    expect(l62.items).toEqual([
      {
        id: 'HEALTH:WS-CY-01',
        department: { code: 'HEALTH' },
        code: 'WS-CY-01',
        name: '餐饮服务场所卫生检查',
        content: '检查从业人员健康证明、餐具消毒',
        legalBasis: '《公共场所卫生管理条例》第六条',
        emphasis: 'KEY',
        frequencyPerYear: 1,
        status: 'PUBLISHED',
        revision: 1,
        checkPoints: [{ point: '从业人员持有效健康证明', answers: ['符合', '不符合'] }],
      },
    ]);
    // A section covers its divisions: H (住宿和餐饮业) lists what was filed under 62.
    const lH = await list('H');
    expect(lH.version).toBe(beforeH.latestVersion + 1);
    expect(lH.items.map((i: { code: string }) => i.code)).toEqual(['WS-CY-01']);
    // The same item keeps its id on every list and version that holds it.
    expect(lH.items[0].id).toBe(l62.items[0].id);
    // … and a group of 62 (621 正餐服务) finds it too; 61 (住宿业) and section C do not.
    expect((await list('621')).items.map((i: { code: string }) => i.code)).toEqual(['WS-CY-01']);
    expect((await list('61')).items).toEqual([]);
    expect((await list('C')).items).toEqual([]);

    clock.advance(60_000);
    await deliver('onecheck.item.withdrawn.v1', item({ status: 'WITHDRAWN', revision: 2 }));
    const after = await list('62');
    expect(after.version).toBe(l62.version + 1);
    expect(after.items).toEqual([]);
    expect((await list('H')).version).toBe(lH.version + 1);

    // Every version can be read again as it was.
    const old = await list('62', l62.version);
    expect(old.items.map((i: { code: string }) => i.code)).toEqual(['WS-CY-01']);
    expect(old.latestVersion).toBe(after.version);

    // What changed between them, both ways.
    const r = await market.call(office, CHANGES, { i: '62', f: l62.version, t: after.version });
    expect(r.errors).toBeUndefined();
    expect(r.data!.jointListChanges).toMatchObject({ added: [], removed: [{ code: 'WS-CY-01' }], changed: [] });
    const back = await market.call(office, CHANGES, { i: '62', f: before62.latestVersion, t: l62.version });
    expect(back.data!.jointListChanges).toMatchObject({ added: [{ code: 'WS-CY-01' }], removed: [] });
  });

  it('an item filed under section H applies to 62; one filed under the class 6210 is on 62 and 621 but not 622', async () => {
    await deliver('onecheck.item.published.v1', item({ department: 'FIRE', code: 'XF-H', industries: ['H'] }));
    await deliver('onecheck.item.published.v1', item({ department: 'FIRE', code: 'XF-6210', industries: ['6210'] }));
    const codes = async (i: string) => (await list(i)).items.map((x: { code: string }) => x.code);
    expect(await codes('62')).toEqual(['XF-6210', 'XF-H']);
    expect(await codes('621')).toEqual(['XF-6210', 'XF-H']);
    expect(await codes('622')).toEqual(['XF-H']);
    expect(await codes('H')).toEqual(['XF-6210', 'XF-H']);
  });

  it('keeps the highest revision: a revision shows what changed, an older one arriving late or a redelivery changes nothing', async () => {
    await deliver('onecheck.item.published.v1', item({ department: 'HEALTH', code: 'WS-56', industries: ['56'] }));
    const v1 = await list('56');
    const id = randomUUID();
    await deliver(
      'onecheck.item.revised.v1',
      item({ department: 'HEALTH', code: 'WS-56', industries: ['56'], name: '餐饮卫生（修订）', revision: 3 }),
      id,
    );
    const v2 = await list('56');
    expect(v2.version).toBe(v1.version + 1);
    expect(v2.items[0]).toMatchObject({ name: '餐饮卫生（修订）', revision: 3 });

    const rows = await changeRows();
    const audits = await auditRows();
    // Revision 2 comes after 3 (the bus reordered them), and revision 3 is delivered again.
    await deliver(
      'onecheck.item.revised.v1',
      item({ department: 'HEALTH', code: 'WS-56', industries: ['56'], name: '旧', revision: 2 }),
    );
    await deliver(
      'onecheck.item.revised.v1',
      item({ department: 'HEALTH', code: 'WS-56', industries: ['56'], name: '餐饮卫生（修订）', revision: 3 }),
      id,
    );
    expect(await changeRows()).toBe(rows);
    expect(await auditRows()).toBe(audits);
    const still = await list('56');
    expect(still.version).toBe(v2.version);
    expect(still.items[0]).toMatchObject({ name: '餐饮卫生（修订）', revision: 3 });

    const r = await market.call(office, CHANGES, { i: '56', f: v1.version, t: v2.version });
    expect(r.data!.jointListChanges.changed).toEqual([
      { before: { name: '餐饮服务场所卫生检查' }, after: { name: '餐饮卫生（修订）' }, fields: ['name'] },
    ]);
  });

  it('an item moved to another industry leaves the old list in a new version', async () => {
    await deliver('onecheck.item.published.v1', item({ department: 'ECOLOGY', code: 'HB-1', industries: ['77'] }));
    const v77 = await list('77');
    await deliver(
      'onecheck.item.revised.v1',
      item({ department: 'ECOLOGY', code: 'HB-1', industries: ['78'], revision: 2 }),
    );
    const after = await list('77');
    expect(after.version).toBe(v77.version + 1);
    expect(after.items).toEqual([]);
    expect((await list('78')).items.map((i: { code: string }) => i.code)).toEqual(['HB-1']);
  });
});

describe('lead and cooperating departments', () => {
  it('the office sets them for 62: a new version, inherited by 621; the change says what moved', async () => {
    const before = await list('62');
    const r = await market.call(office, SET, { i: '62', input: { lead: 'HEALTH', cooperating: ['MARKET', 'FIRE'] } });
    expect(r.errors).toBeUndefined();
    expect(r.data!.setJointListDepartments).toEqual({
      version: before.latestVersion + 1,
      lead: { code: 'HEALTH' },
      cooperating: [{ code: 'MARKET' }, { code: 'FIRE' }],
    });
    const inherited = await list('621');
    expect(inherited).toMatchObject({ lead: { code: 'HEALTH', name: '卫生健康局' }, departmentsSetFor: '62' });
    // The same setting again makes no version.
    await market.call(office, SET, { i: '62', input: { lead: 'HEALTH', cooperating: ['MARKET', 'FIRE'] } });
    expect((await list('62')).latestVersion).toBe(before.latestVersion + 1);

    await market.call(office, SET, { i: '62', input: { lead: 'HEALTH', cooperating: ['MARKET'] } });
    const diff = await market.call(office, CHANGES, { i: '62', f: before.latestVersion, t: before.latestVersion + 2 });
    expect(diff.data!.jointListChanges).toMatchObject({
      leadBefore: null,
      leadAfter: { code: 'HEALTH' },
      cooperatingAdded: [{ code: 'MARKET' }],
      cooperatingRemoved: [],
    });
    const audit = await market.service.database.db.select().from(auditLog);
    expect(audit.filter((a) => a.action === 'setJointListDepartments').at(-1)).toMatchObject({
      entityKind: 'jointList',
      entityId: '62',
    });
  });

  it('only the office sets them', async () => {
    const r = await market.call(health, SET, { i: '62', input: { lead: 'HEALTH', cooperating: [] } });
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it.each([
    ['an unknown lead', '62', { lead: 'NOPE', cooperating: [] }, 'lead'],
    ['an unknown cooperating department', '62', { lead: 'HEALTH', cooperating: ['FIRE', 'NOPE'] }, 'cooperating.1'],
    ['the lead also cooperating', '62', { lead: 'HEALTH', cooperating: ['HEALTH'] }, 'cooperating.0'],
    ['a malformed industry', '6X', { lead: 'HEALTH', cooperating: [] }, 'industry'],
    ['a 4-digit class no list is kept for', 'H62', { lead: 'HEALTH', cooperating: [] }, 'industry'],
  ])('%s is BAD_USER_INPUT naming the field, and nothing is written', async (_, industry, input, field) => {
    const rows = await changeRows();
    const audits = await auditRows();
    const r = await market.call(office, SET, { i: industry, input });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await changeRows()).toBe(rows);
    expect(await auditRows()).toBe(audits);
  });

  it('a malformed industry or a version that does not exist is BAD_USER_INPUT on read', async () => {
    const bad = await market.call(office, LIST, { i: '6X' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'industry' });
    const latest = (await list('62')).latestVersion;
    const far = await market.call(office, LIST, { i: '62', v: latest + 1 });
    expect(far.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'version' });
    const diff = await market.call(office, CHANGES, { i: '62', f: 1, t: latest + 5 });
    expect(diff.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });

  it('the list is for signed-in users', async () => {
    const r = await market.call({ sub: 'anonymous', role: 'public' }, LIST, { i: '62' });
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('the items of a business and of an industry, from the list', () => {
  it('a business of 621 gets what is filed under H, 62 or 621, not 622 or a finer class; itemsForIndustry("H") gets all of H', async () => {
    await deliver('onecheck.item.published.v1', item({ department: 'MARKET', code: 'SC-622', industries: ['622'] }));
    await deliver('onecheck.item.published.v1', item({ department: 'MARKET', code: 'SC-62', industries: ['62'] }));
    const uscc = generateUscc(seededRandom(1621), { region: '620422' });
    const reg = await market.call(
      office,
      'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
      {
        input: {
          uscc,
          name: '会宁县正餐饭店',
          legalRepresentative: '王五',
          industry: '621',
          region: '620422',
          address: '会宁县',
        },
      },
    );
    expect(reg.errors).toBeUndefined();
    const r = await market.call(
      health,
      'query ($u: String!) { enterprise(uscc: $u) { applicableItems { department { code } code } } }',
      { u: uscc },
    );
    expect(r.errors).toBeUndefined();
    // By department, then code (the 6210 item is FIRE's, filed under a class of 621).
    // By department, then code. The item filed under the class 6210 is finer than the business's
    // registered 621: it does not cover it (it stays on 621's list: jointList shows it).
    expect(r.data!.enterprise.applicableItems.map((i: { code: string }) => i.code)).toEqual(['XF-H', 'SC-62']);
    const h = await market.call(health, '{ itemsForIndustry(industry: "H") { code } }');
    expect(h.data!.itemsForIndustry.map((i: { code: string }) => i.code)).toEqual(
      expect.arrayContaining(['SC-62', 'SC-622', 'XF-6210', 'XF-H']),
    );
  });
});
