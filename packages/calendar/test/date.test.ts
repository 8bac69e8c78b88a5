import { describe, expect, it } from 'vitest';
import { formatDate, parseDate, tryParseDate, weekdayOf } from '../src/date';

describe('plain dates', () => {
  it('round-trips real dates and refuses ones that do not exist', () => {
    expect(formatDate(parseDate('2026-02-28'))).toBe('2026-02-28');
    expect(tryParseDate('2026-02-30')).toBeUndefined();
    expect(tryParseDate('2026-2-3')).toBeUndefined();
    expect(() => parseDate('nope')).toThrow(RangeError);
  });

  it('knows the weekday without the machine time zone (UTC day numbers)', () => {
    expect(weekdayOf(parseDate('2026-10-10'))).toBe(6);
  });
});
