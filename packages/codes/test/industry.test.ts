import { describe, expect, it } from 'vitest';
import {
  coversIndustry,
  industries,
  industry,
  industryCover,
  industryLineage,
  isKnownIndustry,
  listReach,
  onListOf,
  regionName,
  regions,
  sectionOf,
} from '../src/index';

// GB/T 4754-2017: which divisions belong to which section.
const SECTION_RANGES: Record<string, [number, number]> = {
  A: [1, 5],
  B: [6, 12],
  C: [13, 43],
  D: [44, 46],
  E: [47, 50],
  F: [51, 52],
  G: [53, 60],
  H: [61, 62],
  I: [63, 65],
  J: [66, 69],
  K: [70, 70],
  L: [71, 72],
  M: [73, 75],
  N: [76, 79],
  O: [80, 82],
  P: [83, 83],
  Q: [84, 85],
  R: [86, 90],
  S: [91, 96],
  T: [97, 97],
};

describe('GB/T 4754-2017 data', () => {
  const all = industries();
  const sections = all.filter((i) => i.level === 'section');
  const divisions = all.filter((i) => i.level === 'division');
  const groups = all.filter((i) => i.level === 'group');

  it('has the 20 sections A–T and the 97 divisions 01–97', () => {
    expect(sections.map((s) => s.code).join('')).toBe('ABCDEFGHIJKLMNOPQRST');
    expect(divisions.map((d) => d.code)).toEqual(Array.from({ length: 97 }, (_, i) => String(i + 1).padStart(2, '0')));
  });

  it('links every division to its section', () => {
    for (const d of divisions) {
      const n = Number(d.code);
      const [section] = Object.entries(SECTION_RANGES).find(([, [lo, hi]]) => n >= lo && n <= hi) ?? [];
      expect(d.section, d.code).toBe(section);
    }
  });

  it('links every group to a division of the same section', () => {
    expect(groups.length).toBeGreaterThan(50);
    for (const g of groups) {
      expect(g.code).toMatch(/^\d{3}$/);
      expect(industry(g.code.slice(0, 2))?.section, g.code).toBe(g.section);
    }
    expect(new Set(groups.map((g) => g.section))).toEqual(new Set(['F', 'H', 'P', 'Q', 'R']));
  });

  it('has unique codes and non-empty names', () => {
    expect(new Set(all.map((i) => i.code)).size).toBe(all.length);
    for (const i of all) expect(i.name.trim(), i.code).toBe(i.name);
    for (const i of all) expect(i.name.length, i.code).toBeGreaterThan(0);
  });

  it('uses the 2017 names where they changed from the 2011 edition', () => {
    expect(industry('05')?.name).toBe('农、林、牧、渔专业及辅助性活动');
    expect(industry('11')?.name).toBe('开采专业及辅助性活动');
    expect(industry('58')?.name).toBe('多式联运和运输代理业');
    expect(industry('59')?.name).toBe('装卸搬运和仓储业');
    expect(industry('87')?.name).toBe('广播、电视、电影和录音制作业');
    expect(industry('96')?.name).toBe('基层群众自治组织及其他组织');
    expect(industry('624')?.name).toBe('餐饮配送及外卖送餐服务');
  });
});

describe('industry lookup', () => {
  it('finds sections, divisions and groups', () => {
    expect(industry('H')).toEqual({ code: 'H', name: '住宿和餐饮业', level: 'section', section: 'H' });
    expect(industry('62')).toEqual({ code: '62', name: '餐饮业', level: 'division', section: 'H' });
    expect(industry('621')).toEqual({ code: '621', name: '正餐服务', level: 'group', section: 'H' });
    expect(industry('83')).toEqual({ code: '83', name: '教育', level: 'division', section: 'P' });
  });

  it('trims and upper-cases, but takes only the plain codes of the standard', () => {
    expect(industry(' h ')?.code).toBe('H');
    expect(isKnownIndustry(' 62')).toBe(true);
    for (const code of ['H62', 'H621', '6', '062', '98', '00', 'U', '', '625']) {
      expect(industry(code), code).toBeUndefined();
      expect(isKnownIndustry(code), code).toBe(false);
    }
  });

  it('gives the section of known codes and of 3/4-digit codes by their division', () => {
    expect(sectionOf('H')).toBe('H');
    expect(sectionOf('39')).toBe('C');
    expect(sectionOf('841')).toBe('Q');
    expect(sectionOf('6210')).toBe('H');
    expect(sectionOf('3911')).toBe('C');
    expect(sectionOf('H62')).toBeUndefined();
    expect(sectionOf('98')).toBeUndefined();
    expect(sectionOf('9801')).toBeUndefined();
  });
});

describe('industry nesting', () => {
  // [query, code, covered]: a section covers its divisions and everything under them; a division
  // or group covers itself and the codes that start with it; nothing covers across sections.
  const table: [string, string, boolean][] = [
    ['H', 'H', true],
    ['H', '62', true],
    ['H', '621', true],
    ['H', '6210', true],
    ['H', '61', true],
    ['H', '39', false],
    ['C', '3911', true],
    ['62', '62', true],
    ['62', '621', true],
    ['62', '6210', true],
    ['62', '61', false],
    ['62', 'H', false],
    ['621', '621', true],
    ['621', '6210', true],
    ['621', '622', false],
    ['621', '62', false],
    [' h ', '62', true],
    ['62', ' 621 ', true],
    // Unknown queries cover nothing, not even themselves.
    ['98', '98', false],
    ['H62', '62', false],
    ['', '62', false],
    ['625', '6251', false],
  ];
  it.each(table)('%s covers %s: %s', (query, code, covered) => {
    expect(coversIndustry(query, code)).toBe(covered);
  });

  it('describes a query for a database filter: by section letter or by code prefix', () => {
    expect(industryCover('h')).toEqual({ by: 'section', section: 'H' });
    expect(industryCover('62')).toEqual({ by: 'prefix', prefix: '62' });
    expect(industryCover('621')).toEqual({ by: 'prefix', prefix: '621' });
    expect(industryCover('98')).toBeUndefined();
  });

  it.each([
    ['H', ['H']],
    ['62', ['H', '62']],
    ['621', ['H', '62', '621']],
    ['6210', ['H', '62', '621']],
    ['3911', ['C', '39']],
    ['98', []],
    ['H62', []],
  ])('lineage of %s is %j', (code, lineage) => {
    expect(industryLineage(code)).toEqual(lineage);
  });

  it('lineage is exactly the known queries that cover a code', () => {
    const queries = industries().map((i) => i.code);
    for (const code of ['H', '62', '621', '6210', '3911', '841', '05', '98']) {
      expect(
        queries.filter((q) => coversIndustry(q, code)),
        code,
      ).toEqual(industryLineage(code));
    }
  });
});

describe('demo regions', () => {
  it('includes 会宁县 and only 6-digit unique codes', () => {
    expect(regionName('620422')).toBe('甘肃省白银市会宁县');
    expect(regions.every((r) => /^\d{6}$/.test(r.code))).toBe(true);
    expect(new Set(regions.map((r) => r.code)).size).toBe(regions.length);
    expect(regionName('999999')).toBeUndefined();
  });
});

describe('onListOf (一业一单 nesting, both ways)', () => {
  it.each([
    [['62'], 'H', true],
    [['H'], '62', true],
    [['6210'], '62', true],
    [['621'], 'H', true],
    [['14'], 'H', false],
    [['62'], '61', false],
    [['H'], 'C', false],
  ] as const)('%j on the list of %s: %s', (codes, query, expected) => {
    expect(onListOf(codes, query)).toBe(expected);
  });

  it('knows no list for an unknown industry', () => {
    expect(listReach('99')).toBeUndefined();
    expect(onListOf(['62'], '99')).toBe(false);
  });
});
