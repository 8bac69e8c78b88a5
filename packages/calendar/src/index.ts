export { WorkingCalendar, type Coverage, type DayInfo, type DayKind } from './calendar';
export { parseYearData, YearDataError, type YearData } from './year-data';
export { todayInChina } from './date';
export { shippedYears } from './shipped';
export { calendarYears, loadCalendar, saveCalendarYear } from './store';
