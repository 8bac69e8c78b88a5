import { describe, expect, it } from 'vitest';
import {
  USCC_CHARSET,
  generateUscc,
  isValidUscc,
  orgCodeCheckChar,
  seededRandom,
  usccCheckChar,
  validateUscc,
} from '../src/index';

// Published codes (business licences / 国家企业信用信息公示系统). Each passes both
// the position-17 and position-18 checks; a random string does so with p ≈ 1/341.
const REAL_CODES = [
  '91350200776049653A', // domain-notes §9 example (厦门)
  '914403001922038216', // 华为技术有限公司
  '9144030071526726XG', // 腾讯科技（深圳）有限公司 — org code check char is X
  '91110000802100433B', // 北京百度网讯科技有限公司
  '91330100799655058B', // 阿里巴巴（中国）有限公司
  '91110108558521630L', // 小米科技有限责任公司 — org code check char is 0
  '91310000MA1FL1MMXL', // letters in the org code (post-2015 "MA" series)
];

describe('validateUscc', () => {
  it.each(REAL_CODES)('accepts the real code %s', (code) => {
    expect(validateUscc(code)).toEqual({ ok: true, uscc: code });
  });

  it('trims and upper-cases before checking', () => {
    expect(validateUscc('  91350200776049653a\n')).toEqual({ ok: true, uscc: '91350200776049653A' });
  });

  it('rejects every single-character change of a real code', () => {
    for (const code of REAL_CODES) {
      for (let pos = 0; pos < 18; pos++) {
        for (const ch of USCC_CHARSET) {
          if (ch === code[pos]) continue;
          const changed = code.slice(0, pos) + ch + code.slice(pos + 1);
          expect(isValidUscc(changed), `${changed} (position ${pos + 1})`).toBe(false);
        }
      }
    }
  });

  it('rejects swapping two adjacent different characters', () => {
    const code = '91350200776049653A';
    for (let pos = 0; pos < 17; pos++) {
      if (code[pos] === code[pos + 1]) continue;
      const swapped = code.slice(0, pos) + code[pos + 1] + code[pos] + code.slice(pos + 2);
      expect(isValidUscc(swapped), swapped).toBe(false);
    }
  });

  it('explains each kind of problem', () => {
    expect(validateUscc('')).toEqual({ ok: false, reason: 'EMPTY' });
    expect(validateUscc('91350200776049653')).toEqual({ ok: false, reason: 'LENGTH' });
    expect(validateUscc('9135020077604965IA')).toEqual({
      ok: false,
      reason: 'CHARACTER',
      position: 17,
    });
    expect(validateUscc('B1350200776049653A')).toEqual({
      ok: false,
      reason: 'AUTHORITY',
      position: 1,
    });
    expect(validateUscc('90350200776049653A')).toEqual({
      ok: false,
      reason: 'CATEGORY',
      position: 2,
    });
    expect(validateUscc('913502A0776049653A')).toEqual({
      ok: false,
      reason: 'DIVISION',
      position: 3,
    });
    expect(validateUscc('91350200776049654A')).toEqual({
      ok: false,
      reason: 'ORG_CHECK',
      position: 17,
      expected: '3',
    });
    expect(validateUscc('91350200776049653B')).toEqual({ ok: false, reason: 'CHECK', position: 18, expected: 'A' });
  });

  it('accepts the authorities A and N added by amendment, and Y', () => {
    for (const authority of ['A', 'N', 'Y']) {
      const first17 = `${authority}1620422${'12345678'}${orgCodeCheckChar('12345678')}`;
      expect(isValidUscc(first17 + usccCheckChar(first17)), authority).toBe(true);
    }
  });

  it('can skip the organisation-code check (position 17) when asked', () => {
    // Wrong position 17 but a correct position-18 check over it.
    const first17 = '9135020077604965' + '4';
    const code = first17 + usccCheckChar(first17);
    expect(isValidUscc(code)).toBe(false);
    expect(validateUscc(code, { checkOrgCode: false })).toEqual({ ok: true, uscc: code });
  });
});

describe('check characters', () => {
  it('computes position 18 from the first 17', () => {
    expect(usccCheckChar('91350200776049653')).toBe('A');
    expect(usccCheckChar('9144030071526726X')).toBe('G');
    expect(usccCheckChar('91440300192203821')).toBe('6');
  });

  it('refuses input of the wrong length or with unused letters', () => {
    expect(() => usccCheckChar('9135020077604965')).toThrow(RangeError);
    expect(() => usccCheckChar('9135020077604965O')).toThrow(/'O' at position 17/);
  });

  it('uses GB 11714 letter values (A=10 … Z=35) for the organisation code, not the USCC index', () => {
    expect(orgCodeCheckChar('77604965')).toBe('3');
    expect(orgCodeCheckChar('71526726')).toBe('X'); // 11 − 1 = 10 → X
    expect(orgCodeCheckChar('55852163')).toBe('0'); // 11 − 0 = 11 → 0
    // With USCC indices (L=20, M=21) this would be '2'; the real code has 'X'.
    expect(orgCodeCheckChar('MA1FL1MM')).toBe('X');
  });
});

describe('generateUscc', () => {
  it('is deterministic for a seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const fromA = Array.from({ length: 5 }, () => generateUscc(a));
    const fromB = Array.from({ length: 5 }, () => generateUscc(b));
    expect(fromA).toEqual(fromB);
    expect(new Set(fromA).size).toBe(5);
    expect(generateUscc(seededRandom(1))).not.toBe(generateUscc(seededRandom(2)));
  });

  it('produces only valid codes, including the organisation-code check', () => {
    const rng = seededRandom(7);
    for (let i = 0; i < 2000; i++) {
      const code = generateUscc(rng);
      expect(validateUscc(code), code).toEqual({ ok: true, uscc: code });
    }
  });

  it('honours region, authority and category', () => {
    const code = generateUscc(seededRandom(3), { region: '620422', authority: '5', category: '2' });
    expect(code.slice(0, 8)).toBe('52620422');
    expect(isValidUscc(code)).toBe(true);
    expect(generateUscc(seededRandom(3)).slice(0, 2)).toBe('91');
  });

  it('rejects options it cannot turn into a valid code', () => {
    const rng = seededRandom(1);
    expect(() => generateUscc(rng, { region: '62042' })).toThrow(/6 digits/);
    expect(() => generateUscc(rng, { authority: 'B' })).toThrow(/authority/);
    expect(() => generateUscc(rng, { category: '0' })).toThrow(/category/);
  });
});

describe('seededRandom', () => {
  it('repeats for a seed and stays in [0, 1)', () => {
    const a = seededRandom(123);
    const b = seededRandom(123);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    expect(seededRandom(1)()).not.toBe(seededRandom(2)());
  });
});
