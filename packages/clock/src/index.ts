/**
 * The one clock (DESIGN.md §4): every service, timer and test takes the time from a Clock it was
 * given, never from `Date` directly, so tests pin the time and the suite passes on any date.
 * This module is the only place allowed to read the machine's clock (an ESLint rule enforces it).
 */

/** China Standard Time is UTC+8 all year (no daylight saving since 1991): a fixed offset is exact. */
const CHINA_OFFSET_MS = 8 * 3_600_000;

export interface Clock {
  /** The current instant. */
  now(): Date;
  /** Milliseconds since the epoch, for durations and timeouts. */
  millis(): number;
  /** Today's date in China, 'YYYY-MM-DD': the date deadlines count from. */
  today(): string;
}

/** The calendar date in China of an instant. */
export function chinaDate(instant: Date): string {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('chinaDate: invalid Date');
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a China date begins (00:00 CST), for a clock pinned to a day. */
export function startOfChinaDate(date: string): Date {
  const d = new Date(`${date}T00:00:00+08:00`);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a date: ${JSON.stringify(date)}`);
  return d;
}

/** The date `n` calendar days after (or, negative, before) `date`: 'YYYY-MM-DD' in, out. */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a date: ${JSON.stringify(date)}`);
  return new Date(d.getTime() + n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The same day `n` months before `date` ('YYYY-MM-DD'), or the month's last day when it is shorter
 * (2028-03-31 → 2028-02-29; 2028-02-29 → 2027-02-28 twelve months on) — as PostgreSQL's
 * `date - interval 'n months'` counts, so a window counted here and one counted in SQL agree.
 */
export function monthsBefore(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a date: ${JSON.stringify(date)}`);
  const first = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d.getUTCDate(), last));
  return first.toISOString().slice(0, 10);
}

/** The same day `n` months after `date`, or the month's last day when it is shorter (monthsBefore's rule). */
export const monthsAfter = (date: string, n: number): string => monthsBefore(date, -n);

function clockOf(millis: () => number): Clock {
  return { millis, now: () => new Date(millis()), today: () => chinaDate(new Date(millis())) };
}

/** The machine's clock. */
export const systemClock: Clock = clockOf(() => Date.now());

/**
 * A clock that runs at real speed from a given instant: `ONECHECK_CLOCK=2030-01-01T09:00:00+08:00`
 * runs a whole process as if it were then (demo, rehearsals, the suite's "any date" check).
 */
export function shiftedClock(start: Date): Clock {
  const offset = start.getTime() - Date.now();
  return clockOf(() => Date.now() + offset);
}

/** A clock that stands still until told to move: what tests pin. */
export interface TestClock extends Clock {
  set(instant: Date | string): void;
  advance(ms: number): void;
}

/** Pins the time; a bare date 'YYYY-MM-DD' means 09:00 China time on that day (inside office hours). */
export function testClock(start: Date | string): TestClock {
  let current = toInstant(start);
  return {
    ...clockOf(() => current),
    set: (instant) => void (current = toInstant(instant)),
    advance: (ms) => void (current += ms),
  };
}

function toInstant(value: Date | string): number {
  const d =
    value instanceof Date
      ? value
      : /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? new Date(`${value}T09:00:00+08:00`)
        : new Date(value);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not an instant: ${JSON.stringify(value)}`);
  return d.getTime();
}

/**
 * The process's clock from its configuration: the machine's, or shifted to ONECHECK_CLOCK when
 * set. Entry points call this once and hand the result down; nothing else reads the setting.
 */
export function clockFromSetting(setting: string | undefined): Clock {
  if (!setting) return systemClock;
  return shiftedClock(new Date(toInstant(setting)));
}
