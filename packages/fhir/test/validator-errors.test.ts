// Every class of structural failure is detected, with the right issue code and FHIRPath location,
// and every problem in a resource is reported (not just the first).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LIMITS, validateResource, type ValidationIssue } from '../src/validator.ts';
import {
  bloodPressure,
  condition,
  heartRate,
  medicationRequest,
  patient,
  transaction,
} from './validator-examples.ts';

type Json = Record<string, unknown>;

/** `code@expression` of every issue, for compact assertions. */
const found = (issues: ValidationIssue[]): string[] =>
  issues.map((i) => `${i.code}@${i.expression.join(',')}`);

function expectIssues(resource: unknown, expected: string[], message?: string): ValidationIssue[] {
  const issues = validateResource(resource);
  assert.deepEqual(found(issues).sort(), [...expected].sort(), message ?? JSON.stringify(issues, null, 1));
  return issues;
}

function withPatient(change: (p: Json) => void): Json {
  const p = patient();
  change(p);
  return p;
}

test('not an object, missing or unknown resourceType', () => {
  expectIssues(null, ['structure@']);
  expectIssues([patient()], ['structure@']);
  expectIssues({ id: 'x' }, ['structure@']);
  expectIssues({ resourceType: 'Patientt' }, ['not-supported@']);
  expectIssues({ resourceType: 'DomainResource' }, ['not-supported@']);
});

test('unknown elements, including wrong-case names, misplaced _names and resourceType in a datatype', () => {
  expectIssues(
    withPatient((p) => {
      p.Gender = 'female';
      p._managingOrganization = { id: 'x' };
      (p.name as Json[])[0]!.resourceType = 'HumanName';
      p.birthdate = '1985-03-14';
    }),
    [
      'structure@Patient.Gender',
      'structure@Patient._managingOrganization',
      'structure@Patient.name[0].resourceType',
      'structure@Patient.birthdate',
    ],
  );
});

test('JSON shape: arrays where one value is allowed and the reverse, objects vs primitives', () => {
  expectIssues(
    withPatient((p) => {
      p.gender = ['female'];
      p.name = { family: 'Nguyễn' };
      p.maritalStatus = 'M';
      p.telecom = [{ system: 'phone', value: 912345678 }];
      p.active = 'true';
    }),
    [
      'structure@Patient.gender',
      'structure@Patient.name',
      'structure@Patient.maritalStatus',
      'structure@Patient.telecom[0].value',
      'structure@Patient.active',
    ],
  );
});

test('null, empty objects, empty arrays and empty or whitespace strings (ele-1)', () => {
  expectIssues(
    withPatient((p) => {
      p.birthDate = null;
      p.maritalStatus = {};
      p.identifier = [];
      p.address = [{ city: '' }, null];
      p.name = [{ text: '   ' }, { id: 'only-an-id' }];
    }),
    [
      'structure@Patient.birthDate',
      'invariant@Patient.maritalStatus',
      'invariant@Patient.identifier',
      'value@Patient.address[0].city',
      'structure@Patient.address[1]',
      'value@Patient.name[0].text',
      'invariant@Patient.name[1]',
    ],
  );
});

test('choice types: exactly one variant; unknown variants are unknown elements', () => {
  const obs = heartRate();
  obs.valueString = '78';
  obs.valueMoney = { value: 1 };
  obs.effectivePeriod = { start: '2024-05-01' };
  const issues = expectIssues(obs, [
    'structure@Observation.value.ofType(string)',
    'structure@Observation.valueMoney',
    'structure@Observation.effective.ofType(Period)',
  ]);
  assert.match(issues[0]!.diagnostics, /value\[x\] has more than one type \(Quantity, string\)/);
});

test('cardinality: missing required elements, also in backbone elements and choice types', () => {
  const bp = bloodPressure();
  delete bp.status;
  delete bp.code;
  delete (bp.component as Json[])[1]!.code;
  const issues = expectIssues(bp, [
    'required@Observation.status',
    'required@Observation.code',
    'required@Observation.component[1].code',
  ]);
  assert.ok(issues.some((i) => i.diagnostics === 'Observation.status is required (min 1)'));
  const rx = medicationRequest();
  delete rx.medicationCodeableConcept;
  expectIssues(rx, ['required@MedicationRequest.medication']);
  // A primitive is present when only its extension is: min 1 is satisfied by _status.
  const obs = heartRate();
  delete obs.status;
  obs._status = { extension: [{ url: 'http://example.org/ext/why-missing', valueString: 'x' }] };
  expectIssues(obs, []);
});

test('max 0 elements of a constrained type (SimpleQuantity has no comparator)', () => {
  const rx = medicationRequest();
  (rx.dispenseRequest as Json).quantity = { value: 30, comparator: '<' };
  expectIssues(rx, ['structure@MedicationRequest.dispenseRequest.quantity.comparator']);
});

test('primitive formats', () => {
  const cases: [string, (p: Json) => void, string][] = [
    ['id', (p) => (p.id = 'has space'), 'value@Patient.id'],
    ['id too long', (p) => (p.id = 'a'.repeat(65)), 'value@Patient.id'],
    ['date', (p) => (p.birthDate = '14/03/1985'), 'value@Patient.birthDate'],
    ['impossible date', (p) => (p.birthDate = '2023-02-29'), 'value@Patient.birthDate'],
    [
      'dateTime without timezone',
      (p) => (p.deceasedDateTime = '2024-05-01T10:00:00'),
      'value@Patient.deceased.ofType(dateTime)',
    ],
    ['instant', (p) => ((p.meta as Json).lastUpdated = '2024-05-01'), 'value@Patient.meta.lastUpdated'],
    ['code with double space', (p) => (p.gender = 'fe  male'), 'value@Patient.gender'],
    [
      'uri with space',
      (p) => ((p.identifier as Json[])[0]!.system = 'urn:x y'),
      'value@Patient.identifier[0].system',
    ],
    ['canonical', (p) => ((p.meta as Json).profile = ['http://x/ y']), 'value@Patient.meta.profile[0]'],
    [
      'integer fraction',
      (p) => (p.multipleBirthInteger = 1.5),
      'value@Patient.multipleBirth.ofType(integer)',
    ],
    [
      'integer range',
      (p) => (p.multipleBirthInteger = 2 ** 31),
      'value@Patient.multipleBirth.ofType(integer)',
    ],
    ['boolean as string', (p) => (p.deceasedBoolean = 'false'), 'structure@Patient.deceased.ofType(boolean)'],
    [
      'base64Binary',
      (p) => (p.photo = [{ contentType: 'image/png', data: 'not base64!' }]),
      'value@Patient.photo[0].data',
    ],
    ['positiveInt zero', (p) => (p.photo = [{ size: -1 }]), 'value@Patient.photo[0].size'],
    ['url', (p) => (p.photo = [{ url: 'http://x y' }]), 'value@Patient.photo[0].url'],
    [
      'string too long',
      (p) => ((p.name as Json[])[0]!.text = 'x'.repeat(1048577)),
      'too-long@Patient.name[0].text',
    ],
  ];
  for (const [name, change, expected] of cases) expectIssues(withPatient(change), [expected], name);
  const rx = medicationRequest();
  (rx.dispenseRequest as Json).numberOfRepeatsAllowed = -1;
  ((rx.dosageInstruction as Json[])[0]!.timing as Json).repeat = { frequency: 0, period: 1, periodUnit: 'd' };
  expectIssues(rx, [
    'value@MedicationRequest.dispenseRequest.numberOfRepeatsAllowed',
    'value@MedicationRequest.dosageInstruction[0].timing.repeat.frequency',
  ]);
});

test('primitive extensions: _name objects, aligned arrays, nulls only where the other side has content', () => {
  expectIssues(
    withPatient((p) => {
      p._birthDate = 'x';
      (p.name as Json[])[0]!.given = ['Thị', null];
      (p.name as Json[])[0]!._given = [null, null];
      p._gender = { extension: [{ url: 'http://x', valueString: 'a', valueCode: 'b' }] };
    }),
    [
      'structure@Patient.birthDate',
      'structure@Patient.name[0].given[1]',
      'structure@Patient.gender.extension[0].value.ofType(code)',
    ],
  );
  expectIssues(
    withPatient((p) => ((p.name as Json[])[0]!._given = [null])),
    ['structure@Patient.name[0].given'],
  );
});

test('extensions: structure is validated whatever the URL (ext-1, url required, value types)', () => {
  expectIssues(
    withPatient((p) => {
      p.extension = [
        { url: 'http://example.org/a' },
        { valueString: 'no url' },
        { url: 'http://example.org/b', valueString: 'x', extension: [{ url: 'c', valueBoolean: true }] },
        { url: 'http://example.org/d', valueFoo: 1 },
      ];
    }),
    [
      'invariant@Patient.extension[0]',
      'required@Patient.extension[1].url',
      'invariant@Patient.extension[2]',
      'structure@Patient.extension[3].valueFoo',
    ],
  );
});

test('required bindings on code, Coding and CodeableConcept', () => {
  const obs = heartRate();
  obs.status = 'done';
  expectIssues(obs, ['code-invalid@Observation.status']);
  const bundle = transaction();
  ((bundle.entry as Json[])[0]!.request as Json).method = 'post';
  expectIssues(bundle, ['code-invalid@Bundle.entry[0].request.method']);
  const p = patient();
  (p.meta as Json).security = [
    { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'X' },
  ];
  p.communication = [{ language: { text: 'Vietnamese' } }];
  // meta.security is extensible and language is preferred: nothing to report.
  expectIssues(p, []);
  const c = condition();
  c.clinicalStatus = {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'cured' }],
  };
  c.verificationStatus = { text: 'đã xác nhận' };
  expectIssues(c, ['code-invalid@Condition.clinicalStatus', 'code-invalid@Condition.verificationStatus']);
  const sub = {
    resourceType: 'Subscription',
    status: 'active',
    reason: 'r',
    criteria: 'Observation?',
    channel: { type: 'rest-hook', payload: 'application/fhir+json' },
  };
  expectIssues(sub, [], 'mimetypes (urn:ietf:bcp:13) cannot be expanded from the package: skipped');
});

test('references: shape, known type, allowed targets', () => {
  const obs = heartRate();
  obs.subject = { reference: 'Medication/m1' };
  obs.encounter = { reference: 'Encounterr/e1' };
  obs.performer = [
    { reference: 'Practitioner/bad id' },
    { reference: 'urn:uuid:NOT-A-UUID' },
    { reference: 'http://x/fhir/Medication/1' },
  ];
  obs.specimen = { reference: '#' };
  obs.device = { reference: 'Device/d1', type: 'DeviceMetric' };
  const issues = expectIssues(obs, [
    'value@Observation.subject.reference',
    'value@Observation.encounter.reference',
    'value@Observation.performer[0].reference',
    'value@Observation.performer[1].reference',
    'value@Observation.performer[2].reference',
    'invariant@Observation.specimen.reference',
    'value@Observation.device.type',
  ]);
  assert.match(
    issues[0]!.diagnostics,
    /cannot refer to Medication \(allowed: Patient, Group, Device, Location\)/,
  );
});

test('contained resources: ref-1, dom-2, dom-3, dom-4, dom-5, and their own validation', () => {
  const obs = heartRate();
  obs.performer = [{ reference: '#missing' }, { reference: '#nurse' }];
  obs.contained = [
    {
      resourceType: 'Practitioner',
      id: 'nurse',
      meta: { versionId: '1', security: [{ code: 'R' }] },
      contained: [{ resourceType: 'Organization', id: 'o', name: 'x' }],
    },
    { resourceType: 'Practitioner', id: 'orphan', gender: 'nam' },
    { resourceType: 'Practitioner', name: [{ text: 'no id' }] },
  ];
  expectIssues(obs, [
    'invariant@Observation.performer[0].reference',
    'invariant@Observation.contained[0].contained',
    'invariant@Observation.contained[0].meta',
    'invariant@Observation.contained[0].meta.security',
    'invariant@Observation.contained[0].contained[0]',
    'invariant@Observation.contained[1]',
    'code-invalid@Observation.contained[1].gender',
    'invariant@Observation.contained[2]',
  ]);
});

test('Bundle entries and Parameters resources are validated with their paths, each in its own scope', () => {
  const bundle = transaction();
  const entries = bundle.entry as Json[];
  (entries[0]!.resource as Json).gender = 'nữ';
  (entries[2]!.resource as Json).valueQuantity = { value: '78' };
  entries[3]!.resource = { resourceType: 'Observation' };
  delete entries[5]!.request;
  expectIssues(bundle, [
    'code-invalid@Bundle.entry[0].resource.gender',
    'structure@Bundle.entry[2].resource.value.ofType(Quantity).value',
    'required@Bundle.entry[3].resource.status',
    'required@Bundle.entry[3].resource.code',
    'invariant@Bundle', // bdl-3: a transaction entry without request
    'invariant@Bundle.entry[5]', // ele-1: empty object
    'invariant@Bundle.entry[5]', // bdl-5: neither resource, request nor response
  ]);
  const params = {
    resourceType: 'Parameters',
    parameter: [{ name: 'p', resource: { resourceType: 'Patient', active: 1 } }],
  };
  expectIssues(params, ['structure@Parameters.parameter[0].resource.active']);
});

test('narrative: xhtml root, unsafe content (txt-1) and empty text (txt-2)', () => {
  const div = (html: string) => withPatient((p) => (p.text = { status: 'generated', div: html }));
  expectIssues(div('<p>no div</p>'), ['invariant@Patient.text.div']);
  expectIssues(div('<div xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script>x</div>'), [
    'invariant@Patient.text.div',
  ]);
  expectIssues(div('<div xmlns="http://www.w3.org/1999/xhtml"><p onclick="steal()">x</p></div>'), [
    'invariant@Patient.text.div',
  ]);
  expectIssues(div('<div xmlns="http://www.w3.org/1999/xhtml">  </div>'), ['invariant@Patient.text.div']);
  expectIssues(div('<div xmlns="http://www.w3.org/1999/xhtml"><img src="#a" alt=""/></div>'), []);
  expectIssues(div('<div xmlns="http://www.w3.org/1999/xhtml">onset=3 ngày; see javascript: docs</div>'), []);
  expectIssues(div('<div xmlns="http://www.w3.org/1999/xhtml"><a href="javascript:x()">x</a></div>'), [
    'invariant@Patient.text.div',
  ]);
  const started = performance.now();
  validateResource(div('<div xmlns="http://www.w3.org/1999/xhtml">' + '<'.repeat(300_000)));
  assert.ok(performance.now() - started < 2000, 'no quadratic backtracking on unclosed tags');
});

test('resource invariants from the definitions (obs-6, obs-7, per-1, con-5, pat-1, bdl-3)', () => {
  const obs = bloodPressure();
  obs.valueQuantity = { value: 1 };
  obs.dataAbsentReason = { text: 'x' };
  (obs.component as Json[])[0]!.code = obs.code;
  obs.effectivePeriod = { start: '2024-05-02', end: '2024-05-01' };
  delete obs.effectiveDateTime;
  const issues = expectIssues(obs, [
    'invariant@Observation',
    'invariant@Observation',
    'invariant@Observation.effective.ofType(Period)',
  ]);
  assert.deepEqual(issues.map((i) => i.diagnostics.slice(0, 5)).sort(), ['obs-6', 'obs-7', 'per-1']);
  const c = condition();
  c.verificationStatus = {
    coding: [
      { system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'entered-in-error' },
    ],
  };
  expectIssues(c, ['invariant@Condition']);
  expectIssues(
    withPatient((p) => (p.contact = [{ gender: 'male' }])),
    ['invariant@Patient.contact[0]'],
  );
});

test('warnings do not hide errors and carry their severity (con-3)', () => {
  const c = condition();
  delete c.clinicalStatus;
  const issues = validateResource(c);
  assert.deepEqual(
    issues.map((i) => [i.severity, i.code, i.diagnostics.slice(0, 5)]),
    [['warning', 'invariant', 'con-3']],
  );
});

test('every problem is reported, in document order, with precise diagnostics', () => {
  const p = patient();
  p.gender = 'F';
  p.birthDate = '1985-13-01';
  p.foo = true;
  (p.telecom as Json[])[0]!.system = 'zalo';
  const issues = validateResource(p);
  assert.deepEqual(found(issues), [
    'code-invalid@Patient.telecom[0].system',
    'code-invalid@Patient.gender',
    'value@Patient.birthDate',
    'structure@Patient.foo',
  ]);
  assert.equal(issues[2]!.diagnostics, "'1985-13-01' is not a valid date");
  assert.ok(issues.every((i) => i.severity === 'error'));
});

test('limits: deep nesting, huge arrays and issue floods give an issue, not a crash', () => {
  let ext: Json = { url: 'http://x', valueString: 'leaf' };
  for (let i = 0; i < 100_000; i++) ext = { url: 'http://x', extension: [ext] };
  const deep = validateResource(withPatient((p) => (p.extension = [ext])));
  assert.deepEqual(
    found(deep).map((s) => s.split('@')[0]),
    ['too-costly'],
  );
  assert.ok(deep[0]!.expression[0]!.startsWith('Patient.extension[0].extension[0].extension[0]'));

  const huge = withPatient(
    (p) => (p.identifier = Array.from({ length: DEFAULT_LIMITS.maxArrayLength + 1 }, () => ({ value: 'x' }))),
  );
  expectIssues(huge, ['too-long@Patient.identifier']);
  const bigger = validateResource(huge, { ...DEFAULT_LIMITS, maxArrayLength: 20_000 });
  assert.deepEqual(bigger, []);

  const flood = withPatient((p) => (p.identifier = Array.from({ length: 5000 }, () => ({ value: 1 }))));
  const issues = validateResource(flood);
  assert.equal(issues.length, DEFAULT_LIMITS.maxIssues + 1);
  assert.equal(issues.at(-1)?.code, 'too-costly');
});
