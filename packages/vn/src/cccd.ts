// Citizen ID (căn cước công dân, CCCD), 12 digits: 3-digit birth-registration province code
// (pre-2025 63-province table, '0' + the two-digit GSO code), a century-and-sex digit, the last two
// digits of the birth year, 6 random digits. No check digit is known. Always a string (leading
// zeros matter). Pure: no I/O; consistency checks report findings and never correct anything.
import type { Finding, Parsed } from './findings.ts';
import { legacyProvinceByCode, type LegacyProvince } from './provinces.ts';

export type CccdSex = 'male' | 'female';

export interface Cccd {
  cccd: string;
  /** The 3-digit code as printed, e.g. '079'. */
  provinceCode: string;
  /** The pre-2025 province of birth registration. */
  province: LegacyProvince;
  /** First year of the birth century, e.g. 1900 or 2000. */
  century: number;
  sex: CccdSex;
  birthYear: number;
  serial: string;
}

const CCCD_PATTERN = /^\d{12}$/;
const FIRST_CENTURY = 1900;

/** Removes the spaces, dots and dashes people type inside a citizen ID. */
export function cleanCccd(input: string): string {
  return input.replace(/[\s.-]/gu, '');
}

export function parseCccd(cccd: string): Parsed<Cccd> {
  if (!CCCD_PATTERN.test(cccd)) {
    return { ok: false, findings: [{ code: 'cccd-format', message: 'A citizen ID is exactly 12 digits' }] };
  }
  const provinceCode = cccd.slice(0, 3);
  const province = provinceCode.startsWith('0') ? legacyProvinceByCode(provinceCode.slice(1)) : undefined;
  if (!province) {
    return {
      ok: false,
      findings: [
        { code: 'cccd-province', message: `Unknown birth-registration province code ${provinceCode}` },
      ],
    };
  }
  const genderDigit = Number(cccd[3]);
  const century = FIRST_CENTURY + 100 * Math.floor(genderDigit / 2);
  return {
    ok: true,
    value: {
      cccd,
      provinceCode,
      province,
      century,
      sex: genderDigit % 2 === 0 ? 'male' : 'female',
      birthYear: century + Number(cccd.slice(4, 6)),
      serial: cccd.slice(6),
    },
  };
}

export function isValidCccd(cccd: string): boolean {
  return parseCccd(cccd).ok;
}

/** Builds a citizen ID from its parts; the inverse of `parseCccd`. */
export function formatCccd(parts: {
  provinceCode: string;
  sex: CccdSex;
  birthYear: number;
  serial: string;
}): string {
  const centuryIndex = Math.floor((parts.birthYear - FIRST_CENTURY) / 100);
  if (centuryIndex < 0 || centuryIndex > 4)
    throw new RangeError(`No CCCD century digit for ${parts.birthYear}`);
  if (!/^\d{6}$/.test(parts.serial)) throw new RangeError('The CCCD serial is 6 digits');
  if (!/^\d{3}$/.test(parts.provinceCode)) throw new RangeError('The CCCD province code is 3 digits');
  const digit = 2 * centuryIndex + (parts.sex === 'female' ? 1 : 0);
  const year = String(parts.birthYear % 100).padStart(2, '0');
  return `${parts.provinceCode}${digit}${year}${parts.serial}`;
}

export interface PersonFacts {
  /** FHIR date: YYYY, YYYY-MM or YYYY-MM-DD. */
  birthDate?: string;
  /** FHIR administrative gender; 'other' and 'unknown' are not checked. */
  sex?: string;
  /** FHIR date the ID is checked against (no birth after it). */
  asOf?: string;
}

/** What disagrees between a citizen ID and the person's recorded facts; empty when consistent. */
export function checkCccdConsistency(cccd: string, facts: PersonFacts): Finding[] {
  const parsed = parseCccd(cccd);
  if (!parsed.ok) return parsed.findings;
  const { birthYear, sex } = parsed.value;
  const findings: Finding[] = [];
  const recordedYear = facts.birthDate ? Number(facts.birthDate.slice(0, 4)) : undefined;
  if (recordedYear !== undefined && recordedYear !== birthYear) {
    findings.push({
      code: 'cccd-birth-year-mismatch',
      message: `The citizen ID encodes birth year ${birthYear}, the record says ${recordedYear}`,
    });
  }
  if ((facts.sex === 'male' || facts.sex === 'female') && facts.sex !== sex) {
    findings.push({
      code: 'cccd-sex-mismatch',
      message: `The citizen ID encodes sex ${sex}, the record says ${facts.sex}`,
    });
  }
  if (facts.asOf && birthYear > Number(facts.asOf.slice(0, 4))) {
    findings.push({
      code: 'cccd-future-birth',
      message: `The citizen ID encodes birth year ${birthYear}, after ${facts.asOf}`,
    });
  }
  return findings;
}
