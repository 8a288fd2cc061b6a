// Which grants a Consent or referral opens (pure): actors, periods, categories, nested exceptions,
// and the resources that must grant nothing.
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
      },
      {
        patient: 'p1',
        grantee: 'Organization/bv-b',
        effect: 'deny',
        start: '2025-12-31T17:00:00.000Z',
        end: '2026-12-31T16:59:59.999Z',
        categories: ['mental-health'],
      },
    ]);
  });

  test('a deny for a practitioner, and unknown labels cover nothing', () => {
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
      },
    ]);
    assert.deepEqual(grantsOf({ ...referral, status: 'completed' }), []);
    assert.deepEqual(grantsOf({ ...referral, category: [] }), []);
  });
});
