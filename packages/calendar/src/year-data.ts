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

export class YearDataError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid calendar data: ${problems.join('; ')}`);
    this.name = 'YearDataError';
  }
}

const KEYS = new Set(['year', 'holidays', 'workdays']);

function checkDates(year: number, list: unknown, field: 'holidays' | 'workdays', problems: string[]): string[] {
  if (!Array.isArray(list)) {
    problems.push(`${field} must be a list of YYYY-MM-DD dates`);
    return [];
  }
  const seen = new Set<string>();
  for (const item of list) {
    if (typeof item !== 'string') {
      problems.push(`${field}: ${JSON.stringify(item)} is not a YYYY-MM-DD date`);
      continue;
    }
    const day = tryParseDate(item);
    if (day === undefined) {
      problems.push(`${field}: "${item}" is not a real date in YYYY-MM-DD form`);
      continue;
    }
    if (yearOf(day) !== year) problems.push(`${field}: ${item} is not in ${year}`);
    if (seen.has(item)) problems.push(`${field}: ${item} is listed twice`);
    // A 调休 working day is always a weekend day; a weekday here is a typo.
    if (field === 'workdays' && !isWeekend(day)) problems.push(`workdays: ${item} is not a Saturday or Sunday`);
    seen.add(item);
  }
  return [...seen].sort();
}

/** Checks untrusted input (admin form, JSON file) and returns a clean copy, or throws YearDataError listing every problem. */
export function parseYearData(input: unknown): YearData {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new YearDataError(['expected an object { year, holidays, workdays }']);
  }
  const record = input as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(record)) if (!KEYS.has(key)) problems.push(`unknown field "${key}"`);
  const year = record.year;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1000 || year > 9999) {
    problems.push('year must be a 4-digit whole number');
    throw new YearDataError(problems);
  }
  const holidays = checkDates(year, record.holidays, 'holidays', problems);
  const workdays = checkDates(year, record.workdays, 'workdays', problems);
  const off = new Set(holidays);
  for (const d of workdays) if (off.has(d)) problems.push(`${d} is in both holidays and workdays`);
  if (problems.length > 0) throw new YearDataError(problems.map((p) => `${year}: ${p}`));
  return { year, holidays, workdays };
}
