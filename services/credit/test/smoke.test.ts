import { describe, expect, it } from 'vitest';
import { classify } from '../src/domain/risk';

// A first unit test of credit's pure rule, so the service's own test/ folder runs on its own
// (`npx turbo run test --filter=@onecheck/credit`); the table tests of the rule live beside it.
describe('classify (smoke)', () => {
  it('no findings: general risk (B)', () => {
    expect(classify([]).riskClass).toBe('B');
  });

  it('a serious finding: high risk (D)', () => {
    expect(classify([{ severity: 'SERIOUS', handling: 'RECTIFICATION' }]).riskClass).toBe('D');
  });
});
