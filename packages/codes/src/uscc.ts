/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015.
 *
 *   pos 1      登记管理部门 (registration authority)
 *   pos 2      机构类别 (category)
 *   pos 3–8    登记管理机关行政区划码 (GB/T 2260 division, 6 digits)
 *   pos 9–17   主体标识码 = 组织机构代码 (GB 11714: 8 chars + its own check char)
 *   pos 18     check character (GB/T 17710 style, mod 31)
 *
 * Sources: GB 32100-2015 §4–5 and its amendment adding A/N; algorithm as in
 * hutool CreditCodeUtil (domain-notes §9).
 */
import { pick } from './random';
import { regions } from './regions';

/** GB 32100-2015 §4: I, O, S, V, Z are never used; a character's value is its index here. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** GB 32100-2015 §5 weights for positions 1–17. */
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** GB 11714-1997 weights for the 8 body characters of the organisation code. */
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/**
 * 登记管理部门代码 and their 机构类别代码, GB 32100-2015 table 1 as amended
 * (A 中央军委改革和编制办公室 and N 农业 were added after the 2015 text).
 */
export const USCC_AUTHORITIES: Readonly<
  Record<string, { name: string; categories: Readonly<Record<string, string>> }>
> = {
  '1': {
    name: '机构编制',
    categories: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' },
  },
  '2': { name: '外交', categories: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': {
    name: '司法行政',
    categories: {
      '1': '律师执业机构',
      '2': '公证处',
      '3': '基层法律服务所',
      '4': '司法鉴定机构',
      '5': '仲裁委员会',
      '9': '其他',
    },
  },
  '4': { name: '文化', categories: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { name: '民政', categories: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': {
    name: '旅游',
    categories: { '1': '外国旅游部门常驻代表机构', '2': '港澳台地区旅游部门常驻内地（大陆）代表机构', '9': '其他' },
  },
  '7': { name: '宗教', categories: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { name: '工会', categories: { '1': '基层工会', '9': '其他' } },
  '9': { name: '工商', categories: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { name: '中央军委改革和编制办公室', categories: { '1': '军队事业单位', '9': '其他' } },
  N: {
    name: '农业',
    categories: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' },
  },
  Y: { name: '其他', categories: { '1': '其他' } },
};

/** Why a code is not valid, as a fact (the words are the i18n catalogue's `usccReason.*`). */
export type UsccReason =
  'EMPTY' | 'LENGTH' | 'CHARACTER' | 'AUTHORITY' | 'CATEGORY' | 'DIVISION' | 'ORG_CHECK' | 'CHECK';

export type UsccResult =
  { ok: true; uscc: string } | { ok: false; reason: UsccReason; position?: number; expected?: string };

export interface UsccOptions {
  /**
   * Also verify the GB 11714 check character at position 17 (default true).
   * GB 32100 makes positions 9–17 the organisation code, so a real code passes;
   * every real code we checked does. Most public validators (e.g. hutool) only
   * check position 18, so this switch exists in case a legacy code turns up
   * that fails it.
   */
  checkOrgCode?: boolean;
}

function usccValue(ch: string): number {
  return USCC_CHARSET.indexOf(ch);
}

/** GB 11714 values: digits 0–9, letters A=10 … Z=35 (not the USCC index). */
function orgValue(ch: string): number {
  const code = ch.charCodeAt(0);
  return code <= 57 ? code - 48 : code - 55;
}

/** The USCC check character (position 18) for the first 17 characters. */
export function usccCheckChar(first17: string): string {
  const body = first17.trim().toUpperCase();
  if (body.length !== 17) throw new RangeError(`usccCheckChar needs 17 characters, got ${body.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = usccValue(body.charAt(i));
    if (v < 0) throw new RangeError(`character '${body.charAt(i)}' at position ${i + 1} is not allowed`);
    sum += v * (USCC_WEIGHTS[i] ?? 0);
  }
  return USCC_CHARSET.charAt((31 - (sum % 31)) % 31);
}

/** The GB 11714 organisation-code check character for its 8 body characters. */
export function orgCodeCheckChar(body8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body8)) throw new RangeError('organisation code body must be 8 characters 0-9/A-Z');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += orgValue(body8.charAt(i)) * (ORG_WEIGHTS[i] ?? 0);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export function validateUscc(code: string, options: UsccOptions = {}): UsccResult {
  const uscc = code.trim().toUpperCase();
  if (uscc.length === 0) return { ok: false, reason: 'EMPTY' };
  if (uscc.length !== 18) return { ok: false, reason: 'LENGTH' };
  for (let i = 0; i < 18; i++) {
    const ch = uscc.charAt(i);
    if (usccValue(ch) < 0) {
      return { ok: false, reason: 'CHARACTER', position: i + 1 };
    }
  }
  const authority = USCC_AUTHORITIES[uscc.charAt(0)];
  if (!authority) {
    return { ok: false, reason: 'AUTHORITY', position: 1 };
  }
  // Category codes are digits (GB 32100 table 1). We do not require the pair to be
  // listed in USCC_AUTHORITIES: the table is amended from time to time and
  // rejecting a real code is worse than accepting an unlisted category.
  if (!/^[1-9]$/.test(uscc.charAt(1))) {
    return { ok: false, reason: 'CATEGORY', position: 2 };
  }
  if (!/^\d{6}$/.test(uscc.slice(2, 8))) {
    return { ok: false, reason: 'DIVISION', position: 3 };
  }
  if (options.checkOrgCode !== false) {
    const expected = orgCodeCheckChar(uscc.slice(8, 16));
    if (uscc.charAt(16) !== expected) {
      return { ok: false, reason: 'ORG_CHECK', position: 17, expected };
    }
  }
  const expected = usccCheckChar(uscc.slice(0, 17));
  if (uscc.charAt(17) !== expected) return { ok: false, reason: 'CHECK', position: 18, expected };
  return { ok: true, uscc };
}

export function isValidUscc(code: string, options?: UsccOptions): boolean {
  return validateUscc(code, options).ok;
}

export interface GenerateUsccOptions {
  /** 6-digit division code; default: one of the demo `regions`. */
  region?: string;
  /** Position 1; default '9' (工商). */
  authority?: string;
  /** Position 2; default '1' (企业). */
  category?: string;
}

const DIGITS = [...'0123456789'];

/**
 * A syntactically valid code for demo data (both check characters correct).
 * Deterministic for a given rng sequence. Generated codes may collide with real
 * ones; never present them as real.
 */
export function generateUscc(rng: () => number, opts: GenerateUsccOptions = {}): string {
  const authority = opts.authority ?? '9';
  const category = opts.category ?? '1';
  if (!USCC_AUTHORITIES[authority]) throw new RangeError(`unknown registration authority '${authority}'`);
  if (!/^[1-9]$/.test(category)) throw new RangeError(`category must be a digit 1-9, got '${category}'`);
  const region = opts.region ?? pick(rng, regions).code;
  if (!/^\d{6}$/.test(region)) throw new RangeError(`region must be 6 digits, got '${region}'`);
  let body = '';
  for (let i = 0; i < 8; i++) body += pick(rng, DIGITS);
  const first17 = authority + category + region + body + orgCodeCheckChar(body);
  return first17 + usccCheckChar(first17);
}
