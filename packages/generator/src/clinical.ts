// Builders of the clinical FHIR R4 resources: Encounter, Condition, Observation (vital signs,
// laboratory, occupation), MedicationRequest, DiagnosticReport (imaging) and the referral
// ServiceRequest. Each takes already-decided facts and returns one resource; no randomness, no I/O.
import {
  CHRONIC,
  OBSERVATIONS,
  VISIT_TYPE,
  type Coding,
  type Medicine,
  type ObservationKey,
} from './catalog.ts';
import type { VisitKind } from './care-plan.ts';
import { EXTENSION, SYSTEM } from './conventions.ts';
import type { ChronicKey } from './catalog.ts';
import { isoDate, isoDateTime } from './dates.ts';
import type { Resource } from './types.ts';

export interface Ref {
  reference: string;
}

export function ref(type: string, id: string): Ref {
  return { reference: `${type}/${id}` };
}

export interface At {
  id: string;
  /** the facility Patient record, as a Reference shared by the visit's resources */
  subject: Ref;
  /** the visit's Encounter, as a shared Reference */
  encounter: Ref;
  day: number;
  minute: number;
}

function icd10(code: string, display: string) {
  return { coding: [{ system: SYSTEM.icd10, code, display }], text: display };
}

const INPATIENT = { system: SYSTEM.actCode, code: 'IMP', display: 'inpatient encounter' };
const AMBULATORY = { system: SYSTEM.actCode, code: 'AMB', display: 'ambulatory' };

export function encounterResource(
  e: {
    id: string;
    patientId: string;
    kind: VisitKind;
    day: number;
    minute: number;
    endDay: number;
    inpatient: boolean;
  },
  organizationId: string,
  practitionerId: string,
  reasons: readonly { code: string; display: string }[],
  referral?: { serviceRequestId: string; fromOrganizationId: string },
): Resource {
  const type = VISIT_TYPE[e.kind];
  const encounter: Resource = {
    resourceType: 'Encounter',
    id: e.id,
    status: 'finished',
    class: e.inpatient ? INPATIENT : AMBULATORY,
    type: [{ coding: [{ system: SYSTEM.snomed, code: type.code, display: type.display }] }],
    subject: ref('Patient', e.patientId),
  };
  if (referral) encounter.basedOn = [ref('ServiceRequest', referral.serviceRequestId)];
  encounter.participant = [{ individual: ref('Practitioner', practitionerId) }];
  encounter.period = {
    start: isoDateTime(e.day, e.minute),
    end: e.inpatient ? isoDateTime(e.endDay, 600) : isoDateTime(e.day, e.minute + 20),
  };
  if (reasons.length > 0) encounter.reasonCode = reasons.map((r) => icd10(r.code, r.display));
  if (referral && e.inpatient) {
    encounter.hospitalization = { origin: ref('Organization', referral.fromOrganizationId) };
  }
  encounter.serviceProvider = ref('Organization', organizationId);
  return encounter;
}

const ACTIVE = { coding: [{ system: SYSTEM.conditionClinical, code: 'active' }] };
const RESOLVED = { coding: [{ system: SYSTEM.conditionClinical, code: 'resolved' }] };
const CONFIRMED = { coding: [{ system: SYSTEM.conditionVerification, code: 'confirmed' }] };

export function conditionResource(
  at: At,
  code: { code: string; display: string },
  onsetDay: number,
  category: 'problem-list-item' | 'encounter-diagnosis',
  resolvedDay?: number,
): Resource {
  const condition: Resource = {
    resourceType: 'Condition',
    id: at.id,
    clinicalStatus: resolvedDay === undefined ? ACTIVE : RESOLVED,
    verificationStatus: CONFIRMED,
    category: [{ coding: [{ system: SYSTEM.conditionCategory, code: category }] }],
    code: icd10(code.code, code.display),
    subject: at.subject,
    encounter: at.encounter,
    onsetDateTime: isoDate(onsetDay),
  };
  if (resolvedDay !== undefined) condition.abatementDateTime = isoDate(resolvedDay);
  condition.recordedDate = isoDateTime(at.day, at.minute);
  return condition;
}

function quantity(value: number, unit: string) {
  return { value, unit, system: SYSTEM.ucum, code: unit };
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function observationBase(at: At, key: ObservationKey): Resource {
  const def = OBSERVATIONS[key];
  return {
    resourceType: 'Observation',
    id: at.id,
    status: 'final',
    category: [{ coding: [{ system: SYSTEM.observationCategory, code: def.category }] }],
    code: { coding: [{ system: SYSTEM.loinc, code: def.loinc, display: def.display }] },
    subject: at.subject,
    encounter: at.encounter,
    effectiveDateTime: isoDateTime(at.day, at.minute),
  };
}

/** a numeric observation (HBV DNA of 0 means "below the detection limit of 20 IU/mL") */
export function observationResource(
  at: At,
  key: Exclude<ObservationKey, 'bp' | 'hbsag'>,
  value: number,
): Resource {
  const def = OBSERVATIONS[key];
  const resource = observationBase(at, key);
  if (key === 'hbvDna' && value < 20) {
    resource.valueQuantity = { ...quantity(20, def.unit), comparator: '<' };
  } else {
    resource.valueQuantity = quantity(round(value, def.decimals), def.unit);
  }
  return resource;
}

export function bloodPressureResource(at: At, systolic: number, diastolic: number): Resource {
  const resource = observationBase(at, 'bp');
  resource.component = [
    {
      code: { coding: [{ system: SYSTEM.loinc, code: '8480-6', display: 'Systolic blood pressure' }] },
      valueQuantity: quantity(Math.round(systolic), 'mm[Hg]'),
    },
    {
      code: { coding: [{ system: SYSTEM.loinc, code: '8462-4', display: 'Diastolic blood pressure' }] },
      valueQuantity: quantity(Math.round(diastolic), 'mm[Hg]'),
    },
  ];
  return resource;
}

export function hbsagResource(at: At, positive: boolean): Resource {
  const resource = observationBase(at, 'hbsag');
  resource.valueCodeableConcept = {
    coding: [
      positive
        ? { system: SYSTEM.snomed, code: '10828004', display: 'Positive' }
        : { system: SYSTEM.snomed, code: '260385009', display: 'Negative' },
    ],
  };
  return resource;
}

export function occupationResource(at: Omit<At, 'encounter'>, occupation: string): Resource {
  return {
    resourceType: 'Observation',
    id: at.id,
    status: 'final',
    category: [{ coding: [{ system: SYSTEM.observationCategory, code: 'social-history' }] }],
    code: { coding: [{ system: SYSTEM.loinc, code: '11341-5', display: 'History of Occupation' }] },
    subject: at.subject,
    effectiveDateTime: isoDateTime(at.day, at.minute),
    valueString: occupation,
  };
}

const DOSE_UNIT: Record<NonNullable<Medicine['form']> | 'tablet', { unit: string; code: string }> = {
  tablet: { unit: 'viên', code: '{tbl}' },
  inhaler: { unit: 'nhát', code: '{puff}' },
  sachet: { unit: 'gói', code: '{sachet}' },
};

const ROUTE = {
  oral: { system: SYSTEM.snomed, code: '26643006', display: 'Oral route' },
  inhaled: { system: SYSTEM.snomed, code: '447694001', display: 'Respiratory tract route' },
};

export function medicationRequestResource(
  at: At,
  medicine: Medicine,
  days: number,
  practitionerId: string,
  reason: { code: string; display: string },
  active: boolean,
): Resource {
  const dose = DOSE_UNIT[medicine.form ?? 'tablet'];
  return {
    resourceType: 'MedicationRequest',
    id: at.id,
    status: active ? 'active' : 'completed',
    intent: 'order',
    medicationCodeableConcept: {
      coding: [{ system: SYSTEM.atc, code: medicine.atc, display: medicine.name }],
      text: `${medicine.name} ${medicine.strength}`,
    },
    subject: at.subject,
    encounter: at.encounter,
    authoredOn: isoDateTime(at.day, at.minute + 15),
    requester: ref('Practitioner', practitionerId),
    reasonCode: [icd10(reason.code, reason.display)],
    dosageInstruction: [
      {
        text: medicine.instruction,
        timing: { repeat: { frequency: medicine.perDay, period: 1, periodUnit: 'd' } },
        route: { coding: [medicine.form === 'inhaler' ? ROUTE.inhaled : ROUTE.oral] },
        doseAndRate: [{ doseQuantity: { value: 1, unit: dose.unit, system: SYSTEM.ucum, code: dose.code } }],
      },
    ],
    dispenseRequest: {
      validityPeriod: { start: isoDate(at.day), end: isoDate(at.day + days) },
      quantity: { value: medicine.perDay * days, unit: dose.unit, system: SYSTEM.ucum, code: dose.code },
      expectedSupplyDuration: { value: days, unit: 'd', system: SYSTEM.ucum, code: 'd' },
    },
  };
}

export function imagingReportResource(
  at: At,
  code: Coding,
  organizationId: string,
  conclusion: string,
): Resource {
  return {
    resourceType: 'DiagnosticReport',
    id: at.id,
    status: 'final',
    category: [{ coding: [{ system: SYSTEM.diagnosticServiceSection, code: 'RAD', display: 'Radiology' }] }],
    code: { coding: [{ system: SYSTEM.loinc, code: code.code, display: code.display }] },
    subject: at.subject,
    encounter: at.encounter,
    effectiveDateTime: isoDateTime(at.day, at.minute + 30),
    issued: isoDateTime(at.day, at.minute + 60),
    performer: [ref('Organization', organizationId)],
    conclusion,
  };
}

const REFERRAL = { system: SYSTEM.snomed, code: '3457005', display: 'Patient referral' };
const REFERRAL_REASON: Record<1 | 2 | 3, string> = {
  1: 'Đủ điều kiện chuyên môn',
  2: 'Vượt quá khả năng chuyên môn',
  3: 'Theo yêu cầu của người bệnh',
};

/** the referral paper, issued by the referring facility on its own Patient record; valid one year */
export function referralResource(
  r: { id: string; patientId: string; day: number; minute: number },
  key: ChronicKey,
  reason: 1 | 2 | 3,
  requesterId: string,
  toOrganizationId: string,
  summary: string,
): Resource {
  const disease = CHRONIC[key];
  return {
    resourceType: 'ServiceRequest',
    id: r.id,
    extension: [
      {
        url: EXTENSION.referralReason,
        valueCoding: {
          system: SYSTEM.referralReason,
          code: String(reason),
          display: REFERRAL_REASON[reason],
        },
      },
    ],
    status: 'completed',
    intent: 'order',
    category: [{ coding: [REFERRAL] }],
    code: { coding: [REFERRAL], text: 'Giấy chuyển tuyến' },
    subject: ref('Patient', r.patientId),
    occurrencePeriod: { start: isoDate(r.day), end: isoDate(r.day + 365) },
    authoredOn: isoDateTime(r.day, r.minute),
    requester: ref('Practitioner', requesterId),
    performer: [ref('Organization', toOrganizationId)],
    reasonCode: [icd10(disease.icd10, disease.display)],
    note: [{ text: summary }],
  };
}
