// Valid resources pass: realistic Vietnamese clinical data, nested resources, contained resources,
// primitive extensions, and content we don't know (profiles, extension URLs) that must be accepted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateResource } from '../src/validator.ts';
import { allExamples, heartRate, patient } from './validator-examples.ts';

test('realistic Patient, Encounter, Observations, Condition, MedicationRequest, Procedure, transaction Bundle', () => {
  for (const r of allExamples()) assert.deepEqual(validateResource(r), [], String(r.resourceType));
});

test('validation is pure: frozen input is not touched and the same input gives the same issues', () => {
  const deepFreeze = (v: unknown): unknown => {
    if (typeof v === 'object' && v !== null) for (const x of Object.values(Object.freeze(v))) deepFreeze(x);
    return v;
  };
  for (const r of allExamples()) assert.deepEqual(validateResource(deepFreeze(r)), []);
  const bad = deepFreeze({ ...patient(), gender: 'x', extra: 1 });
  assert.deepEqual(validateResource(bad), validateResource(bad));
});

test('unknown profiles and extension URLs (also modifierExtension and nested extensions) are accepted', () => {
  const p = patient();
  p.meta = { profile: ['http://example.org/fhir/StructureDefinition/never-heard-of'] };
  p.modifierExtension = [{ url: 'http://example.org/ext/unknown-modifier', valueBoolean: false }];
  p.extension = [
    {
      url: 'http://example.org/ext/complex',
      extension: [
        { url: 'part', valueString: 'một' },
        { url: 'when', valuePeriod: { start: '2024-01-01' } },
      ],
    },
  ];
  assert.deepEqual(validateResource(p), []);
});

test('contained resources referenced with #id, and # back to the container, are valid', () => {
  const obs = heartRate();
  obs.contained = [
    { resourceType: 'Practitioner', id: 'nurse', name: [{ text: 'Y tá Hồng' }] },
    {
      resourceType: 'Provenance',
      id: 'prov',
      target: [{ reference: '#' }],
      recorded: '2024-05-01T08:40:00Z',
      agent: [{ who: { reference: '#nurse' } }],
    },
  ];
  obs.performer = [{ reference: '#nurse' }];
  assert.deepEqual(validateResource(obs), []);
});

test('nested resources in Parameters and a searchset Bundle are validated as resources', () => {
  const params = {
    resourceType: 'Parameters',
    parameter: [
      { name: 'resource', resource: patient() },
      { name: 'mode', valueCode: 'create' },
      { name: 'nested', part: [{ name: 'n', valueInteger: 3 }] },
    ],
  };
  assert.deepEqual(validateResource(params), []);
  const searchset = {
    resourceType: 'Bundle',
    type: 'searchset',
    total: 1,
    link: [{ relation: 'self', url: 'http://localhost:8080/fhir/Observation?subject=Patient/bn-0001' }],
    entry: [
      {
        fullUrl: 'http://localhost:8080/fhir/Observation/hr-1',
        resource: heartRate(),
        search: { mode: 'match' },
      },
    ],
  };
  assert.deepEqual(validateResource(searchset), []);
});

test('a primitive with a value may carry just an id in its _name', () => {
  const p = patient();
  p._birthDate = { id: 'bd' };
  assert.deepEqual(validateResource(p), []);
  p._gender = { id: 'g' };
  delete p.gender;
  assert.equal(validateResource(p)[0]?.expression[0], 'Patient.gender');
});

test('text with non-breaking spaces, leading/trailing spaces and long markdown is valid', () => {
  const p = patient();
  p.name = [{ text: ' Nguyễn\u00a0Thị Lan ', family: 'Nguyễn' }];
  const obs = heartRate();
  obs.note = [{ text: '# Ghi chú\n\n' + 'Bệnh nhân ổn định. '.repeat(5000) }];
  assert.deepEqual(validateResource(p), []);
  assert.deepEqual(validateResource(obs), []);
});

test('a spec example style Observation with absolute, urn:oid and urn:uuid references is valid', () => {
  const obs = heartRate();
  obs.subject = { reference: 'https://fhir.bv-bachmai.vn/fhir/Patient/123/_history/2' };
  obs.device = { reference: 'urn:oid:1.2.840.10004.1.1.1.0.0.1.0.0.1.2680' };
  obs.encounter = { reference: 'urn:uuid:0b9d8e7f-1a2b-4c3d-8e9f-a0b1c2d3e4f5' };
  obs.basedOn = [{ identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.3' } }];
  assert.deepEqual(validateResource(obs), []);
});
