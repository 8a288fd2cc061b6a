// Consent provisions that narrow, end to end over HTTP with signed-in practitioners: a permit
// limited to resource types (`class`) or to one resource (`data`) opens only that, by read, search,
// _include, _revinclude and $everything; a permit by code opens what contains it now; a deny limited
// to a type hides only that type; nested exceptions only narrow; a restriction the server cannot
// evaluate opens nothing or closes all; and grants stored before migration 66 are rebuilt narrowed.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { rebuildConsentGrants } from '../src/access/grant-store.ts';
import { type Api, describeApi, putAll } from './support/api.ts';
import { account, publicClient, signInTokens } from './support/auth-fixtures.ts';
import { patient } from './support/mpi-fixtures.ts';

const RT = 'http://hl7.org/fhir/resource-types';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const classes = (...types: string[]) => types.map((code) => ({ system: RT, code }));
const instance = (reference: string) => ({ meaning: 'instance', reference: { reference } });
const PRCP = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'PRCP' }],
};
const actor = (reference: string) => [{ role: PRCP, reference: { reference } }];

function condition(id: string, icd10: string) {
  return {
    resourceType: 'Condition',
    id,
    subject: { reference: 'Patient/pa' },
    code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: icd10 }] },
  };
}

const FIXTURES = [
  { resourceType: 'Organization', id: 'org-a', name: 'Trạm Y tế A' },
  { resourceType: 'Organization', id: 'org-b', name: 'Bệnh viện B' },
  { resourceType: 'Practitioner', id: 'pr-a', name: [{ family: 'Lê', given: ['An'] }] },
  { resourceType: 'Practitioner', id: 'pr-b', name: [{ family: 'Phạm', given: ['Bình'] }] },
  { ...patient('pa'), managingOrganization: { reference: 'Organization/org-a' } },
  ...['obs-1', 'obs-2'].map((id) => ({
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }] },
    subject: { reference: 'Patient/pa' },
  })),
  condition('cond-1', 'E11.9'),
  {
    resourceType: 'DiagnosticReport',
    id: 'dr-1',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '24323-8' }] },
    subject: { reference: 'Patient/pa' },
    result: [{ reference: 'Observation/obs-1' }],
  },
];

/** The patient's resources, in the order `ids` sorts them. */
const ALL = [
  'Condition/cond-1',
  'DiagnosticReport/dr-1',
  'Observation/obs-1',
  'Observation/obs-2',
  'Patient/pa',
];

describeApi('consent provisions that narrow', (api: Api) => {
  const doctor: Record<'a' | 'b', string> = { a: '', b: '' };
  const get = (who: 'a' | 'b', path: string) =>
    api.request('GET', path, undefined, { authorization: `Bearer ${doctor[who]}` });
  const ids = (bundle: { entry?: { resource: { resourceType: string; id: string } }[] }) =>
    (bundle.entry ?? []).map((e) => `${e.resource.resourceType}/${e.resource.id}`).sort();
  /** The patient's own resources in a Bundle (without the organizations everyone may read). */
  const record = (bundle: Parameters<typeof ids>[0]) =>
    ids(bundle).filter((id) => !id.startsWith('Organization/'));
  /** Which of the patient's resources the doctor reads by id. */
  const readable = async (who: 'a' | 'b') => {
    const found: string[] = [];
    for (const path of ALL) if ((await get(who, path)).status === 200) found.push(path);
    return found.sort();
  };
  /** Runs `check` while the patient's Consent holds `provision`, then withdraws it. */
  const underConsent = async (provision: unknown, check: () => Promise<void>) => {
    const consent = {
      resourceType: 'Consent',
      id: 'consent-pa',
      status: 'active',
      scope: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
      },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { reference: 'Patient/pa' },
      policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
      provision,
    };
    const put = await api.request('PUT', 'Consent/consent-pa', consent);
    assert.ok(put.status === 200 || put.status === 201, put.text);
    try {
      await check();
    } finally {
      assert.equal((await api.request('DELETE', 'Consent/consent-pa')).status, 204);
    }
  };

  before(async () => {
    await putAll(api, FIXTURES);
    // Condition/cond-2 was diabetes (version 1) and is hypertension now (version 2).
    for (const code of ['E11.9', 'I10']) await putAll(api, [condition('cond-2', code)]);
    await publicClient(api, 'web', 'openid fhirUser user/*.cruds');
    for (const [who, org] of [
      ['a', 'org-a'],
      ['b', 'org-b'],
    ] as const) {
      const login = `bs.${who}`;
      const created = await account(api, 'practitioner', login, {
        practitionerId: `pr-${who}`,
        organizationId: org,
      });
      const tokens = await signInTokens(api, {
        clientId: 'web',
        accountId: created.id,
        login,
        scope: 'openid fhirUser user/*.cruds',
      });
      doctor[who] = tokens.access_token;
    }
  });

  test('security: without consent, facility B sees none of the record and facility A all of it', async () => {
    assert.deepEqual(await readable('b'), []);
    assert.deepEqual(await readable('a'), ALL);
  });

  test('security: a permit by class opens those types only, by read, search, _include, _revinclude and $everything', async () => {
    await underConsent(
      { type: 'permit', actor: actor('Organization/org-b'), class: classes('Patient', 'Observation') },
      async () => {
        assert.deepEqual(await readable('b'), ['Observation/obs-1', 'Observation/obs-2', 'Patient/pa']);
        assert.deepEqual(ids((await get('b', 'Condition?subject=Patient/pa')).body), []);
        assert.equal((await get('b', 'Condition?subject=Patient/pa&_summary=count')).body.total, 0);
        assert.deepEqual(ids((await get('b', 'Observation?_include=Observation:subject')).body), [
          'Observation/obs-1',
          'Observation/obs-2',
          'Patient/pa',
        ]);
        assert.deepEqual(
          ids(
            (await get('b', 'Patient?_id=pa&_revinclude=Condition:subject&_revinclude=Observation:subject'))
              .body,
          ),
          ['Observation/obs-1', 'Observation/obs-2', 'Patient/pa'],
        );
        assert.deepEqual(
          ids((await get('b', 'Observation?_id=obs-1&_revinclude=DiagnosticReport:result')).body),
          ['Observation/obs-1'],
        );
        assert.deepEqual(record((await get('b', 'Patient/pa/$everything')).body), [
          'Observation/obs-1',
          'Observation/obs-2',
          'Patient/pa',
        ]);
      },
    );
    await underConsent(
      { type: 'permit', actor: actor('Organization/org-b'), class: classes('Observation') },
      async () => {
        assert.deepEqual(await readable('b'), ['Observation/obs-1', 'Observation/obs-2']);
        assert.deepEqual(ids((await get('b', 'Observation?_include=Observation:subject')).body), [
          'Observation/obs-1',
          'Observation/obs-2',
        ]);
        assert.equal((await get('b', 'Patient/pa/$everything')).status, 404);
      },
    );
    assert.deepEqual(await readable('b'), [], 'withdrawn');
  });

  test('security: a permit for one resource exposes only that instance', async () => {
    await underConsent(
      { type: 'permit', actor: actor('Practitioner/pr-b'), data: [instance('DiagnosticReport/dr-1')] },
      async () => {
        assert.deepEqual(await readable('b'), ['DiagnosticReport/dr-1']);
        assert.deepEqual(
          ids((await get('b', 'DiagnosticReport?subject=Patient/pa&_include=DiagnosticReport:result')).body),
          ['DiagnosticReport/dr-1'],
        );
        assert.deepEqual(ids((await get('b', 'Observation?subject=Patient/pa')).body), []);
      },
    );
  });

  test("security: a deny by class hides only that type, even from the patient's own facility", async () => {
    await underConsent(
      { type: 'deny', actor: actor('Organization/org-a'), class: classes('Condition') },
      async () => {
        assert.deepEqual(
          await readable('a'),
          ALL.filter((r) => r !== 'Condition/cond-1'),
        );
        assert.deepEqual(
          record((await get('a', 'Patient/pa/$everything')).body),
          ['Consent/consent-pa', ...ALL.filter((r) => r !== 'Condition/cond-1')],
          'the consent itself is in the record too',
        );
      },
    );
  });

  test('security: nested exceptions narrow their parent and never widen it', async () => {
    await underConsent(
      {
        type: 'permit',
        actor: actor('Organization/org-b'),
        class: classes('Patient', 'Observation', 'Condition'),
        provision: [
          { type: 'deny', data: [instance('Observation/obs-2')] },
          { type: 'permit', class: classes('DiagnosticReport') },
        ],
      },
      async () => {
        assert.deepEqual(await readable('b'), ['Condition/cond-1', 'Observation/obs-1', 'Patient/pa']);
      },
    );
  });

  test('security: a restriction the server cannot evaluate opens nothing to a permit and closes everything to a deny', async () => {
    await underConsent(
      { type: 'permit', actor: actor('Organization/org-b'), dataPeriod: { start: '2020-01-01' } },
      async () => {
        assert.deepEqual(await readable('b'), []);
      },
    );
    await underConsent(
      {
        type: 'deny',
        actor: actor('Organization/org-a'),
        dataPeriod: { start: '2020-01-01', end: '2020-12-31' },
      },
      async () => {
        assert.deepEqual(await readable('a'), []);
        assert.deepEqual(ids((await get('a', 'Observation?subject=Patient/pa')).body), []);
      },
    );
  });

  test('security: a permit by code opens the resources whose current version contains it', async () => {
    const diabetes = [{ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'E11.9' }] }];
    await underConsent({ type: 'permit', actor: actor('Organization/org-b'), code: diabetes }, async () => {
      assert.deepEqual(await readable('b'), ['Condition/cond-1']);
      assert.deepEqual(ids((await get('b', 'Condition?subject=Patient/pa')).body), ['Condition/cond-1']);
      assert.equal((await get('b', 'Condition/cond-2/_history/1')).status, 404, 'E11.9 then, I10 now');
      assert.equal((await get('b', 'Condition/cond-2')).status, 404);
    });
    await underConsent({ type: 'deny', actor: actor('Organization/org-a'), code: diabetes }, async () => {
      assert.deepEqual(await readable('a'), [], 'a deny by code closes the whole record');
    });
  });

  test("security: a permit for a purpose of use applies only when the caller's purpose matches", async () => {
    const permitFor = (purpose: string) => ({
      type: 'permit',
      actor: actor('Organization/org-b'),
      purpose: [{ system: ACT_REASON, code: purpose }],
    });
    await underConsent(permitFor('TREAT'), async () => {
      assert.deepEqual(await readable('b'), ALL, 'staff read for treatment');
    });
    await underConsent(permitFor('HRESCH'), async () => {
      assert.deepEqual(await readable('b'), [], 'research only');
    });
  });

  test('security: grants stored before they could be narrowed are rebuilt narrowed', async () => {
    await underConsent(
      { type: 'permit', actor: actor('Organization/org-b'), class: classes('Observation') },
      async () => {
        // What a row written before migration 65 looks like: the class ignored (66 rebuilds it).
        await api.db.db.query(`UPDATE access_grant SET types = '{}' WHERE source_id = 'consent-pa'`);
        assert.ok((await readable('b')).includes('Condition/cond-1'), 'the old, wide row');
        await api.db.db.transaction(rebuildConsentGrants);
        assert.deepEqual(await readable('b'), ['Observation/obs-1', 'Observation/obs-2']);
      },
    );
  });
});
