// SMART v2 fine-grained scopes end to end over HTTP: the token endpoint grants a
// `patient/Observation.rs?category=…|laboratory` scope when asked (and drops queries it does not
// support), and the token then reads only laboratory Observations by read, search, count,
// _include, _revinclude, $everything, chains, _has, Bundle entries and history — never a vital
// sign, nor an older version that was one.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { type Api, describeApi, putAll } from './support/api.ts';
import { account, patientRecord, publicClient, signInTokens } from './support/auth-fixtures.ts';

const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const LAB_SCOPE = `patient/Observation.rs?category=${CATEGORY}|laboratory`;
const CCCD = '036095001122';

const observation = (id: string, category: string) => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  category: [{ coding: [{ system: CATEGORY, code: category }] }],
  code: { coding: [{ system: 'http://loinc.org', code: category === 'laboratory' ? '2345-7' : '8867-4' }] },
  subject: { reference: 'Patient/pf' },
});

describeApi('fine-grained SMART scopes', (api: Api) => {
  let token = '';
  let granted = '';
  const get = (path: string) => api.request('GET', path, undefined, { authorization: `Bearer ${token}` });
  const ids = (bundle: { entry?: { resource: { resourceType: string; id: string } }[] }) =>
    (bundle.entry ?? []).map((e) => `${e.resource.resourceType}/${e.resource.id}`).sort();
  let accountId = '';
  const signInWith = (scope: string) => signInTokens(api, { clientId: 'web', accountId, login: CCCD, scope });

  before(async () => {
    await patientRecord(api, 'pf', CCCD);
    const report = {
      resourceType: 'DiagnosticReport',
      id: 'report',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '24323-8' }] },
      subject: { reference: 'Patient/pf' },
      result: [{ reference: 'Observation/lab-1' }, { reference: 'Observation/vital-1' }],
    };
    await putAll(api, [
      observation('lab-1', 'laboratory'),
      observation('vital-1', 'vital-signs'),
      observation('changed', 'vital-signs'),
      report,
    ]);
    // Version 2 of `changed` is a laboratory result; version 1 was a vital sign.
    await putAll(api, [observation('changed', 'laboratory')]);
    await publicClient(api, 'web', 'openid fhirUser launch/patient patient/*.rs');
    accountId = (await account(api, 'patient', CCCD)).id;
    const tokens = await signInWith(
      `launch/patient patient/Patient.rs patient/DiagnosticReport.rs ${LAB_SCOPE}`,
    );
    token = tokens.access_token;
    granted = tokens.scope;
  });

  test('the token endpoint grants a fine-grained scope as asked', () => {
    assert.deepEqual(
      granted.split(' ').sort(),
      ['launch/patient', 'patient/DiagnosticReport.rs', 'patient/Patient.rs', LAB_SCOPE].sort(),
    );
  });

  test('security: a query the server does not support is not granted', async () => {
    const tokens = await signInWith(`patient/Observation.rs?status=final ${LAB_SCOPE}`);
    assert.equal(tokens.scope, LAB_SCOPE);
  });

  test('security: a fine-grained scope reads only matching resources, by read, search and count', async () => {
    assert.equal((await get('Observation/lab-1')).status, 200);
    assert.equal((await get('Observation/vital-1')).status, 404);
    assert.deepEqual(ids((await get('Observation')).body), ['Observation/changed', 'Observation/lab-1']);
    assert.deepEqual(ids((await get(`Observation?category=${CATEGORY}|vital-signs`)).body), []);
    assert.equal((await get('Observation?_summary=count')).body.total, 2);
  });

  test('security: _include, _revinclude and $everything do not walk around a fine-grained scope', async () => {
    assert.deepEqual(ids((await get('DiagnosticReport?_include=DiagnosticReport:result')).body), [
      'DiagnosticReport/report',
      'Observation/lab-1',
    ]);
    assert.deepEqual(ids((await get('Observation?_revinclude=DiagnosticReport:result')).body), [
      'DiagnosticReport/report',
      'Observation/changed',
      'Observation/lab-1',
    ]);
    assert.deepEqual(ids((await get('Patient/pf/$everything')).body), [
      'DiagnosticReport/report',
      'Observation/changed',
      'Observation/lab-1',
      'Patient/pf',
    ]);
    assert.deepEqual(ids((await get('Patient?_id=pf&_revinclude=Observation:subject')).body), [
      'Observation/changed',
      'Observation/lab-1',
      'Patient/pf',
    ]);
  });

  test('security: chains, _has and Bundle entries do not walk around a fine-grained scope', async () => {
    assert.deepEqual(ids((await get(`Observation?subject:Patient.identifier=${CCCD}`)).body), [
      'Observation/changed',
      'Observation/lab-1',
    ]);
    assert.deepEqual(ids((await get(`Patient?_has:Observation:subject:category=vital-signs`)).body), []);
    assert.deepEqual(ids((await get(`Patient?_has:Observation:subject:category=laboratory`)).body), [
      'Patient/pf',
    ]);
    const batch = await api.request(
      'POST',
      '',
      {
        resourceType: 'Bundle',
        type: 'batch',
        entry: ['Observation/lab-1', 'Observation/vital-1'].map((url) => ({
          request: { method: 'GET', url },
        })),
      },
      { authorization: `Bearer ${token}` },
    );
    assert.equal(batch.status, 200, batch.text);
    assert.deepEqual(
      batch.body.entry.map((e: { response: { status: string } }) => e.response.status.slice(0, 3)),
      ['200', '404'],
    );
  });

  test('security: history shows a version only while it matches the scope as the current version', async () => {
    assert.equal((await get('Observation/changed/_history/2')).status, 200);
    assert.equal((await get('Observation/changed/_history/1')).status, 404, 'it was a vital sign then');
    const history = await get('Observation/changed/_history');
    assert.deepEqual(
      (history.body.entry ?? []).map(
        (e: { resource: { meta: { versionId: string } } }) => e.resource.meta.versionId,
      ),
      ['2'],
    );
    assert.equal((await get('Observation/vital-1/_history/1')).status, 404);
  });
});
