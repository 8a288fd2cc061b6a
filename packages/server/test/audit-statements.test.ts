// An audited GET writes its AuditEvents in a statement that also confirms the caller's token and
// flags break-the-glass access in the database: a read by id in the statement that reads
// (audit_read), any other read in the statement that appends (audit_append_checked). A request whose
// token was confirmed first (POST _search) has its records flagged and written by JavaScript alone.
// All must write the same AuditEvents. This compares a read with a vread and a GET search with a
// POST _search, as the same caller: a Patient's own record, another resource in one Patient's
// record, data of no patient (the client's chain), a resource in two Patients' records (a read
// leaves it to JavaScript), and a practitioner's reads under break-the-glass access (flagged in the
// chains the access covers only) — then verifies the chains.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { verifyAuditTrail } from '../src/audit/verify.ts';
import { describeApi, putAll } from './support/api.ts';
import { account, publicClient, signInTokens } from './support/auth-fixtures.ts';

const FIXTURES = [
  { resourceType: 'Organization', id: 'org-a', name: 'Trạm Y tế A' },
  { resourceType: 'Organization', id: 'org-b', name: 'Bệnh viện B' },
  { resourceType: 'Practitioner', id: 'pr-a', name: [{ family: 'Lê', given: ['An'] }] },
  {
    resourceType: 'Patient',
    id: 'p1',
    name: [{ family: 'Nguyễn', given: ['Văn', 'An'] }],
    managingOrganization: { reference: 'Organization/org-b' },
  },
  { resourceType: 'Patient', id: 'p2', name: [{ family: 'Trần', given: ['Bình'] }] },
  {
    resourceType: 'Observation',
    id: 'o1',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
    subject: { reference: 'Patient/p1' },
  },
  {
    resourceType: 'Observation',
    id: 'o2',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
    subject: { reference: 'Patient/p1' },
    performer: [{ reference: 'Patient/p2' }],
  },
];

interface Recorded {
  chain: string;
  glass: boolean;
  event: Record<string, unknown>;
}

describeApi('audit records written by the statement that confirms the token', (api) => {
  let doctor = '';
  const seen = new Set<string>();

  /** The AuditEvents the request wrote, without what differs between a read and a vread. */
  const auditRows = () =>
    api.db.db.query<{ id: string; chain_key: string; break_glass: boolean; content: string }>(
      'SELECT id, chain_key, break_glass, content FROM audit_event',
    );

  /** The AuditEvents the request wrote, without what differs between a read and a vread. */
  async function recordsOf(path: string, token: string, form?: string): Promise<Recorded[]> {
    for (const r of await auditRows()) seen.add(r.id);
    const bearer = { authorization: `Bearer ${token}` };
    const res = form
      ? await api.request('POST', path, form, {
          ...bearer,
          'content-type': 'application/x-www-form-urlencoded',
        })
      : await api.request('GET', path, undefined, bearer);
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    const rows = await auditRows();
    return rows
      .filter((r) => !seen.has(r.id))
      .map((r) => {
        const { id, recorded, subtype, ...event } = JSON.parse(r.content) as Record<string, unknown>;
        assert.equal(id, r.id, 'the stored id is the event id');
        assert.ok(typeof recorded === 'string' && subtype !== undefined);
        return { chain: r.chain_key.replace(/^(Client\/[^/]+)\/\d+$/, '$1'), glass: r.break_glass, event };
      })
      .sort((a, b) => a.chain.localeCompare(b.chain));
  }

  const sameAsVread = async (type: string, id: string, token: string) => {
    const read = await recordsOf(`${type}/${id}`, token);
    const vread = await recordsOf(`${type}/${id}/_history/1`, token);
    assert.deepEqual(read, vread, `${type}/${id}`);
    return read;
  };

  /** A GET search (recorded by the statement that confirms the token) against a POST _search. */
  const sameAsPostSearch = async (type: string, query: string, token: string) => {
    const get = await recordsOf(`${type}?${query}`, token);
    const post = await recordsOf(`${type}/_search`, token, query);
    assert.deepEqual(get, post, `${type}?${query}`);
    return get;
  };

  before(async () => {
    await putAll(api, FIXTURES);
    await publicClient(api, 'web', 'openid fhirUser user/*.cruds');
    const created = await account(api, 'practitioner', 'bs.a', {
      role: 'doctor',
      practitionerId: 'pr-a',
      organizationId: 'org-a',
    });
    doctor = (
      await signInTokens(api, {
        clientId: 'web',
        accountId: created.id,
        login: 'bs.a',
        scope: 'user/*.cruds',
      })
    ).access_token;
  });

  test('a Patient, a resource in one record, data of no patient, a resource in two records', async () => {
    const patient = await sameAsVread('Patient', 'p1', api.token);
    assert.deepEqual(
      patient.map((r) => r.chain),
      ['Patient/p1'],
    );
    assert.equal((patient[0]!.event.entity as unknown[]).length, 1, 'the Patient is named once');
    const observation = await sameAsVread('Observation', 'o1', api.token);
    assert.deepEqual(
      observation.map((r) => r.chain),
      ['Patient/p1'],
    );
    const organization = await sameAsVread('Organization', 'org-a', api.token);
    assert.equal(organization.length, 1);
    assert.match(organization[0]!.chain, /^Client\//);
    const shared = await sameAsVread('Observation', 'o2', api.token);
    assert.deepEqual(
      shared.map((r) => r.chain),
      ['Patient/p1', 'Patient/p2'],
    );
  });

  test('searches about one Patient, two Patients, no patient and nothing', async () => {
    assert.deepEqual(
      (await sameAsPostSearch('Observation', '_id=o1', api.token)).map((r) => r.chain),
      ['Patient/p1'],
    );
    assert.deepEqual(
      (await sameAsPostSearch('Observation', '_id=o1,o2', api.token)).map((r) => r.chain),
      ['Patient/p1', 'Patient/p2'],
    );
    const organizations = await sameAsPostSearch('Organization', '_id=org-a,org-b', api.token);
    assert.equal(organizations.length, 1);
    assert.match(organizations[0]!.chain, /^Client\//);
    assert.equal((await sameAsPostSearch('Observation', '_id=nothing', api.token)).length, 1);
  });

  test("a practitioner's reads under break-the-glass access are flagged alike", async () => {
    const opened = await api.request(
      'POST',
      'Patient/p1/$break-glass',
      { resourceType: 'Parameters', parameter: [{ name: 'reason', valueString: 'cấp cứu' }] },
      { authorization: `Bearer ${doctor}` },
    );
    assert.equal(opened.status, 200, opened.text);
    for (const [type, id] of [
      ['Observation', 'o1'],
      ['Patient', 'p1'],
    ] as const) {
      const records = await sameAsVread(type, id, doctor);
      assert.deepEqual(
        records.map((r) => [r.chain, r.glass]),
        [['Patient/p1', true]],
      );
      assert.match(JSON.stringify(records[0]!.event.purposeOfEvent), /ETREAT/);
    }
    const search = await sameAsPostSearch('Observation', '_id=o1,o2', doctor);
    assert.deepEqual(
      search.map((r) => [r.chain, r.glass]),
      [
        ['Patient/p1', true],
        ['Patient/p2', false],
      ],
      'only the chain of the Patient the emergency access covers is flagged',
    );
    assert.deepEqual((await verifyAuditTrail(api.db.db)).breaks, []);
  });
});
