// Health facilities: the 5-character facility code (mã cơ sở KCB; first 2 digits = province code)
// and the three technical levels in force since 1 Jan 2025. Pure: no I/O.
import type { Parsed } from './findings.ts';
import {
  currentProvinceOfLegacy,
  legacyProvinceByCode,
  type LegacyProvince,
  type Province,
} from './provinces.ts';

export type FacilityLevelCode = 'initial' | 'basic' | 'specialised';

export interface FacilityLevel {
  code: FacilityLevelCode;
  /** Rank from 1 (initial) to 3 (specialised); referrals normally go up. */
  rank: 1 | 2 | 3;
  labelVi: string;
  labelEn: string;
  scopeEn: string;
}

export const FACILITY_LEVELS: readonly FacilityLevel[] = [
  {
    code: 'initial',
    rank: 1,
    labelVi: 'Cấp khám bệnh, chữa bệnh ban đầu',
    labelEn: 'Initial level',
    scopeEn: 'Outpatient and primary care, chronic disease management',
  },
  {
    code: 'basic',
    rank: 2,
    labelVi: 'Cấp khám bệnh, chữa bệnh cơ bản',
    labelEn: 'Basic level',
    scopeEn: 'General outpatient and inpatient care',
  },
  {
    code: 'specialised',
    rank: 3,
    labelVi: 'Cấp khám bệnh, chữa bệnh chuyên sâu',
    labelEn: 'Specialised level',
    scopeEn: 'Specialty care, training and research',
  },
];

export function facilityLevel(code: FacilityLevelCode): FacilityLevel {
  return FACILITY_LEVELS.find((level) => level.code === code) as FacilityLevel;
}

export interface FacilityCode {
  code: string;
  /** The two-digit province code the facility was registered under (may be a pre-2025 code). */
  provinceCode: string;
  registeredProvince: LegacyProvince;
  /** The province the facility lies in today. */
  currentProvince: Province;
}

const FACILITY_CODE_PATTERN = /^\d{5}$/;

export function parseFacilityCode(code: string): Parsed<FacilityCode> {
  if (!FACILITY_CODE_PATTERN.test(code)) {
    return { ok: false, findings: [{ code: 'facility-format', message: 'A facility code is 5 digits' }] };
  }
  const provinceCode = code.slice(0, 2);
  const registeredProvince = legacyProvinceByCode(provinceCode);
  const currentProvince = currentProvinceOfLegacy(provinceCode);
  if (!registeredProvince || !currentProvince) {
    return {
      ok: false,
      findings: [
        { code: 'facility-province', message: `Unknown province code ${provinceCode} in facility code` },
      ],
    };
  }
  return { ok: true, value: { code, provinceCode, registeredProvince, currentProvince } };
}

/** The facility code of a province's `serial`-th facility (1–999). */
export function formatFacilityCode(provinceCode: string, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1 || serial > 999)
    throw new RangeError('Facility serial is 1–999');
  return `${provinceCode}${String(serial).padStart(3, '0')}`;
}
