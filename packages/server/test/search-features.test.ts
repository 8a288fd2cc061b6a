// Search result controls on both engines: _include/_revinclude (:iterate, *), _sort on any
// parameter with keyset paging (next/previous links, stable under concurrent writes), _summary,
// _elements, _total; and the access policy's conditions applied to the main query, its count and
// every chain, _has, _include and _revinclude.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { INTERNAL_ACCESS } from '../src/access/context.ts';
import { raw, sql } from '../src/db/sql.ts';
import { executeSearch } from '../src/search/execute.ts';
import { parseSearch } from '../src/search/parse.ts';
import { r4SearchParams } from '../src/search/registry.ts';
import type { AccessPolicy } from '../src/store/model.ts';
import { type Api, BASE, describeApi, putAll } from './support/api.ts';

interface Entry {
  resource: { resourceType: string; id: string; [k: string]: unknown };
  search: { mode: string };
}

const keys = (body: { entry?: Entry[] }, mode = 'match') =>
  (body.entry ?? [])
    .filter((e) => e.search.mode === mode)
    .map((e) => `${e.resource.resourceType}/${e.resource.id}`);

const PATIENTS = ['Lê', 'Đặng', 'Nguyễn', 'Trần', 'Phạm', 'Hoàng', 'Bùi'].map((family, i) => ({
  resourceType: 'Patient',
  id: `p${i}`,
  name: [{ family, given: ['An'] }],
  gender: i % 2 ? 'female' : 'male',
  ...(i === 6 ? {} : { birthDate: `${1950 + ((i * 7) % 5) * 10}-01-0${i + 1}` }),
  managingOrganization: { reference: 'Organization/org' },
  text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">x</div>' },
}));

const RESOURCES = [
  { resourceType: 'Organization', id: 'org', name: 'Bệnh viện', partOf: { reference: 'Organization/top' } },
  { resourceType: 'Organization', id: 'top', name: 'Sở Y tế' },
  ...PATIENTS,
  ...PATIENTS.slice(0, 3).map((p, i) => ({
    resourceType: 'Encounter',
    id: `e${i}`,
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    subject: { reference: `Patient/${p.id}` },
  })),
];

const page = async (api: Api, url: string) => {
  const res = await api.request('GET', url.replace(`${BASE}/`, ''));
  const link = (rel: string) =>
    res.body.link.find((l: { relation: string }) => l.relation === rel)?.url as string | undefined;
  return { body: res.body, next: link('next'), previous: link('previous') };
};

describeApi('Search features', (api) => {
  before(() => putAll(api, RESOURCES));

  test('a name search pages by id through every match once, forward and back, and counts them all', async () => {
    const order = PATIENTS.map((p) => p.id).sort();
    const seen: string[] = [];
    const pages: string[] = [];
    let url: string | undefined = 'Patient?given=an&_count=2';
    for (let i = 0; url && i < 10; i++) {
      const p = await page(api, url);
      pages.push(url);
      seen.push(...keys(p.body).map((k) => k.slice(8)));
      url = p.next;
    }
    assert.deepEqual(seen, order);
    const last = await page(api, pages.at(-1)!);
    const back = await page(api, last.previous!);
    assert.deepEqual(keys(back.body), keys((await page(api, pages.at(-2)!)).body));
    const count = await api.request('GET', 'Patient?given=an&family=tr&_summary=count');
    assert.equal(count.body.total, 1);
    const both = await api.request('GET', 'Patient?given=an&family=tr,ng');
    assert.deepEqual(keys(both.body), ['Patient/p2', 'Patient/p3']);
  });

  test('_include and _revinclude add the referenced and referring resources with mode include', async () => {
    const inc = await api.request('GET', 'Encounter?_id=e0,e1&_include=Encounter:subject');
    assert.deepEqual(keys(inc.body), ['Encounter/e0', 'Encounter/e1']);
    assert.deepEqual(keys(inc.body, 'include').sort(), ['Patient/p0', 'Patient/p1']);
    const typed = await api.request('GET', 'Encounter?_id=e0&_include=Encounter:subject:Group');
    assert.deepEqual(keys(typed.body, 'include'), []);
    const rev = await api.request('GET', 'Patient?_id=p0,p3&_revinclude=Encounter:subject');
    assert.deepEqual(keys(rev.body, 'include'), ['Encounter/e0']);
    const iterate = await api.request(
      'GET',
      'Encounter?_id=e2&_include=Encounter:patient&_include:iterate=Patient:organization&_include:iterate=Organization:partof',
    );
    assert.deepEqual(keys(iterate.body, 'include').sort(), [
      'Organization/org',
      'Organization/top',
      'Patient/p2',
    ]);
    const star = await api.request('GET', 'Patient?_id=p1&_include=*');
    assert.deepEqual(keys(star.body, 'include'), ['Organization/org']);
    const revStar = await api.request('GET', 'Organization?_id=org&_revinclude=*');
    assert.equal(keys(revStar.body, 'include').length, PATIENTS.length);
  });

  test('_sort by any parameter, several keys and descending, pages with stable cursors both ways', async () => {
    const expected = (await api.request('GET', 'Patient?_sort=gender,-birthdate&_count=100')).body;
    // female (p1,p3,p5) first, then male by birthdate descending, the one without (p6) last.
    const birth = (id: string) => PATIENTS.find((p) => p.id === id)?.birthDate ?? '';
    const order = keys(expected).map((k) => k.slice(8));
    assert.deepEqual(new Set(order.slice(0, 3)), new Set(['p1', 'p3', 'p5']));
    const males = order.slice(3);
    assert.deepEqual(new Set(males), new Set(['p0', 'p2', 'p4', 'p6']));
    assert.equal(males.at(-1), 'p6');
    assert.ok(birth(males[0]!) >= birth(males[1]!) && birth(males[1]!) >= birth(males[2]!));
    // Walk forward two at a time, inserting a new patient between pages: nothing repeats or vanishes.
    const seen: string[] = [];
    let url: string | undefined = 'Patient?_sort=gender,-birthdate&_count=2';
    const pages: string[] = [];
    for (let i = 0; url && i < 10; i++) {
      const p = await page(api, url);
      pages.push(url);
      seen.push(...keys(p.body).map((k) => k.slice(8)));
      if (i === 1) {
        await api.request('PUT', 'Patient/zz', {
          resourceType: 'Patient',
          id: 'zz',
          gender: 'female',
          birthDate: '1900',
        });
      }
      url = p.next;
    }
    assert.deepEqual(
      seen.filter((id) => id !== 'zz'),
      order,
    );
    assert.equal(new Set(seen).size, seen.length);
    // From the last page, previous links walk back through the same pages.
    const last = await page(api, pages.at(-1)!);
    assert.ok(last.previous);
    const back = await page(api, last.previous!);
    assert.deepEqual(keys(back.body), keys((await page(api, pages.at(-2)!)).body));
    await api.request('DELETE', 'Patient/zz');
    const byName = await api.request('GET', 'Patient?_sort=-family&_count=3');
    assert.deepEqual(keys(byName.body), ['Patient/p3', 'Patient/p4', 'Patient/p2']);
    const foreign = await api.request(
      'GET',
      `Patient?_sort=family&_cursor=${new URL(last.previous!).searchParams.get('_cursor')}`,
    );
    assert.equal(foreign.status, 400);
  });

  test('_summary (true, text, data, count), _elements and _total', async () => {
    const summary = (await api.request('GET', 'Patient?_id=p0&_summary=true')).body.entry[0].resource;
    assert.ok(summary.name && summary.birthDate && !summary.text);
    assert.ok(summary.meta.tag.some((t: { code: string }) => t.code === 'SUBSETTED'));
    const text = (await api.request('GET', 'Patient?_id=p0&_summary=text')).body.entry[0].resource;
    assert.ok(text.text && !text.name);
    const data = (await api.request('GET', 'Patient?_id=p0&_summary=data')).body.entry[0].resource;
    assert.ok(data.name && !data.text);
    const count = await api.request('GET', 'Patient?gender=male&_summary=count');
    assert.equal(count.body.total, 4);
    assert.equal(count.body.entry?.length ?? 0, 0);
    const elements = (await api.request('GET', 'Patient?_id=p0&_elements=gender')).body.entry[0].resource;
    assert.deepEqual(Object.keys(elements).sort(), ['gender', 'id', 'meta', 'resourceType']);
    const none = await api.request('GET', 'Patient?_count=2&_total=none');
    assert.equal(none.body.total, undefined);
    const accurate = await api.request('GET', 'Patient?_count=2&_total=accurate');
    assert.equal(accurate.body.total, PATIENTS.length);
    const estimate = await api.request('GET', 'Patient?_count=2&_total=estimate');
    assert.equal(estimate.body.total, PATIENTS.length);
  });

  test('the access policy conditions apply to the main query, count, chains, _has and includes', async () => {
    // A policy that hides p1 and Organization/top wherever a resource is read.
    const policy: AccessPolicy = {
      readConditions: (_ctx, alias) => [sql`NOT (${raw(alias)}.id = ANY(${['p1', 'top']}::text[]))`],
      checkWrites: async () => undefined,
      afterWrites: async () => undefined,
    };
    const registry = r4SearchParams();
    const run = async (type: string, query: string) => {
      const request = parseSearch(type, new URLSearchParams(query), registry, true);
      return executeSearch({ db: api.db.db, policy, ctx: INTERNAL_ACCESS, baseUrl: BASE }, request);
    };
    const ids = (rows: { type: string; id: string }[]) => rows.map((r) => `${r.type}/${r.id}`).sort();
    assert.deepEqual(ids((await run('Patient', 'gender=female')).rows), ['Patient/p3', 'Patient/p5']);
    assert.equal((await run('Patient', 'gender=female&_summary=count')).total, 2);
    assert.deepEqual(ids((await run('Encounter', 'subject.name=dang')).rows), []);
    assert.deepEqual(ids((await run('Encounter', 'subject.name=le')).rows), ['Encounter/e0']);
    assert.deepEqual(ids((await run('Patient', '_has:Encounter:subject:status=finished')).rows), [
      'Patient/p0',
      'Patient/p2',
    ]);
    assert.deepEqual(ids((await run('Encounter', '_id=e1&_include=Encounter:subject')).included.rows), []);
    assert.deepEqual(
      ids(
        (await run('Organization', '_id=org&_include=Organization:partof&_revinclude=Patient:organization'))
          .included.rows,
      ),
      PATIENTS.filter((p) => p.id !== 'p1')
        .map((p) => `Patient/${p.id}`)
        .sort(),
    );
  });
});
