import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { asc } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { WorkingCalendar, type CalendarBase } from './calendar';
import type { YearData } from './year-data';

/**
 * Years of the official calendar the office entered as data (the State Council publishes each
 * coming year in November). Market regulation keeps the master copy and publishes each year as an
 * event; every service that counts deadlines keeps this table from those events, so all of them
 * count alike without a release.
 */
export const calendarYears = pgTable('calendar_years', {
  year: integer('year').primaryKey(),
  holidays: text('holidays').array().notNull(),
  workdays: text('workdays').array().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

type AnyDb = Pick<PgDatabase<PgQueryResultHKT, Record<string, never>>, 'select' | 'insert'>;

/** The calendar as this service knows it: shipped data plus every year the office entered. */
export async function loadCalendar(db: AnyDb, base?: CalendarBase): Promise<WorkingCalendar> {
  const rows = await db.select().from(calendarYears).orderBy(asc(calendarYears.year));
  return WorkingCalendar.create(
    rows.map((r) => ({ year: r.year, holidays: r.holidays, workdays: r.workdays })),
    base,
  );
}

export async function saveCalendarYear(db: AnyDb, data: YearData, now: Date): Promise<void> {
  const values = { year: data.year, holidays: [...data.holidays], workdays: [...data.workdays], updatedAt: now };
  await db.insert(calendarYears).values(values).onConflictDoUpdate({ target: calendarYears.year, set: values });
}
