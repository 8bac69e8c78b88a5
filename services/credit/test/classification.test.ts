import { describe, expect, it } from 'vitest';
import { CREDIT_RULES, type FindingHandling, type FindingSeverity } from '@onecheck/contracts';
import { isMessageKey, render } from '@onecheck/i18n';
import {
  DEFAULT_CLASS,
  LOOKBACK_MONTHS,
  NEW_BUSINESS,
  UNKNOWN_BUSINESS,
  classify,
  lookbackStart,
  reasonMessage,
  type CreditRecordFacts,
} from '../src/domain/classification';

const r = (severity: FindingSeverity, handling: FindingHandling = 'RECTIFICATION'): CreditRecordFacts => ({
  severity,
  handling,
});

describe('classify', () => {
  // [case, records, class, rule, counts {findings, serious, penalties, general}]
  const table: [string, CreditRecordFacts[], string, string, [number, number, number, number]][] = [
    ['no findings', [], 'B', 'NO_FINDINGS', [0, 0, 0, 0]],
    ['one minor', [r('MINOR')], 'B', 'SOME_FINDINGS', [1, 0, 0, 0]],
    ['one general', [r('GENERAL')], 'B', 'SOME_FINDINGS', [1, 0, 0, 1]],
    ['minor and general', [r('MINOR'), r('GENERAL')], 'B', 'SOME_FINDINGS', [2, 0, 0, 1]],
    ['many minor', [r('MINOR'), r('MINOR'), r('MINOR')], 'B', 'SOME_FINDINGS', [3, 0, 0, 0]],
    ['two general', [r('GENERAL'), r('GENERAL')], 'C', 'PENALTIES_OR_GENERAL', [2, 0, 0, 2]],
    ['a penalty case', [r('MINOR', 'PENALTY')], 'C', 'PENALTIES_OR_GENERAL', [1, 0, 1, 0]],
    ['a transfer is no penalty', [r('MINOR', 'TRANSFER')], 'B', 'SOME_FINDINGS', [1, 0, 0, 0]],
    ['a serious finding', [r('SERIOUS')], 'D', 'SERIOUS', [1, 1, 0, 0]],
    ['a judicial transfer', [r('MINOR', 'JUDICIAL_TRANSFER')], 'D', 'SERIOUS', [1, 1, 0, 0]],
    ['a revocation request', [r('GENERAL', 'LICENCE_REVOCATION_REQUEST')], 'D', 'SERIOUS', [1, 1, 0, 1]],
    [
      'serious outweighs penalties',
      [r('SERIOUS', 'PENALTY'), r('GENERAL', 'PENALTY'), r('GENERAL')],
      'D',
      'SERIOUS',
      [3, 1, 2, 2],
    ],
  ];
  it.each(table)('%s → %s (%s)', (_, records, riskClass, rule, [findings, serious, penalties, general]) => {
    expect(classify(records)).toEqual({
      riskClass,
      rule,
      findings,
      serious,
      penalties,
      general,
      lookbackMonths: LOOKBACK_MONTHS,
    });
  });
});

describe('the look-back window', () => {
  it.each([
    ['2026-11-25', '2025-11-25'],
    ['2026-01-01', '2025-01-01'],
    ['2028-02-29', '2027-03-01'], // a day the earlier year lacks rolls over
    ['2026-03-31', '2025-03-31'],
  ])('on %s counts records from %s on', (asOf, start) => {
    expect(lookbackStart(asOf)).toBe(start);
  });

  it('is twelve months and takes another length', () => {
    expect(LOOKBACK_MONTHS).toBe(12);
    expect(lookbackStart('2026-03-31', 1)).toBe('2026-03-03');
  });

  it('refuses what is not a date', () => {
    expect(() => lookbackStart('2026-13-01')).toThrow(RangeError);
  });
});

describe('the default profile', () => {
  it('is general risk (B), with nothing counted, for unknown and newly registered businesses', () => {
    expect(DEFAULT_CLASS).toBe('B');
    const nothing = { findings: 0, serious: 0, penalties: 0, general: 0, lookbackMonths: null };
    expect(UNKNOWN_BUSINESS).toEqual({ riskClass: 'B', rule: 'DEFAULT', ...nothing });
    expect(NEW_BUSINESS).toEqual({ riskClass: 'B', rule: 'NEW', ...nothing });
  });
});

describe('the reason, rendered when read', () => {
  it('has words in the catalogue for every rule', () => {
    for (const rule of CREDIT_RULES)
      expect(isMessageKey(reasonMessage({ ...NEW_BUSINESS, rule }).key), rule).toBe(true);
  });

  it('says the counts in the reader language', () => {
    const { key, params } = reasonMessage(classify([r('GENERAL', 'PENALTY'), r('GENERAL')]));
    expect(render('zh-CN', key, params)).toBe('近 12 个月有 1 起立案处罚、2 条一般问题：较高风险（C）。');
    expect(render('en', key, params)).toBe(
      '1 penalty case(s) and 2 general finding(s) in the last 12 months: higher risk (C).',
    );
    expect(render('zh-CN', reasonMessage(NEW_BUSINESS).key)).toContain('尚无信用记录');
  });
});
