// Search (the issue-2 subset), paging, history at three levels, Patient/$everything, $validate and
// the CapabilityStatement, on both engines.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { describeApi } from './support/api.ts';

const SYS = 'https://hoso.example/sid/test';

describeApi('Read side', (api) => {
  let patientId = '';
  let otherId = '';

  before(async () => {
    const p = await api.request('POST', 'Patient', {
      resourceType: 'Patient',
      identifier: [{ system: SYS, value: 'R-1' }],
      name: [{ family: 'Đặng', given: ['Thị', 'Hoà'] }],
      birthDate: '1984-02-29',
    });
    patientId = p.body.id;
    const o = await api.request('POST', 'Patient', {
      resourceType: 'Patient',
      identifier: [{ system: SYS, value: 'R-2' }],
      name: [{ family: 'Nguyễn', given: ['Văn', 'Hòa'] }],
    });
    otherId = o.body.id;
    const entries = Array.from({ length: 7 }, (_, i) => ({
      resource: {
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
        subject: { reference: `Patient/${patientId}` },
        effectiveDateTime: `2025-0${i + 1}-15T08:00:00+07:00`,
        valueQuantity: { value: 70 + i, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
      },
      request: { method: 'POST', url: 'Observation' },
    }));
    entries.push({
      resource: {
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
        subject: { reference: `Patient/${otherId}` },
        effectiveDateTime: '2025-01-15',
        valueQuantity: { value: 80, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
      },
      request: { method: 'POST', url: 'Observation' },
    });
    const res = await api.request('POST', '', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: entries,
    });
    assert.equal(res.status, 200);
  });

  test('search by identifier, _id, name (accent-insensitive prefix) and subject', async () => {
    const byIdentifier = await api.request('GET', `Patient?identifier=${SYS}|R-1`);
    assert.deepEqual(
      byIdentifier.body.entry.map((e: { resource: { id: string } }) => e.resource.id),
      [patientId],
    );
    assert.equal(byIdentifier.body.total, 1);
    const byCode = await api.request('GET', 'Patient?identifier=R-2');
    assert.equal(byCode.body.entry[0].resource.id, otherId);
    const byId = await api.request('GET', `Patient?_id=${patientId},${otherId}`);
    assert.equal(byId.body.entry.length, 2);
    const dang = await api.request('GET', 'Patient?name=dang');
    assert.deepEqual(
      dang.body.entry.map((e: { resource: { id: string } }) => e.resource.id),
      [patientId],
    );
    const hoa = await api.request('GET', 'Patient?given=hoa');
    assert.equal(hoa.body.entry.length, 2, 'Hoà and Hòa both match "hoa"');
    const subject = await api.request('GET', `Observation?subject=Patient/${patientId}`);
    assert.equal(subject.body.entry.length, 7);
    const patient = await api.request('GET', `Observation?patient=${otherId}`);
    assert.equal(patient.body.entry.length, 1);
  });

  test('date and _lastUpdated searches honour prefixes and precision', async () => {
    const march = await api.request('GET', `Observation?subject=Patient/${patientId}&date=2025-03`);
    assert.equal(march.body.entry.length, 1);
    const fromMay = await api.request('GET', `Observation?subject=Patient/${patientId}&date=ge2025-05-01`);
    assert.equal(fromMay.body.entry.length, 3);
    const recent = await api.request(
      'GET',
      `Observation?_lastUpdated=gt2000-01-01&subject=Patient/${patientId}`,
    );
    assert.equal(recent.body.entry.length, 7);
    const future = await api.request('GET', 'Observation?_lastUpdated=gt2999-01-01');
    assert.equal(future.body.entry.length, 0);
  });

  test('_count pages with a next link until every match has been seen exactly once', async () => {
    const seen: string[] = [];
    let url: string | undefined = `Observation?subject=Patient/${patientId}&_count=3`;
    let pages = 0;
    while (url && pages < 10) {
      const page = await api.request('GET', url);
      assert.equal(page.status, 200);
      seen.push(...page.body.entry.map((e: { resource: { id: string } }) => e.resource.id));
      const next = page.body.link.find((l: { relation: string }) => l.relation === 'next');
      url = next ? next.url.replace('http://localhost:8080/fhir/', '') : undefined;
      pages++;
    }
    assert.equal(pages, 3);
    assert.equal(seen.length, 7);
    assert.equal(new Set(seen).size, 7);
  });

  test('unknown parameters are reported in the Bundle, and rejected under handling=strict', async () => {
    const lenient = await api.request('GET', 'Patient?nonsense=1');
    assert.equal(lenient.status, 200);
    const outcome = lenient.body.entry.find((e: { search: { mode: string } }) => e.search.mode === 'outcome');
    assert.match(outcome.resource.issue[0].diagnostics, /nonsense/);
    const strict = await api.request('GET', 'Patient?nonsense=1', undefined, { prefer: 'handling=strict' });
    assert.equal(strict.status, 400);
  });

  test('malformed search values answer 400, never 500', async () => {
    for (const query of [
      'Observation?date=2025-13-01',
      'Observation?date=xx2025',
      'Patient?_count=-1',
      'Patient?_count=abc',
      'Patient?name:bogus=x',
      'Patient?_cursor=notacursor',
      'Observation?value-quantity=abc',
      'Patient?_sort=no-such-parameter',
    ]) {
      const res = await api.request('GET', query);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.resourceType, 'OperationOutcome', query);
    }
  });

  test('_summary=count and _total=accurate give totals', async () => {
    const count = await api.request('GET', `Observation?subject=Patient/${patientId}&_summary=count`);
    assert.equal(count.body.total, 7);
    assert.equal(count.body.entry.length, 0);
    const total = await api.request(
      'GET',
      `Observation?subject=Patient/${patientId}&_count=2&_total=accurate`,
    );
    assert.equal(total.body.total, 7);
    assert.equal(total.body.entry.length, 2);
  });

  test('history at instance, type and system level, with _count and _since', async () => {
    await api.request('PUT', `Patient/${patientId}`, {
      resourceType: 'Patient',
      id: patientId,
      identifier: [{ system: SYS, value: 'R-1' }],
      name: [{ family: 'Đặng', given: ['Thị', 'Hoà'] }],
      gender: 'female',
    });
    const instance = await api.request('GET', `Patient/${patientId}/_history`);
    assert.equal(instance.body.type, 'history');
    assert.deepEqual(
      instance.body.entry.map((e: { response: { etag: string } }) => e.response.etag),
      ['W/"2"', 'W/"1"'],
    );
    assert.equal(instance.body.entry[0].request.method, 'PUT');
    const type = await api.request('GET', 'Patient/_history?_count=2');
    assert.equal(type.body.entry.length, 2);
    assert.ok(type.body.link.some((l: { relation: string }) => l.relation === 'next'));
    const system = await api.request('GET', '_history?_count=100');
    assert.ok(system.body.entry.length >= 11);
    const since = await api.request(
      'GET',
      `_history?_since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
    );
    assert.equal(since.body.entry.length, 0);
    assert.equal((await api.request('GET', '_history?_since=yesterday')).status, 400);
  });

  test('Patient/$everything returns the compartment, pages, and filters by _type', async () => {
    const all = await api.request('GET', `Patient/${patientId}/$everything`);
    assert.equal(all.status, 200);
    const types = all.body.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType);
    assert.equal(types.filter((t: string) => t === 'Observation').length, 7);
    assert.equal(types.filter((t: string) => t === 'Patient').length, 1);
    const onlyPatient = await api.request('GET', `Patient/${patientId}/$everything?_type=Patient`);
    assert.equal(onlyPatient.body.entry.length, 1);
    const paged = await api.request('GET', `Patient/${patientId}/$everything?_count=5`);
    assert.equal(paged.body.entry.length, 5);
    assert.ok(paged.body.link.some((l: { relation: string }) => l.relation === 'next'));
    assert.equal((await api.request('GET', 'Patient/nobody/$everything')).status, 404);
  });

  test('$validate reports problems without storing anything', async () => {
    const ok = await api.request('POST', 'Patient/$validate', { resourceType: 'Patient', gender: 'female' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.issue[0].severity, 'information');
    const bad = await api.request('POST', 'Patient/$validate', {
      resourceType: 'Patient',
      gender: 'x',
      foo: 1,
    });
    assert.equal(bad.status, 200);
    assert.ok(bad.body.issue.filter((i: { severity: string }) => i.severity === 'error').length >= 2);
  });

  test('metadata states R4, JSON, every resource type and the supported interactions', async () => {
    const res = await api.request('GET', 'metadata');
    assert.equal(res.body.resourceType, 'CapabilityStatement');
    assert.equal(res.body.fhirVersion, '4.0.1');
    const resources = res.body.rest[0].resource;
    assert.ok(resources.length >= 140);
    const patient = resources.find((r: { type: string }) => r.type === 'Patient');
    assert.ok(patient.searchParam.some((p: { name: string }) => p.name === 'identifier'));
    assert.ok(patient.operation.some((o: { name: string }) => o.name === 'everything'));
    assert.deepEqual(
      res.body.rest[0].interaction.map((i: { code: string }) => i.code),
      ['transaction', 'batch', 'history-system'],
    );
  });
});
