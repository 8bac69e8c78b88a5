import { industries, industry as lookupIndustry, type Industry } from '@onecheck/codes';
import { badInput } from '@onecheck/kit';

/** The GB/T 4754-2017 catalogue as the graph lists it: the sections, or the divisions of one section. */
export function industryCatalogue(section?: string | null): readonly Industry[] {
  if (!section) return industries().filter((i) => i.level === 'section');
  const found = lookupIndustry(section);
  if (found?.level !== 'section') throw badInput('section', 'industry.unknownSection');
  return industries().filter((i) => i.section === found.code && i.level === 'division');
}

export { lookupIndustry as industry };
