import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hasErrors, validateResource } from '@hoso/fhir/validator';
import { transactionBundles, type Resource } from '@hoso/generator';
import { sample } from './sample.ts';

const run = sample({ patients: 120, seed: 'output', asOf: '2026-06-30' });

/** every `reference` string anywhere in a resource */
function references(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) references(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else references(v, out);
    }
  }
  return out;
}

describe('generated resources', () => {
  it('are valid FHIR R4 according to @hoso/fhir', () => {
    for (const resource of run.resources) {
      const issues = validateResource(resource);
      assert.ok(
        !hasErrors(issues),
        `${resource.resourceType}/${resource.id}: ${JSON.stringify(issues.slice(0, 3))}`,
      );
    }
  });

  it('only reference resources that come earlier in the output', () => {
    const seen = new Set<string>();
    for (const r of run.resources) {
      for (const ref of references(r))
        assert.ok(seen.has(ref) || ref === `${r.resourceType}/${r.id}`, `${r.resourceType}/${r.id} → ${ref}`);
      seen.add(`${r.resourceType}/${r.id}`);
    }
  });

  it('have unique ids and cover the clinical resource types', () => {
    assert.equal(new Set(run.resources.map((r) => r.id)).size, run.resources.length);
    for (const type of [
      'Organization',
      'Practitioner',
      'PractitionerRole',
      'Patient',
      'Encounter',
      'Condition',
      'Observation',
      'MedicationRequest',
      'DiagnosticReport',
      'ServiceRequest',
    ]) {
      assert.ok(run.byType(type).length > 0, type);
    }
  });

  it('code conditions in ICD-10 and observations in LOINC with UCUM units', () => {
    for (const c of run.byType('Condition') as (Resource & {
      code: { coding: { system: string; code: string }[] };
    })[]) {
      assert.equal(c.code.coding[0]?.system, 'http://hl7.org/fhir/sid/icd-10');
      assert.match(c.code.coding[0]?.code ?? '', /^[A-Z]\d\d(\.\d{1,2})?$/);
    }
    for (const o of run.byType('Observation') as (Resource & {
      code: { coding: { system: string }[] };
      valueQuantity?: { system: string };
    })[]) {
      assert.equal(o.code.coding[0]?.system, 'http://loinc.org');
      if (o.valueQuantity) assert.equal(o.valueQuantity.system, 'http://unitsofmeasure.org');
    }
  });
});

describe('transaction bundles', () => {
  const bundles = [...transactionBundles(run.resources)];

  it('hold at most 25 PUT entries each, keyed by the resource id', () => {
    assert.equal(
      bundles.reduce((n, b) => n + b.entry.length, 0),
      run.resources.length,
    );
    for (const b of bundles) {
      assert.equal(b.type, 'transaction');
      assert.ok(b.entry.length >= 1 && b.entry.length <= 25);
      for (const e of b.entry) {
        assert.equal(e.request.method, 'PUT');
        assert.equal(e.request.url, `${e.resource.resourceType}/${e.resource.id}`);
        assert.equal(e.fullUrl, `urn:uuid:${e.resource.id}`);
      }
    }
    assert.ok(!hasErrors(validateResource(bundles[0] as unknown as Resource)));
  });
});
