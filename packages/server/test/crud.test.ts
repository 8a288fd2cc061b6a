// Create, read, vread, update (incl. update-as-create), delete and their headers, on both engines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeApi } from './support/api.ts';

const patient = (family: string) => ({
  resourceType: 'Patient',
  name: [{ family, given: ['Văn', 'An'] }],
  gender: 'male',
  birthDate: '1986-04-12',
});

describeApi('CRUD', (api) => {
  test('create answers 201 with Location, ETag, Last-Modified and the stored resource', async () => {
    const res = await api.request('POST', 'Patient', patient('Nguyễn'));
    assert.equal(res.status, 201);
    const id = res.body.id as string;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal(res.headers.location, `http://localhost:8080/fhir/Patient/${id}/_history/1`);
    assert.equal(res.headers.etag, 'W/"1"');
    assert.ok(Date.parse(String(res.headers['last-modified'])) > 0);
    assert.equal(res.body.meta.versionId, '1');
    const read = await api.request('GET', `Patient/${id}`);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, res.body);
    assert.equal(read.headers.etag, 'W/"1"');
  });

  test('a client id in a POST body is replaced by a server id', async () => {
    const res = await api.request('POST', 'Patient', { ...patient('Trần'), id: 'mine' });
    assert.equal(res.status, 201);
    assert.notEqual(res.body.id, 'mine');
  });

  test('update bumps the version and keeps history; vread returns each version', async () => {
    const created = await api.request('POST', 'Patient', patient('Lê'));
    const id = created.body.id;
    const updated = await api.request('PUT', `Patient/${id}`, { ...patient('Lê Thị'), id });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.meta.versionId, '2');
    assert.equal(updated.headers.etag, 'W/"2"');
    const v1 = await api.request('GET', `Patient/${id}/_history/1`);
    assert.equal(v1.body.name[0].family, 'Lê');
    const v2 = await api.request('GET', `Patient/${id}/_history/2`);
    assert.equal(v2.body.name[0].family, 'Lê Thị');
    assert.equal((await api.request('GET', `Patient/${id}/_history/3`)).status, 404);
  });

  test('each version keeps its own content through updates, a delete and a re-create (vread, history)', async () => {
    const id = 'versions-1';
    const families = ['Một', 'Hai', 'Ba'];
    for (const family of families) {
      assert.ok(
        [200, 201].includes((await api.request('PUT', `Patient/${id}`, { ...patient(family), id })).status),
      );
    }
    assert.equal((await api.request('DELETE', `Patient/${id}`)).status, 204);
    assert.equal((await api.request('PUT', `Patient/${id}`, { ...patient('Năm'), id })).status, 201);
    const expected = [...families, undefined, 'Năm'];
    for (const [i, family] of expected.entries()) {
      const v = await api.request('GET', `Patient/${id}/_history/${i + 1}`);
      assert.equal(v.status, family === undefined ? 410 : 200, `version ${i + 1}`);
      if (family !== undefined) assert.equal(v.body.name[0].family, family, `version ${i + 1}`);
    }
    const history = await api.request('GET', `Patient/${id}/_history`);
    const entries = history.body.entry as {
      resource?: { meta: { versionId: string }; name: { family: string }[] };
    }[];
    assert.deepEqual(
      entries.map((e) => e.resource && `${e.resource.meta.versionId}:${e.resource.name[0]!.family}`),
      ['5:Năm', undefined, '3:Ba', '2:Hai', '1:Một'],
    );
  });

  test('update-as-create with a client-assigned id answers 201', async () => {
    const res = await api.request('PUT', 'Patient/client-id-1', { ...patient('Phạm'), id: 'client-id-1' });
    assert.equal(res.status, 201);
    assert.equal(res.body.id, 'client-id-1');
    assert.equal((await api.request('GET', 'Patient/client-id-1')).status, 200);
  });

  test('If-Match with a stale version fails with 412 and writes nothing', async () => {
    const created = await api.request('POST', 'Patient', patient('Hoàng'));
    const id = created.body.id;
    await api.request('PUT', `Patient/${id}`, { ...patient('Huỳnh'), id }, { 'if-match': 'W/"1"' });
    const stale = await api.request(
      'PUT',
      `Patient/${id}`,
      { ...patient('Vũ'), id },
      { 'if-match': 'W/"1"' },
    );
    assert.equal(stale.status, 412);
    assert.equal(stale.body.resourceType, 'OperationOutcome');
    const current = await api.request('GET', `Patient/${id}`);
    assert.equal(current.body.name[0].family, 'Huỳnh');
  });

  test('delete is versioned: read gives 410 Gone, history keeps the versions, re-create works', async () => {
    const created = await api.request('POST', 'Patient', patient('Đặng'));
    const id = created.body.id;
    const deleted = await api.request('DELETE', `Patient/${id}`);
    assert.equal(deleted.status, 204);
    const gone = await api.request('GET', `Patient/${id}`);
    assert.equal(gone.status, 410);
    assert.equal(gone.body.resourceType, 'OperationOutcome');
    assert.equal((await api.request('GET', `Patient/${id}/_history/1`)).status, 200);
    assert.equal((await api.request('GET', `Patient/${id}/_history/2`)).status, 410);
    assert.equal((await api.request('DELETE', `Patient/${id}`)).status, 204);
    const again = await api.request('PUT', `Patient/${id}`, { ...patient('Đặng'), id });
    assert.equal(again.status, 201);
    assert.equal(again.body.meta.versionId, '3');
  });

  test('Prefer: return=minimal answers without a body; return=OperationOutcome with one', async () => {
    const minimal = await api.request('POST', 'Patient', patient('Bùi'), { prefer: 'return=minimal' });
    assert.equal(minimal.status, 201);
    assert.equal(minimal.text, '');
    assert.ok(minimal.headers.location);
    const outcome = await api.request('POST', 'Patient', patient('Bùi'), {
      prefer: 'return=OperationOutcome',
    });
    assert.equal(outcome.body.resourceType, 'OperationOutcome');
  });

  test('JSON Patch updates the resource; a failed test operation answers 422', async () => {
    const created = await api.request('POST', 'Patient', patient('Đỗ'));
    const id = created.body.id;
    const patched = await api.app.inject({
      method: 'PATCH',
      url: `/fhir/Patient/${id}`,
      headers: { 'content-type': 'application/json-patch+json', authorization: `Bearer ${api.token}` },
      payload: JSON.stringify([{ op: 'replace', path: '/gender', value: 'female' }]),
    });
    assert.equal(patched.statusCode, 200);
    assert.equal(JSON.parse(patched.body).gender, 'female');
    assert.equal(JSON.parse(patched.body).meta.versionId, '2');
    const failed = await api.app.inject({
      method: 'PATCH',
      url: `/fhir/Patient/${id}`,
      headers: { 'content-type': 'application/json-patch+json', authorization: `Bearer ${api.token}` },
      payload: JSON.stringify([{ op: 'test', path: '/gender', value: 'male' }]),
    });
    assert.equal(failed.statusCode, 422);
  });
});
