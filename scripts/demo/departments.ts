/** The departments `npm start` runs one instance of each (codes from config/departments.json). */
export const DEMO_DEPARTMENTS = ['MARKET', 'HEALTH', 'FIRE', 'EMERGENCY', 'CULTURE_TOURISM'];
