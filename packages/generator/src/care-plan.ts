// A person's ten years of care as a plan: which chronic diseases they have and when they were
// diagnosed and treated, and the dated visits (check-ups, chronic follow-ups, acute problems,
// referrals to the specialised level) at the facilities of their province. Cheap: it creates no
// FHIR resources, so demographics-only runs can use it to know where a person is registered. Pure.
import type { Random } from './random.ts';
import { weighted } from './random.ts';
import type { Person } from './person.ts';
import type { Facility } from './facilities.ts';
import {
  ACUTE,
  CHRONIC,
  CHRONIC_KEYS,
  type AcuteProblem,
  type ChronicKey,
  type Medicine,
} from './catalog.ts';
import { DAYS_PER_YEAR } from './dates.ts';

export interface ChronicState {
  key: ChronicKey;
  diagnosedDay: number;
  medicine?: Medicine;
}

export type VisitKind = 'checkup' | 'chronic' | 'acute' | 'referral';

export interface Visit {
  kind: VisitKind;
  day: number;
  /** minute of the day the visit starts */
  minute: number;
  facility: Facility;
  /** follow-up visits: the follow-up count since diagnosis, which drives monitoring intervals */
  sequence: number;
  acute?: AcuteProblem;
  /** referral visits: the disease that worsened and the facility that referred */
  referral?: { key: ChronicKey; from: Facility; reason: 1 | 2 | 3 };
}

export interface CarePlan {
  chronic: ChronicState[];
  visits: Visit[];
  /** days with a flare of a chronic disease (lab values worsen around them) */
  flares: { key: ChronicKey; day: number }[];
}

/** The facilities a person can use, by level. */
export interface FacilityChoice {
  initial: readonly Facility[];
  basic: readonly Facility[];
  /** specialised hospitals for referrals, the disease-specific one first when it exists */
  specialised(key: ChronicKey): Facility | undefined;
  /** any basic facility in the country (acute visits while travelling) */
  anywhere: readonly Facility[];
}

const WINDOW_YEARS = 10;
const WINDOW_DAYS = Math.round(WINDOW_YEARS * DAYS_PER_YEAR);
const ACUTE_TABLE = weighted(ACUTE.map((a) => [a, a.weight] as const));
/** follow-up intervals in days, with their shares */
const FOLLOW_UP = weighted([
  [30, 0.3],
  [60, 0.3],
  [90, 0.4],
] as const);

function chronicStates(random: Random, person: Person, asOf: number): ChronicState[] {
  const states: ChronicState[] = [];
  for (const key of CHRONIC_KEYS) {
    const disease = CHRONIC[key];
    if (!random.chance(disease.prevalence(person.age, person.sex))) continue;
    if (!random.chance(disease.diagnosed)) continue;
    const earliest = Math.max(
      person.birthDay + Math.round(disease.onsetFrom * DAYS_PER_YEAR),
      asOf - 2 * WINDOW_DAYS,
    );
    const latest = asOf - 30;
    if (latest <= earliest) continue;
    const diagnosedDay = earliest + random.int(latest - earliest);
    const medicine = random.chance(disease.treated) ? random.pick(disease.medicines) : undefined;
    states.push({ key, diagnosedDay, medicine });
  }
  return states;
}

/** a working-hours start time on the half hour: 07:00–16:00 */
function clinicMinute(random: Random): number {
  return 7 * 60 + random.int(19) * 30;
}

export function planCare(random: Random, person: Person, asOf: number, facilities: FacilityChoice): CarePlan {
  const start = Math.max(person.birthDay, asOf - WINDOW_DAYS);
  const initial = random.pick(facilities.initial);
  const basic = random.pick(facilities.basic);
  const followUpAt = random.chance(0.7) ? basic : initial;
  const chronic = chronicStates(random, person, asOf);
  const visits: Visit[] = [];
  const flares: CarePlan['flares'] = [];

  if (chronic.length > 0) {
    const interval = random.sample(FOLLOW_UP);
    const first = Math.max(start, Math.min(...chronic.map((c) => c.diagnosedDay)));
    let sequence = 0;
    for (let day = first + random.int(interval); day < asOf; day += interval - 3 + random.int(7)) {
      visits.push({
        kind: 'chronic',
        day,
        minute: clinicMinute(random),
        facility: followUpAt,
        sequence: sequence++,
      });
    }
    // worsening: a referral to the specialised level, more likely for hepatitis B and COPD
    const years = (asOf - first) / DAYS_PER_YEAR;
    for (const state of chronic) {
      const target = facilities.specialised(state.key);
      if (!target) continue;
      const perYear = state.key === 'hepatitisB' || state.key === 'copd' ? 0.08 : 0.03;
      const count = random.poisson(perYear * years);
      for (let i = 0; i < count; i++) {
        const day =
          Math.max(first, state.diagnosedDay) +
          30 +
          random.int(Math.max(1, asOf - Math.max(first, state.diagnosedDay) - 30));
        if (day >= asOf) continue;
        flares.push({ key: state.key, day });
        visits.push({
          kind: 'referral',
          day,
          minute: clinicMinute(random),
          facility: target,
          sequence: 0,
          referral: { key: state.key, from: followUpAt, reason: random.chance(0.8) ? 2 : 1 },
        });
      }
    }
  }

  const years = (asOf - start) / DAYS_PER_YEAR;
  const acuteRate = person.age < 6 ? 1.2 : person.age >= 65 ? 0.7 : 0.45;
  const acuteCount = random.poisson(acuteRate * years);
  for (let i = 0; i < acuteCount; i++) {
    const facility = random.chance(0.05)
      ? random.pick(facilities.anywhere)
      : random.chance(0.6)
        ? initial
        : basic;
    visits.push({
      kind: 'acute',
      day: start + random.int(asOf - start),
      minute: clinicMinute(random),
      facility,
      sequence: 0,
      acute: random.sample(ACUTE_TABLE),
    });
  }

  const checkupRate = person.age < 6 ? 0.4 : 0.2;
  for (let year = 0; year < Math.ceil(years); year++) {
    if (!random.chance(checkupRate)) continue;
    const day = start + Math.round(year * DAYS_PER_YEAR) + random.int(365);
    if (day < asOf)
      visits.push({ kind: 'checkup', day, minute: clinicMinute(random), facility: basic, sequence: 0 });
  }
  // everyone has been seen at least once by their commune's station
  if (visits.length === 0) {
    visits.push({
      kind: 'checkup',
      day: start + random.int(Math.max(1, asOf - start)),
      minute: clinicMinute(random),
      facility: initial,
      sequence: 0,
    });
  }
  visits.sort((a, b) => a.day - b.day || a.minute - b.minute);
  return { chronic, visits, flares };
}
