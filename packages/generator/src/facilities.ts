// Health facilities of the three technical levels (initial, basic, specialised) per province with
// 5-character facility codes (2-digit province code + 3 digits), their practitioners, and the
// FHIR Organization / Practitioner / PractitionerRole resources. Deterministic from the seed; pure.
import { Random } from './random.ts';
import type { Province } from './provinces.ts';
import { personName, fullName } from './names.ts';
import { practisingCertificate } from './identifiers.ts';
import { addressUnitsExtension, EXTENSION, SYSTEM } from './conventions.ts';
import type { Resource } from './types.ts';
import type { Geography } from './geography.ts';
import { facilityLevel, formatFacilityCode, type FacilityLevelCode } from '@hoso/vn/facilities';

export type Level = FacilityLevelCode;

export interface Clinician {
  practitionerId: string;
  roleId: string;
  name: string;
  role: 'doctor' | 'nurse';
}

export interface Facility {
  id: string;
  code: string;
  name: string;
  level: Level;
  provinceCode: string;
  /** what a specialised hospital is best at, for choosing referral targets */
  specialty?: 'general' | 'infectious';
  clinicians: Clinician[];
}

export interface FacilityDensity {
  /** basic-level hospitals per million inhabitants, besides the provincial general hospital */
  basicPerMillion: number;
  /** initial-level stations per million inhabitants */
  initialPerMillion: number;
  /** lower bounds per province */
  minBasic: number;
  minInitial: number;
}

export const DEFAULT_DENSITY: FacilityDensity = {
  basicPerMillion: 1.5,
  initialPerMillion: 3,
  minBasic: 1,
  minInitial: 2,
};

/** Nationally known specialised hospitals by province (real names; codes are synthetic). */
const SPECIALISED: Record<string, readonly [name: string, specialty: 'general' | 'infectious'][]> = {
  '01': [
    ['Bệnh viện Bạch Mai', 'general'],
    ['Bệnh viện Bệnh Nhiệt đới Trung ương', 'infectious'],
  ],
  '19': [['Bệnh viện Trung ương Thái Nguyên', 'general']],
  '46': [['Bệnh viện Trung ương Huế', 'general']],
  '48': [['Bệnh viện Đà Nẵng', 'general']],
  '79': [
    ['Bệnh viện Chợ Rẫy', 'general'],
    ['Bệnh viện Bệnh Nhiệt đới Thành phố Hồ Chí Minh', 'infectious'],
  ],
  '92': [['Bệnh viện Đa khoa Trung ương Cần Thơ', 'general']],
};

/** where each province refers to specialised care */
export function referralProvince(provinceCode: string): string {
  if (SPECIALISED[provinceCode]) return provinceCode;
  const n = Number(provinceCode);
  if (n <= 42) return '01';
  if (n <= 46) return '46';
  if (n <= 56) return '48';
  if (n <= 80) return '79';
  return '92';
}

const CLINICIANS_PER_LEVEL: Record<Level, number> = { initial: 2, basic: 4, specialised: 6 };

const UNIT_TYPE = /^(Phường|Xã|Đặc khu|Thị trấn) /u;

export function buildFacilities(
  seed: string,
  provinces: readonly Province[],
  density: FacilityDensity,
  geography: Geography,
): Facility[] {
  const facilities: Facility[] = [];
  for (const province of provinces) {
    const random = new Random(`${seed}:facilities:${province.code}`);
    const wards = geography.wards(province.code);
    /** the commune that names the k-th of `count` facilities (distinct, spread over the list), when known */
    const ward = (k: number, count: number) =>
      count <= wards.length ? wards[Math.floor(((k - 1) * wards.length) / count)] : wards[k - 1];
    let seq = 0;
    const add = (name: string, level: Level, specialty?: 'general' | 'infectious') => {
      seq++;
      const code = formatFacilityCode(province.code, seq);
      const clinicians: Clinician[] = [];
      for (let i = 0; i < CLINICIANS_PER_LEVEL[level]; i++) {
        const sex = random.chance(0.55) ? 'female' : 'male';
        clinicians.push({
          practitionerId: random.uuid(),
          roleId: random.uuid(),
          name: fullName(personName(random, sex, province.region)),
          role: i < CLINICIANS_PER_LEVEL[level] / 2 ? 'doctor' : 'nurse',
        });
      }
      facilities.push({
        id: random.uuid(),
        code,
        name,
        level,
        provinceCode: province.code,
        specialty,
        clinicians,
      });
    };
    for (const [name, specialty] of SPECIALISED[province.code] ?? []) add(name, 'specialised', specialty);
    add(
      `Bệnh viện Đa khoa ${province.fullName.replace(/^Thành phố/, 'thành phố').replace(/^Tỉnh/, 'tỉnh')}`,
      'basic',
    );
    const basic = Math.max(density.minBasic, Math.round(province.population * density.basicPerMillion));
    for (let i = 1; i <= basic; i++) {
      const w = ward(i, basic);
      add(`Trung tâm Y tế khu vực ${w ? w.name.replace(UNIT_TYPE, '') : `${province.name} ${i}`}`, 'basic');
    }
    const initial = Math.max(density.minInitial, Math.round(province.population * density.initialPerMillion));
    for (let i = 1; i <= initial; i++) {
      const w = ward(i, initial);
      add(
        `Trạm Y tế ${w ? w.name.replace(UNIT_TYPE, (t) => t.toLowerCase()) : `số ${i} ${province.name}`}`,
        'initial',
      );
    }
  }
  return facilities;
}

export function organizationResource(f: Facility): Resource {
  return {
    resourceType: 'Organization',
    id: f.id,
    extension: [
      {
        url: EXTENSION.facilityLevel,
        valueCoding: { system: SYSTEM.facilityLevel, code: f.level, display: facilityLevel(f.level).labelVi },
      },
    ],
    identifier: [{ system: SYSTEM.facilityCode, value: f.code }],
    active: true,
    type: [{ coding: [{ system: SYSTEM.organizationType, code: 'prov', display: 'Healthcare Provider' }] }],
    name: f.name,
    address: [{ extension: [addressUnitsExtension({ province: f.provinceCode })], country: 'VN' }],
  };
}

function clinicianResources(f: Facility, random: Random): Resource[] {
  return f.clinicians.flatMap((c) => [
    {
      resourceType: 'Practitioner',
      id: c.practitionerId,
      identifier: [
        { system: SYSTEM.practisingCertificate, value: practisingCertificate(random, f.provinceCode) },
      ],
      active: true,
      name: [{ text: c.name, family: c.name.split(' ')[0], given: c.name.split(' ').slice(1) }],
    },
    {
      resourceType: 'PractitionerRole',
      id: c.roleId,
      active: true,
      practitioner: { reference: `Practitioner/${c.practitionerId}` },
      organization: { reference: `Organization/${f.id}` },
      code: [
        {
          coding: [
            {
              system: SYSTEM.practitionerRole,
              code: c.role,
            },
          ],
        },
      ],
    },
  ]);
}

/** all facility resources in dependency order (Organization, then its people) */
export function* facilityResources(seed: string, facilities: readonly Facility[]): Generator<Resource> {
  for (const f of facilities) {
    yield organizationResource(f);
    yield* clinicianResources(f, new Random(`${seed}:clinicians:${f.code}`));
  }
}
