// The generator's entry point: a synthetic population as a stream of FHIR resources and ground-
// truth rows, person by person, so memory stays flat however many people are asked for. The same
// options always give the same stream. Facilities come first, then for each person their facility
// Patient records (with truth rows) and their clinical record. Pure: writing is the caller's job.
import { Random } from './random.ts';
import { dayOf, isoDate } from './dates.ts';
import { PROVINCES, type Province } from './provinces.ts';
import { BUILT_IN_GEOGRAPHY, type Geography } from './geography.ts';
import {
  buildFacilities,
  DEFAULT_DENSITY,
  facilityResources,
  organizationResource,
  referralProvince,
  type Facility,
  type FacilityDensity,
} from './facilities.ts';
import { person, provinceTable, type Person } from './person.ts';
import { planCare, type CarePlan, type FacilityChoice } from './care-plan.ts';
import { chartResources, registrationsOf } from './chart.ts';
import { patientResource } from './patients.ts';
import { DEFAULT_NOISE, NO_NOISE, type NoiseProfile } from './noise.ts';
import { PERSONA_PROVINCE, personaPerson, personaPlan } from './persona.ts';
import { occupationResource } from './clinical.ts';
import type { Output } from './types.ts';
import type { ChronicKey } from './catalog.ts';

export interface GenerateOptions {
  /** number of people (the persona is the first of them) */
  patients: number;
  seed: string;
  /** ISO date the ten years of care end */
  asOf: string;
  /** only facility Organizations, Patient records and truth rows */
  demographicsOnly?: boolean;
  noise?: NoiseProfile;
  /** communes for addresses; the small built-in set when absent */
  geography?: Geography;
  /** province codes to populate (default: all 34) */
  provinces?: readonly string[];
  density?: FacilityDensity;
  /** include the persona (default true; needs Phú Thọ and Hà Nội among the provinces) */
  persona?: boolean;
}

export interface Population {
  /** the whole stream: facilities, then every person (each iteration generates it afresh) */
  outputs: Iterable<Output>;
  /** the facility resources alone (the start of `outputs`) */
  facilityOutputs(): Iterable<Output>;
  /** the people with index in [from, to) alone, exactly as they appear in `outputs` */
  peopleOutputs(from: number, to: number): Iterable<Output>;
}

function facilityChoices(
  provinces: readonly Province[],
  facilities: readonly Facility[],
): (code: string) => FacilityChoice {
  const anywhere = facilities.filter((f) => f.level === 'basic');
  const specialisedAll = facilities.filter((f) => f.level === 'specialised');
  const cache = new Map<string, FacilityChoice>();
  for (const p of provinces) {
    const own = facilities.filter((f) => f.provinceCode === p.code);
    const target = referralProvince(p.code);
    const candidates = specialisedAll.filter((f) => f.provinceCode === target);
    const pool = candidates.length > 0 ? candidates : specialisedAll;
    cache.set(p.code, {
      initial: own.filter((f) => f.level === 'initial'),
      basic: own.filter((f) => f.level === 'basic'),
      anywhere,
      specialised: (key: ChronicKey) =>
        (key === 'hepatitisB' ? pool.find((f) => f.specialty === 'infectious') : undefined) ??
        pool.find((f) => f.specialty === 'general') ??
        pool[0],
    });
  }
  return (code) => cache.get(code) as FacilityChoice;
}

function* personOutputs(
  seed: string,
  index: number,
  p: Person,
  plan: CarePlan,
  asOf: number,
  noise: NoiseProfile,
  demographicsOnly: boolean,
): Generator<Output> {
  const records = new Random(`${seed}:records:${index}`);
  const registrations = registrationsOf(records, plan);
  for (const reg of registrations) {
    yield {
      kind: 'truth',
      row: {
        patientId: reg.patientId,
        personId: p.id,
        facilityCode: reg.facility.code,
        registered: isoDate(reg.day),
      },
    };
    yield { kind: 'resource', resource: patientResource(records, p, index, reg, noise) };
  }
  if (!demographicsOnly) {
    const chart = new Random(`${seed}:chart:${index}`);
    if (p.occupation && registrations[0]) {
      const reg = registrations[0];
      const at = {
        id: chart.uuid(),
        subject: { reference: `Patient/${reg.patientId}` },
        day: reg.day,
        minute: 8 * 60,
      };
      yield { kind: 'resource', resource: occupationResource(at, p.occupation) };
    }
    for (const resource of chartResources(chart, p, plan, registrations, asOf))
      yield { kind: 'resource', resource };
  }
  yield { kind: 'person', personId: p.id };
}

export function generatePopulation(options: GenerateOptions): Population {
  const asOf = dayOf(options.asOf);
  const seed = options.seed;
  const geography = options.geography ?? BUILT_IN_GEOGRAPHY;
  const noise = options.noise ?? DEFAULT_NOISE;
  const demographicsOnly = options.demographicsOnly ?? false;
  const wanted = options.provinces ? new Set(options.provinces) : undefined;
  const provinces = PROVINCES.filter((p) => !wanted || wanted.has(p.code));
  if (provinces.length === 0) throw new Error('no province selected');
  const facilities = buildFacilities(seed, provinces, options.density ?? DEFAULT_DENSITY, geography);
  const choicesIn = facilityChoices(provinces, facilities);
  const table = provinceTable(provinces);
  const withPersona =
    (options.persona ?? true) && provinces.some((p) => p.code === PERSONA_PROVINCE) && options.patients > 0;

  function* facilityOutputs(): Generator<Output> {
    if (demographicsOnly) {
      for (const f of facilities) yield { kind: 'resource', resource: organizationResource(f) };
    } else {
      for (const resource of facilityResources(seed, facilities)) yield { kind: 'resource', resource };
    }
  }
  function* peopleOutputs(from: number, to: number): Generator<Output> {
    for (let index = from; index < Math.min(to, options.patients); index++) {
      const random = new Random(`${seed}:person:${index}`);
      const id = random.uuid();
      if (index === 0 && withPersona) {
        const p = personaPerson(random, id, asOf, geography);
        const plan = personaPlan(random, asOf, choicesIn(PERSONA_PROVINCE));
        yield* personOutputs(seed, index, p, plan, asOf, NO_NOISE, demographicsOnly);
        continue;
      }
      const p = person(random, id, asOf, table, geography);
      const plan = planCare(random, p, asOf, choicesIn(p.home.province.code));
      yield* personOutputs(seed, index, p, plan, asOf, noise, demographicsOnly);
    }
  }
  function* outputs(): Generator<Output> {
    yield* facilityOutputs();
    yield* peopleOutputs(0, options.patients);
  }
  return { outputs: { [Symbol.iterator]: outputs }, facilityOutputs, peopleOutputs };
}
