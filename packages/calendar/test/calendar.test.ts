import { isWorkday as packageIsWorkday } from 'chinese-days';
import { describe, expect, it } from 'vitest';
import { fixtureYears, shippedYears, WorkingCalendar, type YearData } from '../src/index';

// The frozen fixture, not the package's data: a package that ships 2027 changes no expectation here.
const cal = WorkingCalendar.create([], fixtureYears);

function expectDays(calendar: WorkingCalendar, dates: string[], working: boolean): void {
  for (const d of dates) expect(calendar.isWorkingDay(d), d).toBe(working);
}

describe('shipped data: 2025 (国办发明电〔2024〕12号)', () => {
  it('has the breaks as days off', () => {
    expectDays(cal, ['2025-01-01'], false);
    expectDays(cal, ['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-03', '2025-02-04'], false);
    expectDays(cal, ['2025-04-04', '2025-05-01', '2025-05-02', '2025-05-05', '2025-06-02'], false);
    expectDays(cal, ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08'], false);
  });

  it('has the adjusted working weekend days (调休上班)', () => {
    expectDays(cal, ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'], true);
  });

  it('treats the days around the breaks normally', () => {
    expectDays(cal, ['2025-01-27', '2025-02-05', '2025-09-30', '2025-10-09', '2025-10-10'], true);
    expectDays(cal, ['2025-10-12', '2025-02-09'], false); // ordinary Sundays
  });
});

describe('shipped data: 2026 (国办发明电〔2025〕7号)', () => {
  it('has New Year 01-01..03 off and Sunday 01-04 working', () => {
    expectDays(cal, ['2026-01-01', '2026-01-02', '2026-01-03'], false);
    expectDays(cal, ['2026-01-04', '2026-01-05'], true);
  });

  it('has Spring Festival 02-15..02-23 off, with Saturdays 02-14 and 02-28 working', () => {
    const offDays = Array.from({ length: 9 }, (_, i) => `2026-02-${String(15 + i).padStart(2, '0')}`);
    expectDays(cal, offDays, false);
    expectDays(cal, ['2026-02-13', '2026-02-14', '2026-02-24', '2026-02-28'], true);
  });

  it('has the other holidays and adjusted days', () => {
    expectDays(cal, ['2026-04-06', '2026-05-01', '2026-05-04', '2026-05-05', '2026-06-19', '2026-09-25'], false);
    expectDays(cal, ['2026-05-09', '2026-09-20'], true);
  });

  it('has National Day 10-01..10-07 off; 10-08 is an ordinary Thursday; Saturday 10-10 works', () => {
    expectDays(cal, ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'], false);
    expectDays(cal, ['2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10'], true);
    expectDays(cal, ['2026-10-11'], false);
  });

  it('describes why a day is or is not working', () => {
    expect(cal.dayInfo('2026-10-10')).toEqual({
      date: '2026-10-10',
      working: true,
      kind: 'adjusted-workday',
      coverage: 'shipped',
    });
    expect(cal.dayInfo('2026-10-07')).toEqual({
      date: '2026-10-07',
      working: false,
      kind: 'holiday',
      coverage: 'shipped',
    });
    expect(cal.dayInfo('2026-10-17')).toEqual({
      date: '2026-10-17',
      working: false,
      kind: 'weekend',
      coverage: 'shipped',
    });
    expect(cal.dayInfo('2027-01-01')).toEqual({
      date: '2027-01-01',
      working: true,
      kind: 'weekday',
      coverage: 'weekends-only',
    });
  });
});

describe('shipped data wiring', () => {
  // The wiring is checked on the package's own data, over every year it ships.
  const shipped = WorkingCalendar.create();

  it('agrees with chinese-days on every day of every shipped year', () => {
    const years = [...shippedYears.keys()];
    const day = new Date(Date.UTC(Math.min(...years), 0, 1));
    let checked = 0;
    while (day.getUTCFullYear() <= Math.max(...years)) {
      const iso = day.toISOString().slice(0, 10);
      expect(shipped.isWorkingDay(iso), iso).toBe(packageIsWorkday(iso));
      day.setUTCDate(day.getUTCDate() + 1);
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(8401); // 2004–2026 at least
  });

  it('keeps the 2020 Spring Festival extension (02-01 no longer a working Saturday)', () => {
    expectDays(shipped, ['2020-01-31', '2020-02-01', '2020-02-02'], false);
    expectDays(shipped, ['2020-02-03'], true);
  });
});

describe('addWorkingDays (N个工作日内)', () => {
  it('meets the acceptance facts around National Day 2026', () => {
    expect(cal.addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
    expect(cal.addWorkingDays('2026-10-09', 3)).toBe('2026-10-13');
  });

  it('does not count the start day (民法典 §201)', () => {
    expect(cal.addWorkingDays('2025-06-03', 1)).toBe('2025-06-04');
    expect(cal.addWorkingDays('2025-06-06', 1)).toBe('2025-06-09'); // Friday → Monday
  });

  it('starts counting after a holiday when the start day is one', () => {
    expect(cal.addWorkingDays('2026-10-01', 1)).toBe('2026-10-08');
    expect(cal.addWorkingDays('2026-02-15', 2)).toBe('2026-02-25');
  });

  it('adds 30 working days across breaks (counted by hand)', () => {
    // 09-16..18, 09-20 (调休), 09-21..24, 09-28..30 → 11; 10-08..10 (10-10 调休) → 14;
    // 10-12..10-30 (three full weeks) → 29; Monday 11-02 → 30.
    expect(cal.addWorkingDays('2026-09-15', 30)).toBe('2026-11-02');
    expect(cal.addWorkingDays('2025-09-26', 30)).toBe('2025-11-13');
    expect(cal.addWorkingDays('2026-01-30', 30)).toBe('2026-03-19');
  });

  it('rejects n that is not a whole number ≥ 1', () => {
    for (const n of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => cal.addWorkingDays('2026-01-05', n), String(n)).toThrow(RangeError);
    }
  });

  it('rejects dates that are not real YYYY-MM-DD dates', () => {
    for (const d of ['2026-02-30', '2026/01/05', '20260105', '2026-1-5', ' 2026-01-05', '0999-01-01', '']) {
      expect(() => cal.addWorkingDays(d, 1), d).toThrow(RangeError);
      expect(() => cal.isWorkingDay(d), d).toThrow(RangeError);
    }
  });
});

describe('addCalendarDays (N日内)', () => {
  it('counts calendar days from the day after, and an end on a holiday moves to the next working day', () => {
    expect(cal.addCalendarDays('2026-02-10', 3)).toBe('2026-02-13');
    // 2026-02-15 is the first day of the Spring Festival break: the period ends when it is over.
    expect(cal.addCalendarDays('2026-02-10', 5)).toBe('2026-02-24');
    expect(() => cal.addCalendarDays('2026-02-10', 0)).toThrow(RangeError);
  });
});

describe('rollToWorkingDay (民法典 §203)', () => {
  it('keeps a working day and moves a day off to the next working day', () => {
    expect(cal.rollToWorkingDay('2026-10-09')).toBe('2026-10-09');
    expect(cal.rollToWorkingDay('2026-10-03')).toBe('2026-10-08');
    expect(cal.rollToWorkingDay('2026-10-11')).toBe('2026-10-12');
    expect(cal.rollToWorkingDay('2026-02-19')).toBe('2026-02-24');
  });
});

describe('coverage and office data', () => {
  it('knows the fixture years and nothing after', () => {
    expect(cal.knownYears()).toEqual([2025, 2026]);
    expect(cal.coverage(2026)).toBe('shipped');
    expect(cal.coverage(2027)).toBe('weekends-only');
    expect(cal.coverage(2024)).toBe('weekends-only');
    expect(cal.isYearCovered(2026)).toBe(true);
    expect(cal.isYearCovered(2027)).toBe(false);
    expect(cal.uncoveredYearsBetween('2026-12-01', '2028-01-10')).toEqual([2027, 2028]);
    expect(cal.uncoveredYearsBetween('2026-12-01', '2026-12-31')).toEqual([]);
  });

  it('falls back to weekends only past the known years', () => {
    // 2027-01-01 is a Friday; without 2027 data it counts as a working day.
    expect(cal.isWorkingDay('2027-01-01')).toBe(true);
    expect(cal.isWorkingDay('2027-01-02')).toBe(false);
    expect(cal.addWorkingDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('uses a year added as data for that year only', () => {
    const y2027: YearData = { year: 2027, holidays: ['2027-01-01', '2027-03-03'], workdays: ['2027-03-06'] };
    const withOffice = WorkingCalendar.create([y2027], fixtureYears);
    expect(withOffice.coverage(2027)).toBe('office');
    expect(withOffice.knownYears().at(-1)).toBe(2027);
    expect(withOffice.isWorkingDay('2027-01-01')).toBe(false);
    expect(withOffice.isWorkingDay('2027-03-06')).toBe(true);
    expect(cal.addWorkingDays('2027-03-02', 3)).toBe('2027-03-05');
    expect(withOffice.addWorkingDays('2027-03-02', 3)).toBe('2027-03-06');
    expect(withOffice.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
    // Other years are untouched.
    expect(withOffice.addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
    expect(withOffice.isWorkingDay('2025-10-11')).toBe(true);
  });

  it('lets office data replace a shipped year as a whole', () => {
    const replaced = WorkingCalendar.create([{ year: 2026, holidays: ['2026-10-01'], workdays: [] }], fixtureYears);
    expect(replaced.coverage(2026)).toBe('office');
    expect(replaced.isWorkingDay('2026-10-01')).toBe(false);
    expect(replaced.isWorkingDay('2026-10-02')).toBe(true); // shipped 2026 no longer applies
    expect(replaced.isWorkingDay('2026-10-10')).toBe(false);
    expect(replaced.isWorkingDay('2025-10-02')).toBe(false); // 2025 still shipped
  });

  it('refuses the same year twice and invalid entries', () => {
    const y = { year: 2027, holidays: [], workdays: [] };
    expect(() => WorkingCalendar.create([y, y])).toThrow(/2027 is given twice/);
    expect(() => WorkingCalendar.create([{ year: 2027, holidays: ['2028-01-01'], workdays: [] }])).toThrow(
      /not in 2027/,
    );
  });
});

describe('shipped data', () => {
  it('covers at least the fixture years, so production counts 2025–2026 as the tests do', () => {
    for (const year of fixtureYears.keys()) expect(shippedYears.has(year), String(year)).toBe(true);
    const shipped = WorkingCalendar.create();
    for (const year of fixtureYears.keys()) expect(shipped.coverage(year)).toBe('shipped');
  });
});

describe('workingDaysAfter (逾期 N 个工作日)', () => {
  const cal = WorkingCalendar.create([], fixtureYears);
  it('counts the working days after a deadline up to a day, over holidays and adjusted Saturdays', () => {
    // 2026-10-10 is a working Saturday; 10-11 a Sunday; 10-12, 10-13 weekdays.
    expect(cal.workingDaysAfter('2026-10-10', '2026-10-13')).toBe(2);
    // From 09-30 over the National Day holiday to the working Saturday: 3 (as addWorkingDays counts).
    expect(cal.workingDaysAfter('2026-09-30', '2026-10-10')).toBe(3);
  });
  it('is 0 on or before the deadline, and inverts addWorkingDays', () => {
    expect(cal.workingDaysAfter('2026-10-13', '2026-10-13')).toBe(0);
    expect(cal.workingDaysAfter('2026-10-13', '2026-10-01')).toBe(0);
    expect(cal.workingDaysAfter('2026-11-02', cal.addWorkingDays('2026-11-02', 5))).toBe(5);
  });
});
