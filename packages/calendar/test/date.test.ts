import { afterEach, describe, expect, it } from 'vitest';
import { todayInChina } from '../src/index';

describe('todayInChina', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it('switches date at midnight Beijing time (16:00 UTC)', () => {
    expect(todayInChina(new Date('2026-01-31T15:59:59.999Z'))).toBe('2026-01-31');
    expect(todayInChina(new Date('2026-01-31T16:00:00.000Z'))).toBe('2026-02-01');
    expect(todayInChina(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
  });

  it('does not depend on the machine time zone', () => {
    const instant = new Date('2026-10-09T17:00:00Z'); // 2026-10-10 01:00 in Beijing
    for (const tz of ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Shanghai']) {
      process.env.TZ = tz;
      expect(todayInChina(instant), tz).toBe('2026-10-10');
    }
  });

  it('defaults to now and rejects an invalid Date', () => {
    expect(todayInChina()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(() => todayInChina(new Date('nope'))).toThrow(RangeError);
  });
});
