// Measured values over time: each person gets stable baselines (body size, blood pressure, lab
// levels), their chronic diseases shift them, treatment pulls them back after a few months, and
// flares (the worsening that triggers a referral) push liver and sugar values up around the flare
// day. Values are plausible, not clinical truth. Pure.
import type { Random } from './random.ts';
import type { Person } from './person.ts';
import type { CarePlan } from './care-plan.ts';
import type { ChronicKey, ObservationKey } from './catalog.ts';
import { DAYS_PER_YEAR } from './dates.ts';

export interface Baseline {
  heightCm: number;
  weightKg: number;
  systolic: number;
  heartRate: number;
  creatinine: number;
}

export function baseline(random: Random, person: Person): Baseline {
  const male = person.sex === 'male';
  return {
    heightCm: random.normal(male ? 165 : 154, 5),
    weightKg: random.normal(male ? 62 : 52, 7),
    systolic: random.normal(117, 8),
    heartRate: random.normal(76, 6),
    creatinine: random.normal(male ? 85 : 65, 8),
  };
}

/** height and weight of a child, scaled to the adult baseline */
function growth(base: Baseline, age: number): { height: number; weight: number } {
  if (age >= 18) return { height: base.heightCm, weight: base.weightKg };
  const f = Math.max(0, age) / 18;
  return {
    height: 50 + (base.heightCm - 50) * Math.sqrt(f),
    weight: 3.3 + (base.weightKg - 3.3) * f * f * 0.6 + (base.weightKg - 3.3) * f * 0.4,
  };
}

/** a person's chronic diseases as they stand on one day */
export class Condition {
  constructor(
    private readonly plan: CarePlan,
    private readonly day: number,
  ) {}

  has(key: ChronicKey): boolean {
    return this.plan.chronic.some((c) => c.key === key && c.diagnosedDay <= this.day);
  }

  /** treated and past the first three months of treatment */
  controlled(key: ChronicKey): boolean {
    return this.plan.chronic.some(
      (c) => c.key === key && c.medicine !== undefined && c.diagnosedDay + 90 <= this.day,
    );
  }

  /** within 90 days before (or 30 after) a flare */
  flaring(key: ChronicKey): boolean {
    return this.plan.flares.some((f) => f.key === key && this.day >= f.day - 90 && this.day <= f.day + 30);
  }
}

/** A measured value (for blood pressure the systolic one; see `diastolic`; BMI is derived by the caller). */
export function measure(
  random: Random,
  key: Exclude<ObservationKey, 'bmi'>,
  person: Person,
  base: Baseline,
  day: number,
  state: Condition,
  fever: boolean,
): number {
  const age = (day - person.birthDay) / DAYS_PER_YEAR;
  switch (key) {
    case 'bp': {
      let sbp = base.systolic + Math.max(0, age - 35) * 0.5;
      if (state.has('hypertension')) sbp += state.controlled('hypertension') ? 12 : 32;
      return random.normal(sbp, 6);
    }
    case 'heartRate':
      return random.normal(base.heartRate + (fever ? 15 : 0) + (age < 6 ? 30 : 0), 4);
    case 'height':
      return random.normal(growth(base, age).height, 0.5);
    case 'weight':
      return random.normal(growth(base, age).weight + (age > 30 ? Math.min(age - 30, 25) * 0.1 : 0), 0.6);
    case 'temperature':
      return fever ? random.normal(38.6, 0.4) : random.normal(36.8, 0.2);
    case 'spo2':
      return Math.min(100, random.normal(state.has('copd') ? (state.flaring('copd') ? 89 : 94) : 98, 1));
    case 'glucose':
      return state.has('diabetes')
        ? random.normal(state.controlled('diabetes') ? 7.2 : 9.8, 0.9)
        : random.normal(5.1, 0.3);
    case 'hba1c':
      return state.has('diabetes')
        ? random.normal(state.controlled('diabetes') ? 7.0 : 8.9, 0.4)
        : random.normal(5.4, 0.2);
    case 'cholesterol':
      return state.has('dyslipidaemia')
        ? random.normal(state.controlled('dyslipidaemia') ? 4.9 : 6.4, 0.3)
        : random.normal(4.6, 0.3);
    case 'ldl':
      return state.has('dyslipidaemia')
        ? random.normal(state.controlled('dyslipidaemia') ? 2.7 : 4.3, 0.25)
        : random.normal(2.6, 0.25);
    case 'hdl':
      return random.normal(person.sex === 'male' ? 1.1 : 1.35, 0.08);
    case 'triglycerides':
      return state.has('dyslipidaemia')
        ? random.normal(state.controlled('dyslipidaemia') ? 1.8 : 2.9, 0.3)
        : random.normal(1.3, 0.2);
    case 'alt':
      if (state.flaring('hepatitisB')) return random.normal(190, 30);
      return state.has('hepatitisB')
        ? random.normal(state.controlled('hepatitisB') ? 28 : 52, 6)
        : random.normal(24, 4);
    case 'ast':
      if (state.flaring('hepatitisB')) return random.normal(140, 25);
      return state.has('hepatitisB')
        ? random.normal(state.controlled('hepatitisB') ? 26 : 44, 5)
        : random.normal(22, 3);
    case 'creatinine':
      return random.normal(
        base.creatinine + Math.max(0, age - 50) * 0.6 + (state.has('diabetes') ? 8 : 0),
        4,
      );
    case 'hbvDna':
      if (state.flaring('hepatitisB')) return Math.round(10 ** random.normal(6.5, 0.4));
      // below the detection limit (20 IU/mL) when controlled: reported as "< 20"
      return state.controlled('hepatitisB') ? 0 : Math.round(10 ** random.normal(4.2, 0.5));
    case 'hbsag':
      return state.has('hepatitisB') ? 1 : 0;
  }
}

export function diastolic(random: Random, systolic: number): number {
  return random.normal(systolic * 0.6 + 8, 4);
}
