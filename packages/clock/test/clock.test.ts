import { describe, expect, it } from 'vitest';
import { chinaDate, clockFromSetting, monthsAfter, monthsBefore, startOfChinaDate, testClock } from '../src/index';

describe('clock', () => {
  it('dates an instant in China time, whatever the machine zone', () => {
    expect(chinaDate(new Date('2026-09-30T15:59:59Z'))).toBe('2026-09-30');
    expect(chinaDate(new Date('2026-09-30T16:00:00Z'))).toBe('2026-10-01');
    expect(startOfChinaDate('2026-10-01').toISOString()).toBe('2026-09-30T16:00:00.000Z');
  });

  it("counts months back to the same day, or the shorter month's last", () => {
    expect(monthsBefore('2026-12-01', 12)).toBe('2025-12-01');
    expect(monthsBefore('2028-03-31', 1)).toBe('2028-02-29');
    expect(monthsBefore('2028-02-29', 12)).toBe('2027-02-28');
    expect(monthsBefore('2026-01-15', 3)).toBe('2025-10-15');
    expect(() => monthsBefore('soon', 1)).toThrow(RangeError);
  });

  it("counts months on the same way: the same day, or the shorter month's last", () => {
    expect(monthsAfter('2026-03-04', 3)).toBe('2026-06-04');
    expect(monthsAfter('2026-11-30', 3)).toBe('2027-02-28');
    expect(monthsAfter('2027-08-31', 6)).toBe('2028-02-29');
  });

  it('a test clock stands still until moved', () => {
    const clock = testClock('2026-02-10');
    expect(clock.today()).toBe('2026-02-10');
    expect(clock.now().toISOString()).toBe('2026-02-10T01:00:00.000Z');
    clock.advance(15 * 3_600_000);
    expect(clock.today()).toBe('2026-02-11');
    clock.set('2030-01-01');
    expect(clock.today()).toBe('2030-01-01');
  });

  it('ONECHECK_CLOCK shifts the process to another date and keeps running', async () => {
    const clock = clockFromSetting('2030-01-01T09:00:00+08:00');
    expect(clock.today()).toBe('2030-01-01');
    const before = clock.millis();
    await new Promise((r) => setTimeout(r, 20));
    expect(clock.millis()).toBeGreaterThan(before);
    expect(() => clockFromSetting('soon')).toThrow(RangeError);
  });
});
