/**
 * Plain calendar dates ('YYYY-MM-DD') as used by Chinese law and the State
 * Council holiday notices. Internally a date is a day number (days since
 * 1970-01-01) computed in UTC, so the machine's time zone never shifts a date.
 */

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^([1-9]\d{3})-(\d{2})-(\d{2})$/;

/** Day number for a 'YYYY-MM-DD' string, or undefined if it is not a real date. */
export function tryParseDate(date: string): number | undefined {
  const m = ISO_DATE.exec(date);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to March; a round trip catches that.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined;
  return ms / MS_PER_DAY;
}

export function parseDate(date: string): number {
  const day = tryParseDate(date);
  if (day === undefined) throw new RangeError(`not a calendar date in YYYY-MM-DD form: ${JSON.stringify(date)}`);
  return day;
}

export function formatDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCDay();
}

export function yearOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

export function isWeekend(day: number): boolean {
  const w = weekdayOf(day);
  return w === 0 || w === 6;
}
