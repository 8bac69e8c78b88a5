/**
 * Masking of personal data shown outside its owner (DESIGN.md §5): keep enough to recognise,
 * not enough to identify. One place, so every service masks alike.
 */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

/** ID numbers, phones, badge numbers: first two and last two characters stay. */
export function maskIdentifier(value: string): string {
  if (value.length <= 4) return '*'.repeat(value.length);
  return value.slice(0, 2) + '*'.repeat(value.length - 4) + value.slice(-2);
}
