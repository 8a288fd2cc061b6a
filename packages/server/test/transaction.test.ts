// Batch and transaction Bundles: atomicity, urn:uuid and conditional references, processing order,
// conditional create/update/delete, on both engines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeApi } from './support/api.ts';

const SYS = 'urn:oid:2.16.840.1.113883.2.24.1.1';

const patientEntry = (fullUrl: string, value: string, extra: Record<string, unknown> = {}) => ({
  fullUrl,
  resource: {
    resourceType: 'Patient',
    identifier: [{ system: SYS, value }],
    name: [{ family: 'Nguyễn', given: ['Thị', 'Hoa'] }],
    ...extra,
  },
  request: { method: 'POST', url: 'Patient' },
});

const observationEntry = (subject: string, value = 120) => ({
  fullUrl: `urn:uuid:${crypto.randomUUID()}`,
  resource: {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
    subject: { reference: subject },
    valueQuantity: { value, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
  },
  request: { method: 'POST', url: 'Observation' },
});

const transaction = (entry: unknown[]) => ({ resourceType: 'Bundle', type: 'transaction', entry });

describeApi('Transactions and batches', (api) => {
  test('a transaction resolves urn:uuid references and answers a transaction-response', async () => {
    const pid = `urn:uuid:${crypto.randomUUID()}`;
    const res = await api.request('POST', '', transaction([observationEntry(pid), patientEntry(pid, 'T-1')]));
    assert.equal(res.status, 200);
    assert.equal(res.body.type, 'transaction-response');
    assert.deepEqual(
      res.body.entry.map((e: { response: { status: string } }) => e.response.status),
      ['201 Created', '201 Created'],
    );
    const patientId = res.body.entry[1].resource.id;
    assert.equal(res.body.entry[0].resource.subject.reference, `Patient/${patientId}`);
    const found = await api.request('GET', `Observation?subject=Patient/${patientId}`);
    assert.equal(found.body.entry.length, 1);
  });

  test('a transaction whose Nth entry is invalid writes nothing and names the entry', async () => {
    const before = await api.request('GET', `Patient?identifier=${SYS}|T-2`);
    assert.equal(before.body.entry.length, 0);
    const pid = `urn:uuid:${crypto.randomUUID()}`;
    const bad = observationEntry(pid);
    (bad.resource as Record<string, unknown>).status = 'not-a-status';
    const res = await api.request(
      'POST',
      '',
      transaction([patientEntry(pid, 'T-2'), observationEntry(pid), bad]),
    );
    assert.equal(res.status, 400);
    assert.equal(res.body.resourceType, 'OperationOutcome');
    assert.ok(
      res.body.issue.some((i: { expression?: string[] }) =>
        i.expression?.some((x) => x.startsWith('Bundle.entry[2]')),
      ),
      JSON.stringify(res.body),
    );
    const after = await api.request('GET', `Patient?identifier=${SYS}|T-2`);
    assert.equal(after.body.entry.length, 0);
  });

  test('an unresolved urn:uuid reference fails the transaction', async () => {
    const res = await api.request(
      'POST',
      '',
      transaction([observationEntry(`urn:uuid:${crypto.randomUUID()}`)]),
    );
    assert.equal(res.status, 400);
  });

  test('conditional references resolve to the one matching resource, and fail on none', async () => {
    await api.request('POST', '', transaction([patientEntry(`urn:uuid:${crypto.randomUUID()}`, 'T-3')]));
    const res = await api.request(
      'POST',
      '',
      transaction([observationEntry(`Patient?identifier=${SYS}|T-3`)]),
    );
    assert.equal(res.status, 200);
    assert.match(res.body.entry[0].resource.subject.reference, /^Patient\/[0-9a-f-]+$/);
    const none = await api.request(
      'POST',
      '',
      transaction([observationEntry(`Patient?identifier=${SYS}|NOPE`)]),
    );
    assert.equal(none.status, 404);
  });

  test('conditional create (ifNoneExist) creates once and then returns the existing resource', async () => {
    const entry = {
      ...patientEntry(`urn:uuid:${crypto.randomUUID()}`, 'T-4'),
      request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${SYS}|T-4` },
    };
    const first = await api.request('POST', '', transaction([entry]));
    assert.equal(first.body.entry[0].response.status, '201 Created');
    const second = await api.request('POST', '', transaction([entry]));
    assert.equal(second.body.entry[0].response.status, '200 OK');
    assert.equal(second.body.entry[0].resource.id, first.body.entry[0].resource.id);
    const all = await api.request('GET', `Patient?identifier=${SYS}|T-4`);
    assert.equal(all.body.entry.length, 1);
  });

  test('conditional operations reject unknown search parameters', async () => {
    const entry = {
      ...patientEntry(`urn:uuid:${crypto.randomUUID()}`, 'T-5'),
      request: { method: 'POST', url: 'Patient', ifNoneExist: `identifer=${SYS}|T-5` },
    };
    const res = await api.request('POST', '', transaction([entry]));
    assert.equal(res.status, 400);
    const del = await api.request('DELETE', 'Patient?identifer=x');
    assert.equal(del.status, 400);
  });

  test('conditional update creates, then updates the single match; several matches give 412', async () => {
    const body = { resourceType: 'Patient', identifier: [{ system: SYS, value: 'T-6' }], gender: 'female' };
    const created = await api.request('PUT', `Patient?identifier=${SYS}|T-6`, body);
    assert.equal(created.status, 201);
    const updated = await api.request('PUT', `Patient?identifier=${SYS}|T-6`, { ...body, gender: 'male' });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.id, created.body.id);
    assert.equal(updated.body.meta.versionId, '2');
    await api.request('POST', 'Patient', body);
    const ambiguous = await api.request('PUT', `Patient?identifier=${SYS}|T-6`, body);
    assert.equal(ambiguous.status, 412);
  });

  test('conditional delete removes the single match', async () => {
    const body = { resourceType: 'Patient', identifier: [{ system: SYS, value: 'T-7' }] };
    const created = await api.request('POST', 'Patient', body);
    const res = await api.request('DELETE', `Patient?identifier=${SYS}|T-7`);
    assert.equal(res.status, 204);
    assert.equal((await api.request('GET', `Patient/${created.body.id}`)).status, 410);
  });

  test('entries run in the order DELETE, POST, PUT, GET whatever their order in the Bundle', async () => {
    const created = await api.request('POST', 'Patient', { resourceType: 'Patient', gender: 'male' });
    const id = created.body.id;
    const res = await api.request(
      'POST',
      '',
      transaction([
        { request: { method: 'GET', url: `Patient/${id}` } },
        {
          resource: { resourceType: 'Patient', id: 'order-put', gender: 'other' },
          request: { method: 'PUT', url: 'Patient/order-put' },
        },
        { request: { method: 'DELETE', url: `Patient/${id}` } },
      ]),
    );
    assert.equal(res.status, 410, 'the GET ran after the DELETE of the same transaction');
    const ok = await api.request(
      'POST',
      '',
      transaction([
        { request: { method: 'GET', url: 'Patient/order-put2' } },
        {
          resource: { resourceType: 'Patient', id: 'order-put2' },
          request: { method: 'PUT', url: 'Patient/order-put2' },
        },
      ]),
    );
    assert.equal(ok.status, 200);
    assert.equal(ok.body.entry[0].response.status, '200 OK', 'the GET saw the PUT');
  });

  test('the same resource twice in one transaction is rejected', async () => {
    const put = {
      resource: { resourceType: 'Patient', id: 'twice' },
      request: { method: 'PUT', url: 'Patient/twice' },
    };
    const res = await api.request('POST', '', transaction([put, put]));
    assert.equal(res.status, 400);
  });

  test('a batch reports each entry on its own; failures do not undo successes', async () => {
    const res = await api.request('POST', '', {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        {
          resource: { resourceType: 'Patient', gender: 'female' },
          request: { method: 'POST', url: 'Patient' },
        },
        {
          resource: { resourceType: 'Patient', gender: 'nonsense' },
          request: { method: 'POST', url: 'Patient' },
        },
        { request: { method: 'GET', url: 'Patient/does-not-exist' } },
      ],
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.type, 'batch-response');
    const statuses = res.body.entry.map((e: { response: { status: string } }) => e.response.status);
    assert.deepEqual(statuses, ['201 Created', '400 Bad Request', '404 Not Found']);
    assert.equal(res.body.entry[1].resource.resourceType, 'OperationOutcome');
    const id = res.body.entry[0].resource.id;
    assert.equal((await api.request('GET', `Patient/${id}`)).status, 200);
  });

  test('a PATCH entry carries a JSON Patch in a Binary', async () => {
    const created = await api.request('POST', 'Patient', { resourceType: 'Patient', gender: 'male' });
    const patch = Buffer.from(JSON.stringify([{ op: 'replace', path: '/gender', value: 'female' }])).toString(
      'base64',
    );
    const res = await api.request(
      'POST',
      '',
      transaction([
        {
          resource: { resourceType: 'Binary', contentType: 'application/json-patch+json', data: patch },
          request: { method: 'PATCH', url: `Patient/${created.body.id}` },
        },
      ]),
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.entry[0].resource.gender, 'female');
  });
});
