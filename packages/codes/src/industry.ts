/**
 * GB/T 4754-2017 国民经济行业分类 (incl. 第1号修改单 2019): 门类 (sections A–T),
 * 大类 (divisions 01–97) and, for a few sections, 中类 (groups).
 *
 * Codes are the plain codes of the standard: a section is one letter ('H'),
 * a division two digits ('62'), a group three digits ('621'). The combined
 * form some systems print ('H62', 'H621') is deliberately NOT accepted: the
 * section is implied by the digits, and accepting two spellings invites
 * duplicates in stored data. Input is trimmed and upper-cased only.
 *
 * The data lives in standards/, not data/: the repository .gitignore ignores every data/ folder.
 */
import data from '../standards/gbt4754-2017.json' with { type: 'json' };

export type IndustryLevel = 'section' | 'division' | 'group';

export interface Industry {
  readonly code: string;
  readonly name: string;
  readonly level: IndustryLevel;
  /** Section letter A–T (for a section, its own code). */
  readonly section: string;
}

function build(): readonly Industry[] {
  const sectionOfDivision = new Map(data.divisions.map((d) => [d.code, d.section]));
  const list: Industry[] = [
    ...data.sections.map((s) => ({ code: s.code, name: s.name, level: 'section' as const, section: s.code })),
    ...data.divisions.map((d) => ({ code: d.code, name: d.name, level: 'division' as const, section: d.section })),
    ...data.groups.map((g) => {
      const section = sectionOfDivision.get(g.division);
      if (!section) throw new Error(`standards/gbt4754-2017.json: group ${g.code} has unknown division ${g.division}`);
      return { code: g.code, name: g.name, level: 'group' as const, section };
    }),
  ];
  return Object.freeze(list.map((i) => Object.freeze(i)));
}

const ALL = build();
const BY_CODE = new Map(ALL.map((i) => [i.code, i]));

function normalise(code: string): string {
  return code.trim().toUpperCase();
}

export function industry(code: string): Industry | undefined {
  return BY_CODE.get(normalise(code));
}

export function isKnownIndustry(code: string): boolean {
  return BY_CODE.has(normalise(code));
}

/** Every entry: sections, then divisions, then groups, each in code order. */
export function industries(): readonly Industry[] {
  return ALL;
}

/**
 * The section letter for a code. Besides known entries this also takes any 3-digit
 * group or 4-digit class (小类, e.g. '6210' as printed on registrations): the
 * section follows from the division in its first two digits. It does NOT check
 * that such a group or class exists — use isKnownIndustry for known entries.
 */
export function sectionOf(code: string): string | undefined {
  const c = normalise(code);
  const known = BY_CODE.get(c);
  if (known) return known.section;
  if (/^\d{3,4}$/.test(c)) return BY_CODE.get(c.slice(0, 2))?.section;
  return undefined;
}

/**
 * Which codes an industry query covers (GB/T 4754-2017 nests by code): a section covers every
 * code whose division lies in it; a division or group covers itself and every code that starts
 * with it ('62' covers '621' and the class '6210'). Undefined for a query that is no known entry.
 * This is the one statement of the nesting: database filters and `coversIndustry` read it.
 */
export type IndustryCover =
  { readonly by: 'section'; readonly section: string } | { readonly by: 'prefix'; readonly prefix: string };

export function industryCover(query: string): IndustryCover | undefined {
  const found = industry(query);
  if (!found) return undefined;
  return found.level === 'section' ? { by: 'section', section: found.code } : { by: 'prefix', prefix: found.code };
}

/** Whether `code` is nested under (or is) the industry `query`. */
export function coversIndustry(query: string, code: string): boolean {
  const cover = industryCover(query);
  if (!cover) return false;
  const c = normalise(code);
  return cover.by === 'section' ? sectionOf(c) === cover.section : c.startsWith(cover.prefix);
}

/**
 * The known codes that cover `code`, broadest first: its section, then each known prefix down to
 * the code itself ('6210' → H, 62, 621). Exactly the queries q with coversIndustry(q, code), so a
 * list of industries applies to `code` when it shares one of these. Empty for an unknown division.
 */
export function industryLineage(code: string): string[] {
  const c = normalise(code);
  const section = sectionOf(c);
  if (!section) return [];
  const lineage = [section];
  for (let n = 2; n <= c.length; n++) if (BY_CODE.has(c.slice(0, n))) lineage.push(c.slice(0, n));
  return lineage;
}

/**
 * What an item's industry codes must hold to be on `query`'s list (一业一单's nesting): a code in
 * `covering` (one that covers the query: its section, division … or itself), or a code starting
 * with one of `within` (one the query covers: section H's divisions 61, 62, …; a division's own
 * prefix). Said once here so that a list in memory and a filter in SQL give the same items.
 * Undefined for a query that is no known entry.
 */
export function listReach(query: string): { covering: string[]; within: string[] } | undefined {
  const cover = industryCover(query);
  if (!cover) return undefined;
  const within =
    cover.by === 'prefix'
      ? [cover.prefix]
      : industries()
          .filter((i) => i.level === 'division' && i.section === cover.section)
          .map((i) => i.code);
  return { covering: industryLineage(query), within };
}

/** Whether an item filed under `itemIndustries` is on `query`'s list (listReach). */
export function onListOf(itemIndustries: readonly string[], query: string): boolean {
  const reach = listReach(query);
  if (!reach) return false;
  return itemIndustries.some((raw) => {
    const code = normalise(raw);
    return reach.covering.includes(code) || reach.within.some((prefix) => code.startsWith(prefix));
  });
}
