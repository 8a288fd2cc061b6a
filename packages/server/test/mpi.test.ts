// The patient index through HTTP on both engines: automatic linking from the outbox, conflicts to
// the review queue, Person and golden Patient views, $match, a person's $everything, review
// accept, unlink, merge and unmerge.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, describeApi, putAll } from './support/api.ts';
import { admin, patient } from './support/mpi-fixtures.ts';

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
    const person = await api.request('GET', a);
    assert.equal(person.status, 200);
    assert.equal(person.body.resourceType, 'Person');
    const targets = person.body.link.map((l: { target: { reference: string } }) => l.target.reference);
    assert.ok(targets.includes('Patient/a1') && targets.includes('Patient/a2'));
    const golden = await api.request('GET', a.replace('Person/', 'Patient/'));
    assert.equal(golden.status, 200);
    assert.equal(golden.body.meta.tag[0].code, 'golden');
    assert.deepEqual(
      golden.body.link.map((l: { other: { reference: string } }) => l.other.reference).sort(),
      ['Patient/a1', 'Patient/a2'],
    );
    assert.equal((await api.request('GET', 'Patient/a1')).body.id, 'a1', 'facility records read as before');
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
    for (const count of [0, -1, 1.5, 101]) {
      const bad = await api.request('POST', 'Patient/$match', {
        resourceType: 'Parameters',
        parameter: [
          { name: 'resource', resource: patient('') },
          { name: 'count', valueInteger: count },
        ],
      });
      assert.equal(bad.status, 400, `count ${count}: ${bad.text}`);
      assert.equal(bad.body.resourceType, 'OperationOutcome');
    }
  });

  test('$everything across every record of a person, paged', async () => {
    await putAll(api, [
      ...['o1', 'o2', 'o3'].map((id, i) => ({
        resourceType: 'Observation',
        id,
        status: 'final',
        code: { text: 'weight' },
        subject: { reference: `Patient/${i === 0 ? 'a1' : 'a2'}` },
      })),
      {
        resourceType: 'Observation',
        id: 'o4',
        status: 'final',
        code: { text: 'x' },
        subject: { reference: 'Patient/b1' },
      },
    ]);
    const person = (await personOf('a1')).replace('Person/', '');
    const ids: string[] = [];
    let path: string | undefined = `Patient/${person}/$everything?_count=2`;
    for (let pages = 0; path && pages < 10; pages++) {
      const res = await api.request('GET', path);
      assert.equal(res.status, 200, res.text);
      assert.ok(res.body.entry.length <= 2);
      ids.push(
        ...res.body.entry.map(
          (e: { resource: { resourceType: string; id: string } }) =>
            `${e.resource.resourceType}/${e.resource.id}`,
        ),
      );
      const next = res.body.link.find((l: { relation: string }) => l.relation === 'next')?.url as
        string | undefined;
      path = next?.slice(BASE.length + 1);
    }
    assert.deepEqual(ids, ['Observation/o1', 'Observation/o2', 'Observation/o3', 'Patient/a1', 'Patient/a2']);
    const typed = await api.request('GET', `Patient/${person}/$everything?_type=Patient`);
    assert.deepEqual(
      typed.body.entry.map((e: { resource: { id: string } }) => e.resource.id),
      ['a1', 'a2'],
    );
    const future = await api.request('GET', `Patient/${person}/$everything?_since=2999-01-01T00:00:00Z`);
    assert.equal(future.body.entry?.length ?? 0, 0);
    const bad = await api.request('GET', `Patient/${person}/$everything?_type=Nope`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.resourceType, 'OperationOutcome');
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
    assert.equal((await admin(api, 'POST', 'review/not-a-number/accept')).status, 404);
    assert.equal((await admin(api, 'POST', 'review/99999999/accept')).status, 404);

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
