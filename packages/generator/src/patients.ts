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

function keep(s: string): string {
  return s;
}

/** the address-units extension of a home, built once per home and scheme (old or current codes) */
const unitExtensions = new WeakMap<Home, { old?: unknown; current?: unknown }>();

function unitsExtension(home: Home, old: boolean): unknown {
  let cached = unitExtensions.get(home);
  if (!cached) unitExtensions.set(home, (cached = {}));
  if (old) {
    cached.old ??= addressUnitsExtension({
      legacyProvince: home.legacyProvince.code,
      legacyDistrict: home.legacyWard?.districtCode,
      legacyWard: home.legacyWard?.code,
    });
    return cached.old;
  }
  cached.current ??= addressUnitsExtension({ province: home.province.code, commune: home.ward?.code });
  return cached.current;
}

function address(home: Home, registeredDay: number, plain: (s: string) => string): Record<string, unknown> {
  const old = registeredDay < REFORM_DAY;
  const city = old ? home.legacyWard?.name : home.ward?.name;
  const district = old ? home.legacyWard?.districtName : undefined;
  const state = old ? home.legacyProvince.name : home.province.fullName;
  let text = home.line;
  if (city) text += `, ${city}`;
  if (district) text += `, ${district}`;
  text += `, ${state}`;
  const result: Record<string, unknown> = {
    extension: [unitsExtension(home, old)],
    use: 'home',
    text: plain(text),
    line: [plain(home.line)],
  };
  if (city) result.city = plain(city);
  if (district) result.district = plain(district);
  result.state = plain(state);
  result.country = 'VN';
  return result;
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
  const plain = random.chance(noise.missingDiacritics) ? stripDiacritics : keep;
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

  const patient: Resource = {
    resourceType: 'Patient',
    id: reg.patientId,
    identifier,
    active: true,
    name: [
      { use: 'official', text: [family, ...middle, given].join(' '), family, given: [...middle, given] },
    ],
  };
  if (!random.chance(noise.missingPhone)) {
    const phone = random.chance(noise.otherPhone) ? mobilePhone(random) : person.phone;
    patient.telecom = [{ system: 'phone', value: phone, use: 'mobile' }];
  }
  patient.gender = person.sex;
  patient.birthDate = birthDate;
  patient.address = [address(person.home, reg.day, plain)];
  patient.managingOrganization = { reference: `Organization/${reg.facility.id}` };
  return patient;
}
