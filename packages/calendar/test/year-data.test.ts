import { describe, expect, it } from 'vitest';
import { YearDataError, parseYearData } from '../src/index';

function problemsOf(input: unknown): readonly string[] {
  try {
    parseYearData(input);
  } catch (e) {
    if (e instanceof YearDataError) return e.problems;
    throw e;
  }
  throw new Error('expected YearDataError');
}

describe('parseYearData', () => {
  it('returns a clean, sorted copy of valid data', () => {
    const input = {
      year: 2027,
      holidays: ['2027-10-08', '2027-10-01', '2027-10-02'],
      workdays: ['2027-10-09', '2027-09-26'],
    };
    expect(parseYearData(input)).toEqual({
      year: 2027,
      holidays: ['2027-10-01', '2027-10-02', '2027-10-08'],
      workdays: ['2027-09-26', '2027-10-09'],
    });
    expect(parseYearData({ year: 2027, holidays: [], workdays: [] })).toEqual({
      year: 2027,
      holidays: [],
      workdays: [],
    });
  });

  it('accepts weekend days inside a listed break', () => {
    expect(parseYearData({ year: 2027, holidays: ['2027-10-02', '2027-10-03'], workdays: [] }).holidays).toHaveLength(
      2,
    );
  });

  it('rejects input that is not an object or has no sensible year', () => {
    expect(problemsOf(null)).toEqual(['expected an object { year, holidays, workdays }']);
    expect(problemsOf([])).toEqual(['expected an object { year, holidays, workdays }']);
    expect(problemsOf({ year: '2027', holidays: [], workdays: [] })).toEqual(['year must be a 4-digit whole number']);
    expect(problemsOf({ year: 27, holidays: [], workdays: [] })).toEqual(['year must be a 4-digit whole number']);
  });

  it('names each bad date and why', () => {
    expect(
      problemsOf({
        year: 2027,
        holidays: ['2027-3-1', '2027-02-30', '2026-12-31', 20270101, '2027-05-03', '2027-05-03', '2027-10-09'],
        workdays: ['2027-03-03', '2027-10-09'],
      }),
    ).toEqual([
      '2027: holidays: "2027-3-1" is not a real date in YYYY-MM-DD form',
      '2027: holidays: "2027-02-30" is not a real date in YYYY-MM-DD form',
      '2027: holidays: 2026-12-31 is not in 2027',
      '2027: holidays: 20270101 is not a YYYY-MM-DD date',
      '2027: holidays: 2027-05-03 is listed twice',
      '2027: workdays: 2027-03-03 is not a Saturday or Sunday',
      '2027: 2027-10-09 is in both holidays and workdays',
    ]);
  });

  it('rejects missing lists and unknown fields', () => {
    expect(problemsOf({ year: 2027, holidays: [], workday: [] })).toEqual([
      '2027: unknown field "workday"',
      '2027: workdays must be a list of YYYY-MM-DD dates',
    ]);
  });

  it('gives each problem as facts on its field, for a caller to render in its reader’s language', () => {
    try {
      parseYearData({ year: 2027, holidays: ['2027-05-03', '2027-05-03'], workdays: ['2027-01-09', '2027-03-03'] });
      throw new Error('expected YearDataError');
    } catch (e) {
      expect((e as YearDataError).facts.map(({ path, key, params }) => ({ path, key, params }))).toEqual([
        { path: 'holidays.1', key: 'calendar.dateTwice', params: { date: '2027-05-03' } },
        { path: 'workdays.1', key: 'calendar.workdayNotWeekend', params: { date: '2027-03-03' } },
      ]);
    }
  });

  it('puts every problem in the error message', () => {
    expect(() => parseYearData({ year: 2027, holidays: ['x'], workdays: [] })).toThrow(
      'invalid calendar data: 2027: holidays: "x" is not a real date in YYYY-MM-DD form',
    );
  });
});
