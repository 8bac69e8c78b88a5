/**
 * 告知承诺 at the bureau (issue 9 item 5; seed 003 第二十三条) and the pre-approval credit check
 * (item 6; 第十二条), over HTTP as the gateway calls the subgraph, with the clock pinned: the
 * promised period counts by the working calendar, the reminder goes out the day before it ends,
 * materials that never come list the approval for the bureau, an annulment or an untrue promise
 * sends a dishonesty record, and a false promise on record bars the next 告知承诺 — once each,
 * also with two instances running the timers.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql, type SQL } from 'drizzle-orm';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import type { EventData, EventType } from '@onecheck/contracts';
import { appendAudit, createLogger, serviceActor } from '@onecheck/kit';
import { startTestSubgraph, testingEnv, type TestSubgraph } from '@onecheck/kit/testing';
import { approvalService } from '../src/index';
import { approvalConsumers } from '../src/events';
import * as schema from '../src/db/schema';

const clock = testClock('2026-02-10T09:00:00+08:00');
const approver: Identity = { sub: 'approver-7', role: 'approver' };
const office: Identity = { sub: 'office-1', role: 'office' };
const staff: Identity = { sub: 'clerk-2', role: 'staff', department: 'HEALTH' };
const rng = seededRandom(923);
let approval: TestSubgraph<typeof schema>;
let seq = 0;

const PROMISE = `id status mode dueOn reminderOn remindedAt overdue listedAt reviewBy reviewOverdue breach
  licenceNumber licence { id status grantedOn promise { id } creditSeen { riskClass falsePromises { id } } }
  outcome { foundByDepartment { code } documentNumber legalBasis reason decidedOn }
  creditSeen { riskClass rule findings promiseAllowed falsePromises { id } }`;

type Ev = { type: string; data: Record<string, any> };
type Executor = { execute: (query: SQL) => PromiseLike<unknown> };
async function outbox(type: EventType): Promise<Ev[]> {
  const rows = await approval.service.database.db.select({ event: schema.outbox.event }).from(schema.outbox);
  return rows.map((r) => r.event as Ev).filter((e) => e.type === type);
}

/** Delivers an event to the bureau's consumers the way the bus would (one transaction). */
async function deliver<T extends EventType>(
  type: T,
  data: EventData<T>,
  time = clock.now(),
  beforeCommit?: (tx: Executor) => Promise<void>,
) {
  const deps = { db: approval.service.database.db, clock, logger: createLogger('test', 'warn') };
  const consumer = approvalConsumers(deps as never).find((c) => type in c.handlers)!;
  const handler = (consumer.handlers as Record<string, (e: unknown, tx: unknown) => Promise<void>>)[type]!;
  const event = { id: randomUUID(), type, source: 'test', time: time.toISOString(), data };
  await approval.service.database.db.transaction(async (tx) => {
    await handler(event, tx);
    await beforeCommit?.(tx);
  });
}

async function business(name: string): Promise<string> {
  const uscc = generateUscc(rng, { region: '420626' });
  await approval.service.database.db
    .insert(schema.knownEnterprises)
    .values({ uscc, name, status: 'ACTIVE', registeredOn: '2025-06-01', address: '保康县城关镇', version: 1 });
  return uscc;
}

const grantInput = (uscc: string, approvalItem: string, supervisingDepartment = 'HEALTH') => ({
  uscc,
  licenceNumber: `CN-${++seq}-${uscc.slice(-4)}`,
  approvalItem,
  supervisingDepartment,
  scope: '热食类食品制售',
  contact: '王五 0710-5800000',
  validFrom: '2026-02-10',
  validUntil: '2031-02-09',
});

async function onPromise(uscc: string, item: string) {
  return approval.call(
    approver,
    `mutation ($input: GrantLicenceInput!) { grantOnPromise(input: $input) { ${PROMISE} } }`,
    { input: grantInput(uscc, item) },
  );
}
const promise = async (id: string) =>
  (await approval.call(office, `query ($id: ID!) { approvalPromise(id: $id) { ${PROMISE} } }`, { id })).data!
    .approvalPromise;

async function setItem(input: Record<string, unknown>) {
  return approval.call(
    approver,
    'mutation ($input: ApprovalItemInput!) { setApprovalItem(input: $input) { name promiseMode promiseDays promiseDayCount reviewDays } }',
    { input },
  );
}

beforeAll(async () => {
  approval = await startTestSubgraph(approvalService, { clock });
  for (const input of [
    {
      name: '食品经营许可',
      supervisingDepartment: 'HEALTH',
      supervisionItem: 'SP-01',
      promiseMode: 'DEFERRED_MATERIALS',
      promiseDays: 10,
    },
    { name: '公共场所卫生许可', supervisingDepartment: 'HEALTH', promiseMode: 'POST_CHECK', promiseDays: 20 },
    {
      name: '消毒产品生产许可',
      supervisingDepartment: 'HEALTH',
      promiseMode: 'MATERIALS_VERIFICATION',
      promiseDays: 5,
    },
    { name: '放射诊疗许可', supervisingDepartment: 'HEALTH' },
  ])
    expect((await setItem(input)).errors).toBeUndefined();
});
afterAll(() => approval?.stop());

describe('approval items (审批事项实施清单)', () => {
  it('need the promised period with a mode, and refuse a grant naming another department', async () => {
    const r = await setItem({ name: '烟草零售许可', supervisingDepartment: 'MARKET', promiseMode: 'POST_CHECK' });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'promiseDays' });
    // A period without a mode is not dropped in silence either.
    const p = await setItem({ name: '烟草零售许可', supervisingDepartment: 'MARKET', promiseDays: 5 });
    expect(p.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'promiseDays',
      messageKey: 'approvalItem.promiseModeRequired',
    });
    const items = (await approval.call(staff, '{ approvalItems { name } }')).data!.approvalItems;
    expect(items.map((i: { name: string }) => i.name)).not.toContain('烟草零售许可');
    const uscc = await business('保康县某诊所');
    const g = await approval.call(
      approver,
      'mutation ($input: GrantLicenceInput!) { grantLicence(input: $input) { id } }',
      { input: grantInput(uscc, '放射诊疗许可', 'MARKET') },
    );
    expect(g.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'supervisingDepartment' });
  });

  it('grant on a promise only for an item configured for it', async () => {
    const uscc = await business('保康县放射诊所');
    const r = await onPromise(uscc, '放射诊疗许可');
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'approvalItem' });
    expect(r.errors?.[0]?.message).toContain('未实行告知承诺');
  });
});

describe('材料延期 (deferred materials)', () => {
  let late: string;
  let lateUscc: string;

  it('counts 10 working days from 2026-02-10 to 2026-03-02 (the Spring Festival break and its two working Saturdays), reminder on 2026-03-01, no licence until the materials arrive', async () => {
    clock.set('2026-02-10T09:00:00+08:00');
    lateUscc = await business('保康县迟交材料餐馆');
    const r = await onPromise(lateUscc, '食品经营许可');
    expect(r.errors).toBeUndefined();
    const p = r.data!.grantOnPromise;
    late = p.id;
    expect(p).toMatchObject({
      status: 'AWAITING_MATERIALS',
      mode: 'DEFERRED_MATERIALS',
      dueOn: '2026-03-02',
      reminderOn: '2026-03-01',
      licence: null,
      creditSeen: { riskClass: 'B', promiseAllowed: true },
    });
    // Not issued, so not pushed.
    expect((await outbox('onecheck.licence.granted.v2')).filter((e) => e.data.uscc === lateUscc)).toEqual([]);
  });

  it('reminds the applicant on the day before the due day, once', async () => {
    clock.set('2026-02-28T18:00:00+08:00');
    await approval.service.timers!.runDue();
    clock.set('2026-03-01T08:59:00+08:00');
    await approval.service.timers!.runDue();
    const mine = async () => (await outbox('onecheck.promise.reminded.v1')).filter((e) => e.data.promiseId === late);
    expect(await mine()).toEqual([]);
    clock.set('2026-03-01T09:00:30+08:00');
    await approval.service.timers!.runDue();
    await approval.service.timers!.runDue();
    expect(await mine()).toHaveLength(1);
    expect((await mine())[0]!.data).toMatchObject({
      dueOn: '2026-03-02',
      contact: '王五 0710-5800000',
      uscc: lateUscc,
    });
    expect((await promise(late)).remindedAt).toBe('2026-03-01T01:00:30.000Z');
  });

  it('lists the approval for the bureau the day after the due day, with its review deadline', async () => {
    clock.set('2026-03-02T23:59:00+08:00');
    await approval.service.timers!.runDue();
    expect((await promise(late)).status).toBe('AWAITING_MATERIALS');
    clock.set('2026-03-03T00:00:30+08:00');
    await approval.service.timers!.runDue();
    const p = await promise(late);
    expect(p).toMatchObject({ status: 'OVERDUE', overdue: true, reviewBy: '2026-03-31', reviewOverdue: false });
    const listed = await approval.call(
      office,
      '{ approvalPromises(filter: { overdue: true }) { totalCount edges { node { id } } } }',
    );
    expect(listed.data!.approvalPromises.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(late);
    clock.set('2026-04-01T09:00:00+08:00');
    expect((await promise(late)).reviewOverdue).toBe(true);
  });

  it('annulled by the bureau, sends a dishonesty record; the business may not be granted on a promise again', async () => {
    const r = await approval.call(
      approver,
      `mutation ($id: ID!) { annulPromisedApproval(id: $id, input: { documentNumber: "保审批撤〔2026〕3号",
        legalBasis: "《行政许可法》第六十九条", reason: "承诺期限内未补交材料" }) { ${PROMISE} } }`,
      { id: late },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.annulPromisedApproval).toMatchObject({
      status: 'ANNULLED',
      breach: 'MATERIALS_OVERDUE',
      outcome: { foundByDepartment: null, documentNumber: '保审批撤〔2026〕3号', decidedOn: '2026-04-01' },
    });
    const broken = (await outbox('onecheck.promise.broken.v1')).filter((e) => e.data.promiseId === late);
    expect(broken).toHaveLength(1);
    expect(broken[0]!.data).toMatchObject({ breach: 'MATERIALS_OVERDUE', foundBy: 'APPROVAL', uscc: lateUscc });

    const again = await onPromise(lateUscc, '公共场所卫生许可');
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'uscc' });
    expect(again.errors?.[0]?.message).toContain('食品经营许可');
    const check = await approval.call(
      approver,
      'query ($u: String!) { creditCheck(uscc: $u) { promiseAllowed falsePromises { id breach } } }',
      { u: lateUscc },
    );
    expect(check.data!.creditCheck).toEqual({
      promiseAllowed: false,
      falsePromises: [{ id: late, breach: 'MATERIALS_OVERDUE' }],
    });
    // An ordinary grant is not barred; it records what was seen.
    const g = await approval.call(
      approver,
      'mutation ($input: GrantLicenceInput!) { grantLicence(input: $input) { creditSeen { promiseAllowed falsePromises { id } } } }',
      { input: { ...grantInput(lateUscc, '放射诊疗许可'), validFrom: '2026-04-01' } },
    );
    expect(g.errors).toBeUndefined();
    expect(g.data!.grantLicence.creditSeen).toEqual({ promiseAllowed: false, falsePromises: [{ id: late }] });
  });

  it('is barred until the credit platform repairs the false promise (信用修复), then granted on a promise again', async () => {
    clock.set('2026-07-02T09:00:00+08:00');
    const repaired = (overrides: Record<string, unknown> = {}) => ({
      repairId: randomUUID(),
      uscc: lateUscc,
      record: 'FALSE_PROMISE' as const,
      recordId: late,
      documentNumber: '保信修〔2026〕1号',
      decidedOn: '2026-07-01',
      recordedAt: '2026-07-01T10:00:00+08:00',
      ...overrides,
    });
    // Another kind of record, or one named for another business, lifts nothing.
    await deliver('onecheck.credit.repaired.v1', repaired({ record: 'PENALTY' }));
    await deliver('onecheck.credit.repaired.v1', repaired({ uscc: await business('保康县他人餐馆') }));
    const CHECK = 'query ($u: String!) { creditCheck(uscc: $u) { promiseAllowed falsePromises { id } } }';
    expect((await approval.call(approver, CHECK, { u: lateUscc })).data!.creditCheck.promiseAllowed).toBe(false);
    const event = repaired();
    await deliver('onecheck.credit.repaired.v1', event);
    // Redelivered (another repair of the same record would be refused by the platform): nothing more changes.
    await deliver('onecheck.credit.repaired.v1', { ...event, documentNumber: '保信修〔2026〕9号' });
    expect((await approval.call(approver, CHECK, { u: lateUscc })).data!.creditCheck).toEqual({
      promiseAllowed: true,
      falsePromises: [],
    });
    const p = await approval.call(
      office,
      'query ($id: ID!) { approvalPromise(id: $id) { status breach repair { documentNumber decidedOn } } }',
      {
        id: late,
      },
    );
    expect(p.data!.approvalPromise).toEqual({
      status: 'ANNULLED',
      breach: 'MATERIALS_OVERDUE',
      repair: { documentNumber: '保信修〔2026〕1号', decidedOn: '2026-07-01' },
    });
    const again = await onPromise(lateUscc, '公共场所卫生许可');
    expect(again.errors).toBeUndefined();
    expect(again.data!.grantOnPromise.creditSeen).toMatchObject({ promiseAllowed: true, falsePromises: [] });
  });

  it('issues and pushes the licence when the materials arrive, and then neither reminds nor lists it', async () => {
    clock.set('2026-04-02T09:00:00+08:00');
    const uscc = await business('保康县按时补交餐馆');
    const id = (await onPromise(uscc, '食品经营许可')).data!.grantOnPromise.id;
    clock.set('2026-04-08T10:00:00+08:00');
    const r = await approval.call(
      approver,
      `mutation ($id: ID!) { receivePromisedMaterials(id: $id) { ${PROMISE} } }`,
      {
        id,
      },
    );
    expect(r.errors).toBeUndefined();
    const p = r.data!.receivePromisedMaterials;
    expect(p).toMatchObject({ status: 'KEPT', licence: { status: 'VALID', grantedOn: '2026-04-08', promise: { id } } });
    const pushed = (await outbox('onecheck.licence.granted.v2')).filter((e) => e.data.uscc === uscc);
    expect(pushed).toHaveLength(1);
    expect(pushed[0]!.data).toMatchObject({
      supervisionItem: 'SP-01',
      promise: { promiseId: id, mode: 'DEFERRED_MATERIALS' },
    });
    clock.set('2026-05-01T09:00:00+08:00');
    await approval.service.timers!.runDue();
    expect((await outbox('onecheck.promise.reminded.v1')).filter((e) => e.data.promiseId === id)).toEqual([]);
    expect((await promise(id)).status).toBe('KEPT');
    const twice = await approval.call(approver, 'mutation ($id: ID!) { receivePromisedMaterials(id: $id) { id } }', {
      id,
    });
    expect(twice.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});

/** The post-check's result as the department sends it: the promise untrue, 限期整改 ordered by these findings, due 2026-05-26. */
const untrueWithRectification = (
  p: { licence: { id: string }; licenceNumber: string },
  uscc: string,
  findingIds: string[],
) =>
  deliver('onecheck.supervision.checked.v1', {
    taskId: randomUUID(),
    department: 'HEALTH',
    licenceId: p.licence.id,
    licenceNumber: p.licenceNumber,
    uscc,
    outcome: 'PROBLEMS_FOUND',
    summary: '现场核查：与承诺不符，责令限期整改',
    findings: findingIds.length,
    checkedOn: '2026-05-12',
    recordedAt: clock.now().toISOString(),
    promiseKept: false,
    rectification: { findingIds, dueOn: '2026-05-26' },
  });

describe('事后核查 and 材料核验', () => {
  it('a post-check licence is pushed with its check deadline; an untrue result sends a dishonesty record and the bureau annuls the licence', async () => {
    clock.set('2026-05-06T09:00:00+08:00');
    const uscc = await business('保康县核查宾馆');
    const r = await onPromise(uscc, '公共场所卫生许可');
    expect(r.errors).toBeUndefined();
    const p = r.data!.grantOnPromise;
    expect(p).toMatchObject({ status: 'AWAITING_CHECK', licence: { status: 'VALID' } });
    const pushed = (await outbox('onecheck.licence.granted.v2')).find((e) => e.data.uscc === uscc)!;
    expect(pushed.data.promise).toEqual({ promiseId: p.id, mode: 'POST_CHECK', checkBy: p.dueOn });
    const result = {
      taskId: randomUUID(),
      department: 'HEALTH',
      licenceId: p.licence.id,
      licenceNumber: p.licenceNumber,
      uscc,
      outcome: 'PROBLEMS_FOUND' as const,
      summary: '现场核查：消毒间未设置，与承诺不符',
      findings: 1,
      checkedOn: '2026-05-12',
      recordedAt: clock.now().toISOString(),
      promiseKept: false,
    };
    await deliver('onecheck.supervision.checked.v1', result);
    await deliver('onecheck.supervision.checked.v1', result);
    expect(await promise(p.id)).toMatchObject({
      status: 'UNTRUE',
      breach: 'CHECK_UNTRUE',
      outcome: { foundByDepartment: { code: 'HEALTH' }, decidedOn: '2026-05-12' },
    });
    expect((await outbox('onecheck.promise.broken.v1')).filter((e) => e.data.promiseId === p.id)).toHaveLength(1);
    const a = await approval.call(
      approver,
      `mutation ($id: ID!) { annulPromisedApproval(id: $id, input: { documentNumber: "保审批撤〔2026〕9号",
        legalBasis: "《行政许可法》第六十九条", reason: "承诺不实" }) { status licence { status } } }`,
      { id: p.id },
    );
    expect(a.data!.annulPromisedApproval).toEqual({ status: 'ANNULLED', licence: { status: 'ANNULLED' } });
    expect((await outbox('onecheck.promise.broken.v1')).filter((e) => e.data.promiseId === p.id)).toHaveLength(1);
  });

  it('限期整改 ordered on an untrue promise (seed 003 (三)9): no record until the re-check; rectified, the promise is kept', async () => {
    clock.set('2026-05-06T09:00:00+08:00');
    const uscc = await business('保康县整改宾馆');
    const p = (await onPromise(uscc, '公共场所卫生许可')).data!.grantOnPromise;
    const findingId = randomUUID();
    await untrueWithRectification(p, uscc, [findingId]);
    const RECT = `query ($id: ID!) { approvalPromise(id: $id) { status rectifyBy overdue breach settledAt } }`;
    const waiting = (await approval.call(office, RECT, { id: p.id })).data!.approvalPromise;
    expect(waiting).toEqual({
      status: 'RECTIFYING',
      rectifyBy: '2026-05-26',
      overdue: false,
      breach: null,
      settledAt: null,
    });
    expect((await outbox('onecheck.promise.broken.v1')).filter((e) => e.data.promiseId === p.id)).toEqual([]);
    // Not annulled while it may still be rectified.
    const annul = await approval.call(
      approver,
      `mutation ($id: ID!) { annulPromisedApproval(id: $id, input: { documentNumber: "保审批撤〔2026〕10号",
        legalBasis: "《行政许可法》第六十九条", reason: "承诺不实" }) { status } }`,
      { id: p.id },
    );
    expect(annul.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'promise.notAnnullable' });
    clock.set('2026-05-27T09:00:00+08:00');
    expect((await approval.call(office, RECT, { id: p.id })).data!.approvalPromise.overdue).toBe(true);
    const recheck = (department: string, rectified: boolean) => ({
      findingId,
      homeDepartment: department,
      department,
      uscc,
      step: 'RECHECKED' as const,
      rectified,
      on: '2026-05-27',
      recordedAt: clock.now().toISOString(),
    });
    // Only the supervising department's re-check counts.
    await deliver('onecheck.finding.handled.v1', recheck('FIRE', false));
    expect((await approval.call(office, RECT, { id: p.id })).data!.approvalPromise.status).toBe('RECTIFYING');
    await deliver('onecheck.finding.handled.v1', recheck('HEALTH', true));
    expect(await promise(p.id)).toMatchObject({
      status: 'KEPT',
      breach: null,
      outcome: { foundByDepartment: { code: 'HEALTH' }, decidedOn: '2026-05-27' },
    });
    expect((await outbox('onecheck.promise.broken.v1')).filter((e) => e.data.promiseId === p.id)).toEqual([]);
  });

  it('限期整改 not done (整改后仍不符合承诺): the re-check makes the promise untrue, the record goes, the bureau may annul', async () => {
    clock.set('2026-05-06T09:00:00+08:00');
    const uscc = await business('保康县未整改宾馆');
    const p = (await onPromise(uscc, '公共场所卫生许可')).data!.grantOnPromise;
    const [first, second] = [randomUUID(), randomUUID()];
    await untrueWithRectification(p, uscc, [first, second]);
    const recheck = (findingId: string, rectified: boolean) =>
      deliver('onecheck.finding.handled.v1', {
        findingId,
        homeDepartment: 'HEALTH',
        department: 'HEALTH',
        uscc,
        step: 'RECHECKED',
        rectified,
        on: '2026-05-20',
        recordedAt: clock.now().toISOString(),
      });
    await recheck(first, true);
    expect((await promise(p.id)).status).toBe('RECTIFYING');
    await recheck(second, false);
    expect(await promise(p.id)).toMatchObject({ status: 'UNTRUE', breach: 'CHECK_UNTRUE' });
    expect((await outbox('onecheck.promise.broken.v1')).filter((e) => e.data.promiseId === p.id)).toHaveLength(1);
    // A redelivered re-check changes nothing more.
    await recheck(second, false);
    expect((await outbox('onecheck.promise.broken.v1')).filter((e) => e.data.promiseId === p.id)).toHaveLength(1);
    const a = await approval.call(
      approver,
      `mutation ($id: ID!) { annulPromisedApproval(id: $id, input: { documentNumber: "保审批撤〔2026〕11号",
        legalBasis: "《行政许可法》第六十九条", reason: "整改后仍不符合承诺" }) { status licence { status } } }`,
      { id: p.id },
    );
    expect(a.data!.annulPromisedApproval).toEqual({ status: 'ANNULLED', licence: { status: 'ANNULLED' } });
  });

  it('材料核验: an untrue verification needs its legal basis, then records the breach', async () => {
    const uscc = await business('保康县消毒用品厂');
    const p = (await onPromise(uscc, '消毒产品生产许可')).data!.grantOnPromise;
    expect(p).toMatchObject({ status: 'AWAITING_VERIFICATION', licence: { status: 'VALID' } });
    const VERIFY = `mutation ($id: ID!, $input: VerifyPromiseInput!) { verifyPromise(id: $id, input: $input) { status breach } }`;
    const bad = await approval.call(approver, VERIFY, { id: p.id, input: { kept: false, reason: '电子证照不符' } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'legalBasis' });
    expect((await promise(p.id)).status).toBe('AWAITING_VERIFICATION');
    // Not dated before the approval it verifies: a dishonesty record carries this date to credit.
    const early = await approval.call(approver, VERIFY, {
      id: p.id,
      input: { kept: false, reason: '电子证照不符', legalBasis: '国办发〔2020〕42号', decidedOn: '2020-01-05' },
    });
    expect(early.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'decidedOn',
      params: { what: 'approval' },
    });
    expect((await promise(p.id)).status).toBe('AWAITING_VERIFICATION');
    const ok = await approval.call(approver, VERIFY, {
      id: p.id,
      input: { kept: false, reason: '电子证照不符', legalBasis: '国办发〔2020〕42号' },
    });
    expect(ok.data!.verifyPromise).toEqual({ status: 'UNTRUE', breach: 'MATERIALS_UNTRUE' });
    expect((await outbox('onecheck.promise.broken.v1')).filter((e) => e.data.promiseId === p.id)).toHaveLength(1);
  });

  it('only the bureau settles promises; departments do not read them', async () => {
    const r = await approval.call(staff, '{ approvalPromises { totalCount } }');
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const m = await approval.call(
      office,
      'mutation { receivePromisedMaterials(id: "00000000-0000-4000-8000-000000000000") { id } }',
    );
    expect(m.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('a promise whose licence or business ends first closes unsettled', () => {
  const CLOSED = `query ($id: ID!) { approvalPromise(id: $id) { status closedBecause breach settledAt overdue
    licence { status } } }`;
  const closed = async (id: string) => (await approval.call(office, CLOSED, { id })).data!.approvalPromise;
  const deregister = (uscc: string, name: string) =>
    deliver('onecheck.enterprise.deregistered.v1', {
      uscc,
      name,
      industry: '6110',
      region: '420626',
      status: 'DEREGISTERED',
      registeredOn: '2025-06-01',
      version: 2,
    });

  it('事后核查: the bureau withdraws the licence before the check; a late check result changes nothing', async () => {
    clock.set('2026-06-01T09:00:00+08:00');
    const uscc = await business('保康县撤回宾馆');
    const p = (await onPromise(uscc, '公共场所卫生许可')).data!.grantOnPromise;
    const w = await approval.call(
      approver,
      `mutation ($id: ID!) { setLicenceStatus(id: $id, status: WITHDRAWN, reason: "规划调整",
        documentNumber: "保审批撤回〔2026〕3号", legalBasis: "《行政许可法》第八条") { status } }`,
      { id: p.licence.id },
    );
    expect(w.errors).toBeUndefined();
    expect(await closed(p.id)).toEqual({
      status: 'CLOSED',
      closedBecause: 'LICENCE_WITHDRAWN',
      breach: null,
      settledAt: clock.now().toISOString(),
      overdue: false,
      licence: { status: 'WITHDRAWN' },
    });
    await deliver('onecheck.supervision.checked.v1', {
      taskId: randomUUID(),
      department: 'HEALTH',
      licenceId: p.licence.id,
      licenceNumber: p.licenceNumber,
      uscc,
      outcome: 'PROBLEMS_FOUND',
      summary: '现场核查：与承诺不符',
      findings: 1,
      checkedOn: '2026-06-02',
      recordedAt: clock.now().toISOString(),
      promiseKept: false,
    });
    expect((await closed(p.id)).status).toBe('CLOSED');
    expect((await outbox('onecheck.promise.broken.v1')).filter((e) => e.data.promiseId === p.id)).toEqual([]);
    const listed = await approval.call(
      office,
      'query ($u: String!) { approvalPromises(filter: { uscc: $u, status: CLOSED }) { totalCount } }',
      { u: uscc },
    );
    expect(listed.data!.approvalPromises.totalCount).toBe(1);
  });

  it('限期整改 under way when the business deregisters: the breach stands, and the failed re-check records it', async () => {
    clock.set('2026-06-01T09:00:00+08:00');
    const uscc = await business('保康县注销宾馆');
    const p = (await onPromise(uscc, '公共场所卫生许可')).data!.grantOnPromise;
    const findingId = randomUUID();
    await untrueWithRectification(p, uscc, [findingId]);
    await deregister(uscc, '保康县注销宾馆');
    expect(await closed(p.id)).toMatchObject({
      status: 'RECTIFYING',
      closedBecause: null,
      licence: { status: 'CANCELLED' },
    });
    // 逾期拒不整改 … 纳入信用记录 (seed 003 (三)9): the re-check still settles it.
    await deliver('onecheck.finding.handled.v1', {
      findingId,
      homeDepartment: 'HEALTH',
      department: 'HEALTH',
      uscc,
      step: 'RECHECKED',
      rectified: false,
      on: '2026-06-02',
      recordedAt: clock.now().toISOString(),
    });
    expect((await closed(p.id)).status).toBe('UNTRUE');
    expect((await outbox('onecheck.promise.broken.v1')).filter((e) => e.data.promiseId === p.id)).toHaveLength(1);
  });

  it('材料延期 already late when the business deregisters: it stays listed, and the bureau may still annul it', async () => {
    clock.set('2026-06-01T09:00:00+08:00');
    const uscc = await business('保康县逾期注销餐馆');
    const p = (await onPromise(uscc, '食品经营许可')).data!.grantOnPromise;
    clock.set('2026-07-01T09:00:00+08:00');
    await approval.service.timers!.runDue();
    expect((await closed(p.id)).status).toBe('OVERDUE');
    await deregister(uscc, '保康县逾期注销餐馆');
    expect(await closed(p.id)).toMatchObject({ status: 'OVERDUE', closedBecause: null });
    const annul = await approval.call(
      approver,
      `mutation ($id: ID!) { annulPromisedApproval(id: $id, input: { documentNumber: "保审批撤〔2026〕12号",
        legalBasis: "《行政许可法》第六十九条", reason: "承诺期限内未补交材料" }) { status breach } }`,
      { id: p.id },
    );
    expect(annul.data!.annulPromisedApproval).toEqual({ status: 'ANNULLED', breach: 'MATERIALS_OVERDUE' });
  });

  it('材料延期: the business deregisters before the materials come; no reminder, no listing, no licence', async () => {
    clock.set('2026-06-01T09:00:00+08:00');
    const uscc = await business('保康县注销餐馆');
    const p = (await onPromise(uscc, '食品经营许可')).data!.grantOnPromise;
    await deregister(uscc, '保康县注销餐馆');
    expect(await closed(p.id)).toMatchObject({
      status: 'CLOSED',
      closedBecause: 'BUSINESS_DEREGISTERED',
      licence: null,
    });
    clock.set('2026-07-01T09:00:00+08:00');
    await approval.service.timers!.runDue();
    expect((await outbox('onecheck.promise.reminded.v1')).filter((e) => e.data.promiseId === p.id)).toEqual([]);
    expect(await closed(p.id)).toMatchObject({ status: 'CLOSED', overdue: false });
    const late = await approval.call(approver, 'mutation ($id: ID!) { receivePromisedMaterials(id: $id) { id } }', {
      id: p.id,
    });
    expect(late.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'promise.notAwaitingMaterials',
    });
    expect(late.errors![0]!.message).toContain('已终结（许可或经营主体已终止）');
  });

  it('a promise already settled stays as it was when its licence ends', async () => {
    clock.set('2026-06-01T09:00:00+08:00');
    const uscc = await business('保康县已核查宾馆');
    const p = (await onPromise(uscc, '公共场所卫生许可')).data!.grantOnPromise;
    await deliver('onecheck.supervision.checked.v1', {
      taskId: randomUUID(),
      department: 'HEALTH',
      licenceId: p.licence.id,
      licenceNumber: p.licenceNumber,
      uscc,
      outcome: 'NO_PROBLEM',
      summary: '现场核查：与承诺相符',
      findings: 0,
      checkedOn: '2026-06-02',
      recordedAt: clock.now().toISOString(),
      promiseKept: true,
    });
    await deregister(uscc, '保康县已核查宾馆');
    expect(await closed(p.id)).toMatchObject({ status: 'KEPT', closedBecause: null, licence: { status: 'CANCELLED' } });
  });
});

describe('the pre-approval credit check (seed 003 第十二条)', () => {
  it("shows the platform's newest class and counts; a class alone bars nothing", async () => {
    clock.set('2026-05-20T09:00:00+08:00');
    const uscc = await business('保康县高风险餐馆');
    const cls = (riskClass: 'C' | 'D', serious: number) => ({
      uscc,
      riskClass,
      previousClass: 'B' as const,
      rule: riskClass === 'D' ? ('SERIOUS' as const) : ('PENALTIES_OR_GENERAL' as const),
      findings: 3,
      serious,
      penalties: 1,
      general: 1,
      lookbackMonths: 36,
    });
    await deliver('onecheck.credit.class-changed.v2', cls('D', 1), new Date('2026-05-19T10:00:00+08:00'));
    // An older event arriving late changes nothing.
    await deliver('onecheck.credit.class-changed.v2', cls('C', 0), new Date('2026-05-18T10:00:00+08:00'));
    const c = await approval.call(
      office,
      'query ($u: String!) { creditCheck(uscc: $u) { riskClass rule findings serious classifiedAt promiseAllowed } }',
      { u: uscc },
    );
    expect(c.data!.creditCheck).toEqual({
      riskClass: 'D',
      rule: 'SERIOUS',
      findings: 3,
      serious: 1,
      classifiedAt: '2026-05-19T02:00:00.000Z',
      promiseAllowed: true,
    });
    const g = await onPromise(uscc, '食品经营许可');
    expect(g.errors).toBeUndefined();
    expect(g.data!.grantOnPromise.creditSeen).toMatchObject({ riskClass: 'D', rule: 'SERIOUS', promiseAllowed: true });
    const bad = await approval.call(approver, '{ creditCheck(uscc: "not-a-code") { riskClass } }');
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'uscc' });
    // A department's staff may not run it, and are told so in its own words.
    const staffCheck = await approval.call(staff, 'query ($u: String!) { creditCheck(uscc: $u) { riskClass } }', {
      u: uscc,
    });
    expect(staffCheck.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', params: { action: 'checkCredit' } });
    expect(staffCheck.errors?.[0]?.message).toContain('信用核查');
    // A number taken is refused on the number.
    const taken = await approval.call(
      approver,
      'mutation ($input: GrantLicenceInput!) { grantLicence(input: $input) { id } }',
      { input: { ...grantInput(uscc, '放射诊疗许可'), licenceNumber: g.data!.grantOnPromise.licenceNumber } },
    );
    expect(taken.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      field: 'licenceNumber',
      messageKey: 'licence.numberTaken',
    });
    // A business that has ended is refused as its grant would be.
    const ended = await business('保康县已注销餐馆');
    await deliver('onecheck.enterprise.deregistered.v1', {
      uscc: ended,
      name: '保康县已注销餐馆',
      industry: '6110',
      region: '420626',
      status: 'DEREGISTERED',
      registeredOn: '2025-06-01',
      version: 2,
    });
    const endedCheck = await approval.call(
      approver,
      'query ($u: String!) { creditCheck(uscc: $u) { promiseAllowed } }',
      {
        u: ended,
      },
    );
    expect(endedCheck.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'uscc',
      messageKey: 'business.deregistered',
    });
    // A valid code the bureau never heard registered: no "promise allowed" about no business.
    const stranger = generateUscc(rng, { region: '420626' });
    const unknown = await approval.call(approver, 'query ($u: String!) { creditCheck(uscc: $u) { promiseAllowed } }', {
      u: stranger,
    });
    expect(unknown.data).toBeNull();
    expect(unknown.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'uscc',
      messageKey: 'business.unknownToBureau',
      params: { uscc: stranger },
    });
  });
});

// Two instances need two connections to one database: PostgreSQL (CI's second pass, TEST_DATABASE_URL).
describe('联合惩戒 at the bureau (seed 000 ¶10)', () => {
  const CHECK = `query ($u: String!) { creditCheck(uscc: $u) { promiseAllowed jointPunishments { id measures documentNumber until } } }`;
  const imposed = (uscc: string, measures: string[], until = '2027-05-31') => ({
    punishmentId: randomUUID(),
    uscc,
    measures: measures as never,
    documentNumber: `保信惩〔2026〕${++seq}号`,
    legalBasis: '《全国失信惩戒措施基础清单》(2024年版)',
    decidedOn: '2026-06-01',
    until,
    recordedAt: '2026-06-01T10:00:00+08:00',
  });

  it('refuses 告知承诺 while a punishment limiting 便利措施 is in force, naming it; lifted, it is granted', async () => {
    clock.set('2026-06-02T09:00:00+08:00');
    const uscc = await business('保康县惩戒餐馆');
    const p = imposed(uscc, ['PREFERENTIAL_POLICIES', 'KEY_SUPERVISION']);
    await deliver('onecheck.credit.punishment-imposed.v1', p);
    await deliver('onecheck.credit.punishment-imposed.v1', p);
    expect((await approval.call(approver, CHECK, { u: uscc })).data!.creditCheck).toEqual({
      promiseAllowed: false,
      jointPunishments: [
        {
          id: p.punishmentId,
          measures: ['PREFERENTIAL_POLICIES', 'KEY_SUPERVISION'],
          documentNumber: p.documentNumber,
          until: '2027-05-31',
        },
      ],
    });
    const refused = await onPromise(uscc, '公共场所卫生许可');
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'uscc',
      messageKey: 'promise.barredByPunishment',
      params: { documentNumber: p.documentNumber, until: '2027-05-31' },
    });
    expect(refused.errors?.[0]?.message).toContain('联合惩戒');
    // An ordinary grant is not barred; it records what was seen.
    const g = await approval.call(
      approver,
      'mutation ($input: GrantLicenceInput!) { grantLicence(input: $input) { creditSeen { promiseAllowed jointPunishments { id } } } }',
      { input: { ...grantInput(uscc, '放射诊疗许可'), validFrom: '2026-06-02' } },
    );
    expect(g.data!.grantLicence.creditSeen).toEqual({
      promiseAllowed: false,
      jointPunishments: [{ id: p.punishmentId }],
    });
    await deliver('onecheck.credit.punishment-lifted.v1', {
      punishmentId: p.punishmentId,
      uscc,
      documentNumber: '保信修〔2026〕8号',
      liftedOn: '2026-06-02',
      recordedAt: '2026-06-02T08:00:00+08:00',
    });
    expect((await approval.call(approver, CHECK, { u: uscc })).data!.creditCheck.promiseAllowed).toBe(true);
    expect((await onPromise(uscc, '公共场所卫生许可')).errors).toBeUndefined();
  });

  it('bars nothing with other measures, nor once its last day has passed', async () => {
    clock.set('2026-06-02T09:00:00+08:00');
    const uscc = await business('保康县重点监管餐馆');
    await deliver('onecheck.credit.punishment-imposed.v1', imposed(uscc, ['KEY_SUPERVISION', 'FISCAL_FUNDS']));
    await deliver('onecheck.credit.punishment-imposed.v1', imposed(uscc, ['PREFERENTIAL_POLICIES'], '2026-06-30'));
    expect((await approval.call(approver, CHECK, { u: uscc })).data!.creditCheck.promiseAllowed).toBe(false);
    clock.set('2026-07-01T09:00:00+08:00');
    const after = (await approval.call(approver, CHECK, { u: uscc })).data!.creditCheck;
    expect(after.promiseAllowed).toBe(true);
    expect(after.jointPunishments.map((p: { measures: string[] }) => p.measures)).toEqual([
      ['KEY_SUPERVISION', 'FISCAL_FUNDS'],
    ]);
  });
});

// A deregistration racing a grant needs two connections to one database: PostgreSQL (CI's second pass).
describe.skipIf(!testingEnv.databaseUrl)("a grant racing its business's deregistration (行政许可法 §70(三))", () => {
  const db = () => approval.service.database.db;
  const deregistered = (uscc: string) => ({
    uscc,
    name: '保康县竞态宾馆',
    industry: '6110',
    region: '420626',
    status: 'DEREGISTERED' as const,
    registeredOn: '2025-06-01',
    version: 2,
  });
  const GRANT = `mutation ($input: GrantLicenceInput!) { grantLicence(input: $input) { id status } }`;
  const MATERIALS = `mutation ($id: ID!) { receivePromisedMaterials(id: $id) { status licence { id status } } }`;
  const pidOf = async (tx: Executor) =>
    ((await tx.execute(sql`select pg_backend_pid() as pid`)) as unknown as { rows: { pid: number }[] }).rows[0]!.pid;
  /**
   * Sessions waiting on `pid`'s locks, directly or behind one that does, in a statement like
   * `statement` (other test files share the server, and the service's own timers may queue for the
   * audit chain's head too).
   */
  const waitingOn = async (pid: number, statement: string) =>
    (
      (await db().execute(sql`select count(*)::int as n from pg_stat_activity a
        where a.query ilike ${statement} and pg_blocking_pids(a.pid) && (array[${pid}::int] || array(
          select b.pid from pg_stat_activity b where ${pid}::int = any(pg_blocking_pids(b.pid))))`)) as unknown as {
        rows: { n: number }[];
      }
    ).rows[0]!.n;
  /** The statements the sessions under test wait in. */
  const GRANT_READ = '%known_enterprises%for share%';
  const LICENCE_INSERT = '%insert into "licences"%';
  const DEREGISTRATION = '%known_enterprises%for update%';
  const AUDIT_HEAD = '%insert into "audit_head"%';
  /** Another transaction holds licence number `n` (uncommitted) until `release`, then rolls back. */
  async function holdNumber(n: string) {
    const model = await approval.call<{ grantLicence: { id: string } }>(approver, GRANT, {
      input: grantInput(await business('保康县样板宾馆'), '放射诊疗许可'),
    });
    const [template] = await db()
      .select()
      .from(schema.licences)
      .where(eq(schema.licences.id, model.data!.grantLicence.id));
    let release!: () => void;
    let pid: number | undefined;
    const held = db()
      .transaction(async (tx) => {
        await tx.insert(schema.licences).values({ ...template!, id: randomUUID(), licenceNumber: n });
        pid = await pidOf(tx);
        await new Promise<void>((resolve) => (release = resolve));
        tx.rollback();
      })
      .catch(() => undefined);
    await expect.poll(() => pid).toBeDefined();
    return { waiting: (statement: string) => waitingOn(pid!, statement), release: async () => (release(), await held) };
  }
  /**
   * Runs `call` (it issues licence `number`) and stops it after it read the business: its insert
   * waits on the number, held by another transaction. The business deregisters behind it; then the
   * number is let go, and `call`'s answer returned once the deregistration is done too.
   */
  async function deregisteringBehind<T>(uscc: string, number: string, call: () => Promise<T>): Promise<T> {
    const other = await holdNumber(number);
    const answer = call();
    let deregistration: Promise<void> | undefined;
    try {
      await expect.poll(() => other.waiting(LICENCE_INSERT), { timeout: 10_000 }).toBe(1);
      deregistration = deliver('onecheck.enterprise.deregistered.v1', deregistered(uscc));
      await expect.poll(() => other.waiting(DEREGISTRATION), { timeout: 10_000 }).toBe(1);
    } finally {
      await other.release();
    }
    const result = await answer;
    await deregistration;
    return result;
  }
  const statusesOf = async (uscc: string) =>
    (
      await db().select({ status: schema.licences.status }).from(schema.licences).where(eq(schema.licences.uscc, uscc))
    ).map((r) => r.status);

  it('a grant behind the deregistration reads the business deregistered', async () => {
    clock.set('2026-07-01T09:00:00+08:00');
    const uscc = await business('保康县竞态宾馆');
    // The deregistration applied, not yet committed.
    let commit!: () => void;
    let pid: number | undefined;
    const deregistration = deliver(
      'onecheck.enterprise.deregistered.v1',
      deregistered(uscc),
      clock.now(),
      async (tx) => {
        pid = await pidOf(tx);
        await new Promise<void>((resolve) => (commit = resolve));
      },
    );
    await expect.poll(() => pid).toBeDefined();
    const grant = approval.call(approver, GRANT, { input: grantInput(uscc, '放射诊疗许可') });
    try {
      await expect.poll(() => waitingOn(pid!, GRANT_READ), { timeout: 10_000 }).toBe(1);
    } finally {
      commit(); // whatever happened, the other tests get the locks back
      await deregistration;
    }
    const r = await grant;
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'uscc',
      messageKey: 'business.deregistered',
    });
    expect(await statusesOf(uscc)).toEqual([]);
  });

  it('a deregistration behind a grant under way cancels the licence it issued', async () => {
    clock.set('2026-07-01T09:00:00+08:00');
    const uscc = await business('保康县竞态旅馆');
    const input = grantInput(uscc, '放射诊疗许可');
    const grant = await deregisteringBehind(uscc, input.licenceNumber, () =>
      approval.call<{ grantLicence: { id: string } }>(approver, GRANT, { input }),
    );
    expect(grant.errors).toBeUndefined();
    expect(await statusesOf(uscc)).toEqual(['CANCELLED']);
  });

  it('a grant PostgreSQL picks to break a deadlock with an event batch runs again, and is granted', async () => {
    clock.set('2026-07-01T09:00:00+08:00');
    const [a, b] = [await business('保康县死锁宾馆'), await business('保康县死锁旅馆')];
    // An event batch of the bureau's consumer: it holds business b and the audit chain's head
    // (one event applied), then wants business a (the next event) — which the grant shares.
    let wantA!: () => void;
    let pid: number | undefined;
    const lockRow = (tx: Parameters<Parameters<ReturnType<typeof db>['transaction']>[0]>[0], uscc: string) =>
      tx.select().from(schema.knownEnterprises).where(eq(schema.knownEnterprises.uscc, uscc)).for('update');
    const batch = db().transaction(async (tx) => {
      await lockRow(tx, b);
      const at = clock.now();
      await appendAudit(tx, {
        actor: serviceActor('approval', { event: 'deadlock-test' }),
        action: 'receiveBusinesses',
        entity: { kind: 'business', id: b },
        after: { uscc: b },
        at,
      });
      pid = await pidOf(tx);
      await new Promise<void>((resolve) => (wantA = resolve));
      await lockRow(tx, a);
    });
    await expect.poll(() => pid).toBeDefined();
    const grant = approval.call<{ grantLicence: { status: string } }>(approver, GRANT, {
      input: grantInput(a, '放射诊疗许可'),
    });
    // The grant shares a and waits for the head; the batch then asks for a: a cycle.
    // (A timer of the service may queue for the head as well: at least the grant.)
    try {
      await expect.poll(() => waitingOn(pid!, AUDIT_HEAD), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    } finally {
      wantA();
      await batch;
    }
    const r = await grant;
    expect(r.errors).toBeUndefined();
    expect(r.data!.grantLicence.status).toBe('VALID');
  });

  it('materials arriving as the business deregisters: the licence issued is cancelled, no deadlock', async () => {
    clock.set('2026-07-01T09:00:00+08:00');
    const uscc = await business('保康县竞态餐馆');
    const p = (await onPromise(uscc, '食品经营许可')).data!.grantOnPromise;
    const materials = await deregisteringBehind(uscc, p.licenceNumber, () =>
      approval.call(approver, MATERIALS, { id: p.id }),
    );
    expect(materials.errors).toBeUndefined();
    expect(await statusesOf(uscc)).toEqual(['CANCELLED']);
    expect((await promise(p.id)).status).toBe('KEPT');
  });
});

describe.skipIf(!testingEnv.databaseUrl)('two approval instances on one database', () => {
  it('each reminder and each overdue listing happens once', async () => {
    const databaseSchema = `approval_two_${randomUUID().slice(0, 8)}`;
    const one = await startTestSubgraph(approvalService, { clock, databaseSchema });
    const two = await startTestSubgraph(approvalService, { clock, databaseSchema });
    try {
      clock.set('2026-02-10T09:00:00+08:00');
      await one.call(approver, 'mutation ($input: ApprovalItemInput!) { setApprovalItem(input: $input) { name } }', {
        input: {
          name: '食品经营许可',
          supervisingDepartment: 'HEALTH',
          promiseMode: 'DEFERRED_MATERIALS',
          promiseDays: 10,
        },
      });
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const uscc = generateUscc(rng, { region: '420626' });
        await one.service.database.db
          .insert(schema.knownEnterprises)
          .values({ uscc, name: `保康县双实例餐馆${i}`, status: 'ACTIVE', version: 1 });
        const r = await (i % 2 ? two : one).call(
          approver,
          'mutation ($input: GrantLicenceInput!) { grantOnPromise(input: $input) { id } }',
          { input: grantInput(uscc, '食品经营许可') },
        );
        expect(r.errors).toBeUndefined();
        ids.push(r.data!.grantOnPromise.id);
      }
      const run = () => Promise.all([one.service.timers!.runDue(), two.service.timers!.runDue()]);
      clock.set('2026-03-01T09:00:30+08:00');
      await run();
      clock.set('2026-03-03T00:00:30+08:00');
      await run();
      await run();
      const { db } = one.service.database;
      const events = (await db.select({ event: schema.outbox.event }).from(schema.outbox)).map((r) => r.event as Ev);
      const reminded = events.filter((e) => e.type === 'onecheck.promise.reminded.v1').map((e) => e.data.promiseId);
      expect(reminded.sort()).toEqual([...ids].sort());
      const audit = await db.select().from(schema.auditLog);
      const listed = audit.filter((a) => a.action === 'listPromises').map((a) => a.entityId);
      expect(listed.sort()).toEqual([...ids].sort());
      const rows = await db.select().from(schema.promises);
      expect(rows.every((p) => p.status === 'OVERDUE')).toBe(true);
    } finally {
      await two.service.stop();
      await one.stop();
    }
  });
});
