// Realistic, valid R4 resources for the validator tests and benchmark: a Vietnamese outpatient visit
// (Patient, Encounter, vital-sign and lab Observations, Condition, MedicationRequest, Procedure) and a
// transaction Bundle carrying them. Each call returns fresh objects, so tests may mutate them.

type Json = Record<string, unknown>;

export function patient(): Json {
  return {
    resourceType: 'Patient',
    id: 'bn-0001',
    meta: {
      profile: ['https://fhir.hoso.example.vn/StructureDefinition/vn-patient'],
      tag: [{ system: 'https://fhir.hoso.example.vn/tags', code: 'facility-record' }],
    },
    text: {
      status: 'generated',
      div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Nguyễn Thị Lan, nữ, sinh 14/03/1985</p></div>',
    },
    extension: [
      {
        url: 'https://fhir.hoso.example.vn/StructureDefinition/ethnicity',
        valueCoding: {
          system: 'https://fhir.hoso.example.vn/CodeSystem/dan-toc',
          code: '01',
          display: 'Kinh',
        },
      },
    ],
    identifier: [
      {
        use: 'official',
        type: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NI' }],
          text: 'CCCD',
        },
        system: 'https://fhir.hoso.example.vn/NamingSystem/cccd',
        value: '001185012345',
      },
      {
        system: 'https://fhir.hoso.example.vn/NamingSystem/bhyt',
        value: 'DN4010112345678',
        period: { end: '2026-12-31' },
      },
    ],
    active: true,
    name: [
      {
        use: 'official',
        text: 'Nguyễn Thị Lan',
        family: 'Nguyễn',
        given: ['Thị', 'Lan'],
        _given: [
          null,
          {
            extension: [
              { url: 'https://fhir.hoso.example.vn/StructureDefinition/called-name', valueBoolean: true },
            ],
          },
        ],
      },
    ],
    telecom: [{ system: 'phone', value: '+84 912 345 678', use: 'mobile' }],
    gender: 'female',
    birthDate: '1985-03-14',
    address: [
      {
        use: 'home',
        line: ['12 Lý Thường Kiệt'],
        district: 'Hoàn Kiếm',
        city: 'Hà Nội',
        country: 'VN',
      },
    ],
    maritalStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M' }],
    },
    contact: [
      {
        relationship: [
          { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'N' }], text: 'chồng' },
        ],
        name: { text: 'Trần Văn Minh' },
        telecom: [{ system: 'phone', value: '+84 903 000 111' }],
      },
    ],
    communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'vi' }] }, preferred: true }],
    managingOrganization: { reference: 'Organization/bv-bach-mai', display: 'Bệnh viện Bạch Mai' },
  };
}

export function encounter(): Json {
  return {
    resourceType: 'Encounter',
    id: 'enc-2024-0501',
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    type: [{ text: 'Khám ngoại trú' }],
    subject: { reference: 'Patient/bn-0001' },
    participant: [{ individual: { reference: 'Practitioner/bs-hoa' } }],
    period: { start: '2024-05-01T08:30:00+07:00', end: '2024-05-01T09:05:00+07:00' },
    reasonCode: [
      { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'B18.1' }], text: 'Viêm gan B mạn' },
    ],
    serviceProvider: { reference: 'Organization/bv-bach-mai' },
  };
}

export function heartRate(): Json {
  return {
    resourceType: 'Observation',
    id: 'hr-1',
    status: 'final',
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' },
        ],
      },
    ],
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }], text: 'Mạch' },
    subject: { reference: 'Patient/bn-0001' },
    encounter: { reference: 'Encounter/enc-2024-0501' },
    effectiveDateTime: '2024-05-01T08:40:00+07:00',
    performer: [{ reference: 'Practitioner/bs-hoa' }],
    valueQuantity: { value: 78, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}

export function bloodPressure(): Json {
  const component = (code: string, display: string, value: number) => ({
    code: { coding: [{ system: 'http://loinc.org', code, display }] },
    valueQuantity: { value, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
  });
  return {
    resourceType: 'Observation',
    id: 'bp-1',
    status: 'final',
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' },
        ],
      },
    ],
    code: { coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'Blood pressure panel' }] },
    subject: { reference: 'Patient/bn-0001' },
    effectiveDateTime: '2024-05-01T08:41:00+07:00',
    component: [
      component('8480-6', 'Systolic blood pressure', 128),
      component('8462-4', 'Diastolic blood pressure', 82),
    ],
  };
}

export function alt(): Json {
  return {
    resourceType: 'Observation',
    id: 'alt-1',
    status: 'final',
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' },
        ],
      },
    ],
    code: { coding: [{ system: 'http://loinc.org', code: '1742-6', display: 'ALT' }] },
    subject: { reference: 'Patient/bn-0001' },
    effectiveDateTime: '2024-05-01',
    issued: '2024-05-01T14:02:11.120+07:00',
    valueQuantity: { value: 42.5, unit: 'U/L', system: 'http://unitsofmeasure.org', code: 'U/L' },
    interpretation: [
      {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'H' }],
      },
    ],
    referenceRange: [{ high: { value: 40, unit: 'U/L', system: 'http://unitsofmeasure.org', code: 'U/L' } }],
    note: [{ text: 'Tăng nhẹ, **theo dõi** lại sau 3 tháng' }],
  };
}

export function condition(): Json {
  return {
    resourceType: 'Condition',
    id: 'hbv',
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
    code: {
      coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'B18.1' }],
      text: 'Viêm gan B mạn tính',
    },
    subject: { reference: 'Patient/bn-0001' },
    onsetDateTime: '2015-06',
    recordedDate: '2015-06-20',
  };
}

export function medicationRequest(): Json {
  return {
    resourceType: 'MedicationRequest',
    id: 'rx-1',
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { text: 'Tenofovir disoproxil fumarate 300 mg' },
    subject: { reference: 'Patient/bn-0001' },
    authoredOn: '2024-05-01T09:00:00+07:00',
    requester: { reference: 'Practitioner/bs-hoa' },
    dosageInstruction: [
      {
        text: '1 viên mỗi ngày, uống sau ăn',
        timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } },
        doseAndRate: [{ doseQuantity: { value: 1, unit: 'viên' } }],
      },
    ],
    dispenseRequest: {
      quantity: { value: 30, unit: 'viên' },
      expectedSupplyDuration: { value: 30, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' },
    },
  };
}

export function procedure(): Json {
  return {
    resourceType: 'Procedure',
    id: 'us-1',
    status: 'completed',
    code: { text: 'Siêu âm ổ bụng' },
    subject: { reference: 'Patient/bn-0001' },
    performedPeriod: { start: '2024-05-01T10:00:00+07:00', end: '2024-05-01T10:20:00+07:00' },
  };
}

/** A transaction as a facility system would send it: urn:uuid links and a conditional reference. */
export function transaction(): Json {
  const pid = 'urn:uuid:6f1c2b1e-5d3a-4c8e-9b7a-2f0e4d6c8a11';
  const eid = 'urn:uuid:0b9d8e7f-1a2b-4c3d-8e9f-a0b1c2d3e4f5';
  const withoutId = (r: Json, subject: string): Json => {
    const { id: _id, ...rest } = r;
    return { ...rest, subject: { reference: subject } };
  };
  const { id: _pid, ...p } = patient();
  const { id: _eid, ...e } = encounter();
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: pid,
        resource: p,
        request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=x|1' },
      },
      {
        fullUrl: eid,
        resource: { ...e, subject: { reference: pid } },
        request: { method: 'POST', url: 'Encounter' },
      },
      { resource: withoutId(heartRate(), pid), request: { method: 'POST', url: 'Observation' } },
      {
        resource: withoutId(
          alt(),
          'Patient?identifier=https://fhir.hoso.example.vn/NamingSystem/cccd|001185012345',
        ),
        request: { method: 'POST', url: 'Observation' },
      },
      { resource: withoutId(condition(), pid), request: { method: 'PUT', url: 'Condition?identifier=a|b' } },
      { request: { method: 'DELETE', url: 'Procedure/us-0' } },
    ],
  };
}

export const allExamples = (): Json[] => [
  patient(),
  encounter(),
  heartRate(),
  bloodPressure(),
  alt(),
  condition(),
  medicationRequest(),
  procedure(),
  transaction(),
];
