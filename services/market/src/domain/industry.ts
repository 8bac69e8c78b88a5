import {
  coversIndustry,
  industries,
  industryLineage,
  isKnownIndustry,
  industry as lookupIndustry,
  onListOf,
  type Industry,
} from '@onecheck/codes';
import { badInput } from '@onecheck/kit';

/** The GB/T 4754-2017 catalogue as the graph lists it: the sections, or the divisions of one section. */
export function industryCatalogue(section?: string | null): readonly Industry[] {
  if (!section) return industries().filter((i) => i.level === 'section');
  const found = lookupIndustry(section);
  if (found?.level !== 'section') throw badInput('section', 'industry.unknownSection');
  return industries().filter((i) => i.section === found.code && i.level === 'division');
}

export { lookupIndustry as industry };

/**
 * An industry a joint list (一业一单) is asked for: a known GB/T 4754-2017 section, division or
 * group, as the standard spells it (trimmed, upper case). Anything else is BAD_USER_INPUT on `field`.
 */
export function listIndustry(raw: string, field = 'industry'): string {
  const code = raw.trim().toUpperCase();
  if (!isKnownIndustry(code)) throw badInput(field, 'industry.unknown');
  return code;
}

/** The codes that cover `code` (its section, division, group …) and `code` itself. */
export const reachOf = (code: string): string[] => [...new Set([...industryLineage(code), code.toUpperCase()])];

/**
 * 一业一单's one rule of nesting (GB/T 4754-2017; seed 000 §二, 004 (一)): an item filed under
 * industry codes belongs on the list of `industry` when one of them covers it or lies within it —
 * section H's list shows items filed under 61 and 62, an item filed under H is on 62's list, and
 * 62's list shows an item filed under 621 or the class 6210. Stated in @onecheck/codes (listReach),
 * which the departments' own lists read too. A business's own items are narrower: see `appliesToBusiness`.
 */
export { onListOf };

/** An item applies to a business when one of its codes covers the business's registered industry. */
export function appliesToBusiness(itemIndustries: readonly string[], businessIndustry: string): boolean {
  return itemIndustries.some((code) => coversIndustry(code, businessIndustry));
}
