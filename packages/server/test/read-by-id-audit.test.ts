// A read by id records itself in the statement that reads (audit_read, migration 52); every other
// read is recorded by the audit trail in JavaScript. Both must write the same AuditEvents: this
// reads each resource by id and by version (vread, the JavaScript path) as the same caller and
// compares the records — a Patient's own record, another resource in one Patient's record, data
// of no patient (the client's chain), a resource in two Patients' records (left to the JavaScript
// path), and a practitioner's reads under break-the-glass access (flagged) — then verifies the chains.
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

describeApi('a read by id records what the audit trail would', (api) => {
  let doctor = '';
  const seen = new Set<string>();

  /** The AuditEvents the request wrote, without what differs between a read and a vread. */
  const auditRows = () =>
    api.db.db.query<{ id: string; chain_key: string; break_glass: boolean; content: string }>(
      'SELECT id, chain_key, break_glass, content FROM audit_event',
    );

  /** The AuditEvents the request wrote, without what differs between a read and a vread. */
  async function recordsOf(path: string, token: string): Promise<Recorded[]> {
    for (const r of await auditRows()) seen.add(r.id);
    const res = await api.request('GET', path, undefined, { authorization: `Bearer ${token}` });
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
    assert.deepEqual((await verifyAuditTrail(api.db.db)).breaks, []);
  });
});
