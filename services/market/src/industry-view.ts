/** An industry as the graph shows it (GB/T 4754-2017, from @onecheck/codes' catalogue). */
import type { Industry as CodesIndustry } from '@onecheck/codes';
import { industry as lookupIndustry } from './domain/industry';
import type { Industry, IndustryLevel } from './generated/resolvers';

const INDUSTRY_LEVELS: Record<CodesIndustry['level'], IndustryLevel> = {
  section: 'SECTION',
  division: 'DIVISION',
  group: 'GROUP',
};

export function industryOf(code: string): Industry {
  const found = lookupIndustry(code);
  if (!found) return { code, name: code, level: 'DIVISION', section: '?' };
  return { ...found, level: INDUSTRY_LEVELS[found.level] };
}
