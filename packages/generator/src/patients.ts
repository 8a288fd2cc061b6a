// A facility's own Patient record of a person: its record number, the person's details as the
// registration clerk typed them (with noise from the profile), and the address in the
// administrative units valid on the registration day (pre-2025 codes before 1 Jul 2025). Pure.
import type { Random } from './random.ts';
import type { Person, Home } from './person.ts';
import type { Facility } from './facilities.ts';
import { mobilePhone } from './identifiers.ts';
import { stripDiacritics, swapDayMonth, typo, type NoiseProfile } from './noise.ts';
import { dayOf, isoDate } from './dates.ts';
import { addressUnitsExtension, SYSTEM, recordNumberSystem } from './conventions.ts';
import type { Resource } from './types.ts';

/** 1 Jul 2025: the 34-province system takes effect */
export const REFORM_DAY = dayOf('2025-07-01');

/** The facility's record number: a bijection of the person index, so numbers are unique per facility. */
export function recordNumber(personIndex: number, facility: Facility): string {
  let key = 0;
  for (let i = 0; i < facility.code.length; i++) key = (Math.imul(key, 31) + facility.code.charCodeAt(i)) | 0;
  const mixed = (Math.imul((personIndex ^ key) >>> 0, 0x9e3779b1) ^ (key << 7)) >>> 0;
  return String(mixed).padStart(10, '0');
}

function address(home: Home, registeredDay: number, plain: (s: string) => string): Record<string, unknown> {
  const { province, ward, legacyWard, legacyProvince, line } = home;
  const old = registeredDay < REFORM_DAY;
  const extension = old
    ? addressUnitsExtension({
        legacyProvince: legacyProvince.code,
        legacyDistrict: legacyWard?.districtCode,
        legacyWard: legacyWard?.code,
      })
    : addressUnitsExtension({ province: province.code, commune: ward?.code });
  const city = old ? legacyWard?.name : ward?.name;
  const district = old ? legacyWard?.districtName : undefined;
  const state = old ? legacyProvince.name : province.fullName;
  return {
    extension: [extension],
    use: 'home',
    text: plain([line, city, district, state].filter(Boolean).join(', ')),
    line: [plain(line)],
    ...(city ? { city: plain(city) } : {}),
    ...(district ? { district: plain(district) } : {}),
    state: plain(state),
    country: 'VN',
  };
}

export interface Registration {
  patientId: string;
  facility: Facility;
  day: number;
}

/** the Patient resource of one registration; draws its noise from `random` */
export function patientResource(
  random: Random,
  person: Person,
  personIndex: number,
  reg: Registration,
  noise: NoiseProfile,
): Resource {
  const plain = random.chance(noise.missingDiacritics) ? stripDiacritics : (s: string) => s;
  let family = person.name.family;
  let middle = random.chance(noise.missingMiddleName) ? [] : person.name.middle;
  let given = person.name.given;
  if (random.chance(noise.typo)) {
    if (random.chance(0.5)) given = typo(random, given);
    else family = typo(random, family);
  }
  if (random.chance(noise.swappedNameOrder)) {
    // the clerk typed the given name into the family-name field
    [family, given] = [given, family];
  }
  family = plain(family);
  given = plain(given);
  middle = middle.map(plain);

  let birthDate = isoDate(person.birthDay);
  if (random.chance(noise.yearOnlyBirthDate)) birthDate = birthDate.slice(0, 4);
  else if (random.chance(noise.dayMonthSwap)) birthDate = swapDayMonth(birthDate) ?? birthDate;

  const identifier: Record<string, unknown>[] = [
    {
      use: 'usual',
      type: { coding: [{ system: SYSTEM.v2IdentifierType, code: 'MR' }] },
      system: recordNumberSystem(reg.facility.code),
      value: recordNumber(personIndex, reg.facility),
      assigner: { reference: `Organization/${reg.facility.id}` },
    },
  ];
  if (!random.chance(noise.missingCccd)) identifier.push({ system: SYSTEM.cccd, value: person.cccd });
  if (!random.chance(noise.missingInsurance))
    identifier.push({ system: SYSTEM.bhyt, value: person.insurance.code });

  const telecom = random.chance(noise.missingPhone)
    ? undefined
    : [
        {
          system: 'phone',
          value: random.chance(noise.otherPhone) ? mobilePhone(random) : person.phone,
          use: 'mobile',
        },
      ];

  return {
    resourceType: 'Patient',
    id: reg.patientId,
    identifier,
    active: true,
    name: [
      { use: 'official', text: [family, ...middle, given].join(' '), family, given: [...middle, given] },
    ],
    ...(telecom ? { telecom } : {}),
    gender: person.sex,
    birthDate,
    address: [address(person.home, reg.day, plain)],
    managingOrganization: { reference: `Organization/${reg.facility.id}` },
  };
}
