/** Personal data masked by one rule; department names rendered per reader. */
import { describe, expect, it } from 'vitest';
import { departmentName } from '../src/departments';
import { maskIdentifier, maskName } from '../src/mask';

describe('maskName', () => {
  it.each([
    ['张三', '张*'],
    ['欧阳娜娜', '欧***'],
    ['Li', 'L*'],
    ['王', '*'],
    ['', '*'],
    // A character outside the BMP is one character, not two UTF-16 units.
    ['𠀀明', '𠀀*'],
  ])('%s → %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
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
