/**
 * 企业信用风险分类 (国市监信发〔2022〕6号): the one place that says which class a business is in
 * and why — the interim rule over its credit records, the default class, and the look-back
 * window. What it decides is stored and published as facts (the rule and the counts behind
 * it); the words are the catalogue's `credit.rule.*`, rendered when read.
 */
import {
  DEFAULT_RISK_CLASS,
  type CreditRule,
  type FindingHandling,
  type FindingSeverity,
  type PenaltyKind,
  type RiskClass,
} from '@onecheck/contracts';

export type { CreditRule, RiskClass };

/** Findings older than this no longer weigh on the class. */
export const LOOKBACK_MONTHS = 12;

/** General risk (B) until records say otherwise (@onecheck/contracts DEFAULT_RISK_CLASS). */
export const DEFAULT_CLASS: RiskClass = DEFAULT_RISK_CLASS;

/** The facts behind a class: the rule that decided it and what it counted. */
export interface Grounds {
  rule: CreditRule;
  /** Findings in the window, and of them: serious (incl. judicial transfer, revocation request), penalty cases, general. */
  findings: number;
  serious: number;
  penalties: number;
  general: number;
  /** The window counted; null when no records were counted (DEFAULT, NEW, LEGACY). */
  lookbackMonths: number | null;
}

export interface Classification extends Grounds {
  riskClass: RiskClass;
}

const NOTHING_COUNTED = { findings: 0, serious: 0, penalties: 0, general: 0, lookbackMonths: null };

/** A business the platform holds nothing on (not even its registration). */
export const UNKNOWN_BUSINESS: Classification = { riskClass: DEFAULT_CLASS, rule: 'DEFAULT', ...NOTHING_COUNTED };

/** A newly registered business: the default class until records accumulate. */
export const NEW_BUSINESS: Classification = { riskClass: DEFAULT_CLASS, rule: 'NEW', ...NOTHING_COUNTED };

export interface CreditRecordFacts {
  severity: FindingSeverity;
  handling: FindingHandling;
  /** The kinds of the penalty decisions its home department accepted on the finding and that stand (none yet: empty or absent). */
  penaltyKinds?: readonly PenaltyKind[];
  /** A penalty decided on it was repaired (信用修复): the case is closed, and a repaired decision no longer counts. */
  repaired?: boolean;
}

/**
 * A finding's penalty, as the rule counts it (one conduct, one count, however many decisions):
 * decided, it counts unless every standing decision was 不予行政处罚 or the decisions were repaired;
 * not decided yet, a case opened (handled as PENALTY) counts. A 吊销 counts as serious, as a
 * revocation request does.
 */
const isPenalised = (r: CreditRecordFacts) =>
  r.penaltyKinds?.length ? r.penaltyKinds.some((k) => k !== 'NO_PENALTY') : !r.repaired && r.handling === 'PENALTY';
const isSerious = (r: CreditRecordFacts) =>
  r.severity === 'SERIOUS' ||
  r.handling === 'JUDICIAL_TRANSFER' ||
  r.handling === 'LICENCE_REVOCATION_REQUEST' ||
  !!r.penaltyKinds?.includes('LICENCE_REVOCATION');

/**
 * The interim classification rule, until the credit model of 国市监信发〔2022〕6号 arrives.
 * Over the findings of the look-back window:
 * - D (高风险): any serious finding, a transfer to the judiciary, a licence revocation request, or
 *   a licence revoked (吊销), as a finding's penalty or as the licence's own act (a department's
 *   reverse push: the same decision document is counted once);
 * - C (较高风险): any penalty (a case opened, or a decision other than 不予行政处罚), or two or
 *   more general findings;
 * The 经营异常名录 is shown on the profile but not counted: a listing for 住所无法联系 ends when
 * the business is reachable again (移出), which no event announces yet, and it says nothing of
 * conduct found on a check.
 * - B (一般风险): anything else, including no findings (DEFAULT_CLASS).
 */
export function classify(
  records: readonly CreditRecordFacts[],
  /** Licences revoked (吊销) in the window that no finding's penalty already counts: each is serious. */
  revocations = 0,
): Classification & { lookbackMonths: number } {
  const counts = {
    findings: records.length,
    serious: records.filter(isSerious).length + revocations,
    penalties: records.filter(isPenalised).length,
    general: records.filter((r) => r.severity === 'GENERAL').length,
    lookbackMonths: LOOKBACK_MONTHS,
  };
  if (counts.serious) return { riskClass: 'D', rule: 'SERIOUS', ...counts };
  if (counts.penalties || counts.general >= 2) return { riskClass: 'C', rule: 'PENALTIES_OR_GENERAL', ...counts };
  if (counts.findings) return { riskClass: DEFAULT_CLASS, rule: 'SOME_FINDINGS', ...counts };
  return { riskClass: DEFAULT_CLASS, rule: 'NO_FINDINGS', ...counts };
}

/**
 * The first day whose records still count on `asOf`: the same day LOOKBACK_MONTHS earlier (a day
 * the earlier month lacks rolls over: 2028-02-29 → 2027-03-01). Pure date arithmetic, no clock.
 */
export function lookbackStart(asOf: string, months: number = LOOKBACK_MONTHS): string {
  const d = new Date(`${asOf}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a date: ${JSON.stringify(asOf)}`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

/** The catalogue entry and parameters that say a class's grounds in words. */
export function reasonMessage(grounds: Grounds) {
  const { findings, serious, penalties, general, lookbackMonths } = grounds;
  return {
    key: `credit.rule.${grounds.rule}` as const,
    params: { findings, serious, penalties, general, months: lookbackMonths ?? LOOKBACK_MONTHS },
  };
}
