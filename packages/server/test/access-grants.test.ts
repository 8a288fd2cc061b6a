// Which grants a Consent or referral opens (pure): actors, periods, categories, resource types,
// resources, purposes, codes, nested exceptions that only narrow, restrictions the server cannot evaluate
// (a permit opens nothing, a deny closes everything it might mean), and the resources that must
// grant nothing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { grantsOf } from '../src/access/grants.ts';

const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

const consent = (provision: unknown, status = 'active') => ({
  resourceType: 'Consent',
  id: 'c1',
  status,
  patient: { reference: 'Patient/p1' },
  provision,
});

describe('access grants', () => {
  test('a permit for a facility with a nested deny of mental-health data', () => {
    const grants = grantsOf(
      consent({
        type: 'permit',
        period: { start: '2026-01-01', end: '2026-12-31' },
        actor: [{ role: { text: 'recipient' }, reference: { reference: 'Organization/bv-b' } }],
        provision: [{ type: 'deny', securityLabel: [{ system: ACT, code: 'PSY' }] }],
      }),
    );
    assert.deepEqual(grants, [
      {
        patient: 'p1',
        grantee: 'Organization/bv-b',
        effect: 'permit',
        start: '2025-12-31T17:00:00.000Z',
        end: '2026-12-31T16:59:59.999Z',
        categories: [],
        types: [],
        instances: [],
        purposes: [],
        codes: [],
      },
      {
        patient: 'p1',
        grantee: 'Organization/bv-b',
        effect: 'deny',
        start: '2025-12-31T17:00:00.000Z',
        end: '2026-12-31T16:59:59.999Z',
        categories: ['mental-health'],
        types: [],
        instances: [],
        purposes: [],
        codes: [],
      },
    ]);
  });

  test('a deny for a practitioner, and a permit for unknown labels opens nothing', () => {
    const grants = grantsOf(
      consent({
        type: 'deny',
        actor: [{ reference: { reference: 'Practitioner/dr-x' } }],
        provision: [{ type: 'permit', securityLabel: [{ system: ACT, code: 'toString' }] }],
      }),
    );
    assert.deepEqual(
      grants.map((g) => [g.grantee, g.effect, g.categories]),
      [['Practitioner/dr-x', 'deny', []]],
    );
  });

  const B = { reference: { reference: 'Organization/bv-b' } };
  const RT = 'http://hl7.org/fhir/resource-types';
  /** [effect, categories, types, instances, purposes] of each row, for Organization/bv-b. */
  const rows = (provision: unknown) =>
    grantsOf(consent(provision)).map((g) => {
      assert.equal(g.grantee, 'Organization/bv-b');
      return [g.effect, g.categories, g.types, g.instances, g.purposes];
    });

  test('provision.class narrows a permit or a deny to resource types', () => {
    assert.deepEqual(
      rows({
        type: 'permit',
        actor: [B],
        class: [
          { system: RT, code: 'Observation' },
          { system: RT, code: 'DiagnosticReport' },
        ],
      }),
      [['permit', [], ['DiagnosticReport', 'Observation'], [], []]],
    );
    assert.deepEqual(rows({ type: 'deny', actor: [B], class: [{ system: RT, code: 'Condition' }] }), [
      ['deny', [], ['Condition'], [], []],
    ]);
  });

  test('provision.data: an instance is exactly that resource; related and dependents open only it and close everything', () => {
    const data = (meaning: string) => [{ meaning, reference: { reference: 'DiagnosticReport/dr-1' } }];
    assert.deepEqual(rows({ type: 'permit', actor: [B], data: data('instance') }), [
      ['permit', [], [], ['DiagnosticReport/dr-1'], []],
    ]);
    assert.deepEqual(rows({ type: 'permit', actor: [B], data: data('related') }), [
      ['permit', [], [], ['DiagnosticReport/dr-1'], []],
    ]);
    assert.deepEqual(rows({ type: 'deny', actor: [B], data: data('dependents') }), [
      ['deny', [], [], [], []],
    ]);
    assert.deepEqual(rows({ type: 'deny', actor: [B], data: data('instance') }), [
      ['deny', [], [], ['DiagnosticReport/dr-1'], []],
    ]);
    assert.deepEqual(rows({ type: 'permit', actor: [B], data: data('authoredby') }), []);
    const absolute = [{ meaning: 'instance', reference: { reference: 'https://elsewhere/Observation/o' } }];
    assert.deepEqual(rows({ type: 'permit', actor: [B], data: absolute }), []);
  });

  test('nested provisions only narrow: types and instances meet, periods shrink', () => {
    const grants = grantsOf(
      consent({
        type: 'permit',
        actor: [B],
        period: { start: '2026-01-01', end: '2026-12-31' },
        class: [
          { system: RT, code: 'Observation' },
          { system: RT, code: 'Condition' },
        ],
        provision: [
          {
            type: 'permit',
            class: [
              { system: RT, code: 'Observation' },
              { system: RT, code: 'Patient' },
            ],
          },
          { type: 'permit', class: [{ system: RT, code: 'Patient' }] },
          {
            type: 'deny',
            period: { start: '2027-01-01' },
            data: [{ meaning: 'instance', reference: { reference: 'Condition/c-1' } }],
          },
        ],
      }),
    );
    assert.deepEqual(
      grants.map((g) => [g.effect, g.types, g.instances, g.start, g.end]),
      [
        ['permit', ['Condition', 'Observation'], [], '2025-12-31T17:00:00.000Z', '2026-12-31T16:59:59.999Z'],
        ['permit', ['Observation'], [], '2025-12-31T17:00:00.000Z', '2026-12-31T16:59:59.999Z'],
        [
          'deny',
          ['Condition', 'Observation'],
          ['Condition/c-1'],
          '2026-12-31T17:00:00.000Z',
          '2026-12-31T16:59:59.999Z',
        ],
      ],
    );
  });

  test('a nested permit for another actor opens nothing; a nested deny for another actor still closes', () => {
    const dr = { reference: { reference: 'Practitioner/dr-x' } };
    assert.deepEqual(
      grantsOf(
        consent({
          type: 'permit',
          actor: [B],
          provision: [
            { type: 'permit', actor: [dr] },
            { type: 'deny', actor: [dr] },
          ],
        }),
      ).map((g) => [g.grantee, g.effect]),
      [
        ['Organization/bv-b', 'permit'],
        ['Practitioner/dr-x', 'deny'],
      ],
    );
  });

  test('purpose: a grant applies only to the purposes named; unknown purposes open nothing and close for every purpose', () => {
    const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
    assert.deepEqual(rows({ type: 'permit', actor: [B], purpose: [{ system: ACT_REASON, code: 'TREAT' }] }), [
      ['permit', [], [], [], ['TREAT']],
    ]);
    const unknown = [{ system: 'http://example.org/purposes', code: 'TREAT' }];
    assert.deepEqual(rows({ type: 'permit', actor: [B], purpose: unknown }), []);
    assert.deepEqual(rows({ type: 'deny', actor: [B], purpose: unknown }), [['deny', [], [], [], []]]);
    assert.deepEqual(
      rows({ type: 'deny', actor: [B], purpose: [{ system: ACT_REASON, code: 'HRESCH' }, ...unknown] }),
      [['deny', [], [], [], []]],
    );
  });

  test('restrictions the server cannot evaluate: a permit opens nothing, a deny closes all it would otherwise', () => {
    const dataPeriod = { start: '2020-01-01', end: '2020-12-31' };
    const collect = [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentaction', code: 'collect' }] },
    ];
    const unknownClass = [{ system: 'http://example.org/profiles', code: 'Lab' }];
    for (const restriction of [{ dataPeriod }, { action: collect }, { class: unknownClass }]) {
      const label = JSON.stringify(restriction);
      assert.deepEqual(rows({ type: 'permit', actor: [B], ...restriction }), [], label);
      assert.deepEqual(
        rows({ type: 'permit', actor: [B], ...restriction, provision: [{ type: 'permit', actor: [B] }] }),
        [],
        `${label}: nor does a nested permit`,
      );
      assert.deepEqual(rows({ type: 'deny', actor: [B], ...restriction }), [['deny', [], [], [], []]], label);
    }
    const access = [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentaction', code: 'access' }] },
    ];
    assert.deepEqual(rows({ type: 'permit', actor: [B], action: access }), [['permit', [], [], [], []]]);
    assert.deepEqual(rows({ type: 'deny', actor: [B], securityLabel: [{ system: ACT, code: 'XYZ' }] }), [
      ['deny', [], [], [], []],
    ]);
  });

  test('code: a permit opens resources containing one of the codes; a deny closes regardless of them', () => {
    const LOINC = 'http://loinc.org';
    const concept = (...codes: string[]) => ({ coding: codes.map((code) => ({ system: LOINC, code })) });
    const codesOf = (provision: unknown) => grantsOf(consent(provision)).map((g) => [g.effect, g.codes]);
    assert.deepEqual(codesOf({ type: 'permit', actor: [B], code: [concept('2345-7'), concept('8867-4')] }), [
      ['permit', [`${LOINC}|2345-7`, `${LOINC}|8867-4`]],
    ]);
    assert.deepEqual(
      codesOf({
        type: 'permit',
        actor: [B],
        code: [concept('2345-7', '8867-4')],
        provision: [
          { type: 'permit', code: [concept('8867-4', '718-7')] },
          { type: 'permit', code: [concept('718-7')] },
        ],
      }),
      [
        ['permit', [`${LOINC}|2345-7`, `${LOINC}|8867-4`]],
        ['permit', [`${LOINC}|8867-4`]],
      ],
      'nested codes meet; nothing in common opens nothing',
    );
    assert.deepEqual(codesOf({ type: 'permit', actor: [B], code: [{ text: 'diabetes' }] }), [], 'no coding');
    assert.deepEqual(
      codesOf({ type: 'permit', actor: [B], code: [{ coding: [{ code: 'E11' }] }] }),
      [],
      'no system',
    );
    assert.deepEqual(codesOf({ type: 'deny', actor: [B], code: [concept('2345-7')] }), [['deny', []]]);
  });

  test('inactive consents, patients as grantees and other references grant nothing', () => {
    const permit = { type: 'permit', actor: [{ reference: { reference: 'Organization/o' } }] };
    assert.deepEqual(grantsOf(consent(permit, 'inactive')), []);
    assert.deepEqual(
      grantsOf(consent({ type: 'permit', actor: [{ reference: { reference: 'Patient/p2' } }] })),
      [],
    );
    assert.deepEqual(grantsOf({ ...consent(permit), patient: { reference: 'Group/g' } }), []);
    assert.deepEqual(grantsOf({ resourceType: 'Observation', status: 'final' }), []);
  });

  test('an active referral opens the record to the receiving facility for its period', () => {
    const referral = {
      resourceType: 'ServiceRequest',
      status: 'active',
      intent: 'order',
      category: [{ coding: [{ system: 'http://snomed.info/sct', code: '3457005' }] }],
      subject: { reference: 'Patient/p1' },
      occurrencePeriod: { start: '2026-11-01', end: '2027-10-31' },
      performer: [{ reference: 'Organization/bv-b' }],
    };
    assert.deepEqual(grantsOf(referral), [
      {
        patient: 'p1',
        grantee: 'Organization/bv-b',
        effect: 'permit',
        start: '2026-10-31T17:00:00.000Z',
        end: '2027-10-31T16:59:59.999Z',
        categories: [],
        types: [],
        instances: [],
        purposes: [],
        codes: [],
      },
    ]);
    assert.deepEqual(grantsOf({ ...referral, status: 'completed' }), []);
    assert.deepEqual(grantsOf({ ...referral, category: [] }), []);
  });
});
