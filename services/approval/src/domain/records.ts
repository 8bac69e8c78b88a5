/** Shapes the bureau keeps as JSON beside its rows: written once here, read by the schema and the domain. */
import type { CreditRule, JointMeasure, RiskClass } from '@onecheck/contracts';

/**
 * What the bureau saw of a business's credit when it granted (seed 003 第十二条: differentiated
 * handling by credit; issue 9 item 6), as the grant records it: the class and the counts behind it
 * from the bureau's projection of the credit platform, and its own records of false promises.
 */
export interface CreditSeen {
  /** null: the credit platform has not classified the business yet (as far as the bureau heard). */
  riskClass: RiskClass | null;
  rule: CreditRule | null;
  findings: number;
  serious: number;
  penalties: number;
  general: number;
  /** When the platform classified it (ISO), null when unclassified. */
  classifiedAt: string | null;
  /** The promises this business broke that the bureau itself recorded (ids), newest first. */
  falsePromises: string[];
  /** 联合惩戒 in force when the bureau looked (absent on grants recorded before the bureau heard of them). */
  punishments?: PunishmentSeen[];
  /** When the bureau looked (ISO). */
  seenAt: string;
}

/** A credit check as the graph shows it: what was seen, of which business. */
export type CreditCheckView = CreditSeen & { uscc: string };

/** The terms of an approval granted on a promise: what the licence is issued with. */
export interface GrantTerms {
  scope: string;
  contact?: string | null;
  validFrom: string;
  validUntil: string;
}

/** How a promise was settled when it was not simply kept: who found or decided what, on what basis. */
export interface PromiseOutcomeRecord {
  /** APPROVAL, or the department whose on-site check found it. */
  foundBy: string;
  documentNumber?: string;
  legalBasis?: string;
  reason: string;
  decidedOn: string;
}

/** 信用修复 of a false promise, as the credit platform announced it (onecheck.credit.repaired.v1). */
export interface PromiseRepairRecord {
  repairId: string;
  documentNumber: string;
  decidedOn: string;
}

/** A 联合惩戒 in force, as the bureau saw it (onecheck.credit.punishment-imposed.v1). */
export interface PunishmentSeen {
  id: string;
  measures: JointMeasure[];
  documentNumber: string;
  until: string;
}
