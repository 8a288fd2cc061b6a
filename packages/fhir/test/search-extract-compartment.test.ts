// Patient-compartment membership, and its consistency with the extracted reference rows.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { patientCompartment, patientCompartmentParams } from '@hoso/fhir/search/compartment';
import { extractIndexRows } from '@hoso/fhir/search/extract';
import { RESOURCE_TYPES, resourceOf } from './search-support.ts';
import {
  CONDITION,
  COVERAGE,
  ENCOUNTER,
  OBSERVATION_NOTE,
  ORGANIZATION,
  PATIENT,
  PRACTITIONER,
  VN_EXAMPLES,
} from './search-examples.ts';

test('a Patient is in its own compartment and in those it links to', () => {
  assert.deepEqual(patientCompartment(PATIENT), ['bn-thu', 'golden-thu']);
  assert.deepEqual(patientCompartment({ resourceType: 'Patient' }), []);
});

test('clinical resources belong to the Patient they reference through compartment parameters', () => {
  assert.deepEqual(patientCompartment(ENCOUNTER), ['bn-thu']);
  assert.deepEqual(patientCompartment(CONDITION), ['bn-thu']);
  assert.deepEqual(patientCompartment(COVERAGE), ['bn-thu']);
});

test('several patients; only local Patient/<id> references count', () => {
  const o = {
    resourceType: 'Observation',
    subject: { reference: 'Patient/a' },
    performer: [
      { reference: 'Patient/b/_history/2' },
      { reference: 'http://other.example/fhir/Patient/c' },
      { reference: 'Practitioner/d' },
      { reference: '#contained' },
    ],
    focus: [{ reference: 'Patient/not-a-compartment-param' }],
  };
  assert.deepEqual(patientCompartment(o), ['a', 'b']);
  assert.deepEqual(patientCompartment(OBSERVATION_NOTE), []); // identifier-only subject
  const group = { resourceType: 'Observation', subject: { reference: 'Group/g' } };
  assert.deepEqual(patientCompartment(group), []);
});

test('resource types outside the Patient compartment belong to no patient', () => {
  assert.deepEqual(patientCompartmentParams('Organization'), []);
  assert.deepEqual(patientCompartment(ORGANIZATION), []);
  assert.deepEqual(patientCompartment(PRACTITIONER), []);
  assert.deepEqual(patientCompartmentParams('Observation'), ['subject', 'performer']);
});

test('passing already-extracted rows gives the same answer', () => {
  for (const r of VN_EXAMPLES) {
    const resource = r as { resourceType: string };
    assert.deepEqual(patientCompartment(resource, extractIndexRows(resource)), patientCompartment(resource));
  }
});

test('property: compartment ids are exactly the Patient targets of compartment reference rows', () => {
  const types = RESOURCE_TYPES.filter((t) => patientCompartmentParams(t).length > 0);
  assert.equal(types.length, 67);
  const arb = fc.constantFrom(...types).chain((t) => resourceOf(t));
  fc.assert(
    fc.property(arb, (resource) => {
      const r = resource as { resourceType: string; id?: string };
      const rows = extractIndexRows(r);
      const params = patientCompartmentParams(r.resourceType);
      const expected = new Set(
        rows.reference
          .filter((x) => params.includes(x.param) && x.targetType === 'Patient')
          .map((x) => x.targetId as string),
      );
      if (r.resourceType === 'Patient' && r.id) expected.add(r.id);
      assert.deepEqual(patientCompartment(r, rows), [...expected].sort());
    }),
    { numRuns: 500 },
  );
});
