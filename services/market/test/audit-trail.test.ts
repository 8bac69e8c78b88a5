/**
 * 全程留痕 in market regulation (issue 9 item 2), over HTTP as the gateway calls it: every change
 * of the register and the calendar is on the service's hash-chained audit log with who, when,
 * before and after; a business's trail is shown to the office and market regulation's staff only;
 * the chain verifies, and its anchor goes to the outbox for onecheck.audit.anchor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { outbox } from '@onecheck/events/tables';
import { verifyAuditLog, type AuditAnchor } from '@onecheck/kit';
import { auditLog } from '@onecheck/kit/tables';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { marketService } from '../src/index';
import type * as schema from '../src/db/schema';

const clock = testClock('2026-11-25T09:00:00+08:00');
const office: Identity = { sub: 'office-1', role: 'office' };
const registrar: Identity = { sub: 'clerk-7', role: 'staff', department: 'MARKET' };
const uscc = generateUscc(seededRandom(909), { region: '620422' });
let market: TestSubgraph<typeof schema>;

const TRAIL = `query ($u: String!) { enterprise(uscc: $u) { auditTrail {
  seq at action actionName entityKind entityId before after hash
  actor { kind sub role department principal event timer } } } }`;

beforeAll(async () => {
  market = await startTestSubgraph(marketService, { clock });
  const steps: [Identity, string, Record<string, unknown>][] = [
    [
      office,
      'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
      {
        input: {
          uscc,
          name: '会宁县留痕宾馆',
          legalRepresentative: '李四',
          industry: '61',
          region: '620422',
          address: '会宁县',
        },
      },
    ],
    [
      registrar,
      'mutation ($u: String!) { updateEnterprise(uscc: $u, input: { name: "会宁县留痕酒店" }) { uscc } }',
      { u: uscc },
    ],
    [
      office,
      'mutation { setCalendarYear(input: { year: 2031, holidays: ["2031-01-01"], workdays: [] }) { year } }',
      {},
    ],
  ];
  for (const [who, query, variables] of steps) {
    clock.advance(60_000);
    const r = await market.call(who, query, variables);
    expect(r.errors).toBeUndefined();
  }
});
afterAll(() => market?.stop());

describe("a business's trail", () => {
  it('shows each change with who, when, before and after, oldest first', async () => {
    const r = await market.call(registrar, TRAIL, { u: uscc });
    expect(r.errors).toBeUndefined();
    const trail = r.data!.enterprise.auditTrail as Record<string, any>[];
    expect(trail).toHaveLength(2);
    expect(trail[0]).toMatchObject({
      action: 'registerBusinesses',
      actionName: '登记经营主体',
      entityKind: 'business',
      entityId: uscc,
      before: null,
      after: { uscc, name: '会宁县留痕宾馆', version: 1 },
      actor: { kind: 'USER', sub: 'office-1', role: 'office', department: null },
      at: '2026-11-25T01:01:00.000Z',
    });
    expect(trail[1]).toMatchObject({
      action: 'changeBusinesses',
      before: { name: '会宁县留痕宾馆', version: 1 },
      after: { name: '会宁县留痕酒店', version: 2 },
      actor: { kind: 'USER', sub: 'clerk-7', role: 'staff', department: 'MARKET' },
      at: '2026-11-25T01:02:00.000Z',
    });
    expect(trail[1]!.seq).toBeGreaterThan(trail[0]!.seq);
  });

  it.each<[string, Identity]>([
    ['another department', { sub: 'h-1', role: 'staff', department: 'HEALTH' }],
    ['an inspector of market regulation', { sub: 'i-1', role: 'inspector', department: 'MARKET' }],
    ['the approval bureau', { sub: 'a-1', role: 'approver' }],
  ])('is refused to %s', async (_, who) => {
    const r = await market.call(who, TRAIL, { u: uscc });
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('is refused to the public', async () => {
    const r = await market.call({ sub: 'anonymous', role: 'public' }, TRAIL, { u: uscc });
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('the service audit log', () => {
  it('holds the calendar change too, and the chain verifies against the anchor the timer records', async () => {
    const db = market.service.database.db;
    const rows = await db.select().from(auditLog).orderBy(asc(auditLog.seq));
    expect(rows.map((r) => [r.action, r.entityKind])).toEqual([
      ['registerBusinesses', 'business'],
      ['changeBusinesses', 'business'],
      ['setCalendar', 'calendarYear'],
    ]);
    expect(rows[2]).toMatchObject({ entityId: '2031', after: { year: 2031, holidays: ['2031-01-01'] } });
    // The anchor timer runs every minute of the service clock.
    clock.advance(60_000);
    expect(await market.service.timers!.runDue()).toBeGreaterThanOrEqual(1);
    const anchors = (await db.select().from(outbox).where(eq(outbox.topic, 'onecheck.audit.anchor'))).map(
      (r) => (r.event as { data: AuditAnchor & { service: string } }).data,
    );
    // The timer may have anchored the first entries already (it runs whenever it is due): together
    // the anchors carry every entry's hash, in order, each for market.
    expect(anchors.every((a) => a.service === 'market')).toBe(true);
    expect(anchors.flatMap((a) => a.hashes)).toEqual(rows.map((r) => r.hash));
    expect(await verifyAuditLog(db, anchors)).toEqual({ ok: true, entries: 3, anchoredTo: 3 });
  });
});
