// The access policy end to end over HTTP with real tokens (sign-in flow for people): a patient
// reaches every facility record linked to them and nothing else, by any path (read, search, chain,
// include, revinclude, _has, history, $everything, counts); a practitioner sees their facility's
// patients, and other facilities' data only through consent, referral or break-the-glass — which
// the patient can revoke mid-session and always sees in their access log.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { type Api, describeApi, putAll } from './support/api.ts';
import { account, adminToken, publicClient, signInTokens } from './support/auth-fixtures.ts';
import { admin, patient } from './support/mpi-fixtures.ts';

const CCCD_P = '025086113770'; // person P: records pa1 (facility A) and pb1 (facility B)
const CCCD_Q = '001190123456'; // person Q: record pa2 (facility A)
const CCCD_R = '079192654321'; // person R: record pb2 (facility B) only
const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

const managed = (id: string, org: string, o: Parameters<typeof patient>[1]) => ({
  ...patient(id, o),
  managingOrganization: { reference: `Organization/${org}` },
});
const observation = (id: string, subject: string, code = '8867-4') => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code }] },
  subject: { reference: `Patient/${subject}` },
});

const FIXTURES = [
  { resourceType: 'Organization', id: 'org-a', name: 'Trạm Y tế A' },
  { resourceType: 'Organization', id: 'org-b', name: 'Bệnh viện B' },
  { resourceType: 'Practitioner', id: 'pr-a', name: [{ family: 'Lê', given: ['An'] }] },
  { resourceType: 'Practitioner', id: 'pr-b', name: [{ family: 'Phạm', given: ['Bình'] }] },
  managed('pa1', 'org-a', { cccd: CCCD_P }),
  managed('pb1', 'org-b', { cccd: CCCD_P }),
  managed('pa2', 'org-a', {
    cccd: CCCD_Q,
    family: 'Trần',
    given: ['Thị', 'Mai'],
    gender: 'female',
    birthDate: '1990-05-06',
  }),
  managed('pb2', 'org-b', {
    cccd: CCCD_R,
    family: 'Võ',
    given: ['Thị', 'Lan'],
    gender: 'female',
    birthDate: '1992-07-08',
  }),
  observation('obs-a1', 'pa1'),
  observation('obs-b1', 'pb1'),
  observation('obs-a2', 'pa2'),
  observation('obs-b2', 'pb2'),
  {
    resourceType: 'Condition',
    id: 'mh-b1',
    subject: { reference: 'Patient/pb1' },
    code: { coding: [{ system: ICD10, code: 'F32.9' }] },
  },
];

type Tokens = Record<'patientP' | 'patientQ' | 'doctorA' | 'doctorB' | 'labOnly', string>;

async function signInAll(api: Api): Promise<Tokens & { personP: string }> {
  await publicClient(
    api,
    'web',
    'openid fhirUser launch/patient patient/*.rs patient/Consent.cud user/*.cruds user/Observation.rs',
  );
  const people = [
    ['patientP', 'patient', CCCD_P, {}, 'openid fhirUser launch/patient patient/*.rs patient/Consent.cud'],
    ['patientQ', 'patient', CCCD_Q, {}, 'launch/patient patient/*.rs'],
    ['doctorA', 'practitioner', 'bs.a', { practitionerId: 'pr-a', organizationId: 'org-a' }, 'user/*.cruds'],
    ['doctorB', 'practitioner', 'bs.b', { practitionerId: 'pr-b', organizationId: 'org-b' }, 'user/*.cruds'],
    [
      'labOnly',
      'practitioner',
      'kt.a',
      { practitionerId: 'pr-c', organizationId: 'org-a' },
      'user/Observation.rs',
    ],
  ] as const;
  const tokens = {} as Tokens & { personP: string };
  for (const [name, kind, login, extra, scope] of people) {
    const created = await account(api, kind, login, { role: 'doctor', ...extra });
    const t = await signInTokens(api, { clientId: 'web', accountId: created.id, login, scope });
    tokens[name] = t.access_token;
    if (name === 'patientP') tokens.personP = t.patient!;
  }
  return tokens;
}

describeApi('access policy', (api) => {
  let t: Tokens & { personP: string };
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const get = (token: string, path: string) => api.request('GET', path, undefined, as(token));
  const ids = (bundle: { entry?: { resource: { resourceType: string; id: string } }[] }) =>
    (bundle.entry ?? []).map((e) => `${e.resource.resourceType}/${e.resource.id}`).sort();

  before(async () => {
    await putAll(api, FIXTURES);
    assert.equal((await admin(api, 'POST', '$process')).status, 200);
    t = await signInAll(api);
  });

  test('security: a patient reads every record linked to them and no other patient by id', async () => {
    for (const path of ['Patient/pa1', 'Patient/pb1', 'Observation/obs-a1', 'Observation/obs-b1']) {
      assert.equal((await get(t.patientP, path)).status, 200, path);
    }
    for (const path of ['Patient/pa2', 'Observation/obs-a2', 'Patient/pb2', 'Observation/obs-b2']) {
      const res = await get(t.patientP, path);
      assert.equal(res.status, 404, `${path} must read like a resource that does not exist`);
    }
    assert.equal((await get(t.patientP, `Patient/${t.personP}`)).status, 200, 'the golden record');
  });

  test('security: searches, counts, chains, includes, _has and history never show another patient', async () => {
    assert.deepEqual(ids((await get(t.patientP, 'Observation')).body), [
      'Observation/obs-a1',
      'Observation/obs-b1',
    ]);
    assert.equal((await get(t.patientP, 'Observation?_summary=count')).body.total, 2);
    assert.deepEqual(ids((await get(t.patientP, 'Observation?subject=Patient/pa2')).body), []);
    assert.deepEqual(
      ids((await get(t.patientP, `Observation?subject:Patient.identifier=${CCCD_Q}`)).body),
      [],
    );
    assert.deepEqual(
      ids((await get(t.patientP, 'Patient?_id=pa2&_revinclude=Observation:subject')).body),
      [],
    );
    assert.deepEqual(ids((await get(t.patientP, 'Patient?_has:Observation:subject:code=8867-4')).body), [
      'Patient/pa1',
      'Patient/pb1',
    ]);
    const included = await get(t.patientP, 'Observation?_include=Observation:subject');
    assert.ok(
      ids(included.body).every((id) => !/pa2|pb2|obs-a2|obs-b2/.test(id)),
      included.text,
    );
    assert.equal((await get(t.patientP, 'Patient/pa2/_history')).status, 404);
    const history = await get(t.patientP, 'Observation/_history');
    assert.deepEqual(
      [
        ...new Set((history.body.entry ?? []).map((e: { fullUrl: string }) => e.fullUrl.split('/').pop())),
      ].sort(),
      ['obs-a1', 'obs-b1'],
    );
    assert.equal((await get(t.patientP, 'Patient/pa2/$everything')).status, 404);
    const everything = await get(t.patientP, `Patient/${t.personP}/$everything`);
    assert.ok(ids(everything.body).includes('Observation/obs-b1'), everything.text);
    assert.ok(!ids(everything.body).some((id) => /pa2|obs-a2/.test(id)));
  });

  test('security: a patient cannot write clinical data nor consent for someone else', async () => {
    const write = await api.request('POST', 'Observation', observation('x', 'pa1'), as(t.patientP));
    assert.equal(write.status, 403, write.text);
    const foreign = await api.request(
      'POST',
      'Consent',
      consent('pa2', 'permit', 'Organization/org-b'),
      as(t.patientP),
    );
    assert.equal(foreign.status, 403, foreign.text);
  });

  test("security: a practitioner sees their facility's patients and not another facility's", async () => {
    assert.equal((await get(t.doctorA, 'Observation/obs-a2')).status, 200);
    assert.equal((await get(t.doctorA, 'Observation/obs-b2')).status, 404);
    assert.deepEqual(ids((await get(t.doctorA, 'Observation')).body), [
      'Observation/obs-a1',
      'Observation/obs-a2',
    ]);
    assert.equal((await get(t.doctorA, 'Patient/pb2/$everything')).status, 404);
    const update = await api.request(
      'PUT',
      'Observation/obs-b2',
      observation('obs-b2', 'pb2'),
      as(t.doctorA),
    );
    assert.equal(update.status, 403, update.text);
    const into = await api.request('POST', 'Observation', observation('x', 'pb2'), as(t.doctorA));
    assert.equal(into.status, 403, 'no writing into a record one cannot see');
  });

  test('security: a consent opens facility B to A except mental health, and revoking it closes at once', async () => {
    const created = await api.request(
      'POST',
      'Consent',
      consent(t.personP, 'permit', 'Organization/org-a', [
        { type: 'deny', securityLabel: [{ system: ACT, code: 'PSY' }] },
      ]),
      as(t.patientP),
    );
    assert.equal(created.status, 201, created.text);
    assert.equal((await get(t.doctorA, 'Observation/obs-b1')).status, 200);
    assert.equal((await get(t.doctorA, 'Condition/mh-b1')).status, 404, 'the mental-health exception');
    const revoked = await api.request(
      'PUT',
      `Consent/${created.body.id}`,
      { ...created.body, status: 'inactive' },
      as(t.patientP),
    );
    assert.equal(revoked.status, 200, revoked.text);
    assert.equal((await get(t.doctorA, 'Observation/obs-b1')).status, 404, 'same token, consent gone');
  });

  test("security: by id, a practitioner reads and vreads their facility's patients' records and not another facility's", async () => {
    for (const path of ['Observation/obs-a1', 'Observation/obs-a1/_history/1']) {
      assert.equal((await get(t.doctorA, path)).status, 200, `doctor A: ${path}`);
      assert.equal((await get(t.doctorB, path)).status, 404, `doctor B: ${path}`);
    }
    for (const path of ['Observation/obs-b1', 'Observation/obs-b1/_history/1']) {
      assert.equal((await get(t.doctorB, path)).status, 200, `doctor B: ${path}`);
      assert.equal((await get(t.doctorA, path)).status, 404, `doctor A: ${path}`);
    }
  });

  test("security: a patient's deny closes even their own facility's records to a practitioner", async () => {
    const denied = await api.request(
      'POST',
      'Consent',
      consent(t.personP, 'deny', 'Practitioner/pr-a'),
      as(t.patientP),
    );
    assert.equal(denied.status, 201, denied.text);
    assert.equal((await get(t.doctorA, 'Observation/obs-a1')).status, 404);
    assert.equal(
      (await api.request('DELETE', `Consent/${denied.body.id}`, undefined, as(t.patientP))).status,
      204,
    );
    assert.equal((await get(t.doctorA, 'Observation/obs-a1')).status, 200);
  });

  test('security: an active referral opens the record to the receiving facility, and only while active', async () => {
    const referral = {
      resourceType: 'ServiceRequest',
      id: 'ref-b2',
      status: 'active',
      intent: 'order',
      category: [{ coding: [{ system: 'http://snomed.info/sct', code: '3457005' }] }],
      subject: { reference: 'Patient/pb2' },
      requester: { reference: 'Practitioner/pr-b' },
      performer: [{ reference: 'Organization/org-a' }],
    };
    assert.equal((await api.request('PUT', 'ServiceRequest/ref-b2', referral, as(t.doctorB))).status, 201);
    assert.equal((await get(t.doctorA, 'Observation/obs-b2')).status, 200);
    const done = await api.request(
      'PUT',
      'ServiceRequest/ref-b2',
      { ...referral, status: 'completed' },
      as(t.doctorB),
    );
    assert.equal(done.status, 200, done.text);
    assert.equal((await get(t.doctorA, 'Observation/obs-b2')).status, 404);
  });

  const breakGlass = (token: string, patient: string, reason?: string) =>
    api.request(
      'POST',
      `Patient/${patient}/$break-glass`,
      {
        resourceType: 'Parameters',
        parameter: reason === undefined ? [] : [{ name: 'reason', valueString: reason }],
      },
      as(token),
    );
  /** How many of a patient's AuditEvents are flagged as emergency access (purpose ETREAT). */
  const flagged = async (patient: string) => {
    const log = await api.request('GET', `AuditEvent?patient=Patient/${patient}`, undefined, {
      authorization: `Bearer ${await adminToken(api)}`,
    });
    return (log.body.entry ?? []).filter(
      (e: { resource: { purposeOfEvent?: { coding?: { code?: string }[] }[] } }) =>
        e.resource.purposeOfEvent?.some((p) => p.coding?.some((c) => c.code === 'ETREAT')),
    ).length;
  };

  test('security: break-the-glass needs a reason and a practitioner, opens for a while, and is flagged', async () => {
    assert.equal((await breakGlass(t.doctorA, 'pb2')).status, 400);
    assert.equal((await breakGlass(t.patientP, 'pb2', 'curious')).status, 403);
    assert.equal((await get(t.doctorA, 'Observation/obs-b2')).status, 404);
    const opened = await breakGlass(t.doctorA, 'pb2', 'Bệnh nhân hôn mê, cấp cứu');
    assert.equal(opened.status, 200, opened.text);
    assert.equal((await get(t.doctorA, 'Observation/obs-b2')).status, 200);
    assert.ok((await flagged('pb2')) >= 2, 'the break-glass itself and the read under it are flagged');
  });

  test('security: scopes narrow what a token reaches, for reads and writes', async () => {
    assert.equal((await get(t.labOnly, 'Observation/obs-a1')).status, 200);
    assert.equal((await get(t.labOnly, 'Patient/pa1')).status, 404, 'no Patient scope');
    assert.deepEqual(ids((await get(t.labOnly, 'Observation?_include=Observation:subject')).body), [
      'Observation/obs-a1',
      'Observation/obs-a2',
    ]);
    const write = await api.request('POST', 'Observation', observation('y', 'pa1'), as(t.labOnly));
    assert.equal(write.status, 403, write.text);
  });

  test('security: a patient lists who accessed their records, and nobody else lists them', async () => {
    const log = await get(t.patientP, 'AuditEvent?_count=200');
    assert.equal(log.status, 200, log.text);
    const entities = (log.body.entry ?? []).flatMap(
      (e: { resource: { entity?: { what?: { reference?: string } }[] } }) =>
        (e.resource.entity ?? []).map((x) => x.what?.reference ?? ''),
    );
    assert.ok(
      entities.includes('Patient/pb1') || entities.includes('Observation/obs-b1'),
      log.text.slice(0, 500),
    );
    assert.ok(!entities.some((r: string) => /pa2|pb2/.test(r)), 'no other patient in the log');
    assert.equal((await get(t.patientQ, 'AuditEvent?patient=Patient/pa1')).body.entry?.length ?? 0, 0);
    assert.equal((await get(t.doctorA, 'AuditEvent')).status, 403);
  });

  test('security: nobody writes the audit trail, not even through a transaction Bundle', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: {
            resourceType: 'AuditEvent',
            type: { code: 'rest' },
            recorded: '2026-01-01T00:00:00Z',
            agent: [{ requestor: true }],
            source: { observer: { display: 'forged' } },
          },
          request: { method: 'POST', url: 'AuditEvent' },
        },
      ],
    };
    const res = await api.request('POST', '', bundle, { authorization: `Bearer ${await adminToken(api)}` });
    assert.equal(res.status, 405, res.text);
  });

  test('security: no token, a garbage token or a token for another server gets 401 and no data', async () => {
    for (const authorization of [undefined, 'Bearer x.y.z', `Bearer ${t.doctorA}x`]) {
      const res = await api.app.inject({
        method: 'GET',
        url: '/fhir/Observation/obs-a1',
        headers: authorization ? { authorization } : {},
      });
      assert.equal(res.statusCode, 401);
      const body = JSON.parse(res.body);
      assert.equal(body.resourceType, 'OperationOutcome', 'no data, only the reason');
      assert.equal(body.issue[0].code, 'login');
    }
    assert.equal((await api.app.inject({ method: 'GET', url: '/fhir/metadata' })).statusCode, 200);
  });

  // Last: it leaves doctor B an emergency grant on person P.
  test("security: break-the-glass on one of a person's records flags reads of the person's other records too", async () => {
    const before = await flagged('pb1');
    assert.equal((await get(t.doctorB, 'Observation/obs-b1')).status, 200, "doctor B's own facility");
    assert.equal(await flagged('pb1'), before, 'no emergency yet: not flagged');
    const opened = await breakGlass(t.doctorB, 'pa1', 'cấp cứu');
    assert.equal(opened.status, 200, opened.text);
    assert.equal((await get(t.doctorB, 'Observation/obs-a1')).status, 200, 'opened by the emergency');
    assert.equal((await get(t.doctorB, 'Observation/obs-b1')).status, 200);
    assert.equal(
      await flagged('pb1'),
      before + 1,
      "the same person's record at B is read under the emergency",
    );
  });
});

function consent(patientId: string, type: 'permit' | 'deny', actor: string, provision: unknown[] = []) {
  return {
    resourceType: 'Consent',
    status: 'active',
    scope: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
    },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
    patient: { reference: `Patient/${patientId}` },
    policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
    provision: {
      type,
      actor: [
        {
          role: {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'PRCP' }],
          },
          reference: { reference: actor },
        },
      ],
      ...(provision.length > 0 ? { provision } : {}),
    },
  };
}
