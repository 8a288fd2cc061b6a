// SMART scope parsing and narrowing (pure): what a scope string grants, and that narrowing a request
// against what a principal may hold never widens it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  allows,
  formatScopes,
  narrowScopes,
  parseResourceScope,
  parseScopes,
  permittedTypes,
} from '../src/access/scopes.ts';

describe('SMART scopes', () => {
  test('v2 and v1 resource scopes parse to permissions', () => {
    assert.deepEqual([...parseResourceScope('patient/Observation.rs')!.permissions], ['r', 's']);
    assert.deepEqual([...parseResourceScope('user/*.cruds')!.permissions], ['c', 'r', 'u', 'd', 's']);
    assert.deepEqual([...parseResourceScope('system/*.read')!.permissions], ['r', 's']);
    assert.deepEqual([...parseResourceScope('user/Patient.write')!.permissions], ['c', 'u', 'd']);
    assert.equal(parseResourceScope('patient/Observation.rs')!.context, 'patient');
  });

  test('malformed or fine-grained resource scopes grant nothing', () => {
    for (const text of [
      'patient/Observation.sr',
      'patient/Observation.',
      'patient/observation.rs',
      'admin/*.rs',
      'patient/Observation.rs?category=laboratory',
      'patient/*.x',
    ]) {
      assert.equal(parseResourceScope(text), undefined, text);
    }
    const scopes = parseScopes('openid patient/Observation.sr fhirUser');
    assert.equal(scopes.resources.length, 0);
    assert.deepEqual([...scopes.other], ['openid', 'fhirUser']);
  });

  test('allows and permittedTypes follow type and context', () => {
    const scopes = parseScopes('patient/Observation.rs user/Condition.r launch/patient');
    assert.ok(allows(scopes, 'Observation', 's'));
    assert.ok(!allows(scopes, 'Observation', 'c'));
    assert.ok(!allows(scopes, 'Patient', 'r'));
    assert.ok(allows(scopes, 'Condition', 'r', ['user']));
    assert.ok(!allows(scopes, 'Condition', 'r', ['patient']));
    assert.deepEqual([...(permittedTypes(scopes, 'r') as Set<string>)].sort(), ['Condition', 'Observation']);
    assert.equal(permittedTypes(parseScopes('system/*.rs'), 's'), '*');
  });

  test('narrowing keeps only what the ceiling covers', () => {
    const ceiling = parseScopes('patient/*.rs');
    const granted = narrowScopes(
      parseScopes('patient/Observation.cruds system/*.cruds openid offline_access'),
      ceiling,
      new Set(['openid']),
    );
    assert.equal(formatScopes(granted), 'openid patient/Observation.rs');
  });

  const scopeText = fc
    .tuple(
      fc.constantFrom('patient', 'user', 'system'),
      fc.constantFrom('*', 'Patient', 'Observation'),
      fc.subarray(['c', 'r', 'u', 'd', 's'], { minLength: 1 }),
    )
    .map(([c, t, p]) => `${c}/${t}.${p.join('')}`);

  test('property: narrowing never grants a permission the ceiling or the request lacks', () => {
    fc.assert(
      fc.property(
        fc.array(scopeText, { maxLength: 5 }),
        fc.array(scopeText, { maxLength: 5 }),
        (req, ceil) => {
          const requested = parseScopes(req.join(' '));
          const ceiling = parseScopes(ceil.join(' '));
          const granted = narrowScopes(requested, ceiling, new Set());
          for (const s of granted.resources) {
            for (const p of s.permissions) {
              const type = s.type === '*' ? 'Zzz' : s.type;
              assert.ok(allows(ceiling, type, p, [s.context]));
              assert.ok(allows(requested, type, p, [s.context]));
            }
          }
        },
      ),
    );
  });
});
