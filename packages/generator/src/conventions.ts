// The generator's identifier systems, code systems and extension URLs in one place: Vietnamese
// ones come from @hoso/vn/fhir-conventions (aligned with the VN Core guides), international ones
// are the standard FHIR URIs, and the few the conventions do not define (facility level
// extension, referral reason) live under the conventions' own base. Constants only.
import { VN_FHIR } from '@hoso/vn/fhir-conventions';

export { addressUnitsExtension } from '@hoso/vn/fhir-conventions';

export const SYSTEM = {
  cccd: VN_FHIR.identifierSystems.citizenId,
  bhyt: VN_FHIR.identifierSystems.insuranceCard,
  facilityCode: VN_FHIR.identifierSystems.facilityCode,
  practisingCertificate: VN_FHIR.identifierSystems.practisingCertificate,
  facilityLevel: VN_FHIR.codeSystems.facilityLevel,
  referralReason: `${VN_FHIR.base}/CodeSystem/referral-reason`,
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  snomed: 'http://snomed.info/sct',
  atc: 'http://www.whocc.no/atc',
  v2IdentifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  diagnosticServiceSection: 'http://terminology.hl7.org/CodeSystem/v2-0074',
  organizationType: 'http://terminology.hl7.org/CodeSystem/organization-type',
  practitionerRole: 'http://terminology.hl7.org/CodeSystem/practitioner-role',
} as const;

export const EXTENSION = {
  /** Organization: technical level (valueCoding in SYSTEM.facilityLevel) */
  facilityLevel: `${VN_FHIR.base}/StructureDefinition/facility-technical-level`,
  /** ServiceRequest: referral reason 1–3 (valueCoding in SYSTEM.referralReason) */
  referralReason: `${VN_FHIR.base}/StructureDefinition/referral-reason`,
} as const;

/** identifier system of one facility's own patient record numbers */
export const recordNumberSystem = VN_FHIR.medicalRecordNumberSystem;
