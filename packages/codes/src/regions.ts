/**
 * A handful of real administrative division codes (GB/T 2260) for DEMO DATA ONLY.
 * This is not a division catalogue: do not validate addresses against it.
 * Centred on 甘肃省白银市 (会宁县 is the pilot county in the demo), plus the
 * divisions that appear in the real USCC examples used in tests.
 */
export interface Region {
  readonly code: string;
  readonly name: string;
}

export const regions: readonly Region[] = [
  { code: '620400', name: '甘肃省白银市' },
  { code: '620402', name: '甘肃省白银市白银区' },
  { code: '620403', name: '甘肃省白银市平川区' },
  { code: '620421', name: '甘肃省白银市靖远县' },
  { code: '620422', name: '甘肃省白银市会宁县' },
  { code: '620423', name: '甘肃省白银市景泰县' },
  { code: '350200', name: '福建省厦门市' },
  { code: '110108', name: '北京市海淀区' },
];

export function regionName(code: string): string | undefined {
  return regions.find((r) => r.code === code)?.name;
}
