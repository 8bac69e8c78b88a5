/**
 * The suite's date-dependent behaviour, run at two pinned dates a year apart: deadlines count
 * from the service clock's today, "not after today" follows the clock, and a task becomes overdue
 * when the clock passes its deadline. Nothing here may depend on the machine's date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureYears, WorkingCalendar } from '@onecheck/calendar';
import { testClock, type TestClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import type { RunningSystem } from '../scripts/system';
import { gql, roles, startTestSystem, until } from './helpers';

const calendar = WorkingCalendar.create([], fixtureYears);
const DAY = 86_400_000;

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

  it('counts a grant made today from today, and refuses a claim dated tomorrow', async () => {
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

    const tomorrow = new Date(clock.millis() + DAY).toISOString().slice(0, 10);
    const early = await gql(
      sys.gatewayUrl,
      'mutation ($id: ID!, $on: Date) { claimSupervisionTask(id: $id, claimedOn: $on) { id } }',
      { id: task.id, on: tomorrow },
      health,
    );
    expect(early.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'claimedOn',
      params: { today },
    });

    // Four working days later the claim is late, by the clock alone.
    clock.set(calendar.addWorkingDays(today, 4));
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
    clock.set(today);
  });
});
