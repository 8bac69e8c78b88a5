import type { Identity } from '@onecheck/auth';

/**
 * Personal data shown outside the roles that need it (DESIGN.md §5, issue 8 item 5): who sees
 * each kind in full, and how it is masked for everyone else. One place, so every service masks
 * alike; the table of who sees what is in docs/security.md.
 */

/** Market regulation keeps the register of businesses (登记机关). */
export const REGISTRAR_DEPARTMENT = 'MARKET';

export type PersonalField =
  /** 法定代表人 of a business (market regulation's register). */
  | 'legalRepresentative'
  /** An inspector's name (执法检查人员名录库). */
  | 'inspectorName'
  /** An inspector's certificate number (执法证号). */
  | 'inspectorBadge';

export interface PersonalDataOwner {
  /** The department whose directory lists the person (inspectors). */
  department?: string;
  /**
   * Why the data is shown. 'inspectionCode': the officers of a check shown to the business they
   * check, who must see their certificates in full (行政处罚法 §55). The visits issue's inspection
   * code passes it; nothing else may. 'drawProof': a department's inspector-draw proof, where the
   * supervising 纪检 auditor sees the certificate numbers to recompute each HMAC (docs/draw.md).
   */
  purpose?: 'inspectionCode' | 'drawProof';
}

/**
 * Whether `viewer` sees `field` in full:
 * - a legal representative: the register's keepers (market regulation's staff, and the 双随机
 *   office inside it) and the approval bureau, which takes licence applications in that name;
 *   not other departments or inspectors, who check the business, not the person (an inspector
 *   meets whoever is on site; 原则上不得要求企业法定代表人到场陪同, seed 004);
 * - an inspector's name and certificate number: the inspector's own department (its staff
 *   manage the directory, its inspectors check in pairs); the business checked, on an inspection code;
 *   the 纪检 auditor, the certificate number on a draw proof.
 */
export function seesInFull(viewer: Identity, field: PersonalField, owner: PersonalDataOwner = {}): boolean {
  switch (field) {
    case 'legalRepresentative':
      return (
        viewer.role === 'office' ||
        viewer.role === 'approver' ||
        (viewer.role === 'staff' && viewer.department === REGISTRAR_DEPARTMENT)
      );
    case 'inspectorName':
    case 'inspectorBadge':
      if (owner.purpose === 'inspectionCode') return true;
      if (owner.purpose === 'drawProof' && field === 'inspectorBadge' && viewer.role === 'auditor') return true;
      return (
        (viewer.role === 'staff' || viewer.role === 'inspector') &&
        owner.department !== undefined &&
        viewer.department === owner.department
      );
  }
}

/** The value as `viewer` may see it: in full, or masked by its kind. */
export function personalData(viewer: Identity, field: PersonalField, value: string, owner?: PersonalDataOwner): string {
  if (seesInFull(viewer, field, owner)) return value;
  return field === 'inspectorBadge' ? hideIdentifier() : maskName(value);
}

/**
 * A name: its first character (the surname, mostly) and a fixed two stars, whatever its length,
 * so the length does not narrow it down.
 */
export function maskName(name: string): string {
  const [first] = [...name];
  return first ? `${first}**` : '**';
}

/**
 * A certificate number outside its department: nothing of it. 执法证号 are issued in sequence per
 * issuing authority (region code, year, serial), so a kept prefix or suffix leaves few candidates
 * to enumerate; the inspector's id already tells inspectors apart.
 */
export function hideIdentifier(): string {
  return '********';
}

/**
 * ID numbers, phones: first two and last two characters stay, enough to recognise one's own.
 * Not for sequential numbers (certificates), where that is enough to enumerate them.
 */
export function maskIdentifier(value: string): string {
  if (value.length <= 4) return '*'.repeat(value.length);
  return value.slice(0, 2) + '*'.repeat(value.length - 4) + value.slice(-2);
}
