/**
 * Working days under the official calendar (domain-notes §10):
 *   working day = (Mon–Fri and not a holiday) or an official 调休 working day.
 * Data per year comes from the office (admin-entered YearData) if present, else
 * from the shipped chinese-days data, else the year falls back to weekends only
 * and coverage() says so, so callers can warn.
 */
import { formatDate, isWeekend, parseDate, yearOf } from './date';
import { shippedYears } from './shipped';
import { parseYearData, type YearData } from './year-data';

export type Coverage = 'office' | 'shipped' | 'weekends-only';

/**
 * The years a service starts with before the office enters any: the shipped chinese-days data in
 * production, a frozen fixture in tests (so a newer package version never changes a test).
 */
export type CalendarBase = ReadonlyMap<number, YearData>;

export type DayKind = 'weekday' | 'weekend' | 'holiday' | 'adjusted-workday';

export interface DayInfo {
  date: string;
  working: boolean;
  kind: DayKind;
  coverage: Coverage;
}

interface YearRules {
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
  source: Exclude<Coverage, 'weekends-only'>;
}

/** How many addWorkingDays answers a calendar keeps (a few years of days × the periods asked). */
const ADDED_REMEMBERED = 4096;

export class WorkingCalendar {
  /** addWorkingDays' answers, by `date+n`. */
  private readonly added = new Map<string, string>();

  private constructor(private readonly years: ReadonlyMap<number, YearRules>) {}

  /**
   * The shipped data plus the office's own years. An office year replaces the
   * shipped data for that whole year (the office's entry is the one it checked
   * against the State Council notice). Each entry is validated with parseYearData.
   */
  static create(extra: readonly YearData[] = [], base: CalendarBase = shippedYears): WorkingCalendar {
    const years = new Map<number, YearRules>();
    for (const [year, data] of base) years.set(year, rules(data, 'shipped'));
    const given = new Set<number>();
    for (const input of extra) {
      const data = parseYearData(input);
      if (given.has(data.year)) throw new RangeError(`calendar data for ${data.year} is given twice`);
      given.add(data.year);
      years.set(data.year, rules(data, 'office'));
    }
    return new WorkingCalendar(years);
  }

  coverage(year: number): Coverage {
    return this.years.get(year)?.source ?? 'weekends-only';
  }

  isYearCovered(year: number): boolean {
    return this.years.has(year);
  }

  /** Years with holiday data (shipped or office), ascending. */
  knownYears(): number[] {
    return [...this.years.keys()].sort((a, b) => a - b);
  }

  /** Years from `from` to `to` (inclusive) that fall back to weekends only: warn if non-empty. */
  uncoveredYearsBetween(from: string, to: string): number[] {
    const [a, b] = [yearOf(parseDate(from)), yearOf(parseDate(to))].sort((x, y) => x - y) as [number, number];
    const out: number[] = [];
    for (let y = a; y <= b; y++) if (!this.years.has(y)) out.push(y);
    return out;
  }

  dayInfo(date: string): DayInfo {
    const day = parseDate(date);
    const year = this.years.get(yearOf(day));
    const coverage = year?.source ?? 'weekends-only';
    if (year?.workdays.has(date)) return { date, working: true, kind: 'adjusted-workday', coverage };
    if (year?.holidays.has(date)) return { date, working: false, kind: 'holiday', coverage };
    const weekend = isWeekend(day);
    return { date, working: !weekend, kind: weekend ? 'weekend' : 'weekday', coverage };
  }

  isWorkingDay(date: string): boolean {
    return this.dayInfo(date).working;
  }

  /**
   * "N个工作日内" counted from `date`: the N-th working day after it. The start
   * day itself is never counted (民法典 §201), and since only working days are
   * counted a deadline can never land on a holiday (民法典 §203). n must be a
   * whole number ≥ 1; for calendar-day periods use rollToWorkingDay instead.
   */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isSafeInteger(n) || n < 1)
      throw new RangeError(`working days to add must be a whole number ≥ 1, got ${n}`);
    // Remembered: a batch of licence pushes asks the same day's deadlines hundreds of times
    // (issue 7), and a calendar never changes once made.
    const asked = `${date}+${n}`;
    const known = this.added.get(asked);
    if (known !== undefined) return known;
    let day = parseDate(date);
    for (let counted = 0; counted < n;) {
      day += 1;
      if (this.isWorkingDay(formatDate(day))) counted += 1;
    }
    const result = formatDate(day);
    if (this.added.size >= ADDED_REMEMBERED) this.added.clear();
    this.added.set(asked, result);
    return result;
  }

  /**
   * How many working days `to` lies after `from`: the working days d with from < d ≤ to (0 when
   * `to` is not after `from`). The inverse of addWorkingDays: how late an act done on `to` is
   * against a deadline `from` ("逾期 N 个工作日").
   */
  workingDaysAfter(from: string, to: string): number {
    let count = 0;
    for (let day = parseDate(from) + 1, end = parseDate(to); day <= end; day += 1) {
      if (this.isWorkingDay(formatDate(day))) count += 1;
    }
    return count;
  }

  /**
   * "N日内" counted in calendar days from `date` (the start day not counted, 民法典 §201): N days
   * later, moved to the next working day when that is a holiday (民法典 §203).
   */
  addCalendarDays(date: string, n: number): string {
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`days to add must be a whole number ≥ 1, got ${n}`);
    return this.rollToWorkingDay(formatDate(parseDate(date) + n));
  }

  /**
   * `date` if it is a working day, else the next working day: a period counted in
   * calendar days whose last day is a holiday ends on the day after the holiday
   * (民法典 §203).
   */
  rollToWorkingDay(date: string): string {
    let day = parseDate(date);
    while (!this.isWorkingDay(formatDate(day))) day += 1;
    return formatDate(day);
  }
}

function rules(data: YearData, source: YearRules['source']): YearRules {
  return { holidays: new Set(data.holidays), workdays: new Set(data.workdays), source };
}
