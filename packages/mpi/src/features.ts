// Matching features of a FHIR Patient: the Vietnamese-normalised name parts, birth date, sex,
// current province and communes (pre-2025 codes carried forward), phone, citizen ID and social-
// insurance number, in the compact form the comparator reads. Pure: the old-ward → new-commune
// lookup is passed in by the caller (it needs the shared reference data, which is I/O).
import {
  canonicalNameWord,
  checkCccdConsistency,
  currentProvinceOfLegacy,
  foldText,
  fromHumanName,
  identifierKindOf,
  normalizePhone,
  normalizeText,
  parseCccd,
  readAddressUnits,
  type FhirExtension,
} from '@hoso/vn';

export interface Features {
  id: string;
  /** canonical folded family name (Huỳnh → hoang, Võ → vu), '' when unknown */
  family: string;
  /** canonical folded given name */
  given: string;
  /** the given and family names as written (normalised, lowercase), to tell Hùng from Hưng */
  givenExact: string;
  familyExact: string;
  /** canonical folded middle names joined by a space */
  middle: string;
  birthYear?: number;
  /** month and day, absent when only the year is known */
  birthMonth?: number;
  birthDay?: number;
  sex?: 'male' | 'female' | 'other';
  /** current (post-2025) province code */
  province?: string;
  /** current commune codes the address may lie in (several when an old ward was split) */
  communes: string[];
  phone?: string;
  /** a well-formed citizen ID */
  cccd?: string;
  /** the citizen ID encodes a sex or birth year other than the record's own (a keying error somewhere) */
  cccdInconsistent?: boolean;
  /** the 10-digit lifelong social-insurance number (the last 10 characters of a BHYT card) */
  bhxh?: string;
}

export interface FeatureOptions {
  /** current communes of a pre-2025 ward code (from @hoso/vn admin units); without it old wards are ignored */
  communesOfLegacyWard?: (wardCode: string) => readonly string[];
}

/** The parts of a FHIR Patient the engine reads (structural, so any Patient JSON fits). */
export interface PatientLike {
  id?: string;
  identifier?: readonly { system?: string; value?: string }[];
  name?: readonly { use?: string; text?: string; family?: string; given?: readonly string[] }[];
  telecom?: readonly { system?: string; value?: string }[];
  gender?: string;
  birthDate?: string;
  address?: readonly { use?: string; extension?: readonly FhirExtension[] }[];
}

const exactCache = new Map<string, string>();
const canonicalCache = new Map<string, string>();
const CACHE_LIMIT = 100_000;

function exactWord(word: string): string {
  let out = exactCache.get(word);
  if (out === undefined) {
    out = normalizeText(word).toLowerCase();
    if (exactCache.size < CACHE_LIMIT) exactCache.set(word, out);
  }
  return out;
}

function canonicalWord(word: string): string {
  let out = canonicalCache.get(word);
  if (out === undefined) {
    out = canonicalNameWord(word);
    if (canonicalCache.size < CACHE_LIMIT) canonicalCache.set(word, out);
  }
  return out;
}

function officialName(patient: PatientLike) {
  const names = patient.name ?? [];
  return names.find((n) => n.use === 'official') ?? names.find((n) => n.use !== 'old') ?? names[0];
}

function birthParts(date: string | undefined): Pick<Features, 'birthYear' | 'birthMonth' | 'birthDay'> {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/u.exec(date ?? '');
  if (!m) return {};
  const out: Pick<Features, 'birthYear' | 'birthMonth' | 'birthDay'> = { birthYear: Number(m[1]) };
  if (m[2] && m[3]) {
    out.birthMonth = Number(m[2]);
    out.birthDay = Number(m[3]);
  }
  return out;
}

function sexOf(gender: string | undefined): Features['sex'] {
  return gender === 'male' || gender === 'female' || gender === 'other' ? gender : undefined;
}

/** Extracts the matching features of one Patient. */
export function extractFeatures(patient: PatientLike, options: FeatureOptions = {}): Features {
  const human = officialName(patient);
  const name = human
    ? fromHumanName({
        text: human.text ?? '',
        family: human.family,
        given: human.given ? [...human.given] : [],
      })
    : { family: '', middle: [], given: '' };
  const features: Features = {
    id: patient.id ?? '',
    family: name.family.split(' ').filter(Boolean).map(canonicalWord).join(' '),
    given: name.given ? canonicalWord(name.given) : '',
    familyExact: exactWord(name.family),
    givenExact: exactWord(name.given),
    middle: name.middle.map(canonicalWord).join(' '),
    ...birthParts(patient.birthDate),
    communes: [],
  };
  const sex = sexOf(patient.gender);
  if (sex) features.sex = sex;

  for (const id of patient.identifier ?? []) {
    if (!id.system || !id.value) continue;
    const kind = identifierKindOf(id.system);
    if (kind === 'citizenId') readCccd(features, id.value, patient);
    else if (kind === 'insuranceCard' || kind === 'insuranceNumber') {
      const digits = id.value.replace(/\s+/gu, '').slice(-10);
      if (/^\d{10}$/u.test(digits)) features.bhxh = digits;
    }
  }
  for (const t of patient.telecom ?? []) {
    if (t.system !== 'phone' || !t.value) continue;
    const phone = normalizePhone(t.value);
    if (phone) {
      features.phone = phone;
      break;
    }
  }
  const address = (patient.address ?? []).find((a) => a.use === 'home') ?? patient.address?.[0];
  if (address) readAddress(features, address.extension, options);
  return features;
}

function readCccd(features: Features, value: string, patient: PatientLike): void {
  const parsed = parseCccd(value);
  if (!parsed.ok) return;
  features.cccd = parsed.value.cccd;
  const facts = { sex: patient.gender, birthDate: patient.birthDate };
  if (checkCccdConsistency(parsed.value.cccd, facts).length > 0) features.cccdInconsistent = true;
}

function readAddress(
  features: Features,
  extensions: readonly FhirExtension[] | undefined,
  options: FeatureOptions,
): void {
  const units = readAddressUnits(extensions ? [...extensions] : undefined);
  const province =
    units.province ?? (units.legacyProvince && currentProvinceOfLegacy(units.legacyProvince)?.code);
  if (province) features.province = province;
  if (units.commune) features.communes = [units.commune];
  else if (units.legacyWard && options.communesOfLegacyWard) {
    features.communes = [...options.communesOfLegacyWard(units.legacyWard)];
  }
}

/** The folded full name (for display of evidence and for tests). */
export function foldedName(f: Features): string {
  return foldText([f.family, f.middle, f.given].filter(Boolean).join(' '));
}
