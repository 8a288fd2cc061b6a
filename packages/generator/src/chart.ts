// Turns a person's care plan into their clinical record: for every visit, the Encounter at the
// facility's own Patient record and what was done there (conditions, vital signs and lab results,
// prescriptions, imaging, referral papers), in dependency order. Also decides on which day each
// facility registered the person. Pure: randomness comes from the caller's stream.
// Hot path: written as one class with plain methods (no closures per visit) for speed.
import type { Random } from './random.ts';
import type { Person } from './person.ts';
import type { CarePlan, ChronicState, Visit } from './care-plan.ts';
import type { Clinician, Facility } from './facilities.ts';
import type { Registration } from './patients.ts';
import { CHRONIC, OBSERVATIONS, type ChronicKey, type ObservationKey } from './catalog.ts';
import { baseline, Condition, diastolic, measure, type Baseline } from './trends.ts';
import {
  bloodPressureResource,
  conditionResource,
  encounterResource,
  hbsagResource,
  imagingReportResource,
  medicationRequestResource,
  observationResource,
  ref,
  referralResource,
  type At,
  type Ref,
} from './clinical.ts';
import type { Resource } from './types.ts';
import { DAYS_PER_YEAR } from './dates.ts';

/** days before the specialised visit that the referral paper is signed */
const REFERRAL_LEAD_DAYS = 2;

function firstSeen(first: Map<Facility, number>, f: Facility, day: number): void {
  const d = first.get(f);
  if (d === undefined || day < d) first.set(f, day);
}

/** the facilities a plan uses, each registered on the first day the person came (or was referred from) */
export function registrationsOf(random: Random, plan: CarePlan): Registration[] {
  const first = new Map<Facility, number>();
  for (const v of plan.visits) {
    firstSeen(first, v.facility, v.day);
    if (v.referral) firstSeen(first, v.referral.from, v.day - REFERRAL_LEAD_DAYS);
  }
  return [...first]
    .sort((a, b) => a[1] - b[1] || (a[0].code < b[0].code ? -1 : 1))
    .map(([facility, day]) => ({ patientId: random.uuid(), facility, day }));
}

const ABDOMEN_NORMAL = 'Gan kích thước bình thường, nhu mô đều. Không thấy khối khu trú. Lách không to.';
const ABDOMEN_COARSE = 'Gan nhu mô thô, bờ hơi không đều. Không thấy khối khu trú. Không có dịch ổ bụng.';
const CHEST_COPD = 'Hai phế trường tăng sáng, vòm hoành dẹt. Không thấy tổn thương khu trú.';
const REFERRAL_SUMMARY =
  'Diễn biến: bệnh tiến triển nặng hơn dù đã điều trị. Tình trạng lúc chuyển tuyến: tỉnh, tiếp xúc tốt. ' +
  'Hướng điều trị: đề nghị tuyến chuyên sâu đánh giá và điều chỉnh phác đồ.';

function diagnosisOf(key: ChronicKey): { code: string; display: string } {
  return { code: CHRONIC[key].icd10, display: CHRONIC[key].display };
}

class ChartBuilder {
  readonly out: Resource[] = [];
  private readonly patientAt: Map<Facility, string>;
  private readonly base: Baseline;
  /** "facility code:disease" already on that facility's problem list */
  private readonly recorded = new Set<string>();
  private readonly measured = new Set<ObservationKey>();
  // the visit being written
  private visit!: Visit;
  private patientId = '';
  private encounterId = '';
  private subject: Ref = { reference: '' };
  private encounter: Ref = { reference: '' };
  private state!: Condition;
  private fever = false;

  constructor(
    private readonly random: Random,
    private readonly person: Person,
    private readonly plan: CarePlan,
    registrations: readonly Registration[],
    private readonly asOf: number,
  ) {
    this.patientAt = new Map(registrations.map((r) => [r.facility, r.patientId]));
    this.base = baseline(random, person);
  }

  private doctor(f: Facility): Clinician {
    const doctors = f.clinicians.filter((c) => c.role === 'doctor');
    return this.random.pick(doctors.length > 0 ? doctors : f.clinicians);
  }

  private at(minuteOffset: number): At {
    return {
      id: this.random.uuid(),
      subject: this.subject,
      encounter: this.encounter,
      day: this.visit.day,
      minute: this.visit.minute + minuteOffset,
    };
  }

  private value(key: Exclude<ObservationKey, 'bmi' | 'bp' | 'hbsag'> | 'bp'): number {
    return measure(this.random, key, this.person, this.base, this.visit.day, this.state, this.fever);
  }

  private observe(key: ObservationKey): void {
    if (this.measured.has(key)) return;
    this.measured.add(key);
    if (key === 'bp') {
      const sbp = this.value('bp');
      this.out.push(bloodPressureResource(this.at(5), sbp, diastolic(this.random, sbp)));
    } else if (key === 'hbsag') {
      this.out.push(hbsagResource(this.at(90), this.state.has('hepatitisB')));
    } else if (key === 'bmi') {
      const h = this.value('height');
      const w = this.value('weight');
      this.measured.add('height').add('weight');
      this.out.push(
        observationResource(this.at(5), 'height', h),
        observationResource(this.at(5), 'weight', w),
        observationResource(this.at(5), 'bmi', w / (h / 100) ** 2),
      );
    } else {
      const offset = OBSERVATIONS[key].category === 'laboratory' ? 90 : 5;
      this.out.push(observationResource(this.at(offset), key, this.value(key)));
    }
  }

  write(): Resource[] {
    const visits = this.plan.visits;
    // day of the next chronic follow-up after each visit (for the supply a prescription covers)
    const nextFollowUp: number[] = new Array<number>(visits.length);
    for (let i = visits.length - 1, next = -1; i >= 0; i--) {
      nextFollowUp[i] = next;
      if ((visits[i] as Visit).kind === 'chronic') next = (visits[i] as Visit).day;
    }
    for (let i = 0; i < visits.length; i++) this.writeVisit(visits[i] as Visit, nextFollowUp[i] as number);
    return this.out;
  }

  private writeVisit(visit: Visit, nextFollowUp: number): void {
    this.visit = visit;
    this.patientId = this.patientAt.get(visit.facility) as string;
    this.encounterId = this.random.uuid();
    this.subject = ref('Patient', this.patientId);
    this.encounter = ref('Encounter', this.encounterId);
    this.state = new Condition(this.plan, visit.day);
    this.fever = visit.acute?.fever ?? false;
    this.measured.clear();
    const clinician = this.doctor(visit.facility);
    const active = this.plan.chronic.filter((c) => c.diagnosedDay <= visit.day);

    let referral: { serviceRequestId: string; fromOrganizationId: string } | undefined;
    const inpatient = visit.kind === 'referral' && this.random.chance(0.4);
    const endDay = inpatient ? Math.min(this.asOf, visit.day + 3 + this.random.int(8)) : visit.day;
    if (visit.referral) {
      const { from, key, reason } = visit.referral;
      const serviceRequestId = this.random.uuid();
      referral = { serviceRequestId, fromOrganizationId: from.id };
      const paper = {
        id: serviceRequestId,
        patientId: this.patientAt.get(from) as string,
        day: visit.day - REFERRAL_LEAD_DAYS,
        minute: visit.minute,
      };
      const summary = `Chẩn đoán: ${CHRONIC[key].icd10} ${CHRONIC[key].display}. ${REFERRAL_SUMMARY}`;
      this.out.push(
        referralResource(paper, key, reason, this.doctor(from).practitionerId, visit.facility.id, summary),
      );
    }

    const reasons = visit.acute
      ? [{ code: visit.acute.icd10, display: visit.acute.display }]
      : visit.referral
        ? [diagnosisOf(visit.referral.key)]
        : visit.kind === 'chronic'
          ? active.map((c) => diagnosisOf(c.key))
          : [];
    const encounter = {
      id: this.encounterId,
      patientId: this.patientId,
      kind: visit.kind,
      day: visit.day,
      minute: visit.minute,
      endDay,
      inpatient,
    };
    this.out.push(
      encounterResource(encounter, visit.facility.id, clinician.practitionerId, reasons, referral),
    );

    if (visit.kind === 'checkup') this.checkup();
    else if (visit.kind === 'acute') this.acute(clinician);
    else this.followUp(clinician, active, nextFollowUp);
  }

  private checkup(): void {
    const age = (this.visit.day - this.person.birthDay) / DAYS_PER_YEAR;
    this.observe('bmi');
    if (age >= 16) this.observe('bp');
    this.observe('heartRate');
    if (age >= 40 && this.random.chance(0.5)) {
      this.observe('glucose');
      this.observe('cholesterol');
    }
  }

  private acute(clinician: Clinician): void {
    const problem = this.visit.acute;
    if (!problem) return;
    const age = (this.visit.day - this.person.birthDay) / DAYS_PER_YEAR;
    this.observe('temperature');
    this.observe('heartRate');
    if (age >= 16) this.observe('bp');
    const resolved = this.visit.day + 7 + this.random.int(7);
    const diagnosis = { code: problem.icd10, display: problem.display };
    const onset = this.visit.day - 1 - this.random.int(3);
    this.out.push(
      conditionResource(
        this.at(10),
        diagnosis,
        onset,
        'encounter-diagnosis',
        resolved < this.asOf ? resolved : undefined,
      ),
    );
    if (problem.medicine) {
      const days = problem.medicine.days;
      this.out.push(
        medicationRequestResource(
          this.at(15),
          problem.medicine,
          days,
          clinician.practitionerId,
          diagnosis,
          this.visit.day + days >= this.asOf,
        ),
      );
    }
  }

  /** a chronic follow-up or a referral visit */
  private followUp(clinician: Clinician, active: readonly ChronicState[], nextFollowUp: number): void {
    const visit = this.visit;
    const referral = visit.kind === 'referral';
    const keys: ChronicKey[] = visit.referral ? [visit.referral.key] : active.map((c) => c.key);
    for (const key of keys) {
      const tag = `${visit.facility.code}:${key}`;
      if (!referral && this.recorded.has(tag)) continue;
      this.recorded.add(tag);
      const diagnosed = this.plan.chronic.find((c) => c.key === key)?.diagnosedDay ?? visit.day;
      this.out.push(
        conditionResource(
          this.at(10),
          diagnosisOf(key),
          diagnosed,
          referral ? 'encounter-diagnosis' : 'problem-list-item',
        ),
      );
    }
    for (const key of keys) {
      const disease = CHRONIC[key];
      for (const [obs, every] of disease.monitoring)
        if (referral || visit.sequence % every === 0) this.observe(obs);
      if (referral && key === 'hepatitisB') this.observe('hbsag');
      if (disease.imaging && (referral || visit.sequence % disease.imaging.every === 0)) {
        const conclusion =
          key === 'copd' ? CHEST_COPD : referral || this.state.flaring(key) ? ABDOMEN_COARSE : ABDOMEN_NORMAL;
        this.out.push(
          imagingReportResource(this.at(30), disease.imaging.code, visit.facility.id, conclusion),
        );
      }
    }
    const supply = Math.min(90, Math.max(28, nextFollowUp > 0 ? nextFollowUp - visit.day : 30));
    for (const key of keys) {
      const medicine =
        this.plan.chronic.find((c) => c.key === key)?.medicine ??
        (referral ? CHRONIC[key].medicines[0] : undefined);
      if (!medicine) continue;
      const active = visit.day + supply >= this.asOf;
      this.out.push(
        medicationRequestResource(
          this.at(15),
          medicine,
          supply,
          clinician.practitionerId,
          diagnosisOf(key),
          active,
        ),
      );
    }
  }
}

/** The clinical resources of one person, visit by visit. */
export function chartResources(
  random: Random,
  person: Person,
  plan: CarePlan,
  registrations: readonly Registration[],
  asOf: number,
): Resource[] {
  return new ChartBuilder(random, person, plan, registrations, asOf).write();
}
