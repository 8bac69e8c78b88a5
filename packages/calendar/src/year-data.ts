/**
 * One year of the official working calendar, as the State Council announces it
 * each November (国务院办公厅关于某年部分节假日安排的通知): the days off and the
 * adjusted working weekend days (调休上班). Offices enter it for years the
 * shipped data does not cover yet.
 */
import { isWeekend, tryParseDate, yearOf } from './date';

export interface YearData {
  year: number;
  /**
   * Days off. Weekdays matter; weekend days inside a break (e.g. all of
   * 10-01..10-08) may be listed too and change nothing.
   */
  holidays: string[];
  /** Saturdays/Sundays that are working days (调休上班). */
  workdays: string[];
}

/**
 * One thing wrong with the data, as facts a caller renders in its reader's language (`key` is an
 * entry of @onecheck/i18n's catalogue, `path` the field, a list index as a segment) and as a
 * sentence for the shipped files' loader.
 */
export interface YearDataProblem {
  path: string;
  key:
    | 'input.invalid'
    | 'input.unknownKeys'
    | 'calendar.yearRange'
    | 'calendar.notDate'
    | 'calendar.dateOutsideYear'
    | 'calendar.dateTwice'
    | 'calendar.workdayNotWeekend'
    | 'calendar.dayBothWays';
  params: Record<string, string | number | string[]>;
  text: string;
}

export class YearDataError extends Error {
  readonly problems: readonly string[];
  constructor(readonly facts: readonly YearDataProblem[]) {
    const problems = facts.map((f) => f.text);
    super(`invalid calendar data: ${problems.join('; ')}`);
    this.problems = problems;
    this.name = 'YearDataError';
  }
}

const KEYS = new Set(['year', 'holidays', 'workdays']);

function checkDates(
  year: number,
  list: unknown,
  field: 'holidays' | 'workdays',
  problems: YearDataProblem[],
): string[] {
  const add = (path: string, key: YearDataProblem['key'], params: YearDataProblem['params'], text: string) =>
    problems.push({ path, key, params, text: `${year}: ${text}` });
  if (!Array.isArray(list)) {
    add(field, 'calendar.notDate', { value: String(list) }, `${field} must be a list of YYYY-MM-DD dates`);
    return [];
  }
  const seen = new Set<string>();
  list.forEach((item: unknown, index) => {
    const at = `${field}.${index}`;
    if (typeof item !== 'string') {
      add(
        at,
        'calendar.notDate',
        { value: JSON.stringify(item) },
        `${field}: ${JSON.stringify(item)} is not a YYYY-MM-DD date`,
      );
      return;
    }
    const day = tryParseDate(item);
    if (day === undefined) {
      add(at, 'calendar.notDate', { value: item }, `${field}: "${item}" is not a real date in YYYY-MM-DD form`);
      return;
    }
    if (yearOf(day) !== year)
      add(at, 'calendar.dateOutsideYear', { date: item, year }, `${field}: ${item} is not in ${year}`);
    if (seen.has(item)) add(at, 'calendar.dateTwice', { date: item }, `${field}: ${item} is listed twice`);
    // A 调休 working day is always a weekend day; a weekday here is a typo.
    if (field === 'workdays' && !isWeekend(day))
      add(at, 'calendar.workdayNotWeekend', { date: item }, `workdays: ${item} is not a Saturday or Sunday`);
    seen.add(item);
  });
  return [...seen].sort();
}

/** Checks untrusted input (admin form, JSON file) and returns a clean copy, or throws YearDataError listing every problem. */
export function parseYearData(input: unknown): YearData {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new YearDataError([
      { path: '', key: 'input.invalid', params: {}, text: 'expected an object { year, holidays, workdays }' },
    ]);
  }
  const record = input as Record<string, unknown>;
  const problems: YearDataProblem[] = [];
  const unknown = Object.keys(record).filter((key) => !KEYS.has(key));
  const unknownProblems = unknown.map((key): YearDataProblem => ({
    path: '',
    key: 'input.unknownKeys',
    params: { keys: unknown },
    text: `unknown field "${key}"`,
  }));
  const year = record.year;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new YearDataError([
      ...unknownProblems,
      { path: 'year', key: 'calendar.yearRange', params: {}, text: 'year must be a 4-digit whole number' },
    ]);
  }
  problems.push(...unknownProblems.map((p) => ({ ...p, text: `${year}: ${p.text}` })));
  const holidays = checkDates(year, record.holidays, 'holidays', problems);
  const workdays = checkDates(year, record.workdays, 'workdays', problems);
  const off = new Set(holidays);
  (Array.isArray(record.workdays) ? record.workdays : []).forEach((d: unknown, index) => {
    if (typeof d === 'string' && off.has(d) && workdays.includes(d))
      problems.push({
        path: `workdays.${index}`,
        key: 'calendar.dayBothWays',
        params: { date: d },
        text: `${year}: ${d} is in both holidays and workdays`,
      });
  });
  if (problems.length > 0) throw new YearDataError(problems);
  return { year, holidays, workdays };
}
