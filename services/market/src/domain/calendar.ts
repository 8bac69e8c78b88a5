import type { Clock } from '@onecheck/clock';
import {
  calendarYears,
  loadCalendar,
  parseYearData,
  saveCalendarYear,
  YearDataError,
  type CalendarBase,
  type DayInfo,
} from '@onecheck/calendar';
import { recordEvent } from '@onecheck/events';
import { eq } from 'drizzle-orm';
import { appendAudit, badInput, dateField, type Actor, type Db } from '@onecheck/kit';
import type * as schema from '../db/schema';

type MarketDb = Db<typeof schema>;

const checkDay = (field: string, value: string) => {
  if (!dateField.safeParse(value).success) throw badInput(field, 'input.invalidDate');
};

/** The same calendar every service counts deadlines with: shipped data plus the office's years. */
export async function workingDay(db: MarketDb, date: string, base: CalendarBase | undefined): Promise<DayInfo> {
  checkDay('date', date);
  return (await loadCalendar(db, base)).dayInfo(date);
}

/** "N个工作日内" from `date`: the N-th working day after it, the start day not counted (民法典 §201). */
export async function addWorkingDays(db: MarketDb, date: string, days: number, base: CalendarBase | undefined) {
  checkDay('date', date);
  if (!Number.isInteger(days) || days < 1 || days > 366)
    throw badInput('days', 'input.wholeNumberRange', { minimum: 1, maximum: 366 });
  const calendar = await loadCalendar(db, base);
  const result = calendar.addWorkingDays(date, days);
  return { date: result, uncoveredYears: calendar.uncoveredYearsBetween(date, result) };
}

/**
 * The office enters a year of the official calendar (published by the State Council each
 * November) and it is published to every service that counts deadlines: no release needed.
 */
export async function setCalendarYear(db: MarketDb, raw: unknown, clock: Clock, actor: Actor) {
  const now = clock.now();
  let data;
  try {
    data = parseYearData(raw);
  } catch (e) {
    // The first problem, as facts, on its field (holidays.2): the caller fixes one thing at a time.
    if (e instanceof YearDataError) {
      const [first] = e.facts;
      throw badInput(['input', first!.path].filter(Boolean).join('.'), first!.key, first!.params);
    }
    throw e;
  }
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(calendarYears).where(eq(calendarYears.year, data.year)).for('update');
    await saveCalendarYear(tx, data, now);
    await recordEvent(tx, {
      source: 'onecheck/market',
      type: 'onecheck.calendar.year-set.v1',
      key: `calendar-${data.year}`,
      data: { year: data.year, holidays: [...data.holidays], workdays: [...data.workdays] },
      time: now,
    });
    await appendAudit(tx, {
      actor,
      action: 'setCalendar',
      entity: { kind: 'calendarYear', id: String(data.year) },
      before: before ?? null,
      after: { year: data.year, holidays: [...data.holidays], workdays: [...data.workdays], updatedAt: now },
      at: now,
    });
  });
  return { ...data, coverage: 'office' as const };
}
