// SMART scope parsing and narrowing (pure): what a scope string grants (fine-grained queries on
// `category` and `code` included, anything else not granted), and that narrowing a request against
// what a principal may hold never widens it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  type Permission,
  type ResourceScope,
  type Scopes,
  allows,
  filteredTypes,
  formatScopes,
  narrowScopes,
  parseResourceScope,
  parseScopes,
  permittedTypes,
  queryOf,
} from '../src/access/scopes.ts';

const LAB = 'category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory';

describe('SMART scopes', () => {
  test('v2 and v1 resource scopes parse to permissions', () => {
    assert.deepEqual([...parseResourceScope('patient/Observation.rs')!.permissions], ['r', 's']);
    assert.deepEqual([...parseResourceScope('user/*.cruds')!.permissions], ['c', 'r', 'u', 'd', 's']);
    assert.deepEqual([...parseResourceScope('system/*.read')!.permissions], ['r', 's']);
    assert.deepEqual([...parseResourceScope('user/Patient.write')!.permissions], ['c', 'u', 'd']);
    assert.equal(parseResourceScope('patient/Observation.rs')!.context, 'patient');
  });

  test('malformed resource scopes and unsupported queries grant nothing', () => {
    for (const text of [
      'patient/Observation.sr',
      'patient/Observation.',
      'patient/observation.rs',
      'admin/*.rs',
      'patient/*.x',
      'patient/*.rs?category=laboratory',
      'patient/Observation.rs?status=final',
      'patient/Observation.rs?category:not=laboratory',
      'patient/Observation.rs?category=laboratory&_include=Observation:subject',
      'patient/Patient.rs?code=x',
      'patient/Observation.rs?category=',
      'patient/Observation.rs?category=a%20b',
      'patient/Observation.rs?category=|',
      'patient/Observation.rs?',
      'patient/Observation.cud?category=laboratory',
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

  test('a fine-grained scope reads and searches only, and round-trips', () => {
    const scope = parseResourceScope(`patient/Observation.cruds?${LAB}&code=http://loinc.org|2345-7,|x`)!;
    assert.deepEqual([...scope.permissions], ['r', 's']);
    assert.deepEqual(scope.filters, [
      {
        param: 'category',
        values: ['http://terminology.hl7.org/CodeSystem/observation-category|laboratory'],
      },
      { param: 'code', values: ['http://loinc.org|2345-7', '|x'] },
    ]);
    const text = `patient/Observation.rs?${LAB}&code=http://loinc.org|2345-7,|x`;
    assert.equal(formatScopes(parseScopes(text)), text);
    assert.ok(parseResourceScope('user/Condition.read?code=E11.9'));
  });

  test('types read only through queries are apart from the types read whole, and never written', () => {
    const scopes = parseScopes(`patient/Observation.rs?${LAB} patient/Condition.rs`);
    assert.deepEqual([...(permittedTypes(scopes, 'r') as Set<string>)], ['Condition']);
    assert.deepEqual([...filteredTypes(scopes, 'r').keys()], ['Observation']);
    assert.ok(!allows(scopes, 'Observation', 'r'));
    const whole = parseScopes(`patient/Observation.rs?${LAB} patient/Observation.rs`);
    assert.equal(filteredTypes(whole, 'r').size, 0);
    assert.equal(filteredTypes(parseScopes(`patient/Observation.rs?${LAB} patient/*.rs`), 'r').size, 0);
  });

  test('a query is granted under a ceiling without one or with the same one only', () => {
    const requested = parseScopes(`patient/Observation.rs?${LAB}`);
    const none = new Set<string>();
    assert.equal(
      formatScopes(narrowScopes(requested, parseScopes('patient/*.rs'), none)),
      `patient/Observation.rs?${LAB}`,
    );
    assert.equal(
      formatScopes(narrowScopes(requested, parseScopes(`patient/Observation.rs?${LAB}`), none)),
      `patient/Observation.rs?${LAB}`,
    );
    assert.equal(
      formatScopes(narrowScopes(requested, parseScopes('patient/Observation.rs?code=x'), none)),
      '',
    );
    assert.equal(formatScopes(narrowScopes(parseScopes('patient/Observation.rs'), requested, none)), '');
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
      fc.constantFrom('', `?${LAB}`, '?code=x,y', '?status=final'),
    )
    .map(([c, t, p, q]) => `${c}/${t}.${p.join('')}${q}`);

  /** Whether `scopes` reach `permission` on what scope `s` names (a query only reaches its own). */
  const reaches = (scopes: Scopes, s: ResourceScope, permission: Permission) =>
    scopes.resources.some(
      (c) =>
        c.context === s.context &&
        (c.type === '*' || c.type === s.type) &&
        c.permissions.has(permission) &&
        (!c.filters || queryOf(c) === queryOf(s)),
    );

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
              assert.ok(reaches(ceiling, s, p));
              assert.ok(reaches(requested, s, p));
            }
          }
        },
      ),
    );
  });
});
