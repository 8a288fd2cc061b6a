// The asynchronous extension point (terminology, business rules), the 400/422 decision, and the
// OperationOutcome built from issues.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toOperationOutcome } from '../src/operation-outcome.ts';
import {
  httpStatusFor,
  validateResource,
  validateResourceAsync,
  type AsyncCheck,
  type ValidationIssue,
} from '../src/validator.ts';
import { heartRate, patient } from './validator-examples.ts';

const issue = (code: string, diagnostics: string, expression: string): ValidationIssue => ({
  severity: 'error',
  code,
  diagnostics,
  expression: [expression],
});

/** A terminology check: LOINC codes must be known (structural: the resource is not valid FHIR data). */
const loinc: AsyncCheck = {
  name: 'loinc',
  kind: 'structural',
  check: async (r) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    const code = (r.code as { coding?: { code?: string }[] } | undefined)?.coding?.[0]?.code;
    return code === '0000-0'
      ? [issue('code-invalid', 'unknown LOINC code 0000-0', 'Observation.code.coding[0]')]
      : [];
  },
};

/** A business rule: a Vietnamese facility record needs a citizen ID (refused with 422). */
const citizenId: AsyncCheck = {
  name: 'vn-citizen-id',
  kind: 'business',
  check: async (r) =>
    r.resourceType === 'Patient' && !JSON.stringify(r.identifier ?? []).includes('cccd')
      ? [issue('business-rule', 'a Patient needs a CCCD identifier', 'Patient.identifier')]
      : [],
};

test('a valid resource passing every check: 200, no issues', async () => {
  const report = await validateResourceAsync(patient(), [loinc, citizenId]);
  assert.deepEqual(report, { structural: [], business: [] });
  assert.equal(httpStatusFor(report), 200);
});

test('business-rule issues are kept apart and give 422; terminology issues give 400', async () => {
  const p = patient();
  delete p.identifier;
  const business = await validateResourceAsync(p, [loinc, citizenId]);
  assert.deepEqual(business.structural, []);
  assert.deepEqual(
    business.business.map((i) => i.expression[0]),
    ['Patient.identifier'],
  );
  assert.equal(httpStatusFor(business), 422);

  const obs = heartRate();
  obs.code = { coding: [{ system: 'http://loinc.org', code: '0000-0' }] };
  const terminology = await validateResourceAsync(obs, [loinc, citizenId]);
  assert.equal(terminology.structural[0]?.code, 'code-invalid');
  assert.equal(httpStatusFor(terminology), 400);
});

test('async checks do not run on a structurally invalid resource', async () => {
  let ran = false;
  const spy: AsyncCheck = { name: 'spy', kind: 'business', check: async () => ((ran = true), []) };
  const report = await validateResourceAsync({ resourceType: 'Patient', gender: 'x' }, [spy]);
  assert.equal(ran, false);
  assert.equal(report.structural.length, 1);
  assert.equal(httpStatusFor(report), 400);
});

test('warnings alone never block a write', async () => {
  const warn: AsyncCheck = {
    name: 'warn',
    kind: 'business',
    check: async () => [{ ...issue('business-rule', 'late entry', 'Patient'), severity: 'warning' }],
  };
  assert.equal(httpStatusFor(await validateResourceAsync(patient(), [warn])), 200);
});

test('toOperationOutcome lists every issue with its location; no issues gives an informational one', () => {
  const oo = toOperationOutcome(validateResource({ resourceType: 'Patient', gender: 'x', foo: 1 }));
  assert.deepEqual(oo, {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: 'code-invalid',
        diagnostics:
          "'x' is not in the required value set http://hl7.org/fhir/ValueSet/administrative-gender",
        expression: ['Patient.gender'],
      },
      {
        severity: 'error',
        code: 'structure',
        diagnostics: "unknown element 'foo' in Patient",
        expression: ['Patient.foo'],
      },
    ],
  });
  assert.deepEqual(validateResource(oo), [], 'the OperationOutcome is itself valid R4');
  const ok = toOperationOutcome([]);
  assert.deepEqual(ok.issue, [
    { severity: 'information', code: 'informational', diagnostics: 'No issues detected' },
  ]);
  assert.deepEqual(validateResource(ok), []);
  assert.deepEqual(
    validateResource(toOperationOutcome(validateResource(null))),
    [],
    'issues without a location',
  );
});
