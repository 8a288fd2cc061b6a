// The provinces as the generator samples them: @hoso/vn's 34 current province-level units joined
// with an approximate population (the sampling weight), a naming region (for Hoàng/Huỳnh and
// Vũ/Võ), and the pre-2025 provinces merged into each (for citizen-ID birth codes and the old
// address codes of records made before 1 Jul 2025). Pure data.
import { LEGACY_PROVINCES, PROVINCES as VN_PROVINCES } from '@hoso/vn/provinces';

export type Region = 'north' | 'central' | 'south';

export interface OldProvince {
  code: string;
  name: string;
}

export interface Province {
  code: string;
  name: string;
  /** official full name, e.g. "Tỉnh Phú Thọ" */
  fullName: string;
  /** approximate population in millions (2024 figures of the merged units, rounded) */
  population: number;
  region: Region;
  /** pre-2025 provinces merged into this one */
  old: OldProvince[];
}

/** population in millions by province code (approximate 2024 totals of the merged units) */
const POPULATION: Record<string, number> = {
  '01': 8.7,
  '04': 0.55,
  '08': 1.87,
  '11': 0.64,
  '12': 0.49,
  '14': 1.33,
  '15': 1.78,
  '19': 1.8,
  '20': 0.81,
  '22': 1.38,
  '24': 3.62,
  '25': 4.02,
  '31': 4.66,
  '33': 3.57,
  '37': 4.41,
  '38': 3.76,
  '40': 3.83,
  '42': 1.62,
  '44': 1.87,
  '46': 1.43,
  '48': 3.07,
  '51': 2.16,
  '52': 3.58,
  '56': 2.24,
  '66': 3.35,
  '68': 3.87,
  '75': 4.49,
  '79': 14.0,
  '80': 3.25,
  '82': 4.37,
  '86': 4.26,
  '91': 4.95,
  '92': 4.2,
  '96': 2.61,
};

/** the northern forms Hoàng/Vũ prevail down to Hà Tĩnh, both forms in Quảng Trị and Huế */
function regionOf(code: string): Region {
  const n = Number(code);
  if (n <= 42) return 'north';
  return n <= 46 ? 'central' : 'south';
}

export const PROVINCES: readonly Province[] = VN_PROVINCES.map((p) => ({
  code: p.code,
  name: p.name,
  fullName: `${p.kind === 'city' ? 'Thành phố' : 'Tỉnh'} ${p.name}`,
  population: POPULATION[p.code] ?? 1,
  region: regionOf(p.code),
  old: LEGACY_PROVINCES.filter((l) => l.newCode === p.code).map((l) => ({ code: l.code, name: l.name })),
}));

const BY_CODE = new Map(PROVINCES.map((p) => [p.code, p]));

export function provinceByCode(code: string): Province {
  const p = BY_CODE.get(code);
  if (!p) throw new Error(`unknown province code ${code}`);
  return p;
}
