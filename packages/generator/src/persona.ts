// The demo persona: a 40-year-old street-food seller in Phú Thọ with chronic hepatitis B on
// tenofovir, chronic gastritis on twice-daily omeprazole and high cholesterol on atorvastatin,
// seen monthly at his local basic-level hospital for ten years and twice referred to the
// specialised infectious-disease hospital in Hà Nội when his hepatitis flared. Pure.
import type { Random } from './random.ts';
import { home, type Person } from './person.ts';
import type { CarePlan, FacilityChoice, Visit } from './care-plan.ts';
import { ACUTE, CHRONIC, type Medicine } from './catalog.ts';
import { cccd, insuranceCard, mobilePhone } from './identifiers.ts';
import { provinceByCode } from './provinces.ts';
import type { Geography } from './geography.ts';
import { DAYS_PER_YEAR, yearOf } from './dates.ts';

export const PERSONA_PROVINCE = '25';
export const PERSONA_OCCUPATION = 'Bán hàng ăn đường phố (gánh phở)';
/** the persona lives in Lâm Thao, Phú Thọ (part of the built-in geography) */
const PERSONA_WARD = '08494';

function medicine(key: 'hepatitisB' | 'gastritis' | 'dyslipidaemia', atc: string): Medicine {
  return CHRONIC[key].medicines.find((m) => m.atc === atc) as Medicine;
}

export function personaPerson(random: Random, id: string, asOf: number, geography: Geography): Person {
  const province = provinceByCode(PERSONA_PROVINCE);
  const birthDay = asOf - Math.round(40 * DAYS_PER_YEAR) - 100;
  const ward = geography.wards(PERSONA_PROVINCE).find((w) => w.code === PERSONA_WARD);
  const legacyWard = geography.legacy(PERSONA_WARD).find((l) => l.code === PERSONA_WARD);
  const h = { ...home(random, province, geography), ward, legacyWard, line: 'Thôn 5' };
  if (legacyWard) h.legacyProvince = { code: legacyWard.provinceCode, name: legacyWard.provinceName };
  return {
    id,
    name: { family: 'Nguyễn', middle: ['Văn'], given: 'Hùng' },
    sex: 'male',
    birthDay,
    age: 40,
    home: h,
    cccd: cccd(random, '25', yearOf(birthDay), 'male'),
    insurance: { ...insuranceCard(random, 40, PERSONA_PROVINCE, '25'), group: 'GD', level: 4 },
    phone: mobilePhone(random),
    occupation: PERSONA_OCCUPATION,
  };
}

export function personaPlan(random: Random, asOf: number, facilities: FacilityChoice): CarePlan {
  const local =
    facilities.basic.find((f) => !f.name.startsWith('Bệnh viện')) ??
    (facilities.basic[0] as (typeof facilities.basic)[0]);
  const station = facilities.initial[0] as (typeof facilities.initial)[0];
  const hanoi = facilities.specialised('hepatitisB');
  const start = asOf - Math.round(10 * DAYS_PER_YEAR);
  const chronic = [
    { key: 'hepatitisB' as const, diagnosedDay: start - 20, medicine: medicine('hepatitisB', 'J05AF07') },
    { key: 'gastritis' as const, diagnosedDay: start + 400, medicine: medicine('gastritis', 'A02BC01') },
    {
      key: 'dyslipidaemia' as const,
      diagnosedDay: start + Math.round(5 * DAYS_PER_YEAR),
      medicine: medicine('dyslipidaemia', 'C10AA05'),
    },
  ];
  const visits: Visit[] = [];
  let sequence = 0;
  for (let day = start; day < asOf; day += 28 + random.int(5)) {
    visits.push({ kind: 'chronic', day, minute: 7 * 60 + 30, facility: local, sequence: sequence++ });
  }
  const flares = [
    { key: 'hepatitisB' as const, day: start + Math.round(4.2 * DAYS_PER_YEAR) },
    { key: 'hepatitisB' as const, day: asOf - 200 },
  ];
  if (hanoi) {
    for (const flare of flares) {
      visits.push({
        kind: 'referral',
        day: flare.day,
        minute: 9 * 60,
        facility: hanoi,
        sequence: 0,
        referral: { key: 'hepatitisB', from: local, reason: 2 },
      });
    }
  }
  const urti = ACUTE[0] as (typeof ACUTE)[0];
  for (const offset of [1.5, 3.7, 7.1]) {
    visits.push({
      kind: 'acute',
      day: start + Math.round(offset * DAYS_PER_YEAR),
      minute: 16 * 60,
      facility: station,
      sequence: 0,
      acute: urti,
    });
  }
  visits.sort((a, b) => a.day - b.day || a.minute - b.minute);
  return { chronic, visits, flares };
}
