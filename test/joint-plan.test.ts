/**
 * 一业一查 part 1 through the gateway only, as a new user would try it (issue 10 Done-when): the
 * departments publish their items, HEALTH leads a plan for 餐饮业 with MARKET and FIRE cooperating;
 * it is filed, published, frozen, its public value entered by the 纪检 officer and drawn once; each
 * department draws its own inspectors from the same seed (two officers, never one with an expired
 * certificate or a declared conflict) and sees inspection tasks in its task list; `npm run
 * verify-draw` re-derives the draw through the API and fails loudly once a stored row is changed.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { TestClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import type { Db } from '@onecheck/kit';
import * as market from '../services/market/src/db/schema';
import * as deptSchema from '../services/department/src/db/schema';
import type { RunningSystem } from '../scripts/system';
import { verifyDraw } from '../scripts/draw/verify';
import { childEnv } from './env';
import { gatewayClient, gql, roles, startTestSystem, until } from './helpers';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');
const script = join(root, 'scripts/verify-draw.ts');
const rng = seededRandom(1011);
let sys: RunningSystem;
let tokens: Record<string, string>;
let planId: string;
let drawId: string;
const restaurants: string[] = [];
let conflicted: string;

const { ask, must } = gatewayClient(() => sys.gatewayUrl);

const ITEMS = {
  HEALTH: { code: 'WJ-CY-001', name: '餐饮服务卫生检查', emphasis: 'KEY', industries: ['62'] },
  MARKET: { code: 'SC-CY-001', name: '餐饮服务食品安全检查', emphasis: 'GENERAL', industries: ['62'] },
  FIRE: { code: 'XF-RM-001', name: '人员密集场所消防检查', emphasis: 'GENERAL', industries: ['H'] },
} as const;

beforeAll(async () => {
  sys = await startTestSystem({ departments: ['HEALTH', 'MARKET', 'FIRE'] });
  (sys.clock as TestClock).set('2026-03-02T09:00:00+08:00');
  tokens = {
    office: await sys.token(roles.office),
    auditor: await sys.token({ sub: 'jijian-1', role: 'auditor' }),
    education: await sys.token(roles.staff('EDUCATION')),
    HEALTH: await sys.token(roles.staff('HEALTH')),
    MARKET: await sys.token(roles.staff('MARKET')),
    FIRE: await sys.token(roles.staff('FIRE')),
  };
  for (const [department, item] of Object.entries(ITEMS)) {
    await must(
      tokens[department]!,
      'mutation ($input: SupervisionItemInput!) { publishSupervisionItem(input: $input) { code } }',
      {
        input: {
          ...item,
          content: '检查内容',
          legalBasis: '《中华人民共和国食品安全法》',
          level: 'COUNTY',
          checkPoints: [{ point: '证照齐全', answers: ['符合', '不符合'] }],
        },
      },
    );
    // Three officers qualified for the item; HEALTH also has one whose certificate ran out and an expert.
    for (let n = 0; n < 3; n++)
      await must(tokens[department]!, 'mutation ($input: InspectorInput!) { addInspector(input: $input) { id } }', {
        input: {
          name: `${department}执法${n}`,
          badgeNumber: `${department}-${n}`,
          qualifications: [item.code],
          certificateValidUntil: '2028-12-31',
        },
      });
  }
  await must(tokens.HEALTH!, 'mutation ($input: InspectorInput!) { addInspector(input: $input) { id } }', {
    input: {
      name: '过期执法',
      badgeNumber: 'HEALTH-X',
      qualifications: [ITEMS.HEALTH.code],
      certificateValidUntil: '2026-01-31',
    },
  });
  await must(tokens.HEALTH!, 'mutation ($input: InspectorInput!) { addInspector(input: $input) { id } }', {
    input: { name: '食品专家', badgeNumber: 'HEALTH-E', qualifications: [ITEMS.HEALTH.code], kind: 'EXPERT' },
  });
  for (let n = 0; n < 12; n++) {
    const uscc = generateUscc(rng, { region: '420626' });
    await must(
      tokens.office!,
      'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
      {
        input: {
          uscc,
          name: `保康县联查${n}号餐馆`,
          legalRepresentative: '王五',
          industry: '62',
          region: '420626',
          address: '城关镇',
        },
      },
    );
    restaurants.push(uscc);
  }
  // HEALTH-0 declared a conflict with the first restaurant (回避, 行政处罚法 §43).
  conflicted = restaurants[0]!;
  const list = await must(tokens.HEALTH!, '{ inspectors(first: 20) { edges { node { id badgeNumber } } } }');
  const h0 = list.inspectors.edges.find((e: { node: { badgeNumber: string } }) => e.node.badgeNumber === 'HEALTH-0')
    .node.id;
  await must(
    tokens.HEALTH!,
    'mutation ($id: ID!, $u: String!) { declareConflict(inspectorId: $id, uscc: $u, reason: "其配偶为该店股东") { id } }',
    {
      id: h0,
      u: conflicted,
    },
  );
});
afterAll(() => sys?.stop());

describe('a joint plan from draft to draw, through the gateway', () => {
  it("the joint list for 62 carries every department's item, and the plan pins it", async () => {
    const list = await until('the office to list the three items for 62', async () => {
      const r = await ask(tokens.office!, '{ jointList(industry: "62") { version items { code } } }');
      return r.data?.jointList.items.length === 3 ? r.data.jointList : undefined;
    });
    const draft = await must(
      tokens.HEALTH!,
      'mutation ($input: JointPlanInput!) { draftPlan(input: $input) { id listVersion } }',
      {
        input: {
          name: '2026年度餐饮业联合抽查',
          year: 2026,
          industry: '62',
          leadDepartment: 'HEALTH',
          cooperatingDepartments: ['MARKET', 'FIRE'],
          items: Object.entries(ITEMS).map(([department, i]) => ({ department, code: i.code })),
          ratios: { A: 0.5, B: 0.5, C: 0.5, D: 1 },
          windowFrom: '2026-04-01',
          windowTo: '2026-11-30',
        },
      },
    );
    planId = draft.draftPlan.id;
    expect(draft.draftPlan.listVersion).toBe(list.version);
    // Drawing an unfiled plan: CONFLICT naming the argument, nothing written.
    const early = await ask(tokens.office!, 'mutation ($id: ID!) { drawPlan(planId: $id) { seed } }', { id: planId });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'planId' });
  });

  it('is filed, published, frozen, given its public value and drawn once', async () => {
    await must(tokens.HEALTH!, 'mutation ($id: ID!) { filePlan(id: $id) { status } }', { id: planId });
    await must(tokens.office!, 'mutation ($id: ID!) { publishPlan(id: $id) { status } }', { id: planId });
    const frozen = await must(tokens.office!, 'mutation ($id: ID!) { freezeDrawPool(planId: $id) { poolSize } }', {
      id: planId,
    });
    expect(frozen.freezeDrawPool.poolSize).toBe(12);
    const notYours = await ask(
      tokens.education!,
      'mutation ($id: ID!) { enterDrawPublicValue(planId: $id, value: "x") { poolSize } }',
      { id: planId },
    );
    expect(notYours.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await must(
      tokens.auditor!,
      'mutation ($id: ID!) { enterDrawPublicValue(planId: $id, value: "体彩排列3 2026058期 907") { publicValue } }',
      { id: planId },
    );
    const drawn = await must(
      tokens.office!,
      'mutation ($id: ID!) { drawPlan(planId: $id) { drawn { uscc } strata { riskClass poolSize drawn } } }',
      { id: planId },
    );
    // All unclassified (B) at 50 %: 6 of 12.
    expect(drawn.drawPlan.strata.find((s: { riskClass: string }) => s.riskClass === 'B')).toEqual({
      riskClass: 'B',
      poolSize: 12,
      drawn: 6,
    });
    expect(drawn.drawPlan.drawn).toHaveLength(6);
    const twice = await ask(tokens.office!, 'mutation ($id: ID!) { drawPlan(planId: $id) { seed } }', { id: planId });
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'planId' });
    const audit = await sys.market.database.db.select().from(market.draws);
    drawId = audit[0]!.id;
  });

  it('each department draws two qualified officers per business from the same seed and sees inspection tasks', async () => {
    for (const department of ['HEALTH', 'MARKET', 'FIRE']) {
      const draw = await until(`${department} to draw its inspectors`, async () => {
        const r = await ask(
          tokens[department]!,
          `query ($d: ID!) { inspectorDraw(drawId: $d) { shortfalls businesses { uscc teamSize team { badgeNumber } experts { badgeNumber } } } }`,
          { d: drawId },
        );
        return r.data?.inspectorDraw;
      });
      expect(draw.businesses).toHaveLength(6);
      expect(draw.shortfalls).toBe(0);
      for (const b of draw.businesses) {
        expect(b.teamSize).toBe(2);
        const badges = b.team.map((t: { badgeNumber: string }) => t.badgeNumber);
        expect(badges).not.toContain('HEALTH-X');
        expect(badges).not.toContain('HEALTH-E');
        if (b.uscc === conflicted) expect(badges).not.toContain('HEALTH-0');
        // HEALTH's item is 重点: its expert joins each team, beside the two officers; the others' are 一般.
        expect(b.experts.map((t: { badgeNumber: string }) => t.badgeNumber)).toEqual(
          department === 'HEALTH' ? ['HEALTH-E'] : [],
        );
      }
    }
    const tasks = await must(tokens.HEALTH!, '{ supervisionTasks(first: 50) { edges { node { kind checkBy } } } }');
    const inspections = tasks.supervisionTasks.edges.filter(
      (e: { node: { kind: string } }) => e.node.kind === 'INSPECTION',
    );
    expect(inspections).toHaveLength(6);
    expect(inspections.every((e: { node: { checkBy: string } }) => e.node.checkBy === '2026-11-30')).toBe(true);
  });

  it('keeps the draw internals from a department outside the plan; the public sees the proof without a token', async () => {
    const denied = await ask(tokens.education!, 'query ($id: ID!) { drawAudit(planId: $id) { pool { riskClass } } }', {
      id: planId,
    });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const proof = await gql(
      sys.gatewayUrl,
      'query ($id: ID!) { drawProof(planId: $id) { commitment secret drawn { uscc name } } }',
      { id: planId },
    );
    expect(proof.errors).toBeUndefined();
    expect(proof.data!.drawProof.drawn).toHaveLength(6);
  });

  it('npm run verify-draw re-derives the draw, and fails loudly once a stored row is changed', async () => {
    const env = childEnv({ GATEWAY_URL: sys.gatewayUrl, ONECHECK_TOKEN: tokens.auditor! });
    // The command's own exit codes are tried three times below (0, 1, 3); the other changed rows
    // go through the same check in this process, which saves a process start each.
    const verifyIn = async () => {
      const result = await verifyDraw(sys.gatewayUrl, tokens.auditor!, planId);
      return { ok: result.ok, text: result.lines.join('\n') };
    };
    // By the draw's id, as the issue names it (the changed rows below go by the plan's).
    const ok = await run(tsx, [script, drawId], { env, timeout: 60_000 });
    expect(ok.stdout).toContain(`draw of plan ${planId} verified`);
    // It re-derived every department's teams too.
    for (const department of ['HEALTH', 'MARKET', 'FIRE'])
      expect(ok.stdout).toContain(`✓ ${department}: 6 teams re-derived`);
    // An expert struck from a HEALTH team: named.
    const health = sys.departments.get('HEALTH')!.database.db as unknown as Db;
    const [advised] = await health.select().from(deptSchema.inspectorDrawBusinesses).limit(1);
    await health.execute(
      sql`update ${deptSchema.inspectorDrawBusinesses} set experts = '{}' where uscc = ${advised!.uscc}`,
    );
    const struck = await run(tsx, [script, planId], { env, timeout: 60_000 }).catch((e) => e);
    expect(struck.code).toBe(1);
    expect(struck.stdout).toContain(`${advised!.uscc} (expert)`);
    await health.execute(
      sql`update ${deptSchema.inspectorDrawBusinesses} set experts = string_to_array(${advised!.experts.join(',')}, ',')::uuid[] where uscc = ${advised!.uscc}`,
    );
    // A team swapped in HEALTH's own database: named.
    const [first] = await health.select().from(deptSchema.inspectorDrawBusinesses).limit(1);
    await health.execute(
      sql`update ${deptSchema.inspectorDrawBusinesses} set team = array[team[2], team[1]] where uscc = ${first!.uscc}`,
    );
    const swapped = await verifyIn();
    expect(swapped.ok).toBe(false);
    expect(swapped.text).toContain(`✗ HEALTH: 6 teams re-derived`);
    expect(swapped.text).toContain(first!.uscc);
    await health.execute(
      sql`update ${deptSchema.inspectorDrawBusinesses} set team = string_to_array(${first!.team.join(',')}, ',')::uuid[] where uscc = ${first!.uscc}`,
    );
    // A shortfall claimed where two officers were eligible, the team dropped: named, not trusted.
    const [staffed] = await health.select().from(deptSchema.inspectorDrawBusinesses).limit(1);
    await health.execute(
      sql`update ${deptSchema.inspectorDrawBusinesses} set team = '{}', shortfall = 'ALL_CONFLICTED' where uscc = ${staffed!.uscc}`,
    );
    const claimed = await verifyIn();
    expect(claimed.ok).toBe(false);
    expect(claimed.text).toContain(`${staffed!.uscc} (shortfall)`);
    await health.execute(
      sql`update ${deptSchema.inspectorDrawBusinesses} set shortfall = null, team = string_to_array(${staffed!.team.join(',')}, ',')::uuid[] where uscc = ${staffed!.uscc}`,
    );
    // The office sees certificate numbers masked: it is told what it could not check, not that the draw is wrong.
    const office = await run(tsx, [script, planId], {
      env: childEnv({ GATEWAY_URL: sys.gatewayUrl, ONECHECK_TOKEN: tokens.office! }),
      timeout: 60_000,
    }).catch((e) => e);
    expect(office.code).toBe(3);
    expect(office.stdout).toContain('verified as far as this token sees');
    expect(office.stdout).not.toContain('✗');
    const db = sys.market.database.db as unknown as Db;
    // A business the draw did not pick, slipped into the stored drawn list.
    const [row] = await db
      .select()
      .from(market.drawPool)
      .where(sql`not exists (select 1 from ${market.drawTargets} t where t.uscc = ${market.drawPool.uscc})`)
      .limit(1);
    await db.insert(market.drawTargets).values({ ...row!, place: '0'.repeat(64) });
    const bad = await verifyIn();
    expect(bad.ok).toBe(false);
    expect(bad.text).toContain('✗');
    expect(bad.text).toContain(row!.uscc);
  });
});
