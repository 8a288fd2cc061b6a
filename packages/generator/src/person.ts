// One synthetic person as the ground truth: name, sex, birth date, home address (current and, for
// old records, its pre-2025 equivalent), citizen ID, insurance card and phone. Drawn from the
// population tables; pure.
import type { Random, Weighted } from './random.ts';
import { weighted } from './random.ts';
import { ageAndSex } from './demography.ts';
import { personName, type PersonName, type Sex } from './names.ts';
import type { Province } from './provinces.ts';
import type { Geography, LegacyWard, Ward } from './geography.ts';
import { cccd, insuranceCard, mobilePhone, type InsuranceCard } from './identifiers.ts';
import { yearOf } from './dates.ts';

export interface Home {
  province: Province;
  /** current commune, when the geography knows the province's communes */
  ward?: Ward;
  /** the pre-2025 commune (with district and province) the home belonged to */
  legacyWard?: LegacyWard;
  /** the pre-2025 province, always known */
  legacyProvince: { code: string; name: string };
  /** house number and street or hamlet */
  line: string;
}

export interface Person {
  id: string;
  name: PersonName;
  sex: Sex;
  birthDay: number;
  age: number;
  home: Home;
  cccd: string;
  insurance: InsuranceCard;
  phone: string;
  /** occupation in Vietnamese, when known */
  occupation?: string;
}

export function provinceTable(provinces: readonly Province[]): Weighted<Province> {
  return weighted(provinces.map((p) => [p, p.population] as const));
}

const STREETS = [
  'Hùng Vương',
  'Lê Lợi',
  'Trần Phú',
  'Nguyễn Trãi',
  'Hai Bà Trưng',
  'Quang Trung',
  'Lý Thường Kiệt',
  'Điện Biên Phủ',
];

function homeLine(random: Random): string {
  return random.chance(0.5)
    ? `Số ${random.between(1, 250)} đường ${random.pick(STREETS)}`
    : `Thôn ${random.between(1, 15)}`;
}

export function home(random: Random, province: Province, geography: Geography): Home {
  const wards = geography.wards(province.code);
  const ward = wards.length > 0 ? random.pick(wards) : undefined;
  const legacyCandidates = ward ? geography.legacy(ward.code) : [];
  const legacyWard = legacyCandidates.length > 0 ? random.pick(legacyCandidates) : undefined;
  const legacyProvince = legacyWard
    ? { code: legacyWard.provinceCode, name: legacyWard.provinceName }
    : random.pick(province.old);
  return { province, ward, legacyWard, legacyProvince, line: homeLine(random) };
}

export function person(
  random: Random,
  id: string,
  asOf: number,
  provinces: Weighted<Province>,
  geography: Geography,
): Person {
  const { age, sex } = ageAndSex(random);
  const province = random.sample(provinces);
  const birthDay = asOf - Math.floor(age * 365.25) - random.int(365) - 1;
  const h = home(random, province, geography);
  // most people were registered at birth in the province they live in
  const birthProvince = random.chance(0.85)
    ? h.legacyProvince.code
    : random.pick(random.sample(provinces).old).code;
  return {
    id,
    name: personName(random, sex, province.region),
    sex,
    birthDay,
    age,
    home: h,
    cccd: cccd(random, birthProvince, yearOf(birthDay), sex),
    insurance: insuranceCard(random, age, province.code, h.legacyProvince.code),
    phone: mobilePhone(random),
  };
}
