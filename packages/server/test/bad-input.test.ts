// Hostile and malformed requests: each gets a precise OperationOutcome with the right 4xx status,
// never a 500, and leaves nothing written. On both engines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Api, describeApi } from './support/api.ts';

async function countPatients(api: Api): Promise<number> {
  const res = await api.request('GET', 'Patient?_summary=count');
  return res.body.total;
}

function assertOutcome(
  res: { status: number; body: { resourceType?: string; issue?: unknown[] } },
  status: number,
) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.resourceType, 'OperationOutcome');
  assert.ok((res.body.issue ?? []).length > 0);
}

describeApi('Bad input', (api) => {
  test('malformed JSON → 400', async () => {
    const before = await countPatients(api);
    assertOutcome(await api.request('POST', 'Patient', '{"resourceType": "Patient",'), 400);
    assertOutcome(await api.request('POST', 'Patient', ''), 400);
    assert.equal(await countPatients(api), before);
  });

  test('wrong content type → 415', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/fhir/Patient',
      headers: { 'content-type': 'application/xml', authorization: `Bearer ${api.token}` },
      payload: '<Patient/>',
    });
    assertOutcome({ status: res.statusCode, body: JSON.parse(res.body) }, 415);
  });

  test('a body over the limit → 413', async () => {
    const big = JSON.stringify({
      resourceType: 'Patient',
      text: { status: 'generated', div: 'x'.repeat(1024 * 1024 + 10) },
    });
    assertOutcome(await api.request('POST', 'Patient', big), 413);
  });

  test('an id in the body that differs from the URL → 400; a missing id → 400', async () => {
    assertOutcome(await api.request('PUT', 'Patient/abc', { resourceType: 'Patient', id: 'xyz' }), 400);
    assertOutcome(await api.request('PUT', 'Patient/abc', { resourceType: 'Patient' }), 400);
    assert.equal((await api.request('GET', 'Patient/abc')).status, 404);
  });

  test('a resource type in the body that differs from the URL → 400', async () => {
    assertOutcome(
      await api.request('POST', 'Patient', { resourceType: 'Observation', status: 'final' }),
      400,
    );
  });

  test('deep nesting → 400', async () => {
    let deep: unknown = { url: 'http://x', valueString: 'x' };
    for (let i = 0; i < 200; i++) deep = { url: 'http://x', extension: [deep] };
    assertOutcome(await api.request('POST', 'Patient', { resourceType: 'Patient', extension: [deep] }), 400);
    const text = '['.repeat(100_000) + ']'.repeat(100_000);
    assertOutcome(await api.request('POST', 'Patient', text), 400);
  });

  test('huge arrays → 400 with a precise location', async () => {
    const names = Array.from({ length: 20_000 }, () => ({ family: 'A' }));
    const res = await api.request('POST', 'Patient', { resourceType: 'Patient', name: names });
    assertOutcome(res, 400);
  });

  test('invalid ids → 400; unknown resource types → 404; unknown routes → 404', async () => {
    assertOutcome(await api.request('GET', `Patient/${'x'.repeat(65)}`), 400);
    assertOutcome(await api.request('GET', 'Patient/bad_id!'), 400);
    assertOutcome(await api.request('GET', 'NotAType/1'), 404);
    assertOutcome(await api.request('POST', 'NotAType', { resourceType: 'NotAType' }), 404);
    assertOutcome(await api.request('GET', 'Patient/1/_history/x'), 404);
    assertOutcome(await api.request('GET', 'Patient/1/foo/bar/baz'), 404);
  });

  test('an invalid resource → 400 listing every problem with its FHIRPath location', async () => {
    const before = await countPatients(api);
    const res = await api.request('POST', 'Patient', {
      resourceType: 'Patient',
      gender: 'unknown-gender',
      birthDate: '1984-02-30',
      nickname: 'x',
    });
    assertOutcome(res, 400);
    const expressions = res.body.issue.flatMap((i: { expression?: string[] }) => i.expression ?? []);
    assert.ok(expressions.includes('Patient.gender'), JSON.stringify(expressions));
    assert.ok(expressions.includes('Patient.birthDate'), JSON.stringify(expressions));
    assert.ok(
      expressions.some((x: string) => x.startsWith('Patient.nickname')),
      JSON.stringify(expressions),
    );
    assert.equal(await countPatients(api), before);
  });

  test('a control character in a string (U+0000 included) → 400 at its location', async () => {
    const before = await countPatients(api);
    for (const family of ['Nguy\u0000n', 'Nguy\u0001n']) {
      const res = await api.request('POST', 'Patient', { resourceType: 'Patient', name: [{ family }] });
      assertOutcome(res, 400);
      const expressions = res.body.issue.flatMap((i: { expression?: string[] }) => i.expression ?? []);
      assert.ok(
        expressions.some((x: string) => x.startsWith('Patient.name')),
        JSON.stringify(expressions),
      );
    }
    assert.equal(await countPatients(api), before);
  });

  test('unknown profiles and extensions are stored, not rejected', async () => {
    const res = await api.request('POST', 'Patient', {
      resourceType: 'Patient',
      meta: { profile: ['http://fhir.hl7.org.vn/core/StructureDefinition/vn-core-patient'] },
      extension: [{ url: 'http://fhir.hl7.org.vn/core/StructureDefinition/ethnicity', valueString: 'Kinh' }],
    });
    assert.equal(res.status, 201);
  });

  test('a Bundle of the wrong type or with broken entries → 400', async () => {
    assertOutcome(
      await api.request('POST', '', { resourceType: 'Bundle', type: 'collection', entry: [] }),
      400,
    );
    assertOutcome(await api.request('POST', '', { resourceType: 'Patient' }), 400);
    assertOutcome(
      await api.request('POST', '', {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [{ resource: {} }],
      }),
      400,
    );
    assertOutcome(
      await api.request('POST', '', {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [{ request: { method: 'TRACE', url: 'Patient' } }],
      }),
      400,
    );
  });

  test('bad If-Match and _format values → 400 / 406', async () => {
    const created = await api.request('POST', 'Patient', { resourceType: 'Patient' });
    const id = created.body.id;
    assertOutcome(
      await api.request('PUT', `Patient/${id}`, { resourceType: 'Patient', id }, { 'if-match': 'garbage' }),
      400,
    );
    assertOutcome(await api.request('GET', `Patient/${id}?_format=xml`), 406);
  });

  test('a JSON Patch that is malformed or changes the id → 400', async () => {
    const created = await api.request('POST', 'Patient', { resourceType: 'Patient' });
    const id = created.body.id;
    const send = (patch: string) =>
      api.app.inject({
        method: 'PATCH',
        url: `/fhir/Patient/${id}`,
        headers: { 'content-type': 'application/json-patch+json', authorization: `Bearer ${api.token}` },
        payload: patch,
      });
    for (const patch of ['{}', '[{"op":"explode"}]', '[{"op":"replace","path":"/id","value":"other"}]']) {
      const res = await send(patch);
      assert.equal(res.statusCode, 400, patch);
    }
    const invalid = await send('[{"op":"add","path":"/gender","value":"robot"}]');
    assert.equal(invalid.statusCode, 400);
    assert.equal((await api.request('GET', `Patient/${id}`)).body.meta.versionId, '1');
  });
});
