/** Personal data masked by one rule; department names rendered per reader. */
import { describe, expect, it } from 'vitest';
import { departmentName } from '../src/departments';
import { maskIdentifier, maskName, personalData } from '../src/mask';

describe('maskName', () => {
  it.each([
    ['张三', '张**'],
    ['欧阳娜娜', '欧**'],
    ['Li', 'L**'],
    ['王', '王**'],
    ['', '**'],
    // A character outside the BMP is one character, not two UTF-16 units.
    ['𠀀明', '𠀀**'],
  ])('%s → %s (the length is not kept)', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
});

describe('personalData: who sees what in full', () => {
  const staff = (department: string) => ({ sub: `s-${department}`, role: 'staff' as const, department });
  const inspector = (department: string) => ({ sub: `i-${department}`, role: 'inspector' as const, department });
  const office = { sub: 'o', role: 'office' as const };
  const approver = { sub: 'a', role: 'approver' as const };
  const publicCaller = { sub: 'anonymous', role: 'public' as const };

  it.each([
    ['office', office, '张三'],
    ['approver', approver, '张三'],
    ['MARKET staff', staff('MARKET'), '张三'],
    ['HEALTH staff', staff('HEALTH'), '张**'],
    ['MARKET inspector', inspector('MARKET'), '张**'],
    ['HEALTH inspector', inspector('HEALTH'), '张**'],
    ['public', publicCaller, '张**'],
  ])('legal representative to %s: %s', (_, viewer, shown) => {
    expect(personalData(viewer, 'legalRepresentative', '张三')).toBe(shown);
  });

  it.each([
    ['HEALTH staff', staff('HEALTH'), '王五', '62042220190001'],
    ['HEALTH inspector', inspector('HEALTH'), '王五', '62042220190001'],
    ['FIRE staff', staff('FIRE'), '王**', '********'],
    ['FIRE inspector', inspector('FIRE'), '王**', '********'],
    ['office', office, '王**', '********'],
    ['approver', approver, '王**', '********'],
  ])("a HEALTH inspector's name and certificate to %s", (_, viewer, name, badge) => {
    expect(personalData(viewer, 'inspectorName', '王五', { department: 'HEALTH' })).toBe(name);
    expect(personalData(viewer, 'inspectorBadge', '62042220190001', { department: 'HEALTH' })).toBe(badge);
  });

  it('keeps nothing of a certificate number: numbers in sequence mask alike', () => {
    const masked = ['62042220190001', '62042220190002', 'X'].map((b) =>
      personalData(staff('FIRE'), 'inspectorBadge', b, { department: 'HEALTH' }),
    );
    expect(new Set(masked).size).toBe(1);
  });

  it('shows officers in full on an inspection code (行政处罚法 §55)', () => {
    expect(
      personalData(publicCaller, 'inspectorBadge', '62042220190001', {
        department: 'HEALTH',
        purpose: 'inspectionCode',
      }),
    ).toBe('62042220190001');
  });

  it('shows a certificate number on a draw proof to the 纪检 auditor only, never a name', () => {
    const proof = { department: 'HEALTH', purpose: 'drawProof' as const };
    const auditor = { sub: 'jijian-1', role: 'auditor' as const };
    expect(personalData(auditor, 'inspectorBadge', '62042220190001', proof)).toBe('62042220190001');
    expect(personalData(auditor, 'inspectorName', '张三丰', proof)).toBe('张**');
    expect(personalData({ sub: 'o', role: 'office' }, 'inspectorBadge', '62042220190001', proof)).toBe('********');
  });
});

describe('maskIdentifier', () => {
  it.each([
    ['110101199003070011', '11**************11'],
    ['13800138000', '13*******00'],
    ['FJ-2026', 'FJ***26'],
    ['12345', '12*45'],
    ['1234', '****'],
    ['12', '**'],
  ])('%s → %s', (value, masked) => {
    expect(maskIdentifier(value)).toBe(masked);
  });
});

describe('departmentName', () => {
  it.each([
    ['HEALTH', 'zh-CN', '卫生健康局'],
    ['HEALTH', 'en', 'Health'],
    ['FIRE', 'en', 'Fire and rescue'],
  ] as const)('%s in %s is %s', (code, locale, name) => {
    expect(departmentName(code, locale)).toBe(name);
  });

  it('shows an unknown code as itself', () => {
    expect(departmentName('NOPE', 'zh-CN')).toBe('NOPE');
    expect(departmentName('NOPE', 'en')).toBe('NOPE');
  });
});
