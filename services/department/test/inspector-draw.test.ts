/**
 * The inspector draw (双随机, issue 10 item 5; 行政处罚法 §42–43; docs/draw.md "Inspectors (each
 * department)"). Over 200 random seeds and directories with expired certificates, unqualified and
 * inactive inspectors, experts and declared conflicts: no such inspector is ever one of the two
 * officers, every business gets two whenever two are eligible, and otherwise none, with the
 * shortfall named. Then over HTTP as the gateway calls it, the draw event fed to the department's
 * own consumer: inspection tasks beside the licence tasks, who sees what, a proof an auditor
 * re-derives with nothing but node:crypto, and a redelivered draw that changes nothing.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { readAuditTrail } from '@onecheck/kit';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { departmentService } from '../src/index';
import { departmentConsumers } from '../src/events';
import { drawTeams, type DirectoryEntry } from '../src/domain/inspector-draw';
import * as schema from '../src/db/schema';

/** The rule's HMAC, written out again here so the test does not trust the code under test. */
const hmac = (seed: string, message: string) =>
  createHmac('sha256', Buffer.from(seed, 'hex')).update(message).digest('hex');

const WINDOW_TO = '2027-06-30';
const ITEMS = ['WJ-GG-001', 'WJ-YL-001', 'WJ-XX-001'];

/** A directory with every kind of entry the draw must pass over. */
function randomDirectory(rng: () => number, size: number): DirectoryEntry[] {
  return Array.from({ length: size }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    kind: rng() < 0.15 ? 'EXPERT' : 'INSPECTOR',
    active: rng() > 0.1,
    certificateNumber: `62042WJ${String(1000 + i)}`,
    // Some ran out before the window ends, one ends on its last day (still valid), some have none.
    certificateValidUntil: rng() < 0.2 ? '2027-06-29' : rng() < 0.1 ? WINDOW_TO : rng() < 0.05 ? null : '2029-12-31',
    qualifications: ITEMS.filter(() => rng() < 0.75),
  }));
}

describe('the draw rule over 200 seeds', () => {
  it('never draws an expired, unqualified, inactive or conflicted inspector or an expert; two when possible', () => {
    let teams = 0;
    let experts = 0;
    const shortfalls = new Set<string>();
    for (let n = 0; n < 200; n++) {
      const rng = seededRandom(7919 * n + 1);
      const seed = createHmac('sha256', 'seeds').update(String(n)).digest('hex');
      const directory = randomDirectory(rng, 2 + Math.floor(rng() * 10));
      const part = Array.from({ length: 1 + Math.floor(rng() * 8) }, () => ({
        uscc: generateUscc(rng),
        items: ITEMS.filter(() => rng() < 0.5).concat(ITEMS[0]!),
      }));
      const conflicts = new Set(
        part.flatMap((b) => directory.filter(() => rng() < 0.3).map((i) => `${i.id}|${b.uscc}`)),
      );
      // Some seeds make an item 重点: a team for it brings an eligible expert.
      const key = new Set(ITEMS.filter(() => rng() < 0.4));
      const drawn = drawTeams({
        seed,
        windowTo: WINDOW_TO,
        part,
        directory,
        conflicted: (id, uscc) => conflicts.has(`${id}|${uscc}`),
        isKey: (item) => key.has(item),
      });
      expect(drawn.map((b) => b.uscc).sort()).toEqual(part.map((b) => b.uscc).sort());
      for (const b of drawn) {
        const mayServe = (i: DirectoryEntry) =>
          i.active &&
          i.kind === 'INSPECTOR' &&
          i.certificateValidUntil !== null &&
          i.certificateValidUntil >= WINDOW_TO &&
          b.items.every((item) => i.qualifications.includes(item)) &&
          !conflicts.has(`${i.id}|${b.uscc}`);
        const eligible = directory.filter(mayServe);
        expect(b.eligible.map((c) => c.inspectorId).sort()).toEqual(eligible.map((i) => i.id).sort());
        for (const id of b.team) expect(mayServe(directory.find((i) => i.id === id)!)).toBe(true);
        // An expert: only beside a team with a 重点 item, active, qualified for each 重点 item, not conflicted.
        const keyItems = b.items.filter((item) => key.has(item));
        const mayAdvise = (i: DirectoryEntry) =>
          i.active &&
          i.kind === 'EXPERT' &&
          keyItems.every((item) => i.qualifications.includes(item)) &&
          !conflicts.has(`${i.id}|${b.uscc}`);
        const advisers = b.team.length && keyItems.length ? directory.filter(mayAdvise) : [];
        expect(b.experts).toHaveLength(Math.min(1, advisers.length));
        for (const id of b.experts) expect(mayAdvise(directory.find((i) => i.id === id)!)).toBe(true);
        if (b.experts.length) experts++;
        if (eligible.length >= 2) {
          expect(new Set(b.team).size).toBe(2);
          expect(b.shortfall).toBeNull();
          teams++;
        } else {
          // Never one officer alone: no team, and why.
          expect(b.team).toEqual([]);
          expect(b.shortfall).not.toBeNull();
          shortfalls.add(b.shortfall!);
        }
      }
    }
    // The directories were rich enough to exercise both outcomes and every named reason but the first.
    expect(teams).toBeGreaterThan(100);
    expect(experts).toBeGreaterThan(20);
    expect([...shortfalls].sort()).toEqual(
      expect.arrayContaining(['ALL_CONFLICTED', 'CERTIFICATES_EXPIRED', 'NO_QUALIFIED_INSPECTORS']),
    );
  });

  it('names the first filter after which fewer than two were left', () => {
    const base = {
      kind: 'INSPECTOR' as const,
      active: true,
      qualifications: ITEMS,
      certificateValidUntil: '2030-01-01',
    };
    const dir = (changes: Partial<DirectoryEntry>[]) =>
      changes.map((c, i) => ({ ...base, id: `i${i}`, certificateNumber: `C${i}`, ...c }));
    const part = [{ uscc: '91620422MA7XXXX902', items: [ITEMS[0]!] }];
    const shortfall = (directory: DirectoryEntry[], conflicted: (id: string) => boolean = () => false) =>
      drawTeams({ seed: 'ab'.repeat(32), windowTo: WINDOW_TO, part, directory, conflicted })[0]!.shortfall;
    expect(shortfall(dir([{}, { kind: 'EXPERT' }, { active: false }]))).toBe('NO_ACTIVE_INSPECTORS');
    expect(shortfall(dir([{}, { certificateValidUntil: '2027-06-29' }]))).toBe('CERTIFICATES_EXPIRED');
    expect(shortfall(dir([{}, { qualifications: [ITEMS[1]!] }]))).toBe('NO_QUALIFIED_INSPECTORS');
    expect(shortfall(dir([{}, {}]), (id) => id === 'i1')).toBe('ALL_CONFLICTED');
    expect(shortfall(dir([{}, {}]))).toBeNull();
  });

  it('adds an expert to a team with a 重点 item, spread like the officers, never to a shortfall', () => {
    const person = (id: string, kind: 'INSPECTOR' | 'EXPERT', qualifications = ITEMS) => ({
      id,
      kind,
      active: true,
      certificateNumber: `C-${id}`,
      certificateValidUntil: kind === 'EXPERT' ? null : '2030-01-01',
      qualifications,
    });
    const directory = [
      person('o1', 'INSPECTOR'),
      person('o2', 'INSPECTOR'),
      person('e1', 'EXPERT'),
      person('e2', 'EXPERT'),
      person('e3', 'EXPERT', [ITEMS[1]!]),
    ];
    const rng = seededRandom(11);
    const part = [
      ...Array.from({ length: 2 }, () => ({ uscc: generateUscc(rng), items: [ITEMS[0]!] })),
      { uscc: generateUscc(rng), items: [ITEMS[2]!] },
    ];
    const drawn = drawTeams({
      seed: 'ef'.repeat(32),
      windowTo: WINDOW_TO,
      part,
      directory,
      conflicted: () => false,
      isKey: (item) => item === ITEMS[0],
    });
    const withKey = drawn.filter((b) => b.items[0] === ITEMS[0]);
    // One expert each, qualified for the 重点 item, a different one for each (the load rule); e3 never.
    expect(withKey.map((b) => b.experts.length)).toEqual([1, 1]);
    expect(new Set(withKey.flatMap((b) => b.experts))).toEqual(new Set(['e1', 'e2']));
    // Experts never count as officers, and a business with only 一般 items gets none.
    for (const b of drawn) expect(b.team.every((id) => id.startsWith('o'))).toBe(true);
    expect(drawn.find((b) => b.items[0] === ITEMS[2])!.experts).toEqual([]);
    // No team, no expert: never an expert alone.
    const alone = drawTeams({
      seed: 'ef'.repeat(32),
      windowTo: WINDOW_TO,
      part,
      directory: directory.filter((i) => i.id !== 'o2'),
      conflicted: () => false,
      isKey: () => true,
    });
    for (const b of alone) expect([b.team, b.experts, b.shortfall]).toEqual([[], [], 'NO_ACTIVE_INSPECTORS']);
  });

  it('spreads the load: nobody gets a second business while an eligible colleague has none', () => {
    const directory = Array.from({ length: 6 }, (_, i) => ({
      id: `i${i}`,
      kind: 'INSPECTOR' as const,
      active: true,
      certificateNumber: `C${i}`,
      certificateValidUntil: '2030-01-01',
      qualifications: ITEMS,
    }));
    const rng = seededRandom(3);
    const part = Array.from({ length: 3 }, () => ({ uscc: generateUscc(rng), items: ITEMS }));
    const drawn = drawTeams({ seed: 'cd'.repeat(32), windowTo: WINDOW_TO, part, directory, conflicted: () => false });
    expect(new Set(drawn.flatMap((b) => b.team)).size).toBe(6);
  });
});

// ── Through the department's API ───────────────────────────────────────────────────────────
const clock = testClock('2026-11-25T09:00:00+08:00');
const staff: Identity = { sub: 'clerk-1', role: 'staff', department: 'HEALTH' };
const office: Identity = { sub: 'office-1', role: 'office' };
const fireStaff: Identity = { sub: 'fire-1', role: 'staff', department: 'FIRE' };
let health: TestSubgraph<typeof schema>;
const db = () => health.service.database.db;

const rng = seededRandom(20261125);
const businesses = Array.from({ length: 4 }, () => generateUscc(rng));
const SEED = randomBytes(32).toString('hex');
const DRAW_ID = '00000000-0000-4000-8000-0000000d0001';
const PLAN_ID = '00000000-0000-4000-8000-0000000a0001';

const drawEvent = (id: string) => ({
  id,
  type: 'onecheck.draw.made.v1',
  time: clock.now().toISOString(),
  data: {
    planId: PLAN_ID,
    drawId: DRAW_ID,
    seed: SEED,
    secret: 'the office secret',
    publicValue: '2026153',
    poolHash: 'a'.repeat(64),
    poolSize: 40,
    windowFrom: '2027-03-01',
    windowTo: WINDOW_TO,
    targets: [
      // Three for HEALTH (the last with an item nobody is qualified for), one for FIRE only.
      ...businesses.slice(0, 2).map((uscc, i) => ({
        uscc,
        name: `会宁县第${i + 1}饭店`,
        address: '会宁县会师镇',
        departments: [
          { department: 'HEALTH', items: ['WJ-GG-001'] },
          { department: 'FIRE', items: ['XF-JC-001'] },
        ],
      })),
      { uscc: businesses[2], name: '会宁县诊所', departments: [{ department: 'HEALTH', items: ['WJ-YL-001'] }] },
      { uscc: businesses[3], name: '会宁县网吧', departments: [{ department: 'FIRE', items: ['XF-JC-001'] }] },
    ],
    drawnAt: clock.now().toISOString(),
  },
});

async function deliverEvent(event: { type: string; [field: string]: unknown }) {
  const consumer = departmentConsumers('HEALTH', { db: db(), clock, logger: undefined as never }).find(
    (c) => c.name === 'plans',
  )!;
  const handler = consumer.handlers[event.type as 'onecheck.draw.made.v1']!;
  await db().transaction((tx) => handler(event as never, tx as never));
}
const deliver = (eventId: string) => deliverEvent(drawEvent(eventId));

const ADD = `mutation ($input: InspectorInput!) { addInspector(input: $input) { id } }`;
const DRAW = `query ($id: ID!) { inspectorDraw(department: "HEALTH", drawId: $id) {
  planId windowTo shortfalls businesses { uscc items teamSize shortfall shortfallReason team { id name }
  task { id kind checkBy status } } } }`;
const PROOF = `query ($id: ID!) { inspectorDrawProof(department: "HEALTH", drawId: $id) { seed windowTo businesses {
  uscc position businessHmac items activeInspectors validCertificates qualified notConflicted team shortfall
  eligible { inspectorId certificateNumber hmac assignedBefore chosen } } } }`;

const ids: Record<string, string> = {};

beforeAll(async () => {
  health = await startTestSubgraph(departmentService('HEALTH'), { clock });
  const people = [
    ['甲', 'WJ-0001', ['WJ-GG-001', 'WJ-YL-001'], '2029-12-31', 'INSPECTOR'],
    ['乙', 'WJ-0002', ['WJ-GG-001'], '2029-12-31', 'INSPECTOR'],
    ['丙', 'WJ-0003', ['WJ-GG-001'], '2029-12-31', 'INSPECTOR'],
    ['丁', 'WJ-0004', ['WJ-GG-001', 'WJ-YL-001'], '2027-01-31', 'INSPECTOR'], // expires inside the window
    ['戊', 'WJ-0005', ['WJ-GG-001', 'WJ-YL-001'], null, 'EXPERT'],
  ] as const;
  for (const [name, badgeNumber, qualifications, certificateValidUntil, kind] of people) {
    const r = await health.call(staff, ADD, {
      input: { name: `${name}某`, badgeNumber, qualifications, certificateValidUntil, kind },
    });
    expect(r.errors).toBeUndefined();
    ids[name] = r.data!.addInspector.id;
  }
  // 乙 declared an interest in the first business.
  const declared = await health.call(
    staff,
    `mutation ($id: ID!, $uscc: String!) { declareConflict(inspectorId: $id, uscc: $uscc, reason: "配偶任该店股东") { id uscc } }`,
    { id: ids['乙'], uscc: businesses[0] },
  );
  expect(declared.errors).toBeUndefined();
  await deliver('draw-event-1');
});
afterAll(() => health?.stop());

describe('the department receives its part of a draw', () => {
  it('makes an inspection task per business of its part, due by the window, beside the licence tasks', async () => {
    const r = await health.call(
      staff,
      '{ supervisionTasks(filter: { kind: INSPECTION }) { totalCount edges { node { kind enterprise { uscc } checkBy windowFrom items planId drawId licenceNumber teamSize teamShortfall } } } }',
    );
    expect(r.errors).toBeUndefined();
    const nodes = r.data!.supervisionTasks.edges.map((e: { node: { enterprise: { uscc: string } } }) => ({
      ...e.node,
      uscc: e.node.enterprise.uscc,
    }));
    expect(nodes.map((t: { uscc: string }) => t.uscc).sort()).toEqual(businesses.slice(0, 3).sort());
    for (const t of nodes)
      expect(t).toMatchObject({
        kind: 'INSPECTION',
        checkBy: WINDOW_TO,
        windowFrom: '2027-03-01',
        planId: PLAN_ID,
        drawId: DRAW_ID,
        licenceNumber: null,
      });
    const clinic = nodes.find((t: { uscc: string }) => t.uscc === businesses[2]);
    expect(clinic).toMatchObject({ items: ['WJ-YL-001'], teamSize: 0, teamShortfall: 'NO_QUALIFIED_INSPECTORS' });
  });

  it('draws two qualified, certified officers without a conflict, or none and says why', async () => {
    const r = await health.call(staff, DRAW, { id: DRAW_ID });
    expect(r.errors).toBeUndefined();
    const draw = r.data!.inspectorDraw;
    expect(draw).toMatchObject({ planId: PLAN_ID, windowTo: WINDOW_TO, shortfalls: 1 });
    const byUscc = Object.fromEntries(draw.businesses.map((b: { uscc: string }) => [b.uscc, b]));
    // The first business: 甲 and 丙 (乙 declared a conflict, 丁's certificate ends in the window, 戊 is an expert).
    expect(byUscc[businesses[0]!].team.map((i: { id: string }) => i.id).sort()).toEqual([ids['甲'], ids['丙']].sort());
    expect(byUscc[businesses[1]!].teamSize).toBe(2);
    expect(byUscc[businesses[1]!].team.map((i: { id: string }) => i.id)).not.toContain(ids['戊']);
    // The clinic: three certificates hold through the window, but of them only 甲 has the item: never one officer alone.
    expect(byUscc[businesses[2]!]).toMatchObject({
      teamSize: 0,
      team: [],
      shortfall: 'NO_QUALIFIED_INSPECTORS',
      shortfallReason: '具备全部检查事项执法资格的执法人员不足两名',
    });
    expect(byUscc[businesses[2]!].task).toMatchObject({ kind: 'INSPECTION', checkBy: WINDOW_TO });
  });

  it('shows the office the counts and reasons, never who; another department is refused', async () => {
    const r = await health.call(office, DRAW, { id: DRAW_ID });
    expect(r.errors).toBeUndefined();
    for (const b of r.data!.inspectorDraw.businesses) expect(b.team).toBeNull();
    expect(r.data!.inspectorDraw.businesses.map((b: { teamSize: number }) => b.teamSize).sort()).toEqual([0, 2, 2]);
    for (const query of [DRAW, PROOF]) {
      const refused = await health.call(fireStaff, query.replace('department: "HEALTH", ', ''), { id: DRAW_ID });
      expect(refused.errors?.[0]?.extensions?.code).toBeDefined();
      const asked = await health.call(fireStaff, query, { id: DRAW_ID });
      expect(asked.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('keeps a proof an auditor re-derives byte for byte from the seed alone', async () => {
    const r = await health.call(staff, PROOF, { id: DRAW_ID });
    expect(r.errors).toBeUndefined();
    const proof = r.data!.inspectorDrawProof;
    expect(proof.seed).toBe(SEED);
    const load = new Map<string, number>();
    const ordered = [...proof.businesses].sort((a, b) => a.position - b.position);
    expect(ordered.map((b) => b.businessHmac)).toEqual(ordered.map((b) => hmac(SEED, b.uscc)).sort());
    for (const b of ordered) {
      expect(b.businessHmac).toBe(hmac(SEED, b.uscc));
      const expected = b.eligible
        .map((c: { inspectorId: string; certificateNumber: string }) => ({
          inspectorId: c.inspectorId,
          certificateNumber: c.certificateNumber,
          hmac: hmac(SEED, `${b.uscc}|${c.certificateNumber}`),
          assignedBefore: load.get(c.inspectorId) ?? 0,
        }))
        .sort(
          (x: { assignedBefore: number; hmac: string }, y: { assignedBefore: number; hmac: string }) =>
            x.assignedBefore - y.assignedBefore || (x.hmac < y.hmac ? -1 : 1),
        );
      const team = expected.length >= 2 ? expected.slice(0, 2).map((c: { inspectorId: string }) => c.inspectorId) : [];
      expect(b.eligible).toEqual(
        expected.map((c: { inspectorId: string }) => ({ ...c, chosen: team.includes(c.inspectorId) })),
      );
      expect(b.team).toEqual(team);
      for (const id of team) load.set(id, (load.get(id) ?? 0) + 1);
    }
    // The office sees the same proof with the certificate numbers hidden whole.
    const masked = await health.call(office, PROOF, { id: DRAW_ID });
    const numbers = masked.data!.inspectorDrawProof.businesses.flatMap(
      (b: { eligible: { certificateNumber: string }[] }) => b.eligible.map((c) => c.certificateNumber),
    );
    expect(numbers.length).toBeGreaterThan(0);
    expect(new Set(numbers)).toEqual(new Set(['********']));
  });

  it('changes nothing when the draw comes again, under another event id', async () => {
    const tasks = async () =>
      (
        await db()
          .select({ n: count() })
          .from(schema.supervisionTasks)
          .where(eq(schema.supervisionTasks.kind, 'INSPECTION'))
      )[0]!.n;
    const before = { tasks: await tasks(), trail: await readAuditTrail(db(), { kind: 'inspectorDraw', id: DRAW_ID }) };
    expect(before.tasks).toBe(3);
    expect(before.trail.map((e) => e.action)).toEqual(['receiveDraws']);
    await deliver('draw-event-2');
    expect(await tasks()).toBe(3);
    expect(await readAuditTrail(db(), { kind: 'inspectorDraw', id: DRAW_ID })).toHaveLength(1);
  });

  it('refuses to record an inspection task’s result outside a coded visit', async () => {
    const [task] = await db()
      .select()
      .from(schema.supervisionTasks)
      .where(eq(schema.supervisionTasks.kind, 'INSPECTION'));
    const claimed = await health.call(staff, 'mutation ($id: ID!) { claimSupervisionTask(id: $id) { status } }', {
      id: task!.id,
    });
    expect(claimed.errors).toBeUndefined();
    const r = await health.call(
      staff,
      'mutation ($id: ID!) { recordTaskResult(id: $id, input: { outcome: NO_PROBLEM, summary: "未发现问题" }) { status } }',
      { id: task!.id },
    );
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'task.inspectionOnVisit' });
  });
});

describe('a drawn list in parts (onecheck.draw.made.v2)', () => {
  const departments = [
    { department: 'HEALTH', items: ['WJ-GG-001'] },
    { department: 'FIRE', items: ['XF-JC-001'] },
  ];
  const targets = businesses.map((uscc, i) => ({ uscc, name: `会宁县第${i + 1}店`, address: '会宁县会师镇' }));
  const { targets: _whole, ...proof } = drawEvent('').data;
  const inParts = (drawId: string, part: number, parts: number, list: typeof targets, of = departments) => ({
    id: `v2-${drawId}-${part}`,
    type: 'onecheck.draw.made.v2',
    time: clock.now().toISOString(),
    data: { ...proof, drawId, departments: of, part, parts, targets: list },
  });
  const teamsOf = async (drawId: string) => {
    const r = await health.call(staff, DRAW, { id: drawId });
    expect(r.errors).toBeUndefined();
    return r.data!.inspectorDraw?.businesses.map((b: { uscc: string; team: { id: string }[]; shortfall: string }) => [
      b.uscc,
      b.team.map((t) => t.id),
      b.shortfall,
    ]);
  };

  it('draws once the last part is in, in any order, exactly as the whole list in one message', async () => {
    const split = '00000000-0000-4000-8000-0000000d0002';
    const whole = '00000000-0000-4000-8000-0000000d0003';
    await deliverEvent(inParts(split, 2, 2, targets.slice(2)));
    await deliverEvent(inParts(split, 2, 2, targets.slice(2)));
    expect(await teamsOf(split)).toBeUndefined();
    await deliverEvent(inParts(split, 1, 2, targets.slice(0, 2)));
    const drawn = await teamsOf(split);
    expect(drawn).toHaveLength(4);
    // The same list, seed and directory in one v1 message draws the same teams in the same order.
    await deliverEvent({
      ...drawEvent(`v1-${whole}`),
      data: { ...drawEvent('').data, drawId: whole, targets: targets.map((t) => ({ ...t, departments })) },
    });
    expect(await teamsOf(whole)).toEqual(drawn);
    // A part redelivered after the draw changes nothing, and no part is left waiting.
    await deliverEvent(inParts(split, 1, 2, targets.slice(0, 2)));
    expect(await teamsOf(split)).toEqual(drawn);
    expect(await db().select().from(schema.drawParts)).toEqual([]);
  });

  it('a department outside the plan records the draw at once, with nothing to draw', async () => {
    const other = '00000000-0000-4000-8000-0000000d0004';
    await deliverEvent(inParts(other, 1, 3, targets, [{ department: 'FIRE', items: ['XF-JC-001'] }]));
    expect(await teamsOf(other)).toEqual([]);
    expect(await db().select().from(schema.drawParts)).toEqual([]);
  });
});
