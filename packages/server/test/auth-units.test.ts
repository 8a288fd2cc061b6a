// Pure parts of the authorization server, without I/O: scope granting (with a property test that
// a grant never exceeds the request, the kind's ceiling or the client's registration), the rate
// limiter, form parsing, PKCE, password hashing, the issuer of a base URL and the demo persona.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type Permission, allows, formatScopes, parseScopes, queryOf } from '../src/access/scopes.ts';
import { demoPersona } from '../src/auth/demo.ts';
import { issuerOf } from '../src/auth/discovery.ts';
import { parseForm } from '../src/auth/form.ts';
import { hashPassword, verifyPassword } from '../src/auth/passwords.ts';
import { pkceMatches } from '../src/auth/pkce.ts';
import { createRateLimiter } from '../src/auth/rate-limit.ts';
import { grantScopes, narrowToGranted } from '../src/auth/scope-policy.ts';
import { type VerifiedCache, createVerifiedCache } from '../src/auth/verified-cache.ts';
import type { PrincipalKind } from '../src/auth/principal.ts';

const ALL_CLIENT =
  'openid fhirUser launch/patient offline_access patient/*.cruds user/*.cruds system/*.cruds';

test('patients get read and search of patient/ scopes only', () => {
  const granted = grantScopes('patient/*.cruds user/*.rs launch/patient openid', 'patient', ALL_CLIENT);
  assert.equal(formatScopes(granted!), 'launch/patient openid patient/*.rs');
});

test('practitioners get user/ scopes up to cruds, analysts user/*.rs, systems system/ per registration', () => {
  assert.equal(
    formatScopes(grantScopes('user/Observation.cruds patient/*.rs', 'practitioner', ALL_CLIENT)!),
    'user/Observation.cruds',
  );
  assert.equal(formatScopes(grantScopes('user/*.cruds', 'analyst', ALL_CLIENT)!), 'user/*.rs');
  assert.equal(
    formatScopes(grantScopes('system/*.cruds', 'system', 'system/Observation.rs')!),
    'system/Observation.rs',
  );
  assert.equal(grantScopes('user/*.rs', 'system', ALL_CLIENT), undefined);
  assert.equal(
    grantScopes('openid fhirUser', 'patient', ALL_CLIENT),
    undefined,
    'no resource scope: nothing to grant',
  );
});

test('fine-grained scopes are granted as asked, merged per query, and a wildcard narrows to a registered query', () => {
  assert.equal(
    formatScopes(
      grantScopes('patient/Observation.r?code=x patient/Observation.s?code=x', 'patient', ALL_CLIENT)!,
    ),
    'patient/Observation.rs?code=x',
  );
  assert.equal(
    formatScopes(grantScopes('patient/*.rs', 'patient', 'patient/Observation.rs?category=laboratory')!),
    'patient/Observation.rs?category=laboratory',
  );
  assert.equal(
    grantScopes('patient/Observation.rs?code=y', 'patient', 'patient/Observation.rs?code=x'),
    undefined,
  );
});

test('a refresh may narrow the granted scopes, never widen them', () => {
  assert.equal(
    formatScopes(narrowToGranted('patient/Observation.r', 'patient/*.rs offline_access')!),
    'patient/Observation.r',
  );
  assert.equal(narrowToGranted('patient/*.c', 'patient/*.rs'), undefined);
});

const KINDS: PrincipalKind[] = ['patient', 'practitioner', 'system', 'analyst', 'admin'];
const scopeText = fc
  .array(
    fc.tuple(
      fc.constantFrom('patient', 'user', 'system'),
      fc.constantFrom('*', 'Observation', 'Patient'),
      fc.subarray(['c', 'r', 'u', 'd', 's'] as Permission[], { minLength: 1 }),
      fc.constantFrom('', '', '?category=laboratory', '?code=x,y'),
    ),
    { maxLength: 5 },
  )
  .map((items) => items.map(([c, t, p, q]) => `${c}/${t}.${p.join('')}${q}`).join(' '));

test('property: a grant never permits what the request, the kind or the client does not', () => {
  fc.assert(
    fc.property(scopeText, scopeText, fc.constantFrom(...KINDS), (requested, client, kind) => {
      const granted = grantScopes(requested, kind, client);
      if (!granted) return;
      const ceiling = parseScopes(
        {
          patient: 'patient/*.rs',
          practitioner: 'user/*.cruds',
          analyst: 'user/*.rs',
          admin: 'user/*.cruds system/*.cruds',
          system: 'system/*.cruds',
        }[kind],
      );
      for (const scope of granted.resources) {
        for (const p of scope.permissions) {
          const type = scope.type === '*' ? 'Anything' : scope.type;
          for (const bound of [parseScopes(requested), parseScopes(client), ceiling]) {
            assert.ok(
              scope.filters
                ? bound.resources.some(
                    (b) =>
                      b.context === scope.context &&
                      (b.type === '*' || b.type === scope.type) &&
                      b.permissions.has(p) &&
                      (!b.filters || queryOf(b) === queryOf(scope)),
                  )
                : scope.type === '*'
                  ? bound.resources.some(
                      (b) => b.context === scope.context && b.type === '*' && b.permissions.has(p),
                    )
                  : allows(bound, type, p, [scope.context]),
              `${formatScopes(granted)} exceeds ${formatScopes(bound)}`,
            );
          }
        }
      }
    }),
  );
});

test('the rate limiter counts per key and per window', () => {
  const limiter = createRateLimiter(2, 1000);
  assert.deepEqual([limiter.hit('a', 0), limiter.hit('a', 10), limiter.hit('b', 20)], [0, 0, 0]);
  assert.equal(limiter.hit('a', 500), 1, 'over the limit: wait about half a second, rounded up');
  assert.equal(limiter.hit('a', 1000), 0, 'a new window');
});

test('forms refuse repeated parameters and drop empty ones', () => {
  assert.deepEqual(
    [...parseForm('a=1&b=&c=x%20y')],
    [
      ['a', '1'],
      ['c', 'x y'],
    ],
  );
  assert.throws(() => parseForm('scope=a&scope=b'), /repeated/);
});

test('PKCE S256: the RFC 7636 example, and malformed verifiers', () => {
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  assert.equal(pkceMatches(verifier, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'), true);
  assert.equal(pkceMatches(verifier.slice(1), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'), false);
  assert.equal(pkceMatches('short', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'), false);
  assert.equal(pkceMatches(undefined, 'x'), false);
});

test('passwords: salted scrypt, verified only by the same password', async () => {
  const [a, b] = [await hashPassword('mật khẩu dài'), await hashPassword('mật khẩu dài')];
  assert.notEqual(a, b, 'a fresh salt each time');
  assert.match(a, /^scrypt\$32768\$8\$1\$/);
  assert.equal(await verifyPassword('mật khẩu dài', a), true);
  assert.equal(await verifyPassword('mat khau dai', a), false);
  assert.equal(await verifyPassword('x', 'not a hash'), false);
});

test('the issuer is the FHIR base without /fhir', () => {
  assert.equal(issuerOf('http://localhost:8080/fhir'), 'http://localhost:8080');
  assert.equal(issuerOf('https://hoso.example/api/fhir/'), 'https://hoso.example/api');
});

test('the demo persona is the first Patient of the demo bundles', () => {
  const bundles = [
    { entry: [{ resource: { resourceType: 'Organization' } }] },
    {
      entry: [
        {
          resource: {
            resourceType: 'Patient',
            identifier: [{ system: 'http://fhir.hl7.org.vn/core/sid/cccd', value: '025086957321' }],
            managingOrganization: { reference: 'Organization/o1' },
          },
        },
        { resource: { resourceType: 'Patient', identifier: [] } },
      ],
    },
  ];
  assert.deepEqual(demoPersona(bundles), { citizenId: '025086957321', organization: 'o1' });
});

test('the verified-token cache forgets expired tokens and evicts the oldest when full', () => {
  const entry = (expiresAt: number) =>
    ({ grantId: 'g', principal: { expiresAt } }) as unknown as Parameters<VerifiedCache['set']>[1];
  const cache = createVerifiedCache(2);
  cache.set('a', entry(100));
  assert.ok(cache.get('a', 90));
  assert.equal(cache.get('a', 106), undefined, 'past expiry and clock tolerance');
  cache.set('b', entry(1000));
  cache.set('c', entry(1000));
  cache.set('d', entry(1000));
  assert.equal(cache.get('b', 0), undefined, 'the oldest went first');
  assert.ok(cache.get('d', 0));
});

test('a granted wildcard is not repeated by the type scopes it covers', () => {
  const granted = grantScopes(
    'system/*.rs system/Observation.r',
    'system',
    'system/*.rs system/Observation.cruds',
  );
  assert.equal(formatScopes(granted!), 'system/*.rs');
});
