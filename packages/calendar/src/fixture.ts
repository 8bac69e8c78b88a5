/**
 * A frozen copy of the official calendar for 2025 and 2026 (State Council notices
 * 国办发明电〔2024〕12号 and 国办发明电〔2025〕7号, as shipped by chinese-days 1.5.7). Tests count
 * deadlines with it instead of the package's data, so a newer package that adds 2027 or corrects
 * a year never changes what a test expects; every later year is weekends-only until entered.
 */
import data from './fixture-years.json' with { type: 'json' };
import type { CalendarBase } from './calendar';
import { parseYearData } from './year-data';

export const fixtureYears: CalendarBase = new Map(data.map((y) => [y.year, parseYearData(y)]));
