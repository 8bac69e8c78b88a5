/**
 * Who may sign what (signing.ts, checkProducer): a department signs only what names it, and every
 * service — departments included — anchors its own audit chain and no one else's.
 */
import { describe, expect, it } from 'vitest';
import { checkProducer, sourceOf, TOPICS } from '../src/index';

const anchor = (service: string) => ({
  type: 'onecheck.audit.anchored.v1',
  source: sourceOf(service),
  data: { service, seq: 12, hash: 'a'.repeat(64) },
});

describe('checkProducer', () => {
  it("accepts a department's anchor of its own chain (no department field: the service names it)", () => {
    expect(() => checkProducer('department-health', TOPICS.audit, anchor('department-health'))).not.toThrow();
    expect(() => checkProducer('market', TOPICS.audit, anchor('market'))).not.toThrow();
  });

  it("refuses an anchor of another service's chain", () => {
    const forged = (signer: string, service: string) => ({ ...anchor(service), source: sourceOf(signer) });
    expect(() =>
      checkProducer('department-health', TOPICS.audit, forged('department-health', 'department-fire')),
    ).toThrow(/audit anchor of department-fire/);
    expect(() => checkProducer('market', TOPICS.audit, forged('market', 'approval'))).toThrow(
      /audit anchor of approval/,
    );
  });

  it("refuses a department's event naming another department", () => {
    const finding = {
      type: 'onecheck.finding.recorded.v1',
      source: sourceOf('department-fire'),
      data: { department: 'HEALTH' },
    };
    expect(() => checkProducer('department-fire', TOPICS.finding, finding)).toThrow(/HEALTH signed by department-fire/);
  });
});
