/**
 * What the market tests of issue 11 (visits, publication, measures, visit races) set up alike, in
 * one place: the subgraph over HTTP, the departments' events delivered as the bus would, the
 * outbox read back, items on the joint list, a plan run from draft to draw, a department's teams.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Identity } from '@onecheck/auth';
import type { TestClock } from '@onecheck/clock';
import type { EventData, EventType, ResultCategory } from '@onecheck/contracts';
import { createLogger } from '@onecheck/kit';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { marketService } from '../src/index';
import { marketConsumers } from '../src/events';
import * as schema from '../src/db/schema';

export const office: Identity = { sub: 'office-1', role: 'office' };
export const auditor: Identity = { sub: 'jijian-1', role: 'auditor' };
export const anyone: Identity = { sub: 'anonymous', role: 'public' };
/** A department's staff member. */
export const staffOf = (department: string): Identity => ({
  sub: `staff-${department.toLowerCase()}`,
  role: 'staff',
  department,
});

/** An item as the department's onecheck.item.published.v1 carries it (the joint list takes it in). */
export const listItem = (
  clock: TestClock,
  department: string,
  code: string,
  o: { name?: string; emphasis?: 'KEY' | 'GENERAL'; industries?: string[] } = {},
) => ({
  department,
  code,
  name: o.name ?? `${code} 检查事项`,
  content: '检查内容',
  legalBasis: '《中华人民共和国食品安全法》',
  level: 'COUNTY',
  industries: o.industries ?? ['62'],
  checkMethod: 'ON_SITE',
  emphasis: o.emphasis ?? 'KEY',
  checkPoints: [{ point: '证照齐全', answers: ['符合', '不符合'] }],
  status: 'PUBLISHED',
  revision: 1,
  recordedAt: clock.now().toISOString(),
});

/** A check team of two INSPECTOR officers with these certificate numbers (ids fresh unless given). */
export const teamOfTwo = (certificates: readonly string[], ids: readonly string[] = [randomUUID(), randomUUID()]) =>
  certificates.map((certificateNumber, n) => ({
    inspectorId: ids[n]!,
    certificateNumber,
    kind: 'INSPECTOR' as const,
    certificateValidUntil: '2028-12-31',
  }));
export type Team = ReturnType<typeof teamOfTwo>;

/**
 * A department's results on a visit as its onecheck.inspection.recorded.v1 carries them: per item
 * its categories; the code and officers made up unless given, inspected and recorded now.
 */
export function inspectionRecorded(
  clock: TestClock,
  r: {
    visitId: string;
    uscc: string;
    department: string;
    items: Record<string, ResultCategory[]>;
    code?: string;
    officers?: string[];
    inspectedOn?: string;
  },
): EventData<'onecheck.inspection.recorded.v1'> {
  return {
    resultId: randomUUID(),
    visitId: r.visitId,
    code: r.code ?? `code-${r.visitId}`,
    department: r.department,
    recordedByDepartment: r.department,
    uscc: r.uscc,
    items: Object.entries(r.items).map(([itemCode, categories]) => ({ itemCode, categories })),
    officers: r.officers ?? [`${r.department}-ZF-1`, `${r.department}-ZF-2`],
    findings: 0,
    inspectedOn: r.inspectedOn ?? clock.today(),
    recordedAt: clock.now().toISOString(),
  };
}

export interface MarketFixture {
  readonly market: TestSubgraph<typeof schema>;
  db(): TestSubgraph<typeof schema>['service']['database']['db'];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Delivers an event to the office's consumers the way the bus would (one transaction); resolves to its id. */
  deliver(type: EventType, data: unknown, id?: string): Promise<string>;
  /** The office's outbox events of a type, with their key and topic. */
  outbox(type: string): Promise<{ type: string; data: any; key: string; topic: string }[]>;
  /** A plan from draft to draw: drafted and filed by `lead`, published, frozen and drawn by the office, observed by the auditor. */
  runPlan(lead: Identity, input: Record<string, unknown>): Promise<string>;
  /** A department's check teams for a plan's draw (onecheck.inspection.teams-drawn.v1), one task each. */
  sendTeams(planId: string, department: string, teams: { uscc: string; team: Team }[]): Promise<void>;
}

export function marketFixture(clock: TestClock): MarketFixture {
  let market: TestSubgraph<typeof schema> | undefined;
  const fx: MarketFixture = {
    get market() {
      return market!;
    },
    db: () => market!.service.database.db,
    async start() {
      market = await startTestSubgraph(marketService, { clock });
    },
    async stop() {
      await market?.stop();
    },
    async deliver(type, data, id = randomUUID()) {
      const deps = { db: fx.db(), clock, logger: createLogger('test', 'warn') };
      const consumer = marketConsumers(deps as never).find((c) => type in c.handlers)!;
      const handler = (consumer.handlers as Record<string, (e: unknown, tx: unknown) => Promise<void>>)[type]!;
      const event = { id, type, source: 'test', time: clock.now().toISOString(), data };
      await fx.db().transaction((tx) => handler(event, tx));
      return id;
    },
    async outbox(type) {
      const rows = await fx
        .db()
        .select({ event: schema.outbox.event, key: schema.outbox.key, topic: schema.outbox.topic })
        .from(schema.outbox);
      return rows
        .filter((r) => (r.event as { type: string }).type === type)
        .map((r) => ({ ...(r.event as { type: string; data: any }), key: r.key, topic: r.topic }));
    },
    async runPlan(lead, input) {
      const r = await market!.call(lead, 'mutation ($input: JointPlanInput!) { draftPlan(input: $input) { id } }', {
        input,
      });
      expect(r.errors).toBeUndefined();
      const id = r.data!.draftPlan.id as string;
      for (const [caller, m] of [
        [lead, 'filePlan(id: $id) { id }'],
        [office, 'publishPlan(id: $id) { id }'],
        [office, 'freezeDrawPool(planId: $id) { poolSize }'],
        [auditor, 'enterDrawPublicValue(planId: $id, value: "福彩3D 2026100期 731") { publicValue }'],
        [office, 'drawPlan(planId: $id) { drawnAt }'],
      ] as const) {
        const step = await market!.call(caller, `mutation ($id: ID!) { ${m} }`, { id });
        expect(step.errors).toBeUndefined();
      }
      // The draw's delivery (its visits, its events) is the durable job that follows it.
      await market!.service.timers!.runDue();
      return id;
    },
    async sendTeams(planId, department, teams) {
      await fx.deliver('onecheck.inspection.teams-drawn.v1', {
        drawId: randomUUID(),
        planId,
        department,
        teams: teams.map(({ uscc, team }) => ({ uscc, taskId: randomUUID(), team })),
        drawnAt: clock.now().toISOString(),
      });
    },
  };
  return fx;
}
