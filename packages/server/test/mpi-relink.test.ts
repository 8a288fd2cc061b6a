// The patient index keeping up with changes through HTTP on both engines: a changed facility
// Patient is re-matched (goes to review, moves to another person, leaves), a deleted one leaves its
// person with its history kept, a record never joins a person through a third record when it
// contradicts one of the person's records, and two server processes never index an event twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp } from '../src/app.ts';
import { BASE, describeApi, putAll } from './support/api.ts';
import { adminToken } from './support/auth-fixtures.ts';
import { admin, patient } from './support/mpi-fixtures.ts';

const MAI = { family: 'Lê', given: ['Thị', 'Mai'], gender: 'female', birthDate: '1975-05-05' };
const TAM = { family: 'Phạm', given: ['Văn', 'Tâm'], birthDate: '1990-01-02', phone: '0902222222' };
const KHOA = { family: 'Đỗ', given: ['Văn', 'Khoa'], birthDate: '1960-11-30', phone: '0903333333' };

describeApi('patient index: relinking', (api) => {
  const put = async (p: ReturnType<typeof patient>) => {
    const res = await api.request('PUT', `Patient/${p.id}`, p);
    assert.ok(res.status === 201 || res.status === 200, `${res.status} ${res.text}`);
    assert.equal((await admin(api, 'POST', '$process')).status, 200);
  };
  const personOf = async (id: string) => (await admin(api, 'GET', `records/${id}`)).body?.person as string;
  const lastChange = async (id: string) =>
    (await admin(api, 'GET', `records/${id}/history`)).body.items.at(-1);

  test('a changed record goes to review, moves to another person, and leaves', async () => {
    await put(patient('r1', { ...MAI, cccd: '001175000001', phone: '0901111111' }));
    await put(patient('r2', { ...MAI, phone: '0901111111' }));
    await put(patient('s1', TAM));
    const mai = await personOf('r1');
    assert.equal(await personOf('r2'), mai, 'same name, birth date and phone: linked');

    // the same citizen ID with another birth date: a mismatch, so r2 leaves Mai for review
    await put(patient('r2', { ...MAI, cccd: '001175000001', birthDate: '1975-08-09' }));
    assert.notEqual(await personOf('r2'), mai);
    assert.equal(await personOf('r1'), mai);
    const change = await lastChange('r2');
    assert.equal(change.action, 'relink');
    assert.equal(change.previous_person_id, mai.replace('Person/', ''));
    const queue = await admin(api, 'GET', 'review');
    assert.ok(
      queue.body.items.some(
        (i: { patient_id: string; candidate_id: string }) => i.patient_id === 'r2' && i.candidate_id === 'r1',
      ),
    );

    // now it is Tâm: it moves to s1's person
    await put(patient('r2', TAM));
    assert.equal(await personOf('r2'), await personOf('s1'));
    assert.equal((await lastChange('r2')).action, 'relink');

    // now it is nobody known: it leaves Tâm for a person of its own
    await put(patient('r2', KHOA));
    const khoa = await personOf('r2');
    assert.notEqual(khoa, await personOf('s1'));
    assert.notEqual(khoa, mai);

    // an edit that changes nothing the index reads writes no link history
    const before = (await admin(api, 'GET', 'records/r2/history')).body.items.length;
    await put({ ...patient('r2', KHOA), active: true } as ReturnType<typeof patient>);
    assert.equal((await admin(api, 'GET', 'records/r2/history')).body.items.length, before);
  });

  test('a deleted record leaves its person; its history stays and its reviews are withdrawn', async () => {
    const tam = await personOf('s1');
    await put(patient('s2', { ...TAM, gender: 'male' }));
    assert.equal(await personOf('s2'), tam);
    assert.equal((await api.request('DELETE', 'Patient/r2')).status, 204);
    assert.equal((await api.request('DELETE', 'Patient/s2')).status, 204);
    assert.equal((await admin(api, 'POST', '$process')).status, 200);
    assert.equal((await admin(api, 'GET', 'records/s2')).status, 404);
    const change = await lastChange('s2');
    assert.equal(change.action, 'remove');
    assert.equal(change.person_id, null);
    assert.equal(change.previous_person_id, tam.replace('Person/', ''));
    const person = await api.request('GET', tam);
    const targets = person.body.link.map((l: { target: { reference: string } }) => l.target.reference);
    assert.ok(targets.includes('Patient/s1') && !targets.includes('Patient/s2'), targets.join());
    const withdrawn = await admin(api, 'GET', 'review?status=withdrawn');
    assert.equal(withdrawn.status, 200);
    assert.ok(
      withdrawn.body.items.some(
        (i: { patient_id: string; patient_person: string | null }) =>
          i.patient_id === 'r2' && i.patient_person === null,
      ),
      JSON.stringify(withdrawn.body),
    );
    for (const bad of ['0', '-5', 'x', '1001'])
      assert.equal((await admin(api, 'GET', `review?_count=${bad}`)).status, 400, bad);
    const open = await admin(api, 'GET', 'review');
    assert.ok(!open.body.items.some((i: { patient_id: string }) => i.patient_id === 'r2'));
  });

  test('a record that contradicts a member of the person never joins it through another member', async () => {
    // t1 carries a citizen ID; t2 (no ID) links to t1 by name, birth date and phone
    const hoa = { family: 'Vũ', given: ['Thị', 'Hoa'], gender: 'female', birthDate: '1982-02-14' };
    await put(patient('t1', { ...hoa, cccd: '001182000123', phone: '0911000111' }));
    await put(patient('t2', { ...hoa, phone: '0911000111' }));
    assert.equal(await personOf('t2'), await personOf('t1'));
    // t3 agrees with t2 on everything but carries another citizen ID than t1: t2 alone would link it
    await put(patient('t3', { ...hoa, cccd: '001182000999', phone: '0911000111' }));
    assert.notEqual(await personOf('t3'), await personOf('t1'));
    const queue = await admin(api, 'GET', 'review');
    const items = queue.body.items.filter((i: { patient_id: string }) => i.patient_id === 't3');
    assert.ok(
      items.some((i: { reason: string }) => i.reason === 'contradicts-member'),
      JSON.stringify(items),
    );
  });

  test('two server processes draining the outbox at once index each event once', async () => {
    const other = await buildApp({ db: api.db.db, baseUrl: () => BASE, bodyLimit: 1024 * 1024 });
    try {
      const records = Array.from({ length: 12 }, (_, i) =>
        patient(`c${i}`, {
          family: 'Trịnh',
          given: ['Văn', ['Quang', 'Đức', 'Toàn'][i % 3]!],
          birthDate: `1970-0${1 + (i % 3)}-15`,
          phone: `090400000${i % 3}`,
        }),
      );
      await putAll(api, records);
      const headers = { authorization: `Bearer ${await adminToken(api)}` };
      const runs = await Promise.all(
        [api.app, other, api.app, other].map((app) =>
          app.inject({ method: 'POST', url: '/admin/mpi/$process', headers }),
        ),
      );
      for (const run of runs) assert.equal(run.statusCode, 200, run.body);
      for (const r of records) {
        const history = (await admin(api, 'GET', `records/${r.id}/history`)).body.items;
        assert.deepEqual(
          history.map((h: { action: string }) => h.action),
          ['link'],
          r.id,
        );
      }
      const people = new Set(await Promise.all(records.map(async (r) => personOf(r.id))));
      assert.equal(people.size, 3, 'three people, four records each');
    } finally {
      await other.close();
    }
  });
});
