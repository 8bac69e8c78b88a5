/**
 * The inspector directory (执法检查人员名录库, issue 10 item 3), over HTTP as the gateway calls it:
 * an INSPECTOR needs a certificate validity, an EXPERT does not; an entry is updated and
 * deactivated with its audit trail; declared conflicts (回避, 行政处罚法 §43) are kept once per
 * business and shown only inside the department.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '@onecheck/auth';
import { testClock } from '@onecheck/clock';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { readAuditTrail } from '@onecheck/kit';
import { startTestSubgraph, type TestSubgraph } from '@onecheck/kit/testing';
import { departmentService } from '../src/index';
import * as schema from '../src/db/schema';

const clock = testClock('2026-11-25T09:00:00+08:00');
const staff: Identity = { sub: 'clerk-1', role: 'staff', department: 'HEALTH' };
const office: Identity = { sub: 'office-1', role: 'office' };
const fireStaff: Identity = { sub: 'fire-1', role: 'staff', department: 'FIRE' };
const USCC = generateUscc(seededRandom(42));
/** The same code with its check character changed. */
const BAD_USCC = USCC.slice(0, 17) + (USCC.endsWith('0') ? '1' : '0');
let health: TestSubgraph<typeof schema>;
let id: string;
const db = () => health.service.database.db;

const FIELDS = 'id name kind certificateNumber certificateValidUntil qualifications active';
const ADD = `mutation ($input: InspectorInput!) { addInspector(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $input: InspectorChanges!) { updateInspector(id: $id, input: $input) { ${FIELDS} } }`;
const DEACTIVATE = `mutation ($id: ID!) { deactivateInspector(id: $id) { ${FIELDS} } }`;
const DECLARE = `mutation ($id: ID!, $uscc: String!, $reason: String!) {
  declareConflict(inspectorId: $id, uscc: $uscc, reason: $reason) { uscc reason } }`;
const CONFLICTS = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Inspector { conflicts { uscc reason } } } }`;

beforeAll(async () => {
  health = await startTestSubgraph(departmentService('HEALTH'), { clock });
  const r = await health.call(staff, ADD, {
    input: { name: '李卫', badgeNumber: 'WJ-1001', qualifications: ['WJ-GG-001'], certificateValidUntil: '2027-12-31' },
  });
  expect(r.errors).toBeUndefined();
  id = r.data!.addInspector.id;
});
afterAll(() => health?.stop());

describe('the inspector directory', () => {
  it('adds an INSPECTOR with the validity of the certificate, an EXPERT without one', async () => {
    const expert = await health.call(staff, ADD, {
      input: { name: '王专', badgeNumber: 'EXP-0001', qualifications: ['WJ-GG-001'], kind: 'EXPERT' },
    });
    expect(expert.data!.addInspector).toMatchObject({ kind: 'EXPERT', certificateValidUntil: null });
    const missing = await health.call(staff, ADD, {
      input: { name: '赵无证', badgeNumber: 'WJ-1002', qualifications: ['WJ-GG-001'] },
    });
    expect(missing.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'certificateValidUntil',
      messageKey: 'inspector.certificateValidUntilRequired',
    });
  });

  it('updates only the fields given (a renewed certificate), and refuses a change of nothing', async () => {
    const r = await health.call(staff, UPDATE, { id, input: { certificateValidUntil: '2031-12-31' } });
    expect(r.errors).toBeUndefined();
    expect(r.data!.updateInspector).toMatchObject({
      name: '李卫',
      certificateNumber: 'WJ-1001',
      certificateValidUntil: '2031-12-31',
      qualifications: ['WJ-GG-001'],
    });
    const same = await health.call(staff, UPDATE, { id, input: { certificateValidUntil: '2031-12-31' } });
    expect(same.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'inspector.unchanged' });
    // An INSPECTOR cannot lose the validity: the entry as it would become is checked like a new one.
    const cleared = await health.call(staff, UPDATE, { id, input: { certificateValidUntil: null } });
    expect(cleared.errors?.[0]?.extensions).toMatchObject({ field: 'certificateValidUntil' });
    const refused = await health.call(
      fireStaff,
      UPDATE.replace('updateInspector(', 'updateInspector(department: "HEALTH", '),
      {
        id,
        input: { name: '改名' },
      },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps a declared conflict once per business, inside the department only', async () => {
    const r = await health.call(staff, DECLARE, { id, uscc: USCC, reason: '近亲属任该企业负责人' });
    expect(r.errors).toBeUndefined();
    const twice = await health.call(staff, DECLARE, { id, uscc: USCC, reason: '再次登记' });
    expect(twice.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const bad = await health.call(staff, DECLARE, { id, uscc: BAD_USCC, reason: '校验位错误' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'uscc' });
    const ref = [{ __typename: 'Inspector', department: { code: 'HEALTH' }, id }];
    const own = await health.call(staff, CONFLICTS, { r: ref });
    expect(own.data!._entities).toEqual([{ conflicts: [{ uscc: USCC, reason: '近亲属任该企业负责人' }] }]);
    const outside = await health.call(office, CONFLICTS, { r: ref });
    expect(outside.data!._entities).toEqual([{ conflicts: null }]);
  });

  it('deactivates once, with every change on the audit trail', async () => {
    const r = await health.call(staff, DEACTIVATE, { id });
    expect(r.data!.deactivateInspector.active).toBe(false);
    const again = await health.call(staff, DEACTIVATE, { id });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const trail = await readAuditTrail(db(), { kind: 'inspector', id });
    expect(trail.map((e) => e.action)).toEqual(['addInspectors', 'updateInspectors', 'deactivateInspectors']);
  });
});
