// Realistic Vietnamese FHIR R4 resources for search-extraction tests: a patient with chronic
// hepatitis B followed at a district hospital and referred to a central hospital.

const CCCD = 'http://fhir.hl7.org.vn/core/sid/cccd';
const BHYT = 'http://fhir.hl7.org.vn/core/sid/bhyt';
const CSKCB = 'http://fhir.hl7.org.vn/core/sid/ma-cskcb';
const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';

export const PATIENT = {
  resourceType: 'Patient',
  id: 'bn-thu',
  meta: {
    profile: ['http://fhir.hl7.org.vn/core/StructureDefinition/vn-core-patient'],
    tag: [{ system: 'https://hoso.vn/tags', code: 'facility-record' }],
    security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N' }],
    source: 'urn:hoso:facility:79071',
  },
  identifier: [
    {
      system: CCCD,
      value: '079185001234',
      type: { coding: [{ system: V2_0203, code: 'NI' }], text: 'Căn cước công dân' },
    },
    {
      system: BHYT,
      value: 'GD4797932590897',
      type: { coding: [{ system: V2_0203, code: 'MC', display: 'Thẻ BHYT' }] },
    },
  ],
  active: true,
  name: [{ use: 'official', text: 'Trần Thị Thu', family: 'Trần', given: ['Thị', 'Thu'] }],
  telecom: [
    { system: 'phone', value: '0903123456', use: 'mobile' },
    { system: 'email', value: 'thu.tran@example.vn' },
  ],
  gender: 'female',
  birthDate: '1985-07-12',
  address: [
    {
      use: 'home',
      line: ['45 Nguyễn Trãi', 'Phường Bến Thành'],
      city: 'Thành phố Hồ Chí Minh',
      country: 'VN',
      text: '45 Nguyễn Trãi, Phường Bến Thành, Thành phố Hồ Chí Minh',
    },
  ],
  communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'vi' }], text: 'Tiếng Việt' } }],
  generalPractitioner: [{ reference: 'Practitioner/bs-hoa' }],
  managingOrganization: { reference: 'Organization/bv-quan-1', display: 'Bệnh viện Quận 1' },
  link: [{ other: { reference: 'Patient/golden-thu' }, type: 'seealso' }],
};

export const PRACTITIONER = {
  resourceType: 'Practitioner',
  id: 'bs-hoa',
  identifier: [{ system: 'http://fhir.hl7.org.vn/core/sid/cchn', value: '000123/HCM-CCHN' }],
  active: true,
  name: [{ family: 'Lê', given: ['Minh', 'Hoà'], prefix: ['BS.'] }],
  telecom: [{ system: 'phone', value: '02838123456' }],
  gender: 'male',
  qualification: [{ code: { text: 'Bác sĩ chuyên khoa I Nội' } }],
};

export const ORGANIZATION = {
  resourceType: 'Organization',
  id: 'bv-quan-1',
  identifier: [{ system: CSKCB, value: '79071' }],
  active: true,
  type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov' }] }],
  name: 'Bệnh viện Quận 1',
  alias: ['BV Q1'],
  address: [{ line: ['338 Hai Bà Trưng'], city: 'Thành phố Hồ Chí Minh', country: 'VN' }],
  partOf: { reference: 'Organization/so-y-te-hcm' },
};

export const ENCOUNTER = {
  resourceType: 'Encounter',
  id: 'kham-2024-05',
  identifier: [{ system: 'http://fhir.hl7.org.vn/core/sid/ma-lk', value: 'LK2405060001' }],
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
  type: [{ text: 'Khám định kỳ viêm gan B' }],
  subject: { reference: 'Patient/bn-thu' },
  participant: [{ individual: { reference: 'Practitioner/bs-hoa' }, type: [{ coding: [{ code: 'PPRF' }] }] }],
  period: { start: '2024-05-06T07:45:00+07:00', end: '2024-05-06T09:10:00+07:00' },
  length: { value: 85, unit: 'phút', system: UCUM, code: 'min' },
  reasonCode: [{ coding: [{ system: ICD10, code: 'B18.1', display: 'Viêm gan virus B mạn' }] }],
  diagnosis: [{ condition: { reference: 'Condition/vgb' }, rank: 1 }],
  hospitalization: { dischargeDisposition: { text: 'Về nhà' } },
  location: [
    { location: { reference: 'Location/phong-kham-3' }, period: { start: '2024-05-06T08:00:00+07:00' } },
  ],
  serviceProvider: { reference: 'Organization/bv-quan-1' },
};

export const CONDITION = {
  resourceType: 'Condition',
  id: 'vgb',
  clinicalStatus: {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
  },
  verificationStatus: {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }],
  },
  category: [
    {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' },
      ],
    },
  ],
  severity: { text: 'Trung bình' },
  code: {
    coding: [
      { system: ICD10, code: 'B18.1', display: 'Viêm gan virus B mạn, không có đồng nhiễm viêm gan D' },
    ],
    text: 'Viêm gan B mạn',
  },
  bodySite: [{ text: 'Gan' }],
  subject: { reference: 'Patient/bn-thu' },
  encounter: { reference: 'Encounter/kham-2024-05' },
  onsetAge: { value: 32, unit: 'năm', system: UCUM, code: 'a' },
  recordedDate: '2017-09-20',
  recorder: { reference: 'Practitioner/bs-hoa' },
  asserter: { reference: 'Practitioner/bs-hoa' },
  evidence: [{ detail: [{ reference: 'Observation/hbv-dna' }] }],
};

export const OBSERVATION_VITALS = {
  resourceType: 'Observation',
  id: 'huyet-ap',
  status: 'final',
  category: [
    {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }],
    },
  ],
  code: { coding: [{ system: LOINC, code: '85354-9', display: 'Blood pressure panel' }], text: 'Huyết áp' },
  subject: { reference: 'Patient/bn-thu' },
  encounter: { reference: 'Encounter/kham-2024-05' },
  effectiveDateTime: '2024-05-06T08:05:00+07:00',
  issued: '2024-05-06T08:06:12.345+07:00',
  performer: [{ reference: 'Practitioner/bs-hoa' }],
  component: [
    {
      code: { coding: [{ system: LOINC, code: '8480-6', display: 'Systolic blood pressure' }] },
      valueQuantity: { value: 135, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' },
      interpretation: [{ coding: [{ code: 'H' }] }],
    },
    {
      code: { coding: [{ system: LOINC, code: '8462-4', display: 'Diastolic blood pressure' }] },
      valueQuantity: { value: 85, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' },
    },
  ],
};

export const OBSERVATION_LAB = {
  resourceType: 'Observation',
  id: 'hbv-dna',
  identifier: [{ system: 'urn:hoso:lab:79071', value: 'XN-240506-17' }],
  basedOn: [{ reference: 'ServiceRequest/xn-hbv' }],
  status: 'final',
  category: [
    {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }],
    },
  ],
  code: {
    coding: [{ system: LOINC, code: '42595-9', display: 'Hepatitis B virus DNA [#/volume]' }],
    text: 'Tải lượng HBV-DNA',
  },
  subject: { reference: 'Patient/bn-thu' },
  effectivePeriod: { start: '2024-05-06T08:15:00+07:00', end: '2024-05-06T08:20:00+07:00' },
  valueQuantity: { value: 0.000012, unit: 'IU/mL', system: UCUM, code: '[IU]/mL' },
  specimen: { reference: 'Specimen/mau-1' },
  derivedFrom: [{ reference: 'DocumentReference/kq-xn' }],
  hasMember: [{ reference: 'Observation/alt' }],
};

export const OBSERVATION_NOTE = {
  resourceType: 'Observation',
  id: 'ghi-chu',
  status: 'preliminary',
  code: { text: 'Tình trạng chung' },
  subject: { identifier: { system: CCCD, value: '079185001234' }, type: 'Patient' },
  effectiveDateTime: '2024-05',
  valueString: 'Bệnh nhân khoẻ, ăn uống bình thường',
};

export const MEDICATION_REQUEST = {
  resourceType: 'MedicationRequest',
  id: 'don-thuoc-1',
  identifier: [{ system: 'urn:hoso:don-thuoc:79071', value: 'DT-2405-0001' }],
  status: 'active',
  intent: 'order',
  category: [{ text: 'Ngoại trú' }],
  medicationCodeableConcept: {
    coding: [{ system: 'http://www.whocc.no/atc', code: 'J05AF07', display: 'tenofovir disoproxil' }],
    text: 'Tenofovir 300 mg',
  },
  subject: { reference: 'Patient/bn-thu' },
  encounter: { reference: 'Encounter/kham-2024-05' },
  authoredOn: '2024-05-06T09:00:00+07:00',
  requester: { reference: 'Practitioner/bs-hoa' },
  dosageInstruction: [
    {
      text: 'Uống 1 viên mỗi ngày sau ăn sáng',
      timing: { event: ['2024-05-07', '2024-06-05'], repeat: { frequency: 1, period: 1, periodUnit: 'd' } },
      doseAndRate: [{ doseQuantity: { value: 1, unit: 'viên' } }],
    },
  ],
  dispenseRequest: {
    validityPeriod: { start: '2024-05-06', end: '2024-06-05' },
    quantity: { value: 30, unit: 'viên' },
    performer: { reference: 'Organization/bv-quan-1' },
  },
};

export const PROCEDURE = {
  resourceType: 'Procedure',
  id: 'sieu-am',
  status: 'completed',
  category: { text: 'Chẩn đoán hình ảnh' },
  code: { coding: [{ system: 'urn:hoso:dvkt', code: '18.0001.0001', display: 'Siêu âm ổ bụng' }] },
  subject: { reference: 'Patient/bn-thu' },
  encounter: { reference: 'Encounter/kham-2024-05' },
  performedPeriod: { start: '2024-05-06T08:30:00+07:00', end: '2024-05-06T08:45:00+07:00' },
  performer: [{ actor: { reference: 'Practitioner/bs-hoa' } }],
  location: { reference: 'Location/phong-sieu-am' },
  reasonReference: [{ reference: 'Condition/vgb' }],
};

export const ALLERGY = {
  resourceType: 'AllergyIntolerance',
  id: 'di-ung-1',
  clinicalStatus: {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }],
  },
  type: 'allergy',
  category: ['medication'],
  criticality: 'high',
  code: { text: 'Penicillin' },
  patient: { reference: 'Patient/bn-thu' },
  recordedDate: '2015',
  recorder: { reference: 'Practitioner/bs-hoa' },
  reaction: [{ manifestation: [{ text: 'Nổi mề đay' }], severity: 'moderate' }],
};

export const IMMUNIZATION = {
  resourceType: 'Immunization',
  id: 'tiem-vgb-3',
  status: 'completed',
  vaccineCode: {
    coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '08' }],
    text: 'Vắc xin viêm gan B',
  },
  patient: { reference: 'Patient/bn-thu' },
  occurrenceDateTime: '1986-01-12',
  lotNumber: 'HB-8601',
  location: { reference: 'Location/tram-y-te' },
  performer: [{ actor: { reference: 'Practitioner/bs-hoa' } }],
  reasonCode: [{ text: 'Tiêm chủng mở rộng' }],
  protocolApplied: [{ targetDisease: [{ text: 'Viêm gan B' }], doseNumberPositiveInt: 3 }],
};

export const SERVICE_REQUEST = {
  resourceType: 'ServiceRequest',
  id: 'chuyen-tuyen',
  identifier: [{ system: 'urn:hoso:giay-chuyen-tuyen', value: 'CT-2405-0007' }],
  status: 'active',
  intent: 'order',
  category: [{ text: 'Chuyển tuyến' }],
  priority: 'routine',
  code: { text: 'Khám chuyên khoa gan mật' },
  subject: { reference: 'Patient/bn-thu' },
  encounter: { reference: 'Encounter/kham-2024-05' },
  occurrencePeriod: { start: '2024-05-10', end: '2024-06-10' },
  authoredOn: '2024-05-06T09:05:00+07:00',
  requester: { reference: 'Practitioner/bs-hoa' },
  performer: [{ reference: 'Organization/bv-cho-ray' }],
  reasonReference: [{ reference: 'Condition/vgb' }],
};

export const COVERAGE = {
  resourceType: 'Coverage',
  id: 'the-bhyt',
  identifier: [{ system: BHYT, value: 'GD4797932590897' }],
  status: 'active',
  type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'PUBLICPOL' }] },
  beneficiary: { reference: 'Patient/bn-thu' },
  subscriber: { reference: 'Patient/bn-thu' },
  period: { start: '2024-01-01', end: '2024-12-31' },
  payor: [{ reference: 'Organization/bhxh-hcm' }],
  class: [{ type: { coding: [{ code: 'plan' }] }, value: 'GD4', name: 'Hộ gia đình' }],
};

export const DIAGNOSTIC_REPORT = {
  resourceType: 'DiagnosticReport',
  id: 'kq-xn',
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB' }] }],
  code: { text: 'Xét nghiệm chức năng gan' },
  subject: { reference: 'Patient/bn-thu' },
  effectiveDateTime: '2024-05-06T10:00:00+07:00',
  issued: '2024-05-06T11:30:00+07:00',
  performer: [{ reference: 'Organization/bv-quan-1' }],
  result: [{ reference: 'Observation/hbv-dna' }],
  conclusion: 'Tải lượng virus thấp',
  conclusionCode: [{ text: 'Ổn định' }],
};

export const BUNDLE = {
  resourceType: 'Bundle',
  id: 'giay-ra-vien',
  identifier: { system: 'urn:hoso:bundle', value: 'RV-1' },
  type: 'document',
  timestamp: '2024-05-06T12:00:00+07:00',
  entry: [{ resource: { resourceType: 'Composition', id: 'tom-tat' } }],
};

export const VN_EXAMPLES: Record<string, unknown>[] = [
  PATIENT,
  PRACTITIONER,
  ORGANIZATION,
  ENCOUNTER,
  CONDITION,
  OBSERVATION_VITALS,
  OBSERVATION_LAB,
  OBSERVATION_NOTE,
  MEDICATION_REQUEST,
  PROCEDURE,
  ALLERGY,
  IMMUNIZATION,
  SERVICE_REQUEST,
  COVERAGE,
  DIAGNOSTIC_REPORT,
  BUNDLE,
];
