export { WorkingCalendar, type CalendarBase, type Coverage, type DayInfo, type DayKind } from './calendar';
export { parseYearData, YearDataError, type YearData } from './year-data';
export { shippedYears } from './shipped';
export { fixtureYears } from './fixture';
export { calendarYears, loadCalendar, saveCalendarYear } from './store';
