export { WorkingCalendar, type Coverage, type DayInfo, type DayKind } from './calendar.ts';
export { parseYearData, YearDataError, type YearData } from './year-data.ts';
export { todayInChina } from './date.ts';
export { shippedYears } from './shipped.ts';
export { calendarYears, loadCalendar, saveCalendarYear } from './store.ts';
