/** The office's years of the official working calendar. */
import { z } from 'zod';
import { date } from './fields';

export const calendarYearSetV1 = z
  .object({
    year: z.int().min(2000).max(2100),
    holidays: z.array(date).meta({ description: 'days off that would otherwise be working days' }),
    workdays: z.array(date).meta({ description: 'weekend days that are working days (调休)' }),
  })
  .meta({
    title: 'The office set one year of the official working calendar (holidays and adjusted working weekends)',
    description:
      'Published by the office (market regulation) on onecheck.market.calendar, key: calendar-<year>. Deadlines count working days by it.',
  });
