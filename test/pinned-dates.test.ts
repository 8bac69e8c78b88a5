/**
 * The suite's date-dependent behaviour, run at two pinned dates a year apart: deadlines count
 * from the service clock's today, a claim is dated by the clock whatever date the caller sends, and
 * a task becomes overdue when the clock passes its deadline. Nothing here may depend on the machine's date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureYears, WorkingCalendar } from '@onecheck/calendar';
import { testClock, type TestClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import type { RunningSystem } from '../scripts/system';
import { gql, roles, startTestSystem, until } from './helpers';

const calendar = WorkingCalendar.create([], fixtureYears);

describe.each(['2026-11-25', '2027-11-25'])('with the clock pinned at %s', (today) => {
  let sys: RunningSystem;
  let clock: TestClock;
  let office: string, approver: string, health: string;
  const rng = seededRandom(Number(today.slice(0, 4)));

  beforeAll(async () => {
    clock = testClock(today);
    sys = await startTestSystem({ departments: ['HEALTH'], clock });
    [office, approver, health] = await Promise.all([
      sys.token(roles.office),
      sys.token(roles.approver),
      sys.token(roles.staff('HEALTH')),
    ]);
  });
  afterAll(() => sys?.stop());

  it('counts a grant made today from today, and dates a claim by the clock, not by the caller', async () => {
    const uscc = generateUscc(rng, { region: '620422' });
    const registered = await gql(
      sys.gatewayUrl,
      'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { registeredOn } }',
      {
        input: {
          uscc,
          name: '会宁县时钟测试宾馆',
          legalRepresentative: '钱七',
          industry: '61',
          region: '620422',
          address: '会宁县',
        },
      },
      office,
    );
    expect(registered.data?.registerEnterprise.registeredOn).toBe(today);

    const validUntil = `${Number(today.slice(0, 4)) + 5}-12-31`;
    await until('the approval bureau to know the business', async () => {
      const res = await gql(
        sys.gatewayUrl,
        'mutation ($input: GrantLicenceInput!) { grantLicence(input: $input) { grantedOn } }',
        {
          input: {
            uscc,
            licenceNumber: `PIN-${today}`,
            approvalItem: '公共场所卫生许可',
            supervisingDepartment: 'HEALTH',
            scope: '住宿',
            validFrom: today,
            validUntil,
          },
        },
        approver,
      );
      if (res.errors?.[0]?.extensions?.field === 'uscc') return undefined;
      expect(res.errors).toBeUndefined();
      expect(res.data!.grantLicence.grantedOn).toBe(today);
      return res;
    });

    const task = await until('the task at HEALTH', async () => {
      const r = await gql(
        sys.gatewayUrl,
        '{ supervisionTasks(filter: { uscc: "' +
          uscc +
          '" }) { edges { node { id pushedOn claimBy claimOverdue } } } }',
        {},
        health,
      );
      return r.data?.supervisionTasks?.edges[0]?.node;
    });
    expect(task).toMatchObject({ pushedOn: today, claimBy: calendar.addWorkingDays(today, 3), claimOverdue: false });

    // Four working days later the claim is late, by the clock alone.
    const fourth = calendar.addWorkingDays(today, 4);
    clock.set(fourth);
    const late = await gql(
      sys.gatewayUrl,
      '{ supervisionTasks(filter: { overdue: true }) { edges { node { id claimOverdue } } } }',
      {},
      await sys.token(roles.staff('HEALTH')),
    );
    expect(late.data!.supervisionTasks.edges.map((e: any) => e.node)).toContainEqual({
      id: task.id,
      claimOverdue: true,
    });

    // A claim made then, dated by the caller on the push day, is stamped with the clock's time (issue 9 item 1).
    const claimed = await gql(
      sys.gatewayUrl,
      'mutation ($id: ID!, $on: Date) { claimSupervisionTask(id: $id, claimedOn: $on) { claimedAt claimedOn claimOverdueDays } }',
      { id: task.id, on: today },
      await sys.token(roles.staff('HEALTH')),
    );
    expect(claimed.errors).toBeUndefined();
    const { claimedAt, ...claim } = claimed.data!.claimSupervisionTask;
    expect(claim).toEqual({ claimedOn: fourth, claimOverdueDays: 1 });
    expect(Date.parse(claimedAt)).toBe(clock.millis());
    clock.set(today);
  });
});
