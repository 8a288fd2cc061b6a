// The patient index through HTTP on both engines: automatic linking from the outbox, conflicts to
// the review queue, Person and golden Patient views, $match, a person's $everything, review
// accept, unlink, merge and unmerge.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VN_FHIR } from '@hoso/vn';
import { describeApi, type Api } from './support/api.ts';

const S = VN_FHIR.identifierSystems;

function patient(
  id: string,
  o: {
    family?: string;
    given?: string[];
    cccd?: string;
    bhyt?: string;
    phone?: string;
    birthDate?: string;
    gender?: string;
  } = {},
) {
  const family = o.family ?? 'Nguyễn';
  const given = o.given ?? ['Văn', 'Hùng'];
  const identifier = [
    ...(o.cccd ? [{ system: S.citizenId, value: o.cccd }] : []),
    ...(o.bhyt ? [{ system: S.insuranceCard, value: o.bhyt }] : []),
  ];
  return {
    resourceType: 'Patient',
    id,
    ...(identifier.length > 0 ? { identifier } : {}),
    name: [{ use: 'official', text: [family, ...given].join(' '), family, given }],
    ...(o.phone ? { telecom: [{ system: 'phone', value: o.phone }] } : {}),
    gender: o.gender ?? 'male',
    birthDate: o.birthDate ?? '1986-03-22',
  };
}

async function admin(api: Api, method: 'GET' | 'POST', path: string, body?: unknown) {
  const res = await api.app.inject({
    method,
    url: `/admin/mpi/${path}`,
    ...(body !== undefined ? { payload: body as object } : {}),
  });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
}

describeApi('patient index', (api) => {
  const put = async (p: ReturnType<typeof patient>) => {
    const res = await api.request('PUT', `Patient/${p.id}`, p);
    assert.ok(res.status === 201 || res.status === 200, `${res.status} ${res.text}`);
  };
  const personOf = async (id: string) => (await admin(api, 'GET', `records/${id}`)).body.person as string;

  test('links, queues and separates incoming Patients', async () => {
    await put(patient('a1', { cccd: '025086113770', bhyt: 'GD4252583022236', phone: '0825325667' }));
    await put(
      patient('a2', {
        family: 'Nguyen',
        given: ['Van', 'Hung'],
        bhyt: 'GD4252583022236',
        phone: '0825325667',
      }),
    );
    // same insurance number but another sex: a conflict, never linked automatically
    await put(patient('a3', { bhyt: 'GD4252583022236', gender: 'female' }));
    await put(
      patient('b1', {
        family: 'Trần',
        given: ['Thị', 'Lan'],
        gender: 'female',
        birthDate: '1990-07-01',
        phone: '0912345678',
      }),
    );
    const processed = await admin(api, 'POST', '$process'); // (the server's own timer may have linked some already)
    assert.equal(processed.status, 200);
    const a = await personOf('a1');
    assert.equal(await personOf('a2'), a, 'same insurance number, names agree: linked');
    assert.notEqual(await personOf('b1'), a);
    assert.notEqual(await personOf('a3'), a);
    const person = await admin(api, 'GET', a);
    assert.equal(person.status, 200);
    assert.equal(person.body.resourceType, 'Person');
    const targets = person.body.link.map((l: { target: { reference: string } }) => l.target.reference);
    assert.ok(targets.includes('Patient/a1') && targets.includes('Patient/a2'));
    const golden = await admin(api, 'GET', a.replace('Person/', 'Patient/'));
    assert.equal(golden.body.meta.tag[0].code, 'golden');
    assert.deepEqual(
      golden.body.link.map((l: { other: { reference: string } }) => l.other.reference).sort(),
      ['Patient/a1', 'Patient/a2'],
    );
  });

  test('Patient/$match answers scored candidates with match grades', async () => {
    const res = await api.request('POST', 'Patient/$match', {
      resourceType: 'Parameters',
      parameter: [{ name: 'resource', resource: patient('', { cccd: '025086113770' }) }],
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.type, 'searchset');
    const first = res.body.entry[0];
    assert.equal(first.resource.id, 'a1');
    assert.equal(first.search.mode, 'match');
    assert.ok(first.search.score > 0.9);
    assert.equal(first.search.extension[0].valueCode, 'certain');
  });

  test('$everything across every record of a person', async () => {
    await api.request('PUT', 'Observation/o1', {
      resourceType: 'Observation',
      id: 'o1',
      status: 'final',
      code: { text: 'weight' },
      subject: { reference: 'Patient/a2' },
    });
    const a = await personOf('a1');
    const res = await admin(api, 'GET', `${a}/$everything`);
    assert.equal(res.status, 200);
    const ids = res.body.entry.map(
      (e: { resource: { resourceType: string; id: string } }) =>
        `${e.resource.resourceType}/${e.resource.id}`,
    );
    assert.ok(
      ids.includes('Patient/a1') && ids.includes('Patient/a2') && ids.includes('Observation/o1'),
      ids.join(),
    );
  });

  test('review queue: evidence, accept merges; unlink, merge and unmerge are reversible', async () => {
    const queue = await admin(api, 'GET', 'review');
    assert.equal(queue.status, 200);
    const item = queue.body.items.find((i: { patient_id: string }) => i.patient_id === 'a3');
    assert.ok(item, JSON.stringify(queue.body));
    assert.ok(
      item.evidence.some(
        (e: { field: string; agreement: string }) => e.field === 'bhxh' && e.agreement === 'same',
      ),
    );
    const accepted = await admin(api, 'POST', `review/${item.id}/accept`);
    assert.equal(accepted.status, 200);
    const a = await personOf('a1');
    assert.equal(await personOf('a3'), a);
    assert.equal((await admin(api, 'POST', `review/${item.id}/reject`)).status, 409);

    const unlinked = await admin(api, 'POST', 'records/a2/unlink');
    assert.equal(unlinked.status, 200);
    const alone = await personOf('a2');
    assert.notEqual(alone, a);
    const id = (ref: string) => ref.replace('Person/', '');
    assert.equal((await admin(api, 'POST', `Person/${id(alone)}/merge`, { into: id(a) })).status, 200);
    assert.equal(await personOf('a2'), a);
    assert.equal((await admin(api, 'POST', `Person/${id(alone)}/unmerge`)).status, 200);
    assert.equal(await personOf('a2'), alone);
    assert.equal(await personOf('a1'), a);
  });
});
