// Generation of consistent Vietnamese identifiers: citizen ID (CCCD), health-insurance card
// (BHYT), phone numbers and practising-certificate numbers. Validating them is @hoso/vn's job;
// this module only produces values that such validation accepts. Pure.
import type { Random } from './random.ts';
import type { Sex } from './names.ts';
import { formatCccd } from '@hoso/vn/cccd';

/**
 * 12-digit CCCD: 3-digit birth-registration province (pre-2025 code), century/sex digit
 * (1900s: 0 male, 1 female; 2000s: 2/3; 2100s: 4/5), two-digit birth year, six random digits.
 */
export function cccd(random: Random, birthProvinceOldCode: string, birthYear: number, sex: Sex): string {
  return formatCccd({ provinceCode: `0${birthProvinceOldCode}`, sex, birthYear, serial: random.digits(6) });
}

export interface InsuranceCard {
  /** 15 characters: group (2 letters), benefit level (1 digit), province (2 digits), number (10 digits) */
  code: string;
  group: string;
  level: number;
  /** lifelong social-insurance (BHXH) number, 10 digits */
  number: string;
}

/** [group, benefit level] by life stage; levels follow the beneficiary-code list (unconfirmed) */
type GroupChoice = readonly [group: string, level: number, weight: number];

const CHILD: GroupChoice[] = [['TE', 1, 1]];
const PUPIL: GroupChoice[] = [
  ['HS', 4, 0.9],
  ['HN', 2, 0.06],
  ['CN', 3, 0.04],
];
const STUDENT: GroupChoice[] = [
  ['SV', 4, 0.6],
  ['DN', 4, 0.25],
  ['GD', 4, 0.15],
];
const WORKING: GroupChoice[] = [
  ['DN', 4, 0.34],
  ['GD', 4, 0.34],
  ['HC', 4, 0.06],
  ['CH', 4, 0.06],
  ['HN', 2, 0.06],
  ['CN', 3, 0.05],
  ['DT', 2, 0.05],
  ['HX', 4, 0.04],
];
const RETIRED: GroupChoice[] = [
  ['HT', 3, 0.4],
  ['GD', 4, 0.35],
  ['CC', 1, 0.05],
  ['KC', 2, 0.05],
  ['HN', 2, 0.05],
  ['CN', 3, 0.1],
];
const ELDERLY: GroupChoice[] = [
  ['BT', 2, 0.5],
  ['HT', 3, 0.3],
  ['GD', 4, 0.2],
];

function stage(age: number): GroupChoice[] {
  if (age < 6) return CHILD;
  if (age < 18) return PUPIL;
  if (age < 22) return STUDENT;
  if (age < 60) return WORKING;
  if (age < 80) return RETIRED;
  return ELDERLY;
}

export function insuranceCard(
  random: Random,
  age: number,
  provinceCode: string,
  bhxhProvinceCode: string,
): InsuranceCard {
  const choices = stage(age);
  let u = random.next() * choices.reduce((sum, c) => sum + c[2], 0);
  let chosen = choices[0] as GroupChoice;
  for (const c of choices) {
    chosen = c;
    u -= c[2];
    if (u < 0) break;
  }
  const [group, level] = chosen;
  // assumption: the 10-digit BHXH number starts with the (old) province code of first issue
  const number = bhxhProvinceCode + random.digits(8);
  return { code: `${group}${level}${provinceCode}${number}`, group, level, number };
}

const MOBILE_PREFIXES = [
  '032',
  '033',
  '034',
  '035',
  '036',
  '037',
  '038',
  '039',
  '070',
  '076',
  '077',
  '078',
  '079',
  '081',
  '082',
  '083',
  '084',
  '085',
  '086',
  '088',
  '089',
  '090',
  '091',
  '093',
  '094',
  '096',
  '097',
  '098',
];

/** a 10-digit national mobile number, 0xx xxx xxxx written without spaces */
export function mobilePhone(random: Random): string {
  return random.pick(MOBILE_PREFIXES) + random.digits(7);
}

/** practising-certificate number in the usual "NNNNNN/<province>-CCHN" shape */
export function practisingCertificate(random: Random, provinceCode: string): string {
  return `${random.digits(6)}/${provinceCode}-CCHN`;
}
