/**
 * The calendar data shipped in the npm package chinese-days (MIT; 2004–2026,
 * including the 2020 Spring Festival extension). Only its data file is used:
 * its functions parse dates in the machine's local time zone.
 */
import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { parseYearData, type YearData } from './year-data';

function byYear(): ReadonlyMap<number, YearData> {
  const years = new Map<number, YearData>();
  const entry = (date: string): YearData => {
    const year = Number(date.slice(0, 4));
    let y = years.get(year);
    if (!y) years.set(year, (y = { year, holidays: [], workdays: [] }));
    return y;
  };
  for (const date of Object.keys(data.holidays)) entry(date).holidays.push(date);
  for (const date of Object.keys(data.workdays)) entry(date).workdays.push(date);
  // Same checks as office data (sorts too): fail at load if a package update breaks the shape.
  return new Map([...years].map(([year, y]) => [year, parseYearData(y)]));
}

export const shippedYears: ReadonlyMap<number, YearData> = byYear();
